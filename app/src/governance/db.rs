//! Queries over proposals, votes, vote history and the end-of-vote validator snapshots.
//!
//! A vote is looked up by its primary key through `LEFT JOIN LATERAL (… LIMIT 1)`: the LIMIT
//! keeps the planner from turning the lookups into a hash join over every vote of the proposal,
//! which it chose when the votes table had no statistics yet (right after its first 100,000
//! rows: 72 ms a query instead of 2, seconds under load).

use super::{
    model::{OptionCounts, Participation, RecordKey, RecordedVote, VoteCursor},
    status::ProposalStatus,
    tally::Tally,
};
use chrono::{DateTime, Utc};
use sqlx::PgPool;

pub struct ProposalRow {
    pub id: i64,
    pub title: String,
    pub status: ProposalStatus,
    pub expedited: bool,
    pub submit_time: Option<DateTime<Utc>>,
    pub deposit_end_time: Option<DateTime<Utc>>,
    pub voting_start_time: Option<DateTime<Utc>>,
    pub voting_end_time: Option<DateTime<Utc>>,
    pub final_tally: Tally<String>,
    pub live_tally: Option<Tally<String>>,
    pub live_tally_at: Option<DateTime<Utc>>,
    pub bonded_at_end: Option<String>,
    pub spam_reasons: Vec<String>,
    pub voting_seen_at: Option<DateTime<Utc>>,
    pub ended_seen_at: Option<DateTime<Utc>>,
    /// Voters recorded, all and per option (kept by the votes worker with the votes).
    pub votes_recorded: i64,
    pub voters: OptionCounts,
}

/// What only the proposal's own page shows: its text, and the tally rules that apply.
pub struct ProposalText {
    pub summary: String,
    pub messages: serde_json::Value,
    pub proposer: String,
    pub failed_reason: String,
    pub total_deposit: serde_json::Value,
    /// quorum, threshold and veto threshold recorded at the end of the vote.
    pub rules: Option<[f64; 3]>,
    /// The network's tally parameters now.
    pub params: Option<GovParams>,
}

pub struct GovParams {
    pub quorum: f64,
    pub threshold: f64,
    pub veto_threshold: f64,
    pub expedited_threshold: Option<f64>,
    pub min_deposit: serde_json::Value,
}

/// A `proposals` row as both queries read it; the list leaves the text columns empty.
struct Columns {
    id: i64,
    title: String,
    status: String,
    expedited: bool,
    submit_time: Option<DateTime<Utc>>,
    deposit_end_time: Option<DateTime<Utc>>,
    voting_start_time: Option<DateTime<Utc>>,
    voting_end_time: Option<DateTime<Utc>>,
    final_yes: String,
    final_abstain: String,
    final_no: String,
    final_no_with_veto: String,
    live_yes: Option<String>,
    live_abstain: Option<String>,
    live_no: Option<String>,
    live_no_with_veto: Option<String>,
    live_tally_at: Option<DateTime<Utc>>,
    bonded_at_end: Option<String>,
    spam_reasons: Vec<String>,
    voting_seen_at: Option<DateTime<Utc>>,
    ended_seen_at: Option<DateTime<Utc>>,
    votes_recorded: i64,
    voters_yes: i64,
    voters_abstain: i64,
    voters_no: i64,
    voters_no_with_veto: i64,
    voters_weighted: i64,
    summary: String,
    messages: serde_json::Value,
    proposer: String,
    failed_reason: String,
    total_deposit: serde_json::Value,
    quorum: Option<f64>,
    threshold: Option<f64>,
    veto_threshold: Option<f64>,
    params_quorum: Option<f64>,
    params_threshold: Option<f64>,
    params_veto_threshold: Option<f64>,
    params_expedited_threshold: Option<f64>,
    params_min_deposit: Option<serde_json::Value>,
}

