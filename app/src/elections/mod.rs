//! Elections: admins schedule voting events; the elections worker snapshots voting power,
//! builds the plan ("block 0"), opens, counts and archives them; voters sign ballots with their
//! account keys; anyone can check a receipt and recount an election offline.

#[cfg(feature = "ssr")]
pub mod admin;
pub mod admin_election_page;
pub mod admin_list_page;
#[cfg(feature = "ssr")]
pub mod admin_pages;
#[cfg(feature = "ssr")]
pub mod adr036;
pub mod allowlist;
pub mod ballot;
pub mod ballot_form;
#[cfg(feature = "ssr")]
pub mod ballots;
pub mod choice;
#[cfg(feature = "ssr")]
pub mod db;
pub mod detail_page;
pub mod form;
pub mod ledger;
pub mod list_page;
pub mod merkle;
pub mod model;
pub mod receipt_page;
pub mod server_fns;
#[cfg(feature = "ssr")]
pub mod service;
pub mod views;
pub mod widgets;
