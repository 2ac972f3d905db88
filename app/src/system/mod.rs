//! The system area: worker runs and their outcomes (`/system`), shared with /healthz, and how
//! fresh each page's data is.

#[cfg(feature = "ssr")]
pub mod db;
pub mod freshness;
pub mod model;
pub mod page;
#[cfg(feature = "ssr")]
pub mod service;
pub mod workers;