impl Columns {
    fn split(self) -> (ProposalRow, ProposalText) {
        let params = match (
            self.params_quorum,
            self.params_threshold,
            self.params_veto_threshold,
        ) {
            (Some(quorum), Some(threshold), Some(veto_threshold)) => Some(GovParams {
                quorum,
                threshold,
                veto_threshold,
                expedited_threshold: self.params_expedited_threshold,
                min_deposit: self.params_min_deposit.unwrap_or_default(),
            }),
            _ => None,
        };
        let row = ProposalRow {
            id: self.id,
            title: self.title,
            status: ProposalStatus::from_chain(&self.status),
            expedited: self.expedited,
            submit_time: self.submit_time,
            deposit_end_time: self.deposit_end_time,
            voting_start_time: self.voting_start_time,
            voting_end_time: self.voting_end_time,
            final_tally: Tally {
                yes: self.final_yes,
                abstain: self.final_abstain,
                no: self.final_no,
                no_with_veto: self.final_no_with_veto,
            },
            live_tally: match (
                self.live_yes,
                self.live_abstain,
                self.live_no,
                self.live_no_with_veto,
            ) {
                (Some(yes), Some(abstain), Some(no), Some(no_with_veto)) => Some(Tally {
                    yes,
                    abstain,
                    no,
                    no_with_veto,
                }),
                _ => None,
            },
            live_tally_at: self.live_tally_at,
            bonded_at_end: self.bonded_at_end,
            spam_reasons: self.spam_reasons,
            voting_seen_at: self.voting_seen_at,
            ended_seen_at: self.ended_seen_at,
            votes_recorded: self.votes_recorded,
            voters: OptionCounts {
                yes: self.voters_yes,
                abstain: self.voters_abstain,
                no: self.voters_no,
                no_with_veto: self.voters_no_with_veto,
                weighted: self.voters_weighted,
            },
        };
        let text = ProposalText {
            summary: self.summary,
            messages: self.messages,
            proposer: self.proposer,
            failed_reason: self.failed_reason,
            total_deposit: self.total_deposit,
            rules: match (self.quorum, self.threshold, self.veto_threshold) {
                (Some(q), Some(t), Some(v)) => Some([q, t, v]),
                _ => None,
            },
            params,
        };
        (row, text)
    }
}

/// Every proposal of a network, newest first (without their text).
pub async fn proposals(pool: &PgPool, network: &str) -> Result<Vec<ProposalRow>, sqlx::Error> {
    let rows = sqlx::query_as!(
        Columns,
        r#"SELECT id, title, status, expedited, submit_time, deposit_end_time, voting_start_time, voting_end_time,
                  final_yes::text AS "final_yes!", final_abstain::text AS "final_abstain!",
                  final_no::text AS "final_no!", final_no_with_veto::text AS "final_no_with_veto!",
                  live_yes::text AS live_yes, live_abstain::text AS live_abstain, live_no::text AS live_no,
                  live_no_with_veto::text AS live_no_with_veto, live_tally_at, bonded_at_end::text AS bonded_at_end,
                  spam_reasons, voting_seen_at, ended_seen_at, votes_recorded,
                  voters_yes, voters_abstain, voters_no, voters_no_with_veto, voters_weighted,
                  '' AS "summary!", 'null'::jsonb AS "messages!", '' AS "proposer!", '' AS "failed_reason!",
                  'null'::jsonb AS "total_deposit!", NULL::float8 AS quorum, NULL::float8 AS threshold,
                  NULL::float8 AS veto_threshold, NULL::float8 AS params_quorum, NULL::float8 AS params_threshold,
                  NULL::float8 AS params_veto_threshold, NULL::float8 AS params_expedited_threshold,
                  NULL::jsonb AS params_min_deposit
           FROM proposals WHERE network = $1 ORDER BY id DESC"#,
        network,
    )
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(|r| r.split().0).collect())
}

