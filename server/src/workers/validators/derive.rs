//! Turns parsed chain responses into what Stakeboard stores: each validator's rank, voting power
//! shares, status, uptime and addresses, and the network's figures.

use crate::{
    chain::{
        address,
        types::{Block, NodeInfo, Pool, SigningInfo, SlashingParams, Validator},
    },
    config::networks::Network,
};
use chrono::{DateTime, Utc};
use std::collections::HashMap;

pub const BONDED: &str = "BOND_STATUS_BONDED";

/// The parsed responses of one collection.
pub struct Collection {
    pub node_info: NodeInfo,
    pub latest_block: Block,
    pub validators: Vec<Validator>,
    pub pool: Pool,
    pub signing_infos: Vec<SigningInfo>,
    pub slashing_params: SlashingParams,
    pub supply: Option<u128>,
}

/// One validator as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidatorRecord {
    pub operator_address: String,
    pub account_address: String,
    pub consensus_address: Option<String>,
    pub consensus_pubkey: Option<String>,
    /// The key's type URL, e.g. `/cosmos.crypto.ed25519.PubKey`.
    pub consensus_key_type: Option<String>,
    pub moniker: String,
    pub identity: String,
    pub website: String,
    pub security_contact: String,
    pub details: String,
    pub status: &'static str,
    pub bond_status: String,
    pub jailed: bool,
    pub tombstoned: bool,
    pub tokens: u128,
    pub delegator_shares: String,
    pub commission_rate: String,
    pub commission_max_rate: String,
    pub commission_max_change_rate: String,
    pub commission_updated_at: Option<DateTime<Utc>>,
    pub min_self_delegation: Option<String>,
    pub rank: i32,
    pub voting_power_share: Option<f64>,
    pub cumulative_share: Option<f64>,
    pub missed_blocks: Option<i64>,
    pub uptime: Option<f64>,
    pub jailed_until: Option<DateTime<Utc>>,
    pub unbonding_height: Option<i64>,
    pub unbonding_time: Option<DateTime<Utc>>,
}

/// Network-wide figures of one collection.
#[derive(Debug, Clone, PartialEq)]
pub struct NetworkFigures {
    pub chain_id: String,
    pub latest_height: i64,
    pub latest_block_time: DateTime<Utc>,
    pub bonded_tokens: u128,
    pub not_bonded_tokens: u128,
    pub total_supply: Option<u128>,
    pub signed_blocks_window: i64,
    pub validators_total: i32,
    pub validators_active: i32,
    pub node_version: String,
    pub sdk_version: String,
}

#[derive(Debug, thiserror::Error)]
pub enum DeriveError {
    #[error("the node serves chain {found:?}, but the networks file says {expected:?}")]
    WrongChain { found: String, expected: String },
    #[error("validator {operator}: {source}")]
    Address {
        operator: String,
        source: address::AddressError,
    },
    #[error("the node listed no validators")]
    Empty,
}

