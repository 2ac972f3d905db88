//! Proposals, tallies and votes as pages and the JSON API show them.

use super::{
    ballot::Ballot,
    status::ProposalStatus,
    tally::{Judgement, Tally, TallyRules},
};
use crate::{
    coin::Coin,
    networks::model::NetworkInfo,
    paging::{self, PageKey},
    system::model::Freshness,
};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A proposal's row in the list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ProposalSummary {
    pub id: i64,
    pub title: String,
    pub status: ProposalStatus,
    pub expedited: bool,
    pub submit_time: Option<DateTime<Utc>>,
    pub voting_start_time: Option<DateTime<Utc>>,
    pub voting_end_time: Option<DateTime<Utc>>,
    /// The live tally while voting, the final one after, in display units.
    pub tally: Tally<f64>,
    /// Voted power over the bonded stake (at the end, or now while voting), when known.
    pub turnout: Option<f64>,
    pub spam_reasons: Vec<String>,
}

impl ProposalSummary {
    /// Still reported as voting after its voting end: the chain has not tallied it yet (it does
    /// at the first block after the end), or the data here is older than that.
    pub fn awaiting_tally(&self) -> bool {
        self.status.is_voting()
            && self
                .voting_end_time
                .is_some_and(|end| end <= chrono::Utc::now())
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ProposalCounts {
    pub voting: usize,
    pub deposit: usize,
    pub passed: usize,
    pub rejected: usize,
    pub failed: usize,
    pub all: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProposalList {
    pub network: NetworkInfo,
    pub networks: Vec<NetworkInfo>,
    pub freshness: Freshness,
    pub counts: ProposalCounts,
    pub total: usize,
    pub proposals: Vec<ProposalSummary>,
    /// The `after` of the next page, when the list was asked for a page.
    pub next: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MessageSummary {
    pub type_url: String,
    pub summary: String,
}

/// How much of a proposal's votes Stakeboard saw.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Recording {
    /// Not voting yet.
    NotStarted,
    /// Voting now; votes are being recorded.
    Live,
    /// Seen voting and ending: the record and the validator snapshot are complete.
    Complete,
    /// Voting ended before Stakeboard followed the network: the chain had pruned the votes.
    Missed,
}

/// The tally with what it is judged against.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TallyView {
    pub figures: Tally<f64>,
    /// The bonded stake the turnout and quorum are measured against, in display units.
    pub bonded: Option<f64>,
    pub rules: Option<TallyRules>,
    pub judgement: Option<Judgement>,
    pub live: bool,
    pub as_of: Option<DateTime<Utc>>,
}

/// A vote, its first sighting and every change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct VoteRecord {
    pub ballot: Ballot,
    pub first_seen_at: DateTime<Utc>,
    pub changed_at: DateTime<Utc>,
    /// Every ballot seen, oldest first (the last is the current one).
    pub history: Vec<(DateTime<Utc>, Ballot)>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ValidatorVote {
    pub operator_address: String,
    pub account_address: String,
    pub moniker: String,
    pub rank: i32,
    /// Voting power in display units (at the end, or now while voting).
    pub power: f64,
    pub vote: Option<VoteRecord>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct VoterCounts {
    pub voters: i64,
    pub validators_voted: usize,
    pub validators: usize,
    /// Voters that are not validators (delegators voting themselves).
    pub others: i64,
    /// Every voter (validators and others) by the option of their current ballot.
    pub by_option: OptionCounts,
}

/// How many voters' current ballot is each option (a count of accounts, not of voting power);
/// a split ballot counts once, under `weighted`. Kept on the proposal by the votes worker.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct OptionCounts {
    pub yes: i64,
    pub abstain: i64,
    pub no: i64,
    pub no_with_veto: i64,
    pub weighted: i64,
}

impl OptionCounts {
    /// Adds `n` (negative to remove) voters filed as `kind`, a [`Ballot::kind`]: `yes`, `no`,
    /// `abstain`, `no_with_veto` or `weighted`. Another kind changes nothing.
    pub fn add(&mut self, kind: &str, n: i64) {
        match kind {
            "yes" => self.yes += n,
            "abstain" => self.abstain += n,
            "no" => self.no += n,
            "no_with_veto" => self.no_with_veto += n,
            "weighted" => self.weighted += n,
            _ => {}
        }
    }

    pub fn total(&self) -> i64 {
        self.yes + self.abstain + self.no + self.no_with_veto + self.weighted
    }

    /// Each option with its label and count, in the order the tally shows them.
    pub fn labelled(&self) -> [(&'static str, &'static str, i64); 5] {
        [
            ("yes", "Yes", self.yes),
            ("no", "No", self.no),
            ("no_with_veto", "No with veto", self.no_with_veto),
            ("abstain", "Abstain", self.abstain),
            ("weighted", "Split", self.weighted),
        ]
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ProposalDetail {
    pub network: NetworkInfo,
    pub freshness: Freshness,
    pub proposal: ProposalSummary,
    /// The summary rendered from markdown and sanitised on the server.
    pub summary_html: String,
    pub messages: Vec<MessageSummary>,
    pub proposer: String,
    pub failed_reason: String,
    pub deposit_end_time: Option<DateTime<Utc>>,
    pub total_deposit: Vec<Coin>,
    pub min_deposit: Vec<Coin>,
    pub recording: Recording,
    pub tally: TallyView,
    pub counts: VoterCounts,
    /// Bonded validators (at the end, or now), by voting power.
    pub validators: Vec<ValidatorVote>,
    /// Every voter's vote, newest first, a page at a time.
    pub recent_votes: RecentVotes,
}

/// One recorded vote for the JSON API and the CSV.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RecordedVote {
    pub voter: String,
    /// The validator whose account voted, if any.
    pub validator: Option<String>,
    pub options: String,
    pub option: String,
    pub first_seen_at: DateTime<Utc>,
    pub changed_at: DateTime<Utc>,
    pub changes: i32,
}

/// A page of a proposal's recorded votes, first seen first (then by voter).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct VotePage {
    /// Votes recorded for the proposal in all.
    pub total: i64,
    /// Votes skipped (only when the page was asked for by `offset`, which is deprecated).
    pub offset: i64,
    pub limit: i64,
    pub votes: Vec<RecordedVote>,
    /// The `after` of the next page; absent on the last one.
    pub next: Option<String>,
}

/// Where a page of votes starts: after this vote, in the votes' order (first seen, then
/// voter). Written `<first seen, µs since 1970>.<voter>`; opaque to clients.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VoteCursor {
    pub first_seen_at: DateTime<Utc>,
    pub voter: String,
}

impl VoteCursor {
    /// The cursor just after `vote`.
    pub fn after(vote: &RecordedVote) -> Self {
        Self {
            first_seen_at: vote.first_seen_at,
            voter: vote.voter.clone(),
        }
    }
}

impl PageKey for VoteCursor {
    fn encode(&self) -> String {
        format!("{}.{}", paging::time_part(self.first_seen_at), self.voter)
    }

