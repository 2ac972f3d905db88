//! Address derivations: operator → account address, consensus key → consensus address.

use base64::{engine::general_purpose::STANDARD as B64, Engine};
use bech32::{Bech32, Hrp};
use sha2::{Digest, Sha256};

const ED25519: &str = "/cosmos.crypto.ed25519.PubKey";
const SECP256K1: &str = "/cosmos.crypto.secp256k1.PubKey";

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum AddressError {
    #[error("{0:?} is not a bech32 address")]
    NotBech32(String),
    #[error("{address:?} has prefix {found:?}, expected {expected:?}")]
    WrongPrefix {
        address: String,
        found: String,
        expected: String,
    },
    #[error("{0:?} is not a valid bech32 prefix")]
    BadPrefix(String),
}

/// Decodes `address`, checking that its prefix is `expected_prefix`.
pub fn decode(address: &str, expected_prefix: &str) -> Result<Vec<u8>, AddressError> {
    let (hrp, data) =
        bech32::decode(address).map_err(|_| AddressError::NotBech32(address.to_string()))?;
    if hrp.as_str() != expected_prefix {
        return Err(AddressError::WrongPrefix {
            address: address.to_string(),
            found: hrp.to_string(),
            expected: expected_prefix.to_string(),
        });
    }
    Ok(data)
}

pub fn encode(prefix: &str, bytes: &[u8]) -> Result<String, AddressError> {
    let hrp = Hrp::parse(prefix).map_err(|_| AddressError::BadPrefix(prefix.to_string()))?;
    bech32::encode::<Bech32>(hrp, bytes).map_err(|_| AddressError::BadPrefix(prefix.to_string()))
}

/// Checks that a prefix can be used to encode addresses.
pub fn check_prefix(prefix: &str) -> Result<(), AddressError> {
    encode(prefix, &[0u8; 20]).map(|_| ())
}

/// The account address of a validator: its operator address bytes with the account prefix.
pub fn account_of_operator(
    operator: &str,
    valoper_prefix: &str,
    account_prefix: &str,
) -> Result<String, AddressError> {
    encode(account_prefix, &decode(operator, valoper_prefix)?)
}

/// The consensus address of a consensus key, as CometBFT derives it: for ed25519 (32 bytes) the
/// first 20 bytes of its SHA-256, for secp256k1 (33 bytes, compressed) the RIPEMD-160 of its
/// SHA-256. `None` for other key types and for keys of the wrong size.
pub fn consensus_of_pubkey(type_url: &str, key_b64: &str, valcons_prefix: &str) -> Option<String> {
    let key = B64.decode(key_b64).ok()?;
    let address: Vec<u8> = match (type_url, key.len()) {
        (ED25519, 32) => Sha256::digest(&key)[..20].to_vec(),
        (SECP256K1, 33) => ripemd::Ripemd160::digest(Sha256::digest(&key)).to_vec(),
        _ => return None,
    };
    encode(valcons_prefix, &address).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn account_address_of_a_hub_validator() {
        // Quokka Stake, from the recorded 2025 validator and its known account address.
        let account = account_of_operator(
            "cosmosvaloper1xqz9pemz5e5zycaa89kys5aw6m8rhgsvw4328e",
            "cosmosvaloper",
            "cosmos",
        )
        .unwrap();
        assert_eq!(account, "cosmos1xqz9pemz5e5zycaa89kys5aw6m8rhgsvtp9lt2");
    }

    #[test]
    fn consensus_address_matches_the_recorded_signing_info() {
        // Ubik Capital's consensus key and the address of its recorded signing info (2024 Hub set).
        let cons = consensus_of_pubkey(
            ED25519,
            "uEUR1gpesU4bnSWL2TOXOf3org2mCYhQHMYkiCJyMD4=",
            "cosmosvalcons",
        );
        assert_eq!(
            cons.as_deref(),
            Some("cosmosvalcons1p2a6xmz5m5x2dfus4muk5qw58yhrvdzltw4q4u")
        );
    }

    #[test]
    fn secp256k1_consensus_keys_match_cosmjs() {
        // Vector from cosmjs's pubkeyToAddress: testdata/consensus_address_vector.mjs.
        let cons = consensus_of_pubkey(
            SECP256K1,
            "Ak9OKtmcNNYLm6YoPJQxqEGK+GcyEpYfl6d7Y3f80Fti",
            "cosmosvalcons",
        );
        assert_eq!(
            cons.as_deref(),
            Some("cosmosvalcons19rl4cm2hmr8afy4kldpxz3fka4jguq0ad825l8")
        );
        let known = app::validators::model::KNOWN_KEY_TYPES;
        assert!(known.contains(&SECP256K1) && known.contains(&ED25519));
    }

    #[test]
    fn wrong_prefix_and_garbage_are_refused() {
        assert!(matches!(
            decode(
                "cosmos1xqz9pemz5e5zycaa89kys5aw6m8rhgsvtp9lt2",
                "cosmosvaloper"
            ),
            Err(AddressError::WrongPrefix { .. })
        ));
        assert!(matches!(
            decode("cosmosvaloper1xyz", "cosmosvaloper"),
            Err(AddressError::NotBech32(_))
        ));
        assert_eq!(consensus_of_pubkey(SECP256K1, "AAAA", "x"), None);
        assert_eq!(
            consensus_of_pubkey("/cosmos.crypto.bls12_381.PubKey", "AAAA", "x"),
            None
        );
        assert_eq!(
            consensus_of_pubkey(ED25519, "not base64!", "cosmosvalcons"),
            None
        );
    }
}
