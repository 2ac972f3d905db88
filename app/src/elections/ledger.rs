//! The ballot ledger: every accepted ballot, in the order received, each linked to the one
//! before. A ballot's hash is the SHA-256 of its canonical signed JSON; the chain hash at a
//! position is SHA-256(previous chain hash ‖ ballot hash) (raw 32-byte values), starting from
//! the plan hash. A receipt (ballot hash, position, chain hash) therefore commits to every
//! ballot before it, and the chain head to all of them.

use sha2::{Digest, Sha256};

/// Hex SHA-256 of a signed ballot's canonical JSON.
pub fn ballot_hash(canonical: &str) -> String {
    hex::encode(Sha256::digest(canonical.as_bytes()))
}

/// The chain hash after `ballot_hash`, following `previous` (hex; the plan hash for the first).
pub fn next(previous: &str, ballot_hash: &str) -> String {
    let mut h = Sha256::new();
    h.update(hex::decode(previous).unwrap_or_default());
    h.update(hex::decode(ballot_hash).unwrap_or_default());
    hex::encode(h.finalize())
}

/// Whether `text` is a hex SHA-256 as ledgers write them (64 lower-case hex digits).
pub fn is_hash(text: &str) -> bool {
    text.len() == 64
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_link_depends_on_the_one_before() {
        let plan = "00".repeat(32);
        let a = ballot_hash("{\"data\":\"a\"}");
        let b = ballot_hash("{\"data\":\"b\"}");
        let one = next(&plan, &a);
        assert_ne!(next(&one, &b), next(&next(&plan, &b), &b));
        assert!(is_hash(&one) && !is_hash("XYZ") && !is_hash(&one.to_uppercase()));
        // SHA-256 of 64 zero bytes: the chain of an all-zero plan and an all-zero ballot.
        assert_eq!(
            next(&plan, &"00".repeat(32)),
            "f5a5fd42d16a20302798ef6ed309979b43003d2320d9f0e8ea9831a92759fb4b"
        );
    }
}
