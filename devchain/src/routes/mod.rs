//! The REST paths devchain answers, one module per SDK module, plus its own control paths.

pub mod auth;
pub mod bank;
pub mod base;
pub mod control;
pub mod gov;
pub mod slashing;
pub mod staking;
pub mod tx;