    fn decode(text: &str) -> Option<Self> {
        let parts = paging::parts(text, 2)?;
        Some(Self {
            first_seen_at: paging::parse_time(parts[0])?,
            voter: paging::parse_address(parts[1])?,
        })
    }
}

/// The newest recorded votes of a proposal, a page at a time (the proposal page's table).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RecentVotes {
    /// Newest first.
    pub votes: Vec<RecordedVote>,
    /// The cursor this page starts after (`None`: the newest page).
    pub after: Option<String>,
    /// The `after` of the next, older page; absent on the oldest.
    pub next: Option<String>,
}

/// Which page of votes: by cursor (the way to page), or by the deprecated offset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VotePosition {
    After(VoteCursor),
    Offset(i64),
}

/// A validator's vote on one proposal, for its governance record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ValidatorProposalVote {
    pub proposal_id: i64,
    pub title: String,
    pub status: ProposalStatus,
    pub voting_end_time: Option<DateTime<Utc>>,
    /// `None`: eligible (bonded at the end) but did not vote; or still voting and not voted yet.
    pub vote: Option<VoteRecord>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Participation {
    pub voted: i64,
    pub eligible: i64,
}

impl Participation {
    pub fn rate(&self) -> Option<f64> {
        (self.eligible > 0).then(|| self.voted as f64 / self.eligible as f64)
    }
}

/// A validator's governance record: a page of its proposals, latest voting end first, and its
/// participation over all of them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct GovernanceRecord {
    pub votes: Vec<ValidatorProposalVote>,
    /// The `after` of the next page; absent on the last.
    pub next: Option<String>,
    pub last_10: Participation,
    pub last_50: Participation,
    pub all: Participation,
}

/// Where a page of a governance record starts: after this proposal, in the record's order
/// (voting end, latest first, then number; no end last). Written `<end µs>.<id>`, or
/// `none.<id>` for a proposal without a voting end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecordKey {
    pub voting_end_time: Option<DateTime<Utc>>,
    pub id: i64,
}

impl PageKey for RecordKey {
    fn encode(&self) -> String {
        let end = self
            .voting_end_time
            .map_or("none".to_string(), paging::time_part);
        format!("{end}.{}", self.id)
    }

    fn decode(text: &str) -> Option<Self> {
        let parts = paging::parts(text, 2)?;
        Some(Self {
            voting_end_time: match parts[0] {
                "none" => None,
                end => Some(paging::parse_time(end)?),
            },
            id: paging::parse_number(parts[1])?,
        })
    }
}
