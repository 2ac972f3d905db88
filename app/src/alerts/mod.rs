//! E-mail alerts: double opt-in sign-up, per-network choices, links that work without an
//! account, and the pages behind them. The mails themselves are queued rows the server's
//! alerts worker sends.

pub mod choices_form;
#[cfg(feature = "ssr")]
pub mod db;
pub mod email;
pub mod link_pages;
pub mod manage_page;
pub mod model;
pub mod server_fns;
#[cfg(feature = "ssr")]
pub mod service;
pub mod service_text;
pub mod signup_page;
#[cfg(feature = "ssr")]
pub mod token;
