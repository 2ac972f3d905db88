//! Bech32 helpers: the store keys devchain paginates by, and consensus addresses of validators.

use base64::{engine::general_purpose::STANDARD as B64, Engine};
use bech32::{Bech32, Hrp};
use sha2::{Digest, Sha256};

/// The raw bytes behind a bech32 address, or None when it does not decode.
pub fn bytes_of(address: &str) -> Option<Vec<u8>> {
    bech32::decode(address).ok().map(|(_, data)| data)
}

/// Encodes bytes with a human-readable prefix.
pub fn encode(prefix: &str, bytes: &[u8]) -> String {
    let hrp = Hrp::parse(prefix).expect("prefixes used by devchain are valid");
    bech32::encode::<Bech32>(hrp, bytes).expect("20- or 32-byte payloads always encode")
}

/// The consensus address (`...valcons1...`) of a base64 consensus key of type `type_url`, as
/// CometBFT derives it: SHA-256 (first 20 bytes) for ed25519, RIPEMD-160 of SHA-256 for
/// secp256k1; none for other key types.
pub fn consensus_address(valcons_prefix: &str, type_url: &str, pubkey_b64: &str) -> Option<String> {
    let key = B64.decode(pubkey_b64).ok()?;
    let digest = Sha256::digest(&key);
    match type_url {
        "/cosmos.crypto.ed25519.PubKey" => Some(encode(valcons_prefix, &digest[..20])),
        "/cosmos.crypto.secp256k1.PubKey" => {
            Some(encode(valcons_prefix, &ripemd::Ripemd160::digest(digest)))
        }
        _ => None,
    }
}

/// The SDK's store key for an address: a length byte, then the address bytes. Lists are kept
/// and paginated in this order.
pub fn store_key(address: &str) -> Vec<u8> {
    let bytes = bytes_of(address).unwrap_or_default();
    let mut key = Vec::with_capacity(bytes.len() + 1);
    key.push(bytes.len() as u8);
    key.extend_from_slice(&bytes);
    key
}
