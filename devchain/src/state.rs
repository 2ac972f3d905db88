//! The chain devchain pretends to be: the recorded Cosmos Hub validator set, its signing infos,
//! params and node info, and a block clock that moves on in real time.

use crate::{
    address, fixtures,
    gov::{scenario::ScenarioSettings, GovApi},
    ledger::LedgerSettings,
};
use chrono::{DateTime, Duration as ChronoDuration, Utc};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::time::{Duration, Instant};

/// Knobs of the simulated chain.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Time between two blocks.
    pub block_time: Duration,
    /// Total supply of the staking denom, in base units. No recording holds the supply; the
    /// default is the Cosmos Hub's approximate supply in August 2024 (about 390.9 M ATOM).
    pub supply: u128,
    /// The gov API the chain answers.
    pub gov_api: GovApi,
    /// The scenario proposal submitted at start, if any.
    pub scenario: Option<ScenarioSettings>,
    /// The chain id the node reports and transactions must be signed for.
    pub chain_id: String,
    /// Accounts and transactions.
    pub ledger: LedgerSettings,
    /// Serve the recorded gov history with its times moved so the recording's moment is now
    /// (what was voting is voting); false keeps the recorded times.
    pub shift_times: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            block_time: Duration::from_secs(6),
            supply: 390_930_000_000_000,
            gov_api: GovApi::V1,
            scenario: Some(ScenarioSettings::default()),
            chain_id: "cosmoshub-4".into(),
            ledger: LedgerSettings::default(),
            shift_times: true,
        }
    }
}

pub struct Chain {
    pub chain_id: String,
    pub account_prefix: String,
    pub denom: String,
    pub valcons_prefix: String,
    /// Kept in store order: sorted by operator address bytes.
    pub validators: Vec<Value>,
    /// Kept in store order: sorted by consensus address bytes.
    pub signing_infos: Vec<Value>,
    pub slashing_params: Value,
    pub staking_params: Value,
    pub node_info: Value,
    block_template: Value,
    /// Made up from the recorded set at the first request (see [`crate::delegations`]).
    delegations: std::sync::OnceLock<std::collections::HashMap<String, Vec<Value>>>,
    base_height: u64,
    started: Instant,
    started_at: DateTime<Utc>,
    settings: Settings,
}

