//! What the faucet pages and the JSON API show.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum ClaimStatus {
    /// Queued, not yet in a transaction.
    Pending,
    /// In a broadcast transaction, waiting for its block.
    Broadcast,
    /// Paid: the transaction is in a block.
    Confirmed,
    /// Given up on; `error` says why.
    Failed,
}

impl ClaimStatus {
    pub fn parse(text: &str) -> Self {
        match text {
            "broadcast" => Self::Broadcast,
            "confirmed" => Self::Confirmed,
            "failed" => Self::Failed,
            _ => Self::Pending,
        }
    }

    pub fn is_final(self) -> bool {
        matches!(self, Self::Confirmed | Self::Failed)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Broadcast => "broadcast",
            Self::Confirmed => "confirmed",
            Self::Failed => "failed",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ClaimView {
    pub id: i64,
    pub network: String,
    pub address: String,
    /// In base units.
    pub amount: String,
    pub denom: String,
    /// For people: "10 ATOM".
    pub amount_display: String,
    pub status: ClaimStatus,
    pub tx_hash: Option<String>,
    pub height: Option<i64>,
    pub error: Option<String>,
    pub attempts: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Claims queued before this one, while it is pending.
    #[serde(default)]
    pub queue_position: Option<i64>,
}

/// A page of a faucet's claims, newest first
/// (`GET /api/v1/networks/{network}/faucet/claims`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ClaimList {
    pub claims: Vec<ClaimView>,
    /// The `after` of the next (older) page; absent on the last.
    pub next: Option<String>,
}

/// Where a page of claims starts: after the claim with this number (newest first).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClaimKey(pub i64);

impl crate::paging::PageKey for ClaimKey {
    fn encode(&self) -> String {
        self.0.to_string()
    }

    fn decode(text: &str) -> Option<Self> {
        crate::paging::parse_number(text).map(ClaimKey)
    }
}

/// A faucet as its page shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct FaucetView {
    pub network: String,
    pub network_name: String,
    pub prefix: String,
    /// None when no key is configured.
    pub address: Option<String>,
    pub balance_display: Option<String>,
    pub balance_checked_at: Option<DateTime<Utc>>,
    pub status_error: Option<String>,
    pub amount_display: String,
    pub cooldown_hours: i64,
    pub ip_claims_per_day: i64,
    pub queue: i64,
    pub recent: Vec<ClaimView>,
    /// Why claims are refused right now, if they are.
    pub closed_reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct FaucetNetwork {
    pub slug: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct FaucetPageData {
    pub networks: Vec<FaucetNetwork>,
    pub faucet: Option<FaucetView>,
}

/// Formats base units with the display denom: 10_000_000 uatom at exponent 6 → "10 ATOM".
pub fn format_amount(base: u128, exponent: u32, display: &str) -> String {
    let scale = 10u128.pow(exponent);
    let whole = base / scale;
    let frac = base % scale;
    let whole = crate::ui::format::group_digits(&whole.to_string());
    if frac == 0 {
        format!("{whole} {display}")
    } else {
        let frac = format!("{frac:0width$}", width = exponent as usize);
        format!("{whole}.{} {display}", frac.trim_end_matches('0'))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_shown_in_display_units() {
        assert_eq!(format_amount(10_000_000, 6, "ATOM"), "10 ATOM");
        assert_eq!(
            format_amount(1_234_567_890_000, 6, "ATOM"),
            "1,234,567.89 ATOM"
        );
        assert_eq!(format_amount(5, 6, "ATOM"), "0.000005 ATOM");
    }
}
