//! Governance: proposals, votes and every change of vote, tallies and results.

pub mod ballot;
#[cfg(feature = "ssr")]
pub mod db;
pub mod detail_page;
pub mod list_page;
#[cfg(feature = "ssr")]
pub mod markdown;
pub mod model;
pub mod query;
pub mod server_fns;
#[cfg(feature = "ssr")]
pub mod service;
pub mod spam;
pub mod status;
pub mod tally;
pub mod widgets;
