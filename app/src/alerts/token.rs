//! Link tokens: 32 random bytes, URL-safe base64 in the link, only their SHA-256 in the database
//! (a leaked table gives no working link).

use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use rand::RngCore;
use sha2::{Digest, Sha256};

const TOKEN_BYTES: usize = 32;
/// Length of the base64 text of a token.
pub const TOKEN_LEN: usize = 43;

/// A new token: the text for the link, and the hash to store.
pub fn generate() -> (String, Vec<u8>) {
    let mut bytes = [0u8; TOKEN_BYTES];
    rand::rng().fill_bytes(&mut bytes);
    let text = URL_SAFE_NO_PAD.encode(bytes);
    let hash = digest(&text);
    (text, hash)
}

/// The stored hash of a token from a link; `None` when the text cannot be a token at all.
pub fn hash(text: &str) -> Option<Vec<u8>> {
    let text = text.trim();
    let well_formed = text.len() == TOKEN_LEN
        && URL_SAFE_NO_PAD
            .decode(text)
            .is_ok_and(|bytes| bytes.len() == TOKEN_BYTES);
    well_formed.then(|| digest(text))
}

fn digest(text: &str) -> Vec<u8> {
    Sha256::digest(text.as_bytes()).to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_hashes_to_what_was_stored() {
        let (text, stored) = generate();
        assert_eq!(text.len(), TOKEN_LEN);
        assert_eq!(hash(&text), Some(stored.clone()));
        let (other, _) = generate();
        assert_ne!(hash(&other), Some(stored));
    }

    #[test]
    fn malformed_or_tampered_tokens_do_not_hash() {
        let (text, stored) = generate();
        assert_eq!(hash(&text[..40]), None);
        assert_eq!(hash(&format!("{text}A")), None);
        assert_eq!(
            hash(&text.replace(|c: char| c.is_ascii_alphanumeric(), "!")),
            None
        );
        assert_eq!(hash(""), None);
        // One character changed still has the shape of a token, but not the stored hash.
        let mut tampered = text.clone().into_bytes();
        tampered[5] = if tampered[5] == b'A' { b'B' } else { b'A' };
        let tampered = String::from_utf8(tampered).unwrap();
        assert_ne!(hash(&tampered), Some(stored));
    }
}
