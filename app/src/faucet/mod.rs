//! Testnet faucet: the claim form and claim pages, the checks a claim passes, and the types the
//! JSON API shares. Claims are rows; the server's faucet worker pays them.

pub mod captcha;
pub mod claim_page;
#[cfg(feature = "ssr")]
pub mod db;
pub mod model;
pub mod page;
pub mod server_fns;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod settings;
pub mod solver;
