//! Admin accounts: login, the bar on admin pages, and the audit of every admin action. The
//! server's session guard decides who is logged in; pages and functions here read it.

pub mod audit_page;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod identity;
pub mod login_page;
pub mod model;
pub mod nav;
pub mod server_fns;
