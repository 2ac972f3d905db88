//! The workers' names, as `worker_runs`, `/system`, `/healthz` and the metrics know them. Shared
//! by the workers (server) and the pages that show how fresh their data is (app).

/// Collects each network's validator set.
pub const VALIDATORS: &str = "validators";
/// Reads proposals and records every vote while they are voting.
pub const GOVERNANCE: &str = "governance";
/// Plans alert mails for proposal events.
pub const ALERTS: &str = "alerts";
/// Sends the planned mails (on every worker replica).
pub const MAIL: &str = "mail";
/// Pays faucet claims (one sender per network and key).
pub const FAUCET: &str = "faucet";
/// Moves elections through their lifecycle: snapshot and plan, open, count, archive.
pub const ELECTIONS: &str = "elections";