impl Chain {
    pub fn new(settings: Settings) -> Self {
        let validators = parse(fixtures::HUB_2024_VALIDATORS_ALL)["validators"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let block_template = parse(fixtures::HUB_2025_BLOCKS_LATEST);
        let base_height = block_template["block"]["header"]["height"]
            .as_str()
            .and_then(|h| h.parse().ok())
            .unwrap_or(1);
        let mut node_info = parse(fixtures::HUB_2024_NODE_INFO);
        node_info["default_node_info"]["network"] = json!(settings.chain_id);
        let mut chain = Self {
            chain_id: settings.chain_id.clone(),
            account_prefix: "cosmos".into(),
            denom: "uatom".into(),
            valcons_prefix: "cosmosvalcons".into(),
            validators,
            signing_infos: Vec::new(),
            slashing_params: parse(fixtures::HUB_2024_SLASHING_PARAMS),
            staking_params: parse(fixtures::HUB_2024_STAKING_PARAMS),
            node_info,
            block_template,
            delegations: std::sync::OnceLock::new(),
            base_height,
            started: Instant::now(),
            started_at: Utc::now(),
            settings,
        };
        chain.signing_infos = chain.build_signing_infos();
        chain
    }

    /// The recorded signing infos, plus one for every validator the recording does not cover
    /// (the recording is only the first page). Those are synthesized: a small missed-blocks
    /// count drawn from the address hash for bonded validators, zero for the others.
    fn build_signing_infos(&self) -> Vec<Value> {
        let recorded = parse(fixtures::HUB_2024_SIGNING_INFOS_PAGE1)["info"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        self.with_signing_infos(recorded)
    }

    /// `infos` plus a synthesized signing info for every validator they do not cover, in store
    /// order. Called again when a validator's consensus key changes.
    pub fn with_signing_infos(&self, mut infos: Vec<Value>) -> Vec<Value> {
        for validator in &self.validators {
            let Some(cons) = self.consensus_address_of(validator) else {
                continue;
            };
            if infos.iter().any(|i| i["address"] == cons.as_str()) {
                continue;
            }
            let bonded = validator["status"] == "BOND_STATUS_BONDED";
            let hash = Sha256::digest(cons.as_bytes());
            let missed = if bonded { u64::from(hash[0] % 16) } else { 0 };
            infos.push(json!({
                "address": cons,
                "start_height": "0",
                "index_offset": (self.base_height / 2).to_string(),
                "jailed_until": "1970-01-01T00:00:00Z",
                "tombstoned": false,
                "missed_blocks_counter": missed.to_string(),
            }));
        }
        infos.sort_by_key(|i| address::store_key(i["address"].as_str().unwrap_or_default()));
        infos
    }

    pub fn consensus_address_of(&self, validator: &Value) -> Option<String> {
        let key = &validator["consensus_pubkey"];
        address::consensus_address(
            &self.valcons_prefix,
            key["@type"].as_str()?,
            key["key"].as_str()?,
        )
    }

    /// The staking pool, computed from the validators so that it always agrees with them.
    pub fn pool(&self) -> Value {
        let (mut bonded, mut not_bonded) = (0u128, 0u128);
        for v in &self.validators {
            let tokens: u128 = v["tokens"]
                .as_str()
                .and_then(|t| t.parse().ok())
                .unwrap_or(0);
            if v["status"] == "BOND_STATUS_BONDED" {
                bonded += tokens;
            } else {
                not_bonded += tokens;
            }
        }
        json!({ "pool": { "not_bonded_tokens": not_bonded.to_string(), "bonded_tokens": bonded.to_string() } })
    }

    pub fn supply(&self) -> u128 {
        self.settings.supply
    }

    pub fn latest_height(&self) -> u64 {
        let elapsed = self.started.elapsed().as_millis();
        let block_ms = self.settings.block_time.as_millis().max(1);
        self.base_height + (elapsed / block_ms) as u64
    }

    /// The delegations of a bonded validator (`None` for others), in store order.
    pub fn delegations_of(&self, operator: &str) -> Option<&Vec<Value>> {
        self.delegations
            .get_or_init(|| {
                crate::delegations::build(&self.validators, &self.account_prefix, &self.denom)
            })
            .get(operator)
    }

    /// A block at `height` (at most the latest), shaped like the recorded SDK 0.50 response.
    pub fn block(&self, height: u64) -> Value {
        let time = self.time_of(height);
        let mut block = self.block_template.clone();
        for header in ["block", "sdk_block"] {
            if block[header].is_object() {
                block[header]["header"]["height"] = json!(height.to_string());
                block[header]["header"]["time"] = json!(time);
                block[header]["header"]["chain_id"] = json!(self.chain_id);
            }
        }
        block
    }

    /// The time of the block at `height`, RFC 3339 as CometBFT prints it.
    pub fn time_of(&self, height: u64) -> String {
        let block_ms = self.settings.block_time.as_millis().max(1) as i64;
        let offset = height as i64 - self.base_height as i64;
        let time = self.started_at + ChronoDuration::milliseconds(offset * block_ms);
        time.to_rfc3339_opts(chrono::SecondsFormat::Nanos, true)
    }

    pub fn validator_index(&self, operator: &str) -> Option<usize> {
        self.validators
            .iter()
            .position(|v| v["operator_address"] == operator)
    }

    pub fn signing_info_index(&self, consensus: &str) -> Option<usize> {
        self.signing_infos
            .iter()
            .position(|i| i["address"] == consensus)
    }
}

fn parse(text: &str) -> Value {
    serde_json::from_str(text).expect("embedded fixtures are valid JSON")
}

/// Merges `patch` into `target`: objects key by key, anything else replaced.
pub fn merge(target: &mut Value, patch: &Value) {
    match (target, patch) {
        (Value::Object(target), Value::Object(patch)) => {
            for (key, value) in patch {
                merge(target.entry(key.clone()).or_insert(Value::Null), value);
            }
        }
        (target, patch) => *target = patch.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_validator_has_a_signing_info() {
        let chain = Chain::new(Settings::default());
        assert_eq!(chain.validators.len(), 547);
        for v in &chain.validators {
            let cons = chain.consensus_address_of(v).unwrap();
            assert!(
                chain.signing_info_index(&cons).is_some(),
                "no signing info for {cons}"
            );
        }
    }

    #[test]
    fn pool_agrees_with_validators() {
        let chain = Chain::new(Settings::default());
        assert_eq!(chain.pool()["pool"]["bonded_tokens"], "245795277076964");
    }

    #[test]
    fn blocks_advance_with_the_clock() {
        let chain = Chain::new(Settings {
            block_time: Duration::from_millis(10),
            ..Settings::default()
        });
        let first = chain.latest_height();
        std::thread::sleep(Duration::from_millis(50));
        assert!(chain.latest_height() >= first + 3);
    }

    #[test]
    fn merge_patches_nested_fields() {
        let mut v = json!({"a": {"b": 1, "c": 2}, "d": 3});
        merge(&mut v, &json!({"a": {"b": 5}, "d": "x"}));
        assert_eq!(v, json!({"a": {"b": 5, "c": 2}, "d": "x"}));
    }
}
