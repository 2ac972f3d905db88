//! The networks a deployment follows and their figures from the last collection.

use crate::system::model::Freshness;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Whether `text` can be a network's slug (its name in URLs): 1 to 40 of `a-z`, `0-9`, `-`.
pub fn is_slug(text: &str) -> bool {
    (1..=40).contains(&text.len())
        && text
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct NetworkInfo {
    pub slug: String,
    pub name: String,
    pub chain_id: String,
    pub bech32_prefix: String,
    pub denom: String,
    pub display_denom: String,
    pub exponent: i32,
    pub testnet: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct NetworkFigures {
    pub collected_at: DateTime<Utc>,
    pub latest_height: i64,
    pub latest_block_time: DateTime<Utc>,
    /// Base units, as exact decimal strings.
    pub bonded_tokens: String,
    pub not_bonded_tokens: String,
    pub total_supply: Option<String>,
    pub signed_blocks_window: i64,
    pub validators_total: i32,
    pub validators_active: i32,
    pub node_version: String,
    pub sdk_version: String,
}

impl NetworkFigures {
    /// Bonded tokens over the total supply of the staking denom, when the supply is known.
    pub fn bonded_ratio(&self) -> Option<f64> {
        let bonded: f64 = self.bonded_tokens.parse().ok()?;
        let supply: f64 = self.total_supply.as_deref()?.parse().ok()?;
        (supply > 0.0).then(|| bonded / supply)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct NetworkSummary {
    pub network: NetworkInfo,
    pub figures: Option<NetworkFigures>,
    pub freshness: Freshness,
}
