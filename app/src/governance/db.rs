//! Queries over proposals, votes, vote history and the end-of-vote validator snapshots.

use super::{
    model::{RecordedVote, VoteCursor},
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
    /// Voters recorded (kept by the votes worker with the votes).
    pub votes_recorded: i64,
}

/// Every proposal of a network (or the one numbered `id`), newest first.
pub async fn proposals(
    pool: &PgPool,
    network: &str,
    id: Option<i64>,
) -> Result<Vec<ProposalRow>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"SELECT id, title, status, expedited, submit_time, deposit_end_time, voting_start_time, voting_end_time,
                  final_yes::text AS "final_yes!", final_abstain::text AS "final_abstain!",
                  final_no::text AS "final_no!", final_no_with_veto::text AS "final_no_with_veto!",
                  live_yes::text AS live_yes, live_abstain::text AS live_abstain, live_no::text AS live_no,
                  live_no_with_veto::text AS live_no_with_veto, live_tally_at, bonded_at_end::text AS bonded_at_end,
                  spam_reasons, voting_seen_at, ended_seen_at, votes_recorded
           FROM proposals WHERE network = $1 AND ($2::bigint IS NULL OR id = $2) ORDER BY id DESC"#,
        network,
        id
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| ProposalRow {
            id: r.id,
            title: r.title,
            status: ProposalStatus::from_chain(&r.status),
            expedited: r.expedited,
            submit_time: r.submit_time,
            deposit_end_time: r.deposit_end_time,
            voting_start_time: r.voting_start_time,
            voting_end_time: r.voting_end_time,
            final_tally: Tally {
                yes: r.final_yes,
                abstain: r.final_abstain,
                no: r.final_no,
                no_with_veto: r.final_no_with_veto,
            },
            live_tally: match (r.live_yes, r.live_abstain, r.live_no, r.live_no_with_veto) {
                (Some(yes), Some(abstain), Some(no), Some(no_with_veto)) => Some(Tally {
                    yes,
                    abstain,
                    no,
                    no_with_veto,
                }),
                _ => None,
            },
            live_tally_at: r.live_tally_at,
            bonded_at_end: r.bonded_at_end,
            spam_reasons: r.spam_reasons,
            voting_seen_at: r.voting_seen_at,
            ended_seen_at: r.ended_seen_at,
            votes_recorded: r.votes_recorded,
        })
        .collect())
}

pub struct ProposalText {
    pub summary: String,
    pub messages: serde_json::Value,
    pub proposer: String,
    pub failed_reason: String,
    pub total_deposit: serde_json::Value,
    pub rules: Option<[f64; 3]>,
}

pub async fn proposal_text(
    pool: &PgPool,
    network: &str,
    id: i64,
) -> Result<Option<ProposalText>, sqlx::Error> {
    let row = sqlx::query!(
        r#"SELECT summary, messages, proposer, failed_reason, total_deposit,
                  quorum::float8 AS quorum, threshold::float8 AS threshold, veto_threshold::float8 AS veto_threshold
           FROM proposals WHERE network = $1 AND id = $2"#,
        network,
        id
    )
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| ProposalText {
        summary: r.summary,
        messages: r.messages,
        proposer: r.proposer,
        failed_reason: r.failed_reason,
        total_deposit: r.total_deposit,
        rules: match (r.quorum, r.threshold, r.veto_threshold) {
            (Some(q), Some(t), Some(v)) => Some([q, t, v]),
            _ => None,
        },
    }))
}

pub struct GovParams {
    pub quorum: f64,
    pub threshold: f64,
    pub veto_threshold: f64,
    pub expedited_threshold: Option<f64>,
    pub min_deposit: serde_json::Value,
}

pub async fn params(pool: &PgPool, network: &str) -> Result<Option<GovParams>, sqlx::Error> {
    sqlx::query_as!(
        GovParams,
        r#"SELECT quorum::float8 AS "quorum!", threshold::float8 AS "threshold!", veto_threshold::float8 AS "veto_threshold!",
                  expedited_threshold::float8 AS expedited_threshold, min_deposit
           FROM gov_params WHERE network = $1"#,
        network
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
           LEFT JOIN votes vo ON vo.network = v.network AND vo.proposal_id = $2 AND vo.voter = v.account_address
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
           LEFT JOIN votes vo ON vo.network = s.network AND vo.proposal_id = s.proposal_id AND vo.voter = s.account_address
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

/// Every vote and change of vote recorded for a proposal, for the CSV download.
pub async fn vote_history(
    pool: &PgPool,
    network: &str,
    id: i64,
) -> Result<Vec<HistoryRow>, sqlx::Error> {
    sqlx::query_as!(
        HistoryRow,
        r#"SELECT h.voter, val.moniker AS "validator?", h.seen_at, h.options, h.option,
                  (h.seen_at = vo.changed_at) AS "current!"
           FROM vote_history h
           JOIN votes vo ON vo.network = h.network AND vo.proposal_id = h.proposal_id AND vo.voter = h.voter
           LEFT JOIN validators val ON val.network = h.network AND val.account_address = h.voter
           WHERE h.network = $1 AND h.proposal_id = $2
           ORDER BY h.seen_at, h.voter"#,
        network,
        id
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
    /// Bonded when the voting ended (so a missing vote is a vote not cast).
    pub eligible: bool,
}

/// The proposals a validator voted on, was bonded at the end of, or can vote on now.
pub async fn validator_record(
    pool: &PgPool,
    network: &str,
    operator: &str,
    account: &str,
) -> Result<Vec<RecordRow>, sqlx::Error> {
    sqlx::query_as!(
        RecordRow,
        r#"SELECT p.id AS proposal_id, p.title, p.status, p.voting_end_time,
                  vo.options AS "options?", vo.first_seen_at AS "first_seen_at?", vo.changed_at AS "changed_at?",
                  (s.operator_address IS NOT NULL) AS "eligible!"
           FROM proposals p
           LEFT JOIN votes vo ON vo.network = p.network AND vo.proposal_id = p.id AND vo.voter = $3
           LEFT JOIN proposal_snapshots s ON s.network = p.network AND s.proposal_id = p.id AND s.operator_address = $2
           WHERE p.network = $1
             AND (vo.voter IS NOT NULL OR s.operator_address IS NOT NULL
                  OR (p.status = 'PROPOSAL_STATUS_VOTING_PERIOD' AND p.voting_seen_at IS NOT NULL))
           ORDER BY p.voting_end_time DESC NULLS LAST, p.id DESC"#,
        network,
        operator,
        account
    )
    .fetch_all(pool)
    .await
}

/// All recorded ballots of one voter, oldest first, per proposal.
pub async fn voter_history(
    pool: &PgPool,
    network: &str,
    voter: &str,
) -> Result<Vec<(i64, DateTime<Utc>, String)>, sqlx::Error> {
    let rows = sqlx::query!(
        "SELECT proposal_id, seen_at, options FROM vote_history WHERE network = $1 AND voter = $2 ORDER BY proposal_id, seen_at",
        network,
        voter
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
