//! A proof-of-work captcha in the manner of ALTCHA: the server hands out a challenge, the
//! SHA-256 of a salt followed by a secret number, signed with an HMAC, and the browser finds the
//! number by trying them in turn. The salt carries its expiry; the signature makes challenges
//! impossible to forge, and the server accepts each solution once.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

pub const ALGORITHM: &str = "SHA-256";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Challenge {
    pub algorithm: String,
    /// Hex SHA-256 of `salt` followed by the secret number in decimal.
    pub challenge: String,
    pub maxnumber: u64,
    /// Random hex, then `?expires=` and the Unix time after which the challenge is refused.
    pub salt: String,
    /// Hex HMAC-SHA-256 of `challenge` under the server's key.
    pub signature: String,
}

/// What the browser sends back: the challenge with the number it found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Solution {
    pub algorithm: String,
    pub challenge: String,
    pub number: u64,
    pub salt: String,
    pub signature: String,
}

pub fn hash_hex(salt: &str, number: u64) -> String {
    let mut hasher = Sha256::new();
    hasher.update(salt.as_bytes());
    hasher.update(number.to_string().as_bytes());
    hex::encode(hasher.finalize())
}

/// Tries the numbers in `from..to` (capped at the challenge's maximum); the one that matches.
pub fn solve_range(challenge: &Challenge, from: u64, to: u64) -> Option<u64> {
    let Ok(target) = hex::decode(&challenge.challenge) else {
        return None;
    };
    let prefix = Sha256::new_with_prefix(challenge.salt.as_bytes());
    let mut digits = itoa_buffer();
    (from..to.min(challenge.maxnumber.saturating_add(1))).find(|n| {
        let mut hasher = prefix.clone();
        hasher.update(format_number(*n, &mut digits));
        hasher.finalize().as_slice() == target.as_slice()
    })
}

fn itoa_buffer() -> [u8; 20] {
    [0; 20]
}

fn format_number(mut n: u64, buf: &mut [u8; 20]) -> &[u8] {
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            return &buf[i..];
        }
    }
}

impl Solution {
    pub fn of(challenge: &Challenge, number: u64) -> Self {
        Self {
            algorithm: challenge.algorithm.clone(),
            challenge: challenge.challenge.clone(),
            number,
            salt: challenge.salt.clone(),
            signature: challenge.signature.clone(),
        }
    }

    /// The form field's value: base64 of the JSON, as ALTCHA sends it.
    pub fn encode(&self) -> String {
        use base64::Engine;
        let json = serde_json::to_vec(self).unwrap_or_default();
        base64::engine::general_purpose::STANDARD.encode(json)
    }
}

#[cfg(feature = "ssr")]
pub mod server {
    //! Issuing and verifying challenges; the key never leaves the server.

    use super::*;
    use base64::Engine;
    use hmac::{Hmac, Mac};

    type HmacSha256 = Hmac<Sha256>;

    /// Base64 JSON of a solution is far shorter than this; longer input is refused unread.
    pub const MAX_PAYLOAD_LEN: usize = 1024;

