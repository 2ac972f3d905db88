//! The elections' core on the server: the plan ("block 0") and the power snapshot with their
//! hashes, the count of every ballot method, the bundle a closed election is published as, the
//! offline recount of a bundle, and the `ballot sign` / `election verify` commands. The worker
//! that moves elections through their lifecycle is `workers::elections`.

pub mod bundle;
pub mod cli;
pub mod plan;
pub mod snapshot;
pub mod tally;
pub mod verify;
