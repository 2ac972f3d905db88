//! The server's integration tests, one binary: each module is one area's tests; `common` holds
//! the helpers they share (configs, worker contexts, a whole server, an SMTP sink).

mod common;

mod alerts_black_box;
mod alerts_crash;
mod alerts_delivery;
mod alerts_signup;
mod archive_s3;
mod binary;
mod black_box;
mod chain_fixtures;
mod elections_admin;
mod elections_crash;
mod elections_lifecycle;
mod example_networks;
mod faucet_chain;
mod faucet_claims;
mod faucet_crash;
mod faucet_pay;
mod faucet_secrets;
mod gov_fixtures;
mod governance_api;
mod governance_worker;
mod hardening;
mod history_paging;
mod pages;
mod validators_worker;