    #[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
    pub enum CaptchaProblem {
        #[error("the proof-of-work check is missing; let the page finish it before sending")]
        Missing,
        #[error("the proof-of-work answer is malformed")]
        Malformed,
        #[error("the proof-of-work challenge was not issued by this faucet")]
        Forged,
        #[error("the proof-of-work answer is wrong")]
        Wrong,
        #[error("the proof-of-work challenge has expired; the page fetches a new one, try again")]
        Expired,
        #[error(
            "this proof-of-work answer was already used; the page fetches a new one, try again"
        )]
        Reused,
    }

    fn sign(key: &[u8], challenge: &str) -> String {
        let mut mac = HmacSha256::new_from_slice(key).expect("HMAC takes keys of any length");
        mac.update(challenge.as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }

    /// A new challenge whose number is drawn from `0..=max_number`, valid until `expires`.
    pub fn issue(key: &[u8], max_number: u64, expires: i64) -> Challenge {
        use rand::Rng;
        let mut rng = rand::rng();
        let nonce: [u8; 12] = rng.random();
        let salt = format!("{}?expires={expires}", hex::encode(nonce));
        let number = rng.random_range(0..=max_number);
        let challenge = hash_hex(&salt, number);
        Challenge {
            algorithm: ALGORITHM.into(),
            signature: sign(key, &challenge),
            challenge,
            maxnumber: max_number,
            salt,
        }
    }

    /// Checks a solution's signature, work and expiry (not whether it was used: that is a row
    /// in Postgres). Returns the challenge, the key under which it is marked used, and its expiry.
    pub fn verify(key: &[u8], payload: &str, now: i64) -> Result<(String, i64), CaptchaProblem> {
        let payload = payload.trim();
        if payload.is_empty() {
            return Err(CaptchaProblem::Missing);
        }
        if payload.len() > MAX_PAYLOAD_LEN {
            return Err(CaptchaProblem::Malformed);
        }
        let json = base64::engine::general_purpose::STANDARD
            .decode(payload)
            .map_err(|_| CaptchaProblem::Malformed)?;
        let solution: Solution =
            serde_json::from_slice(&json).map_err(|_| CaptchaProblem::Malformed)?;
        if solution.algorithm != ALGORITHM {
            return Err(CaptchaProblem::Malformed);
        }
        let mut mac = HmacSha256::new_from_slice(key).expect("HMAC takes keys of any length");
        mac.update(solution.challenge.as_bytes());
        let given = hex::decode(&solution.signature).map_err(|_| CaptchaProblem::Forged)?;
        if mac.verify_slice(&given).is_err() {
            return Err(CaptchaProblem::Forged);
        }
        if hash_hex(&solution.salt, solution.number) != solution.challenge {
            return Err(CaptchaProblem::Wrong);
        }
        let expires: i64 = solution
            .salt
            .split_once("?expires=")
            .and_then(|(_, t)| t.parse().ok())
            .ok_or(CaptchaProblem::Malformed)?;
        if now > expires {
            return Err(CaptchaProblem::Expired);
        }
        Ok((solution.challenge, expires))
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        const KEY: &[u8] = b"test key";

        fn solved(challenge: &Challenge) -> String {
            let n = solve_range(challenge, 0, u64::MAX).expect("a solution exists");
            Solution::of(challenge, n).encode()
        }

        #[test]
        fn a_solved_challenge_verifies() {
            let challenge = issue(KEY, 2_000, 1_000);
            let (id, expires) = verify(KEY, &solved(&challenge), 999).unwrap();
            assert_eq!(id, challenge.challenge);
            assert_eq!(expires, 1_000);
        }

        #[test]
        fn an_expired_challenge_is_refused() {
            let challenge = issue(KEY, 100, 1_000);
            assert_eq!(
                verify(KEY, &solved(&challenge), 1_001),
                Err(CaptchaProblem::Expired)
            );
        }

        #[test]
        fn a_wrong_number_or_another_key_is_refused() {
            let challenge = issue(KEY, 100, 1_000);
            let right = solve_range(&challenge, 0, 101).unwrap();
            let wrong = Solution::of(&challenge, right + 1).encode();
            assert_eq!(verify(KEY, &wrong, 0), Err(CaptchaProblem::Wrong));
            assert_eq!(
                verify(b"another key", &solved(&challenge), 0),
                Err(CaptchaProblem::Forged)
            );
        }

        #[test]
        fn a_longer_expiry_in_the_salt_breaks_the_work() {
            // Moving the expiry changes the salt, so the hash no longer matches the signed one.
            let challenge = issue(KEY, 100, 1_000);
            let n = solve_range(&challenge, 0, 101).unwrap();
            let mut solution = Solution::of(&challenge, n);
            solution.salt = solution.salt.replace("expires=1000", "expires=9999");
            assert_eq!(
                verify(KEY, &solution.encode(), 5_000),
                Err(CaptchaProblem::Wrong)
            );
        }

        #[test]
        fn missing_and_garbage_payloads_are_refused() {
            assert_eq!(verify(KEY, "", 0), Err(CaptchaProblem::Missing));
            assert_eq!(
                verify(KEY, "not base64!", 0),
                Err(CaptchaProblem::Malformed)
            );
            assert_eq!(
                verify(KEY, &"A".repeat(5000), 0),
                Err(CaptchaProblem::Malformed)
            );
            let not_json = base64::engine::general_purpose::STANDARD.encode("{}");
            assert_eq!(verify(KEY, &not_json, 0), Err(CaptchaProblem::Malformed));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_hashed_as_decimal_text() {
        // SHA-256("salt42"), computed independently with sha256sum.
        assert_eq!(
            hash_hex("salt", 42),
            "ba5bf48c9d94fef61432ae21b346d1307be9476c9c8e98d111366abbb69d45cd"
        );
        let mut buf = itoa_buffer();
        assert_eq!(format_number(0, &mut buf), b"0");
        assert_eq!(format_number(1_234_567, &mut buf), b"1234567");
    }
}
