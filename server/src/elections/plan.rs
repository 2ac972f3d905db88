//! An election's plan ("block 0"): everything a ballot is cast under, fixed when the election is
//! prepared: its question and options, method and rules, the network and the power snapshot's
//! summary and Merkle root. Its canonical JSON (fields in alphabetical order, no white space) is
//! stored in the election row and archived as `plan.json`; its SHA-256 is the plan hash every
//! ballot signs. Voting times are not in it: an admin may extend the end of an open election.

use app::elections::model::{BallotMethod, PowerSource};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Plan {
    pub backend: String,
    pub bech32_prefix: String,
    /// No voter counts for more than this share of the eligible power (basis points).
    pub cap_bp: Option<u32>,
    pub chain_id: String,
    /// Markdown, as the admin wrote it.
    pub description: String,
    pub election: i64,
    pub method: BallotMethod,
    pub network: String,
    pub options: Vec<String>,
    pub power_source: PowerSource,
    pub question: String,
    pub quorum_bp: u32,
    /// The election row's revision the plan was built from.
    pub revision: i32,
    pub snapshot: SnapshotSummary,
    pub threshold_bp: Option<u32>,
    pub title: String,
}

/// The power snapshot in a few figures, and the root that commits to all of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SnapshotSummary {
    /// Base units.
    pub eligible_power: String,
    /// The block height the stake was read at (`stake` only).
    pub height: Option<i64>,
    /// Rows of `snapshot.csv`.
    pub holdings: u64,
    /// Hex RFC 6962 root over the rows of `snapshot.csv`.
    pub root: String,
    /// RFC 3339.
    pub taken_at: String,
    /// Distinct addresses that may vote.
    pub voters: u64,
}

impl Plan {
    pub fn canonical(&self) -> String {
        serde_json::to_string(self).expect("a plan serialises")
    }

    /// Hex SHA-256 of the canonical JSON.
    pub fn hash(&self) -> String {
        hex::encode(Sha256::digest(self.canonical().as_bytes()))
    }
}

impl Plan {
    /// The rules the count applies.
    pub fn rules(&self) -> super::tally::Rules {
        use app::elections::model::BasisPoints;
        super::tally::Rules {
            method: self.method,
            options: self.options.len(),
            quorum: BasisPoints(self.quorum_bp),
            threshold: self.threshold_bp.map(BasisPoints),
            cap: self.cap_bp.map(BasisPoints),
        }
    }

    /// What every ballot is checked against.
    pub fn terms<'a>(&'a self, plan_hash: &'a str) -> app::elections::ballots::PlanTerms<'a> {
        app::elections::ballots::PlanTerms {
            election: self.election,
            plan_hash,
            method: self.method,
            options: self.options.len(),
            bech32_prefix: &self.bech32_prefix,
        }
    }
}
