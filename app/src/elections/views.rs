//! What the election pages and the JSON API show.

use super::model::{BallotMethod, BasisPoints, ElectionResults, ElectionState, PowerSource};
use crate::networks::model::NetworkInfo;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// One election in a list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ElectionSummary {
    pub id: i64,
    pub network: String,
    pub network_name: String,
    pub title: String,
    pub state: ElectionState,
    pub method: BallotMethod,
    pub power_source: PowerSource,
    pub voting_start: DateTime<Utc>,
    pub voting_end: DateTime<Utc>,
    /// Ballots received (every ballot, changed votes included).
    pub ballots: i64,
    /// participating / eligible power, once a tally was made public.
    pub turnout: Option<f64>,
}

/// `/elections`: the open and upcoming elections, then the closed ones a page at a time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ElectionList {
    pub networks: Vec<NetworkInfo>,
    /// `None`: every network.
    pub network: Option<String>,
    pub open: Vec<ElectionSummary>,
    pub upcoming: Vec<ElectionSummary>,
    /// Closed, cancelled and failed, newest first.
    pub past: Vec<ElectionSummary>,
    /// The `after` of the next page of past elections.
    pub next: Option<String>,
    pub now: DateTime<Utc>,
}

/// The rules of an election, as its page states them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ElectionRules {
    pub method: BallotMethod,
    pub power_source: PowerSource,
    /// `stake`: the height delegations are read at (set when prepared, when not pinned).
    pub snapshot_height: Option<i64>,
    pub quorum: BasisPoints,
    pub threshold: Option<BasisPoints>,
    pub cap: Option<BasisPoints>,
    pub live_tally_public: bool,
}

/// What makes the count checkable: the plan hash ballots sign, and the Merkle roots.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ElectionCommitments {
    /// Hex SHA-256 of the plan ("block 0"); set once prepared.
    pub plan_hash: Option<String>,
    /// RFC 6962 root over `snapshot.csv`.
    pub snapshot_root: Option<String>,
    /// Base units of the snapshot's power.
    pub eligible_power: Option<String>,
    pub eligible_voters: Option<i64>,
    /// The ballot ledger: ballots received and the chain hash after the last.
    pub ballots: i64,
    pub chain_head: Option<String>,
    /// RFC 6962 root over the counted ballots' hashes; set at close.
    pub ballots_root: Option<String>,
}

/// `/elections/{id}` and `GET /api/v1/elections/{id}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ElectionDetail {
    pub id: i64,
    pub network: NetworkInfo,
    pub title: String,
    /// The description rendered from markdown and sanitised.
    pub description_html: String,
    pub question: String,
    /// Numbered from 1 in this order.
    pub options: Vec<String>,
    pub rules: ElectionRules,
    pub state: ElectionState,
    /// Why it failed (`failed` only).
    pub failure: Option<String>,
    pub voting_start: DateTime<Utc>,
    pub voting_end: DateTime<Utc>,
    pub commitments: ElectionCommitments,
    /// The final results once closed; while open, the live tally when it is public.
    pub tally: Option<ElectionResults>,
    /// Whether `tally` is final.
    pub tally_final: bool,
    pub tally_at: Option<DateTime<Utc>>,
    pub now: DateTime<Utc>,
}

impl ElectionDetail {
    /// Whether ballots are taken now.
    pub fn accepts_ballots(&self) -> bool {
        self.state == ElectionState::Open && self.now < self.voting_end
    }
}

/// Where a ballot stands: what `GET /api/v1/elections/{id}/receipts/{ballot_hash}` answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Receipt {
    pub election: i64,
    pub ballot_hash: String,
    /// 1-based place in the ballot ledger.
    pub position: i64,
    /// The ledger's chain hash after this ballot.
    pub chain_hash: String,
    pub voter: String,
    pub received_at: DateTime<Utc>,
    /// The choice in words, with the options' labels.
    pub choice: String,
    pub status: ReceiptStatus,
    /// The voter's later ballot that replaces this one (`superseded`).
    pub superseded_by: Option<String>,
    /// The proof that the ballot is in the counted ballots' root (`counted`).
    pub proof: Option<InclusionProof>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ReceiptStatus {
    /// Voting is open and this is the voter's latest ballot: it will count unless replaced.
    Recorded,
    /// The voter sent a later ballot; only the last one counts.
    Superseded,
    /// The election closed and this ballot was counted.
    Counted,
    /// The election was cancelled or failed before a count.
    NotCounted,
}

/// An RFC 6962 audit path: `leaf_hash` = SHA-256(0x00 ‖ ballot hash bytes) is leaf
/// `leaf_index` (0-based) of the `tree_size` counted ballots (in ledger order) under `root`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct InclusionProof {
    pub leaf_index: u64,
    pub tree_size: u64,
    pub leaf_hash: String,
    /// Sibling hashes, nearest first (hex).
    pub path: Vec<String>,
    pub root: String,
}

/// What a refused admin form left for the page it returns to: the reason, each field's
/// problem, and what was typed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Flash {
    /// A sentence for the top of the page (a refusal, or what was done).
    pub message: String,
    /// Whether `message` reports success.
    pub ok: bool,
    pub fields: Vec<super::form::FieldError>,
    pub draft: Option<super::form::ElectionDraft>,
}

impl Flash {
    /// The problem of one field, if any.
    pub fn field(&self, name: &str) -> Option<String> {
        let messages: Vec<&str> = self
            .fields
            .iter()
            .filter(|f| f.field == name)
            .map(|f| f.message.as_str())
            .collect();
        (!messages.is_empty()).then(|| messages.join("; "))
    }
}

/// `/admin/elections`: every election, newest first, a page at a time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdminElectionList {
    pub admin: crate::admin::model::AdminIdentity,
    pub elections: Vec<ElectionSummary>,
    pub next: Option<String>,
    pub flash: Option<Flash>,
}

/// `/admin/elections/new` and `/admin/elections/{id}`: the form (filled in), and for an
/// existing election its state, commitments, allowlist and what may be done to it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdminElection {
    pub admin: crate::admin::model::AdminIdentity,
    pub networks: Vec<NetworkInfo>,
    /// `None` for a new election.
    pub election: Option<ElectionDetail>,
    pub draft: super::form::ElectionDraft,
    /// Voters on the allowlist and their total weight (`allowlist` elections).
    pub allowlist: Option<(i64, String)>,
    pub revision: i32,
    pub open_requested: bool,
    /// The worker's last problem with this election (it retries).
    pub last_error: Option<String>,
    pub flash: Option<Flash>,
}

/// A page of `GET /api/v1/elections`, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ElectionPage {
    pub elections: Vec<ElectionSummary>,
    /// The `after` of the next page; absent on the last.
    pub next: Option<String>,
}
