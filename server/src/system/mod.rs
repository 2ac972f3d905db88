//! Health and metrics endpoints.

pub mod csv;
pub mod health;
pub mod metrics;
