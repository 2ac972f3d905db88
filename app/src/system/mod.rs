//! The system area: worker runs and their outcomes (`/system`), shared with /healthz.

#[cfg(feature = "ssr")]
pub mod db;
pub mod model;
pub mod page;
