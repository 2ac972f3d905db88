//! A ballot as it is signed and sent. The voter signs, with ADR-036 (`signArbitrary` in Keplr
//! and Leap), the canonical JSON of [`BallotData`]: keys in alphabetical order, no white space,
//! e.g. `{"choice":[2],"election":7,"nonce":"k3J9…","plan_hash":"9f2c…","signed_at":"2026-12-08T10:00:00Z"}`.
//! The signed ballot sent to `POST /api/v1/elections/{id}/ballots` is [`SignedBallot`]: that
//! text, the signer's address, and Keplr's `{pub_key, signature}` answer as it is.

use super::choice::Choice;
use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};

/// What a voter signs. Fields in alphabetical order: serialised, they are the canonical form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BallotData {
    pub choice: Choice,
    /// The election's number.
    pub election: i64,
    /// 8 to 64 characters of A–Z, a–z, 0–9, `_` and `-`, new for each ballot: a ballot sent
    /// twice is refused.
    pub nonce: String,
    /// The election's plan hash (hex SHA-256), so a ballot counts only for the plan it saw.
    pub plan_hash: String,
    /// When it was signed, RFC 3339 in UTC to the second (`2026-12-08T10:00:00Z`).
    pub signed_at: String,
}

impl BallotData {
    pub fn new(
        election: i64,
        plan_hash: &str,
        choice: Choice,
        nonce: String,
        at: DateTime<Utc>,
    ) -> Self {
        Self {
            choice,
            election,
            nonce,
            plan_hash: plan_hash.to_string(),
            signed_at: at.to_rfc3339_opts(SecondsFormat::Secs, true),
        }
    }

    /// The exact text a wallet signs.
    pub fn canonical(&self) -> String {
        serde_json::to_string(self).expect("ballot data serialises")
    }

    /// Reads signed text, which must already be canonical: what is checked is exactly what
    /// was signed.
    pub fn parse_signed(text: &str) -> Result<Self, String> {
        let data: BallotData = serde_json::from_str(text)
            .map_err(|e| format!("the signed data is not a ballot: {e}"))?;
        let canonical = data.canonical();
        if canonical != text {
            return Err(format!(
                "the signed data is not in canonical form (keys in alphabetical order, no spaces): sign {canonical}"
            ));
        }
        if !(8..=64).contains(&data.nonce.len())
            || !data
                .nonce
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        {
            return Err("the nonce must be 8 to 64 characters of letters, digits, _ and -".into());
        }
        if data.plan_hash.len() != 64
            || !data
                .plan_hash
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        {
            return Err("plan_hash must be 64 lower-case hex digits".into());
        }
        data.signed_time()?;
        Ok(data)
    }

    pub fn signed_time(&self) -> Result<DateTime<Utc>, String> {
        DateTime::parse_from_rfc3339(&self.signed_at)
            .map(|t| t.with_timezone(&Utc))
            .map_err(|_| format!("signed_at {:?} is not an RFC 3339 time", self.signed_at))
    }
}

/// A public key as Keplr's `signArbitrary` returns it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PubKey {
    /// `tendermint/PubKeySecp256k1`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Base64 of the 33-byte compressed key.
    pub value: String,
}

pub const SECP256K1_PUBKEY_TYPE: &str = "tendermint/PubKeySecp256k1";

/// A signed ballot as sent. Fields in alphabetical order: serialised, they are the canonical
/// form whose SHA-256 is the ballot hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SignedBallot {
    /// The canonical [`BallotData`] text that was signed.
    pub data: String,
    pub pub_key: PubKey,
    /// Base64 of the 64-byte signature (r ‖ s).
    pub signature: String,
    /// The voter's account address (bech32).
    pub signer: String,
}

impl SignedBallot {
    pub fn canonical(&self) -> String {
        serde_json::to_string(self).expect("a signed ballot serialises")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_canonical_text_is_taken() {
        let data = BallotData::new(
            7,
            &"ab".repeat(32),
            Choice::Options(vec![2]),
            "nonce-123".into(),
            DateTime::from_timestamp(1_765_188_000, 0).unwrap(),
        );
        let text = data.canonical();
        assert_eq!(
            text,
            format!(
                r#"{{"choice":[2],"election":7,"nonce":"nonce-123","plan_hash":"{}","signed_at":"2025-12-08T10:00:00Z"}}"#,
                "ab".repeat(32)
            )
        );
        assert_eq!(BallotData::parse_signed(&text), Ok(data));
        let spaced = text.replace(",\"election\"", ", \"election\"");
        assert!(BallotData::parse_signed(&spaced)
            .unwrap_err()
            .contains("canonical"));
        let reordered = text.replace(
            r#""choice":[2],"election":7"#,
            r#""election":7,"choice":[2]"#,
        );
        assert!(BallotData::parse_signed(&reordered)
            .unwrap_err()
            .contains("canonical"));
        let short_nonce = text.replace("nonce-123", "n");
        assert!(BallotData::parse_signed(&short_nonce)
            .unwrap_err()
            .contains("nonce"));
        let upper = text.replace(&"ab".repeat(32), &"AB".repeat(32));
        assert!(BallotData::parse_signed(&upper)
            .unwrap_err()
            .contains("plan_hash"));
        assert!(BallotData::parse_signed(r#"{"election":7}"#)
            .unwrap_err()
            .contains("not a ballot"));
    }
}