/// One proposal with its text and the network's tally parameters, in one read.
pub async fn proposal(
    pool: &PgPool,
    network: &str,
    id: i64,
) -> Result<Option<(ProposalRow, ProposalText)>, sqlx::Error> {
    let row = sqlx::query_as!(
        Columns,
        r#"SELECT p.id, p.title, p.status, p.expedited, p.submit_time, p.deposit_end_time, p.voting_start_time,
                  p.voting_end_time,
                  p.final_yes::text AS "final_yes!", p.final_abstain::text AS "final_abstain!",
                  p.final_no::text AS "final_no!", p.final_no_with_veto::text AS "final_no_with_veto!",
                  p.live_yes::text AS live_yes, p.live_abstain::text AS live_abstain, p.live_no::text AS live_no,
                  p.live_no_with_veto::text AS live_no_with_veto, p.live_tally_at, p.bonded_at_end::text AS bonded_at_end,
                  p.spam_reasons, p.voting_seen_at, p.ended_seen_at, p.votes_recorded,
                  p.voters_yes, p.voters_abstain, p.voters_no, p.voters_no_with_veto, p.voters_weighted,
                  p.summary, p.messages, p.proposer, p.failed_reason, p.total_deposit,
                  p.quorum::float8 AS quorum, p.threshold::float8 AS threshold,
                  p.veto_threshold::float8 AS veto_threshold,
                  g.quorum::float8 AS "params_quorum?", g.threshold::float8 AS "params_threshold?",
                  g.veto_threshold::float8 AS "params_veto_threshold?",
                  g.expedited_threshold::float8 AS "params_expedited_threshold?",
                  g.min_deposit AS "params_min_deposit?"
           FROM proposals p LEFT JOIN gov_params g ON g.network = p.network
           WHERE p.network = $1 AND p.id = $2"#,
        network,
        id
    )
    .fetch_optional(pool)
    .await?;
    Ok(row.map(Columns::split))
}

/// How many voters proposal `id` has recorded; `None` when there is no such proposal.
pub async fn votes_recorded(
    pool: &PgPool,
    network: &str,
    id: i64,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar!(
        "SELECT votes_recorded FROM proposals WHERE network = $1 AND id = $2",
        network,
        id
    )
    .fetch_optional(pool)
    .await
}

pub struct ValidatorVoteRow {
    pub operator_address: String,
    pub account_address: String,
    pub moniker: String,
    pub rank: i32,
    pub tokens: String,
    pub options: Option<String>,
    pub first_seen_at: Option<DateTime<Utc>>,
    pub changed_at: Option<DateTime<Utc>>,
}

/// The validators bonded now, with their vote on the proposal.
pub async fn bonded_validator_votes(
    pool: &PgPool,
    network: &str,
    id: i64,
) -> Result<Vec<ValidatorVoteRow>, sqlx::Error> {
    sqlx::query_as!(
        ValidatorVoteRow,
        r#"SELECT v.operator_address, v.account_address, v.moniker, v.rank, v.tokens::text AS "tokens!",
                  vo.options AS "options?", vo.first_seen_at AS "first_seen_at?", vo.changed_at AS "changed_at?"
           FROM validators v
           LEFT JOIN LATERAL (
               SELECT options, first_seen_at, changed_at FROM votes
               WHERE network = v.network AND proposal_id = $2 AND voter = v.account_address LIMIT 1
           ) vo ON TRUE
           WHERE v.network = $1 AND v.bond_status = 'BOND_STATUS_BONDED' AND v.removed_at IS NULL
           ORDER BY v.rank"#,
        network,
        id
    )
    .fetch_all(pool)
    .await
}

