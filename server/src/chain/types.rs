//! The LCD response shapes Stakeboard reads, accepting both SDK 0.47 and 0.50. Unknown fields are
//! ignored; numbers may be strings.

use super::lenient;
use chrono::{DateTime, Utc};
use serde::Deserialize;

#[derive(Debug, Clone, Deserialize, Default)]
pub struct Pagination {
    #[serde(default)]
    pub next_key: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_u64")]
    pub total: Option<u64>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ValidatorsPage {
    pub validators: Vec<Validator>,
    #[serde(default)]
    pub pagination: Option<Pagination>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ValidatorResponse {
    pub validator: Validator,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Validator {
    pub operator_address: String,
    #[serde(default)]
    pub consensus_pubkey: Option<PubKey>,
    #[serde(default)]
    pub jailed: bool,
    pub status: String,
    #[serde(deserialize_with = "lenient::u128")]
    pub tokens: u128,
    #[serde(deserialize_with = "lenient::decimal")]
    pub delegator_shares: String,
    #[serde(default)]
    pub description: Description,
    #[serde(default, deserialize_with = "lenient::opt_u64")]
    pub unbonding_height: Option<u64>,
    #[serde(default)]
    pub unbonding_time: Option<DateTime<Utc>>,
    pub commission: Commission,
    #[serde(default, deserialize_with = "lenient::opt_decimal")]
    pub min_self_delegation: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct PubKey {
    #[serde(rename = "@type")]
    pub type_url: String,
    #[serde(default)]
    pub key: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Default)]
#[serde(default)]
pub struct Description {
    pub moniker: String,
    pub identity: String,
    pub website: String,
    pub security_contact: String,
    pub details: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Commission {
    pub commission_rates: CommissionRates,
    #[serde(default)]
    pub update_time: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct CommissionRates {
    #[serde(deserialize_with = "lenient::decimal")]
    pub rate: String,
    #[serde(deserialize_with = "lenient::decimal")]
    pub max_rate: String,
    #[serde(deserialize_with = "lenient::decimal")]
    pub max_change_rate: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct PoolResponse {
    pub pool: Pool,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Pool {
    #[serde(deserialize_with = "lenient::u128")]
    pub bonded_tokens: u128,
    #[serde(deserialize_with = "lenient::u128")]
    pub not_bonded_tokens: u128,
}

#[derive(Debug, Clone, Deserialize)]
pub struct SigningInfosPage {
    pub info: Vec<SigningInfo>,
    #[serde(default)]
    pub pagination: Option<Pagination>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct SigningInfo {
    pub address: String,
    #[serde(default, deserialize_with = "lenient::opt_u64")]
    pub start_height: Option<u64>,
    #[serde(default)]
    pub jailed_until: Option<DateTime<Utc>>,
    #[serde(default)]
    pub tombstoned: bool,
    #[serde(default, deserialize_with = "lenient::opt_u64")]
    pub missed_blocks_counter: Option<u64>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct SlashingParamsResponse {
    pub params: SlashingParams,
}

#[derive(Debug, Clone, Deserialize)]
pub struct SlashingParams {
    #[serde(deserialize_with = "lenient::u64")]
    pub signed_blocks_window: u64,
    #[serde(default)]
    pub min_signed_per_window: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct NodeInfo {
    pub default_node_info: DefaultNodeInfo,
    #[serde(default)]
    pub application_version: Option<ApplicationVersion>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct DefaultNodeInfo {
    pub network: String,
    #[serde(default)]
    pub version: String,
    #[serde(default)]
    pub moniker: String,
}

#[derive(Debug, Clone, Deserialize, Default)]
#[serde(default)]
pub struct ApplicationVersion {
    pub name: String,
    pub app_name: String,
    pub version: String,
    pub cosmos_sdk_version: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct BlockResponse {
    pub block: Block,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Block {
    pub header: BlockHeader,
}

#[derive(Debug, Clone, Deserialize)]
pub struct BlockHeader {
    pub chain_id: String,
    #[serde(deserialize_with = "lenient::u64")]
    pub height: u64,
    pub time: DateTime<Utc>,
    #[serde(default)]
    pub proposer_address: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct SupplyResponse {
    pub amount: app::coin::Coin,
}

/// The `pagination` part of any list response, read before the page itself is parsed.
#[derive(Debug, Clone, Deserialize)]
pub struct PaginationOnly {
    #[serde(default)]
    pub pagination: Option<Pagination>,
}

/// `GET /cosmos/staking/v1beta1/validators/{operator}/delegations`: a page of a validator's
/// delegations, each with its balance in the staking denom.
#[derive(Debug, Clone, Deserialize)]
pub struct DelegationsPage {
    pub delegation_responses: Vec<DelegationResponse>,
    #[serde(default)]
    pub pagination: Option<Pagination>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct DelegationResponse {
    pub delegation: Delegation,
    pub balance: app::coin::Coin,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Delegation {
    pub delegator_address: String,
    pub validator_address: String,
}
