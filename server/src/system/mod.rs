//! Health and metrics endpoints.

pub mod health;
pub mod metrics;