/// The validators bonded when the voting ended, with their vote.
pub async fn snapshot_validator_votes(
    pool: &PgPool,
    network: &str,
    id: i64,
) -> Result<Vec<ValidatorVoteRow>, sqlx::Error> {
    sqlx::query_as!(
        ValidatorVoteRow,
        r#"SELECT s.operator_address, s.account_address, s.moniker, s.rank, s.tokens::text AS "tokens!",
                  vo.options AS "options?", vo.first_seen_at AS "first_seen_at?", vo.changed_at AS "changed_at?"
           FROM proposal_snapshots s
           LEFT JOIN LATERAL (
               SELECT options, first_seen_at, changed_at FROM votes
               WHERE network = s.network AND proposal_id = s.proposal_id AND voter = s.account_address LIMIT 1
           ) vo ON TRUE
           WHERE s.network = $1 AND s.proposal_id = $2
           ORDER BY s.tokens DESC, s.operator_address"#,
        network,
        id
    )
    .fetch_all(pool)
    .await
}

/// Every recorded ballot of these voters on the proposal, oldest first.
pub async fn histories(
    pool: &PgPool,
    network: &str,
    id: i64,
    voters: &[String],
) -> Result<Vec<(String, DateTime<Utc>, String)>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"SELECT voter, seen_at, options FROM vote_history
           WHERE network = $1 AND proposal_id = $2 AND voter = ANY($3)
           ORDER BY voter, seen_at"#,
        network,
        id,
        voters
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| (r.voter, r.seen_at, r.options))
        .collect())
}

/// Recorded votes after `after` (first seen, then voter), with the validator whose account
/// voted: an index range scan on `votes_in_order`, as fast at depth 90,000 as on the first page.
pub async fn votes_after(
    pool: &PgPool,
    network: &str,
    id: i64,
    limit: i64,
    after: &VoteCursor,
) -> Result<Vec<RecordedVote>, sqlx::Error> {
    sqlx::query_as!(
        RecordedVote,
        r#"SELECT vo.voter, val.moniker AS "validator?", vo.options, vo.option, vo.first_seen_at, vo.changed_at, vo.changes
           FROM votes vo
           LEFT JOIN validators val ON val.network = vo.network AND val.account_address = vo.voter
           WHERE vo.network = $1 AND vo.proposal_id = $2 AND (vo.first_seen_at, vo.voter) > ($4, $5)
           ORDER BY vo.first_seen_at, vo.voter
           LIMIT $3"#,
        network,
        id,
        limit,
        after.first_seen_at,
        after.voter
    )
    .fetch_all(pool)
    .await
}

/// Recorded votes before `before` (first seen, then voter), newest first: the same index
/// range as [`votes_after`], walked backwards. `None` starts with the newest vote.
pub async fn votes_before(
    pool: &PgPool,
    network: &str,
    id: i64,
    limit: i64,
    before: Option<&VoteCursor>,
) -> Result<Vec<RecordedVote>, sqlx::Error> {
    // Past every vote: the year 9999, and a voter no address sorts before.
    let end = DateTime::from_timestamp(253_402_300_799, 0).unwrap_or_default();
    let (at, voter) = before.map_or((end, ""), |c| (c.first_seen_at, c.voter.as_str()));
    sqlx::query_as!(
        RecordedVote,
        r#"SELECT vo.voter, val.moniker AS "validator?", vo.options, vo.option, vo.first_seen_at, vo.changed_at, vo.changes
           FROM votes vo
           LEFT JOIN validators val ON val.network = vo.network AND val.account_address = vo.voter
           WHERE vo.network = $1 AND vo.proposal_id = $2 AND (vo.first_seen_at, vo.voter) < ($4, $5)
           ORDER BY vo.first_seen_at DESC, vo.voter DESC
           LIMIT $3"#,
        network,
        id,
        limit,
        at,
        voter
    )
    .fetch_all(pool)
    .await
}

/// Recorded votes, first seen first, with the validator whose account voted, skipping
/// `offset` (which walks every skipped row: [`votes_after`] is the way to page).
pub async fn votes_page(
    pool: &PgPool,
    network: &str,
    id: i64,
    limit: i64,
    offset: i64,
) -> Result<Vec<RecordedVote>, sqlx::Error> {
    sqlx::query_as!(
        RecordedVote,
        r#"SELECT vo.voter, val.moniker AS "validator?", vo.options, vo.option, vo.first_seen_at, vo.changed_at, vo.changes
           FROM votes vo
           LEFT JOIN validators val ON val.network = vo.network AND val.account_address = vo.voter
           WHERE vo.network = $1 AND vo.proposal_id = $2
           ORDER BY vo.first_seen_at, vo.voter
           LIMIT $3 OFFSET $4"#,
        network,
        id,
        limit,
        offset
    )
    .fetch_all(pool)
    .await
}

