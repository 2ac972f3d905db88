//! Health and metrics endpoints, and the process's memory.

pub mod health;
pub mod memory;
pub mod metrics;
