//! The networks a deployment follows: their model, queries and the overview page (`/`).

#[cfg(feature = "ssr")]
pub mod db;
pub mod model;
pub mod overview;
#[cfg(feature = "ssr")]
pub mod service;
