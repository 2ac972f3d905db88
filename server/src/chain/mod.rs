//! Access to Cosmos SDK chains over REST (LCD): the client, response shapes, address derivations.

pub mod address;
pub mod client;
pub mod endpoints;
pub mod error;
pub mod faucet;
pub mod gov;
pub mod key;
pub use app::lenient;
pub mod types;

pub use client::{ChainClient, RetryPolicy};
pub use error::{ChainError, ErrorKind};