pub struct HistoryRow {
    pub voter: String,
    pub validator: Option<String>,
    pub seen_at: DateTime<Utc>,
    pub options: String,
    pub option: String,
    pub current: bool,
}

/// Up to `limit` of a proposal's recorded ballots (every vote and every change of vote) after
/// `after` = (seen, voter), in that order: a voter who never changed is their `votes` row, a
/// voter who did is their `vote_history` rows. Both are index ranges, so a page at any depth
/// costs what the first does; (1970, "") starts at the beginning.
pub async fn ballots_after(
    pool: &PgPool,
    network: &str,
    id: i64,
    limit: i64,
    after: (DateTime<Utc>, &str),
) -> Result<Vec<HistoryRow>, sqlx::Error> {
    sqlx::query_as!(
        HistoryRow,
        r#"SELECT b.voter AS "voter!", val.moniker AS "validator?", b.seen_at AS "seen_at!",
                  b.options AS "options!", b.option AS "option!", b.current AS "current!"
           FROM (
               (SELECT vo.voter, vo.first_seen_at AS seen_at, vo.options, vo.option, TRUE AS current
                FROM votes vo
                WHERE vo.network = $1 AND vo.proposal_id = $2 AND vo.changes = 0
                  AND (vo.first_seen_at, vo.voter) > ($4, $5)
                ORDER BY vo.first_seen_at, vo.voter LIMIT $3)
               UNION ALL
               (SELECT h.voter, h.seen_at, h.options, h.option, h.seen_at = vo.changed_at
                FROM vote_history h
                JOIN votes vo ON vo.network = h.network AND vo.proposal_id = h.proposal_id AND vo.voter = h.voter
                WHERE h.network = $1 AND h.proposal_id = $2 AND (h.seen_at, h.voter) > ($4, $5)
                ORDER BY h.seen_at, h.voter LIMIT $3)
           ) b
           LEFT JOIN validators val ON val.network = $1 AND val.account_address = b.voter
           ORDER BY b.seen_at, b.voter
           LIMIT $3"#,
        network,
        id,
        limit,
        after.0,
        after.1
    )
    .fetch_all(pool)
    .await
}

pub struct RecordRow {
    pub proposal_id: i64,
    pub title: String,
    pub status: String,
    pub voting_end_time: Option<DateTime<Utc>>,
    pub options: Option<String>,
    pub first_seen_at: Option<DateTime<Utc>>,
    pub changed_at: Option<DateTime<Utc>>,
    pub changes: Option<i32>,
    /// Bonded when the voting ended (so a missing vote is a vote not cast).
    pub eligible: bool,
}