pub fn derive(
    network: &Network,
    c: &Collection,
) -> Result<(Vec<ValidatorRecord>, NetworkFigures), DeriveError> {
    for found in [
        &c.node_info.default_node_info.network,
        &c.latest_block.header.chain_id,
    ] {
        if *found != network.chain_id {
            return Err(DeriveError::WrongChain {
                found: found.clone(),
                expected: network.chain_id.clone(),
            });
        }
    }
    if c.validators.is_empty() {
        return Err(DeriveError::Empty);
    }
    let valoper = network.valoper_prefix();
    let valcons = network.valcons_prefix();
    let window = c.slashing_params.signed_blocks_window;
    let infos: HashMap<&str, &SigningInfo> = c
        .signing_infos
        .iter()
        .map(|i| (i.address.as_str(), i))
        .collect();

    // Rank: bonded validators by tokens, then everyone else by tokens.
    let mut order: Vec<usize> = (0..c.validators.len()).collect();
    order.sort_by(|&a, &b| {
        let (va, vb) = (&c.validators[a], &c.validators[b]);
        (vb.status == BONDED)
            .cmp(&(va.status == BONDED))
            .then(vb.tokens.cmp(&va.tokens))
            .then(va.operator_address.cmp(&vb.operator_address))
    });
    let bonded_total: u128 = c
        .validators
        .iter()
        .filter(|v| v.status == BONDED)
        .map(|v| v.tokens)
        .sum();

    let mut records = Vec::with_capacity(order.len());
    let mut cumulative = 0.0;
    for (position, &index) in order.iter().enumerate() {
        let v = &c.validators[index];
        let bonded = v.status == BONDED;
        let account_address =
            address::account_of_operator(&v.operator_address, &valoper, &network.bech32_prefix)
                .map_err(|source| DeriveError::Address {
                    operator: v.operator_address.clone(),
                    source,
                })?;
        let consensus_address = v.consensus_pubkey.as_ref().and_then(|k| {
            k.key
                .as_deref()
                .and_then(|key| address::consensus_of_pubkey(&k.type_url, key, &valcons))
        });
        let info = consensus_address
            .as_deref()
            .and_then(|a| infos.get(a))
            .copied();
        let tombstoned = info.is_some_and(|i| i.tombstoned);
        let share = (bonded && bonded_total > 0).then(|| v.tokens as f64 / bonded_total as f64);
        if let Some(share) = share {
            cumulative += share;
        }
        let missed = info.and_then(|i| i.missed_blocks_counter).map(|m| m as i64);
        let uptime = match (bonded, missed) {
            (true, Some(missed)) if window > 0 => {
                Some((1.0 - missed as f64 / window as f64).clamp(0.0, 1.0))
            }
            _ => None,
        };
        let d = &v.description;
        records.push(ValidatorRecord {
            operator_address: v.operator_address.clone(),
            account_address,
            consensus_address,
            consensus_pubkey: v.consensus_pubkey.as_ref().and_then(|k| k.key.clone()),
            consensus_key_type: v
                .consensus_pubkey
                .as_ref()
                .map(|k| line(&k.type_url, 100))
                .filter(|t| !t.is_empty()),
            moniker: line(&d.moniker, 70),
            identity: line(&d.identity, 3000),
            website: line(&d.website, 140),
            security_contact: line(&d.security_contact, 140),
            details: lines(&d.details, 280 * 4),
            status: status_of(tombstoned, v.jailed, bonded),
            bond_status: v.status.clone(),
            jailed: v.jailed,
            tombstoned,
            tokens: v.tokens,
            delegator_shares: v.delegator_shares.clone(),
            commission_rate: v.commission.commission_rates.rate.clone(),
            commission_max_rate: v.commission.commission_rates.max_rate.clone(),
            commission_max_change_rate: v.commission.commission_rates.max_change_rate.clone(),
            commission_updated_at: v.commission.update_time.filter(is_set),
            min_self_delegation: v.min_self_delegation.clone(),
            rank: position as i32 + 1,
            voting_power_share: share,
            cumulative_share: share.map(|_| cumulative.min(1.0)),
            missed_blocks: missed,
            uptime,
            jailed_until: info.and_then(|i| i.jailed_until).filter(is_set),
            unbonding_height: v.unbonding_height.filter(|h| *h > 0).map(|h| h as i64),
            unbonding_time: v.unbonding_time.filter(is_set),
        });
    }

    let app = c.node_info.application_version.clone().unwrap_or_default();
    let figures = NetworkFigures {
        chain_id: network.chain_id.clone(),
        latest_height: c.latest_block.header.height as i64,
        latest_block_time: c.latest_block.header.time,
        bonded_tokens: c.pool.bonded_tokens,
        not_bonded_tokens: c.pool.not_bonded_tokens,
        total_supply: c.supply,
        signed_blocks_window: window as i64,
        validators_total: records.len() as i32,
        validators_active: records.iter().filter(|r| r.bond_status == BONDED).count() as i32,
        node_version: if app.version.is_empty() {
            c.node_info.default_node_info.version.clone()
        } else {
            app.version
        },
        sdk_version: app.cosmos_sdk_version,
    };
    Ok((records, figures))
}

fn status_of(tombstoned: bool, jailed: bool, bonded: bool) -> &'static str {
    match (tombstoned, jailed, bonded) {
        (true, _, _) => "tombstoned",
        (_, true, _) => "jailed",
        (_, _, true) => "active",
        _ => "inactive",
    }
}

/// The SDK's zero time (1970-01-01) means "never".
fn is_set(t: &DateTime<Utc>) -> bool {
    t.timestamp() > 0
}

/// Chain text of one line (monikers, websites…) without control or bidi characters, cut at
/// `max_chars` (the SDK's own limits).
fn line(text: &str, max_chars: usize) -> String {
    app::ui::text::one_line(text)
        .chars()
        .take(max_chars)
        .collect()
}

/// Chain text of several lines (a validator's details), likewise.
fn lines(text: &str, max_chars: usize) -> String {
    app::ui::text::multi_line(text)
        .trim()
        .chars()
        .take(max_chars)
        .collect()
}
