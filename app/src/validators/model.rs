//! Validators as the pages and the JSON API show them.

use crate::{
    networks::model::{NetworkFigures, NetworkInfo},
    system::model::Freshness,
};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ssr", derive(sqlx::Type))]
#[cfg_attr(feature = "ssr", sqlx(type_name = "text", rename_all = "lowercase"))]
#[serde(rename_all = "lowercase")]
pub enum ValidatorStatus {
    Active,
    Inactive,
    Jailed,
    Tombstoned,
}

impl ValidatorStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ValidatorStatus::Active => "active",
            ValidatorStatus::Inactive => "inactive",
            ValidatorStatus::Jailed => "jailed",
            ValidatorStatus::Tombstoned => "tombstoned",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "active" => Some(ValidatorStatus::Active),
            "inactive" => Some(ValidatorStatus::Inactive),
            "jailed" => Some(ValidatorStatus::Jailed),
            "tombstoned" => Some(ValidatorStatus::Tombstoned),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ValidatorStatus::Active => "Active",
            ValidatorStatus::Inactive => "Inactive",
            ValidatorStatus::Jailed => "Jailed",
            ValidatorStatus::Tombstoned => "Tombstoned",
        }
    }
}

/// A validator's row in the table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ValidatorSummary {
    pub operator_address: String,
    pub account_address: String,
    pub consensus_address: Option<String>,
    pub moniker: String,
    pub status: ValidatorStatus,
    pub rank: i32,
    /// Bonded tokens in base units, as an exact decimal string.
    pub tokens: String,
    /// Share of the bonded stake; `None` when not bonded.
    pub voting_power_share: Option<f64>,
    pub cumulative_share: Option<f64>,
    pub commission_rate: f64,
    /// 1 − missed / signed-blocks window; `None` when not bonded or without a signing info.
    pub uptime: Option<f64>,
    pub missed_blocks: Option<i64>,
    /// Of the last 10 recorded votes it was bonded for at the end, how many it voted on.
    pub participation_voted: Option<i64>,
    pub participation_eligible: Option<i64>,
}

impl ValidatorSummary {
    pub fn participation(&self) -> Option<crate::governance::model::Participation> {
        match (self.participation_voted, self.participation_eligible) {
            (Some(voted), Some(eligible)) if eligible > 0 => {
                Some(crate::governance::model::Participation { voted, eligible })
            }
            _ => None,
        }
    }
}

/// The consensus key types whose consensus address Stakeboard derives (as CometBFT does).
pub const KNOWN_KEY_TYPES: [&str; 2] = [
    "/cosmos.crypto.ed25519.PubKey",
    "/cosmos.crypto.secp256k1.PubKey",
];

/// Everything known about one validator.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ValidatorDetail {
    #[serde(flatten)]
    pub summary: ValidatorSummary,
    /// The consensus key, base64, as the chain sends it.
    pub consensus_pubkey: Option<String>,
    /// The key's type URL, e.g. `/cosmos.crypto.ed25519.PubKey`.
    pub consensus_key_type: Option<String>,
    pub identity: String,
    pub website: String,
    pub security_contact: String,
    pub details: String,
    pub bond_status: String,
    pub jailed: bool,
    pub tombstoned: bool,
    pub delegator_shares: String,
    pub commission_max_rate: f64,
    pub commission_max_change_rate: f64,
    pub commission_updated_at: Option<DateTime<Utc>>,
    pub min_self_delegation: Option<String>,
    pub jailed_until: Option<DateTime<Utc>>,
    pub unbonding_height: Option<i64>,
    pub unbonding_time: Option<DateTime<Utc>>,
    pub first_seen_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    pub removed_at: Option<DateTime<Utc>>,
}

/// A recorded change of a validator's tracked fields.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct HistoryPoint {
    pub recorded_at: DateTime<Utc>,
    pub tokens: String,
    pub status: String,
    pub jailed: bool,
    pub commission_rate: f64,
    pub missed_blocks: Option<i64>,
}

/// How many validators of each status match the search.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct StatusCounts {
    pub active: usize,
    pub inactive: usize,
    pub jailed: usize,
    pub all: usize,
}

/// One page of a network's validators.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ValidatorList {
    pub network: NetworkInfo,
    pub networks: Vec<NetworkInfo>,
    pub figures: Option<NetworkFigures>,
    pub freshness: Freshness,
    pub counts: StatusCounts,
    /// Rows matching the filters, before `limit`/`offset`.
    pub total: usize,
    pub offset: usize,
    pub limit: Option<usize>,
    /// The largest voting power share in the network, which voting-power bars are scaled to.
    pub max_share: f64,
    pub validators: Vec<ValidatorSummary>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ValidatorProfile {
    pub network: NetworkInfo,
    /// Other followed networks that list a validator with this operator address.
    pub also_on: Vec<NetworkInfo>,
    pub figures: Option<NetworkFigures>,
    pub freshness: Freshness,
    pub validator: ValidatorDetail,
    /// Voting power over the recorded history (up to a year), oldest first, for the chart: at
    /// most [`SERIES_POINTS`] points, the last change of each equal slice of that time.
    pub history: Vec<HistoryPoint>,
    /// Every recorded change, newest first, a page at a time.
    pub changes: HistoryPage,
    /// Its votes on the proposals Stakeboard recorded, and its participation.
    pub governance: crate::governance::model::GovernanceRecord,
}

/// The most points [`ValidatorProfile::history`] has, whatever the length of the history.
pub const SERIES_POINTS: i64 = 400;

/// A page of a validator's recorded changes, newest first
/// (`GET /api/v1/networks/{network}/validators/{operator}/history`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct HistoryPage {
    pub changes: Vec<HistoryPoint>,
    /// The `after` of the next (older) page; absent on the last.
    pub next: Option<String>,
}

/// Where a page of changes starts: after the change recorded at this time (newest first).
/// Written as µs since 1970.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HistoryKey(pub DateTime<Utc>);

impl crate::paging::PageKey for HistoryKey {
    fn encode(&self) -> String {
        crate::paging::time_part(self.0)
    }

    fn decode(text: &str) -> Option<Self> {
        crate::paging::parse_time(text).map(HistoryKey)
    }
}