/// Up to `limit` of the proposals a validator voted on, was bonded at the end of, or can vote
/// on now, latest voting end first (then by number; proposals without an end last), after
/// `after` in that order.
pub async fn validator_record(
    pool: &PgPool,
    network: &str,
    operator: &str,
    account: &str,
    limit: i64,
    after: Option<&RecordKey>,
) -> Result<Vec<RecordRow>, sqlx::Error> {
    sqlx::query_as!(
        RecordRow,
        r#"SELECT p.id AS proposal_id, p.title, p.status, p.voting_end_time,
                  vo.options AS "options?", vo.first_seen_at AS "first_seen_at?", vo.changed_at AS "changed_at?",
                  vo.changes AS "changes?", (s.operator_address IS NOT NULL) AS "eligible!"
           FROM proposals p
           LEFT JOIN LATERAL (
               SELECT voter, options, first_seen_at, changed_at, changes FROM votes
               WHERE network = p.network AND proposal_id = p.id AND voter = $3 LIMIT 1
           ) vo ON TRUE
           LEFT JOIN proposal_snapshots s ON s.network = p.network AND s.proposal_id = p.id AND s.operator_address = $2
           WHERE p.network = $1
             AND (vo.voter IS NOT NULL OR s.operator_address IS NOT NULL
                  OR (p.status = 'PROPOSAL_STATUS_VOTING_PERIOD' AND p.voting_seen_at IS NOT NULL))
             AND ($5::bigint IS NULL
                  OR ($6::timestamptz IS NULL AND p.voting_end_time IS NULL AND p.id < $5)
                  OR ($6 IS NOT NULL AND (p.voting_end_time IS NULL OR p.voting_end_time < $6
                                          OR (p.voting_end_time = $6 AND p.id < $5))))
           ORDER BY p.voting_end_time DESC NULLS LAST, p.id DESC
           LIMIT $4"#,
        network,
        operator,
        account,
        limit,
        after.map(|k| k.id),
        after.and_then(|k| k.voting_end_time),
    )
    .fetch_all(pool)
    .await
}

/// A validator's participation: of the proposals it was bonded for at their end (latest end
/// first), how many it voted on among the last 10, the last 50 and all.
pub async fn participation(
    pool: &PgPool,
    network: &str,
    operator: &str,
    account: &str,
) -> Result<[Participation; 3], sqlx::Error> {
    let row = sqlx::query!(
        r#"WITH eligible AS (
               SELECT vo.voter IS NOT NULL AS voted,
                      row_number() OVER (ORDER BY p.voting_end_time DESC NULLS LAST, p.id DESC) AS n
               FROM proposal_snapshots s
               JOIN proposals p ON p.network = s.network AND p.id = s.proposal_id
               LEFT JOIN LATERAL (
                   SELECT voter FROM votes
                   WHERE network = s.network AND proposal_id = s.proposal_id AND voter = $3 LIMIT 1
               ) vo ON TRUE
               WHERE s.network = $1 AND s.operator_address = $2
           )
           SELECT count(*) FILTER (WHERE voted AND n <= 10) AS "voted_10!",
                  count(*) FILTER (WHERE n <= 10) AS "eligible_10!",
                  count(*) FILTER (WHERE voted AND n <= 50) AS "voted_50!",
                  count(*) FILTER (WHERE n <= 50) AS "eligible_50!",
                  count(*) FILTER (WHERE voted) AS "voted_all!",
                  count(*) AS "eligible_all!"
           FROM eligible"#,
        network,
        operator,
        account
    )
    .fetch_one(pool)
    .await?;
    Ok([
        Participation {
            voted: row.voted_10,
            eligible: row.eligible_10,
        },
        Participation {
            voted: row.voted_50,
            eligible: row.eligible_50,
        },
        Participation {
            voted: row.voted_all,
            eligible: row.eligible_all,
        },
    ])
}

/// The recorded ballots of one voter on these proposals, oldest first per proposal (only
/// voters who changed have them: see [`ballots_after`]).
pub async fn voter_history(
    pool: &PgPool,
    network: &str,
    voter: &str,
    proposals: &[i64],
) -> Result<Vec<(i64, DateTime<Utc>, String)>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"SELECT proposal_id, seen_at, options FROM vote_history
           WHERE network = $1 AND proposal_id = ANY($3) AND voter = $2
           ORDER BY proposal_id, seen_at"#,
        network,
        voter,
        proposals
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| (r.proposal_id, r.seen_at, r.options))
        .collect())
}

/// When the latest recorded vote ended; participation figures change only then.
pub async fn last_end(pool: &PgPool, network: &str) -> Result<Option<DateTime<Utc>>, sqlx::Error> {
    sqlx::query_scalar!(
        "SELECT max(ended_seen_at) FROM proposals WHERE network = $1",
        network
    )
    .fetch_one(pool)
    .await
}
