//! Delegations of the recorded validator set. No recording holds them (the Hub has over a
//! million), so they are made up, deterministically, from the recorded set: every bonded
//! validator has a self-delegation (1 % of its tokens, from its own account) and between 20 and
//! 120 delegators drawn from a pool of [`STAKERS`] accounts (so many delegators stake with
//! several validators), whose amounts add up to the validator's tokens. The first
//! [`STAKERS_WITH_KEYS`] stakers have secp256k1 keys anyone can derive ([`staker_key`]), so
//! tests can sign as a delegator; each of them delegates to two of the largest validators.
//! The others' addresses are hashes with no known key. Every height answers the same
//! delegations.

use crate::address;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

/// Accounts delegators are drawn from.
pub const STAKERS: u64 = 10_000;
/// Stakers whose private keys are known ([`staker_key`]).
pub const STAKERS_WITH_KEYS: u64 = 16;

fn hash(text: &str) -> [u8; 32] {
    Sha256::digest(text.as_bytes()).into()
}

fn number(text: &str) -> u64 {
    u64::from_be_bytes(hash(text)[..8].try_into().expect("8 bytes"))
}

/// The private key of staker `n` (below [`STAKERS_WITH_KEYS`]): SHA-256 of `devchain-staker-{n}`.
pub fn staker_key(n: u64) -> k256::ecdsa::SigningKey {
    k256::ecdsa::SigningKey::from_slice(&hash(&format!("devchain-staker-{n}")))
        .expect("a SHA-256 digest is a valid secp256k1 scalar")
}

/// The account address of staker `n` under `prefix`.
pub fn staker_address(prefix: &str, n: u64) -> String {
    let bytes: Vec<u8> = if n < STAKERS_WITH_KEYS {
        let key = staker_key(n).verifying_key().to_encoded_point(true);
        ripemd::Ripemd160::digest(Sha256::digest(key.as_bytes())).to_vec()
    } else {
        hash(&format!("devchain-staker-address-{n}"))[..20].to_vec()
    };
    address::encode(prefix, &bytes)
}

/// Every bonded validator's delegations, as the SDK lists them (`delegation_responses`
/// items), keyed by operator address and sorted by delegator store key.
pub fn build(
    validators: &[Value],
    account_prefix: &str,
    denom: &str,
) -> std::collections::HashMap<String, Vec<Value>> {
    let mut bonded: Vec<(&str, u128)> = validators
        .iter()
        .filter(|v| v["status"] == "BOND_STATUS_BONDED")
        .filter_map(|v| {
            Some((
                v["operator_address"].as_str()?,
                v["tokens"].as_str()?.parse().ok()?,
            ))
        })
        .collect();
    bonded.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let mut all = std::collections::HashMap::new();
    for (rank, (operator, tokens)) in bonded.iter().enumerate() {
        let account = address::encode(
            account_prefix,
            &address::bytes_of(operator).unwrap_or_default(),
        );
        let mut rows: Vec<(String, u128)> = vec![(account, tokens / 100)];
        // The stakers with keys: staker k delegates to the validators ranked k % 8 and 8 + k % 8.
        let keyed: Vec<u64> = (0..STAKERS_WITH_KEYS)
            .filter(|k| (k % 8) as usize == rank || 8 + (k % 8) as usize == rank)
            .collect();
        for k in &keyed {
            rows.push((
                staker_address(account_prefix, *k),
                1_000_000 * (*k as u128 + 1),
            ));
        }
        let count = 20 + number(&format!("{operator}-delegators")) % 101;
        let fixed: u128 = rows.iter().map(|r| r.1).sum();
        let rest = tokens.saturating_sub(fixed);
        let weights: Vec<u128> = (0..count)
            .map(|j| 1 + u128::from(number(&format!("{operator}-{j}-weight")) % 1000))
            .collect();
        let total_weight: u128 = weights.iter().sum();
        let mut given = 0u128;
        for (j, weight) in weights.iter().enumerate() {
            let staker = STAKERS_WITH_KEYS
                + number(&format!("{operator}-{j}-staker")) % (STAKERS - STAKERS_WITH_KEYS);
            let amount = if j as u64 + 1 == count {
                rest - given
            } else {
                rest * weight / total_weight
            };
            given += amount;
            let delegator = staker_address(account_prefix, staker);
            match rows.iter_mut().find(|r| r.0 == delegator) {
                Some(row) => row.1 += amount,
                None => rows.push((delegator, amount)),
            }
        }
        rows.retain(|r| r.1 > 0);
        rows.sort_by_key(|r| address::store_key(&r.0));
        let responses = rows
            .into_iter()
            .map(|(delegator, amount)| {
                json!({
                    "delegation": {
                        "delegator_address": delegator,
                        "validator_address": operator,
                        "shares": format!("{amount}.000000000000000000"),
                    },
                    "balance": { "denom": denom, "amount": amount.to_string() },
                })
            })
            .collect();
        all.insert(operator.to_string(), responses);
    }
    all
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delegations_add_up_to_each_validators_tokens_and_keyed_stakers_delegate() {
        let validators: Vec<Value> =
            serde_json::from_str::<Value>(crate::fixtures::HUB_2024_VALIDATORS_ALL).unwrap()
                ["validators"]
                .as_array()
                .unwrap()
                .clone();
        let all = build(&validators, "cosmos", "uatom");
        let bonded = validators
            .iter()
            .filter(|v| v["status"] == "BOND_STATUS_BONDED")
            .count();
        assert_eq!(all.len(), bonded);
        for v in validators
            .iter()
            .filter(|v| v["status"] == "BOND_STATUS_BONDED")
        {
            let sum: u128 = all[v["operator_address"].as_str().unwrap()]
                .iter()
                .map(|d| {
                    d["balance"]["amount"]
                        .as_str()
                        .unwrap()
                        .parse::<u128>()
                        .unwrap()
                })
                .sum();
            assert_eq!(sum.to_string(), v["tokens"].as_str().unwrap());
        }
        let staker = staker_address("cosmos", 3);
        let with_staker = all
            .values()
            .filter(|ds| {
                ds.iter()
                    .any(|d| d["delegation"]["delegator_address"] == staker.as_str())
            })
            .count();
        assert_eq!(with_staker, 2);
        let first_bonded = all.keys().min().unwrap();
        assert_eq!(
            build(&validators, "cosmos", "uatom")[first_bonded],
            all[first_bonded],
            "deterministic"
        );
    }
}
