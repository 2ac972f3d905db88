//! The governance worker's writes: proposals (only when the chain's answer changed), tally
//! parameters, vote changes with their history, live tallies, and the end of a vote.

use super::diff::VoteChange;
use crate::chain::gov::{Coin, Tally, TallyParams};
use app::governance::{model::OptionCounts, status::ProposalStatus};
use chrono::{DateTime, Utc};
use serde_json::Value;
use sqlx::PgPool;
use std::collections::HashMap;

/// A proposal as written, with what Stakeboard derives from it.
#[derive(Debug, Clone)]
pub struct ProposalRow {
    pub id: i64,
    pub status: ProposalStatus,
    pub title: String,
    pub summary: String,
    pub metadata: String,
    pub messages: Value,
    pub proposer: String,
    pub expedited: bool,
    pub failed_reason: String,
    pub submit_time: Option<DateTime<Utc>>,
    pub deposit_end_time: Option<DateTime<Utc>>,
    pub voting_start_time: Option<DateTime<Utc>>,
    pub voting_end_time: Option<DateTime<Utc>>,
    pub total_deposit: Value,
    pub final_tally: Tally,
    pub spam_reasons: Vec<String>,
    pub source_hash: String,
}

pub async fn source_hashes(
    pool: &PgPool,
    network: &str,
) -> Result<HashMap<i64, String>, sqlx::Error> {
    let rows = sqlx::query!(
        "SELECT id, source_hash FROM proposals WHERE network = $1",
        network
    )
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(|r| (r.id, r.source_hash)).collect())
}

pub async fn upsert_proposals(
    pool: &PgPool,
    network: &str,
    rows: &[ProposalRow],
    at: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    let mut tx = pool.begin().await?;
    for r in rows {
        sqlx::query!(
            r#"INSERT INTO proposals (network, id, status, title, summary, metadata, messages, proposer, expedited,
                   failed_reason, submit_time, deposit_end_time, voting_start_time, voting_end_time, total_deposit,
                   final_yes, final_abstain, final_no, final_no_with_veto, spam, spam_reasons, source_hash,
                   first_seen_at, updated_at, voting_seen_at)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15,
                   $16::text::numeric, $17::text::numeric, $18::text::numeric, $19::text::numeric,
                   cardinality($20::text[]) > 0, $20, $21, $22::timestamptz, $22::timestamptz,
                   CASE WHEN $3 = 'PROPOSAL_STATUS_VOTING_PERIOD' THEN $22::timestamptz END)
               ON CONFLICT (network, id) DO UPDATE SET
                   status = EXCLUDED.status, title = EXCLUDED.title, summary = EXCLUDED.summary,
                   metadata = EXCLUDED.metadata, messages = EXCLUDED.messages, proposer = EXCLUDED.proposer,
                   expedited = EXCLUDED.expedited, failed_reason = EXCLUDED.failed_reason,
                   submit_time = EXCLUDED.submit_time, deposit_end_time = EXCLUDED.deposit_end_time,
                   voting_start_time = EXCLUDED.voting_start_time, voting_end_time = EXCLUDED.voting_end_time,
                   total_deposit = EXCLUDED.total_deposit, final_yes = EXCLUDED.final_yes,
                   final_abstain = EXCLUDED.final_abstain, final_no = EXCLUDED.final_no,
                   final_no_with_veto = EXCLUDED.final_no_with_veto, spam = EXCLUDED.spam,
                   spam_reasons = EXCLUDED.spam_reasons, source_hash = EXCLUDED.source_hash,
                   updated_at = EXCLUDED.updated_at,
                   voting_seen_at = COALESCE(proposals.voting_seen_at, EXCLUDED.voting_seen_at)"#,
            network,
            r.id,
            r.status.chain_name(),
            r.title,
            r.summary,
            r.metadata,
            r.messages,
            r.proposer,
            r.expedited,
            r.failed_reason,
            r.submit_time,
            r.deposit_end_time,
            r.voting_start_time,
            r.voting_end_time,
            r.total_deposit,
            r.final_tally.yes.to_string(),
            r.final_tally.abstain.to_string(),
            r.final_tally.no.to_string(),
            r.final_tally.no_with_veto.to_string(),
            &r.spam_reasons,
            r.source_hash,
            at,
        )
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await
}

pub async fn upsert_params(
    pool: &PgPool,
    network: &str,
    p: &TallyParams,
    at: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    let min_deposit = serde_json::to_value(&p.min_deposit).unwrap_or(Value::Array(vec![]));
    sqlx::query!(
        r#"INSERT INTO gov_params (network, quorum, threshold, veto_threshold, expedited_threshold, min_deposit, updated_at)
           VALUES ($1, $2::text::numeric, $3::text::numeric, $4::text::numeric, $5::text::numeric, $6, $7)
           ON CONFLICT (network) DO UPDATE SET quorum = EXCLUDED.quorum, threshold = EXCLUDED.threshold,
               veto_threshold = EXCLUDED.veto_threshold, expedited_threshold = EXCLUDED.expedited_threshold,
               min_deposit = EXCLUDED.min_deposit, updated_at = EXCLUDED.updated_at"#,
        network,
        p.quorum,
        p.threshold,
        p.veto_threshold,
        p.expedited_threshold,
        min_deposit,
        at,
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// The minimum deposit in `denom`, in base units, if the network's params are known.
pub async fn min_deposit(
    pool: &PgPool,
    network: &str,
    denom: &str,
) -> Result<Option<f64>, sqlx::Error> {
    let row = sqlx::query_scalar!(
        "SELECT min_deposit FROM gov_params WHERE network = $1",
        network
    )
    .fetch_optional(pool)
    .await?;
    Ok(row
        .and_then(|json| serde_json::from_value::<Vec<Coin>>(json).ok())
        .and_then(|coins| {
            coins
                .into_iter()
                .find(|c| c.denom == denom)
                .and_then(|c| c.amount.parse().ok())
        }))
}

pub async fn voting_ids(pool: &PgPool, network: &str) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query_scalar!(
        "SELECT id FROM proposals WHERE network = $1 AND status = $2 ORDER BY id",
        network,
        ProposalStatus::VotingPeriod.chain_name()
    )
    .fetch_all(pool)
    .await
}

/// Proposals seen voting whose end Stakeboard has not recorded yet.
pub async fn ended_unrecorded(pool: &PgPool, network: &str) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT id FROM proposals
           WHERE network = $1 AND voting_seen_at IS NOT NULL AND ended_seen_at IS NULL
             AND status <> $2 AND status <> 'PROPOSAL_STATUS_DEPOSIT_PERIOD'
           ORDER BY id"#,
        network,
        ProposalStatus::VotingPeriod.chain_name()
    )
    .fetch_all(pool)
    .await
}

/// Records the end of a vote: the time, the bonded stake and tally parameters of the moment,
/// and the bonded validators with their voting power.
pub async fn record_end(
    pool: &PgPool,
    network: &str,
    id: i64,
    at: DateTime<Utc>,
) -> Result<u64, sqlx::Error> {
    let mut tx = pool.begin().await?;
    sqlx::query!(
        r#"UPDATE proposals SET ended_seen_at = $3,
               bonded_at_end = (SELECT bonded_tokens FROM network_status WHERE network = $1),
               quorum = (SELECT quorum FROM gov_params WHERE network = $1),
               threshold = (SELECT CASE WHEN proposals.expedited AND g.expedited_threshold IS NOT NULL
                                        THEN g.expedited_threshold ELSE g.threshold END
                            FROM gov_params g WHERE g.network = $1),
               veto_threshold = (SELECT veto_threshold FROM gov_params WHERE network = $1)
           WHERE network = $1 AND id = $2 AND ended_seen_at IS NULL"#,
        network,
        id,
        at
    )
    .execute(&mut *tx)
    .await?;
    let snapshot = sqlx::query!(
        r#"INSERT INTO proposal_snapshots (network, proposal_id, operator_address, account_address, moniker, tokens, rank)
           SELECT network, $2, operator_address, account_address, moniker, tokens, rank FROM validators
           WHERE network = $1 AND bond_status = 'BOND_STATUS_BONDED' AND removed_at IS NULL
           ON CONFLICT DO NOTHING"#,
        network,
        id
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(snapshot.rows_affected())
}

/// Every stored ballot on proposal `id` (voter → canonical ballot), with the proposal's voter
/// counts set from them: the counts [`write_votes`] moves from here on start exact.
pub async fn known_votes(
    pool: &PgPool,
    network: &str,
    id: i64,
) -> Result<HashMap<String, String>, sqlx::Error> {
    let rows = sqlx::query!(
        "SELECT voter, options, option FROM votes WHERE network = $1 AND proposal_id = $2",
        network,
        id
    )
    .fetch_all(pool)
    .await?;
    let mut counts = OptionCounts::default();
    rows.iter().for_each(|r| counts.add(&r.option, 1));
    sqlx::query!(
        r#"UPDATE proposals SET votes_recorded = $3, voters_yes = $4, voters_abstain = $5, voters_no = $6,
               voters_no_with_veto = $7, voters_weighted = $8
           WHERE network = $1 AND id = $2
             AND (votes_recorded, voters_yes, voters_abstain, voters_no, voters_no_with_veto, voters_weighted)
                 IS DISTINCT FROM ($3, $4, $5, $6, $7, $8)"#,
        network,
        id,
        rows.len() as i64,
        counts.yes,
        counts.abstain,
        counts.no,
        counts.no_with_veto,
        counts.weighted,
    )
    .execute(pool)
    .await?;
    Ok(rows.into_iter().map(|r| (r.voter, r.options)).collect())
}

/// Writes one round's new and changed votes in one transaction, and returns the rows written.
/// `changes` come from diffing the chain's list against every stored ballot ([`known_votes`]),
/// so a first vote is a plain insert (a stored one would fail the round, and the caller
/// reloads what is stored). A changed vote is an update, and goes to `vote_history` with the
/// ballot it replaces when that was the voter's first: history holds only voters who changed.
/// The proposal's voter counts move by the same changes.
pub async fn write_votes(
    pool: &PgPool,
    network: &str,
    id: i64,
    changes: &[VoteChange],
    at: DateTime<Utc>,
) -> Result<u64, sqlx::Error> {
    if changes.is_empty() {
        return Ok(0);
    }
    let mut counts = OptionCounts::default();
    let (mut first, mut changed) = (Vec::new(), Vec::new());
    for change in changes {
        counts.add(&change.kind, 1);
        match change.replaced {
            None => first.push(change),
            Some(kind) => {
                counts.add(kind, -1);
                changed.push(change);
            }
        }
    }
    // In key order the index pages fill one after another instead of at random.
    first.sort_unstable_by(|a, b| a.voter.cmp(&b.voter));
    let columns = |rows: &[&VoteChange]| -> [Vec<String>; 3] {
        [
            rows.iter().map(|c| c.voter.clone()).collect(),
            rows.iter().map(|c| c.options.clone()).collect(),
            rows.iter().map(|c| c.kind.clone()).collect(),
        ]
    };
    let mut written = 0;
    let mut tx = pool.begin().await?;
    if !first.is_empty() {
        let [voters, options, kinds] = columns(&first);
        written += sqlx::query!(
            r#"INSERT INTO votes (network, proposal_id, voter, options, option, first_seen_at, changed_at, changes)
               SELECT $1, $2, t.voter, t.options, t.option, $6, $6, 0
               FROM UNNEST($3::text[], $4::text[], $5::text[]) AS t(voter, options, option)"#,
            network,
            id,
            &voters,
            &options,
            &kinds,
            at
        )
        .execute(&mut *tx)
        .await?
        .rows_affected();
    }
    if !changed.is_empty() {
        let [voters, options, kinds] = columns(&changed);
        // One statement, one snapshot: the replaced first ballots are read before the update.
        let rows = sqlx::query_scalar!(
            r#"WITH firsts AS (
                   INSERT INTO vote_history (network, proposal_id, voter, seen_at, options, option)
                   SELECT network, proposal_id, voter, first_seen_at, options, option FROM votes
                   WHERE network = $1 AND proposal_id = $2 AND voter = ANY($3) AND changes = 0
                   RETURNING 1
               ), updated AS (
                   UPDATE votes SET options = t.options, option = t.option, changed_at = $6,
                       changes = votes.changes + 1
                   FROM UNNEST($3::text[], $4::text[], $5::text[]) AS t(voter, options, option)
                   WHERE votes.network = $1 AND votes.proposal_id = $2 AND votes.voter = t.voter
                   RETURNING votes.voter, votes.options, votes.option
               ), history AS (
                   INSERT INTO vote_history (network, proposal_id, voter, seen_at, options, option)
                   SELECT $1, $2, voter, $6, options, option FROM updated
                   RETURNING 1
               )
               SELECT (SELECT count(*) FROM firsts) + (SELECT count(*) FROM updated)
                      + (SELECT count(*) FROM history) AS "rows!""#,
            network,
            id,
            &voters,
            &options,
            &kinds,
            at
        )
        .fetch_one(&mut *tx)
        .await?;
        written += rows as u64;
    }
    // The counts the pages and the votes JSON show, moved with the votes they count.
    sqlx::query!(
        r#"UPDATE proposals SET votes_recorded = votes_recorded + $3, voters_yes = voters_yes + $4,
               voters_abstain = voters_abstain + $5, voters_no = voters_no + $6,
               voters_no_with_veto = voters_no_with_veto + $7, voters_weighted = voters_weighted + $8
           WHERE network = $1 AND id = $2"#,
        network,
        id,
        first.len() as i64,
        counts.yes,
        counts.abstain,
        counts.no,
        counts.no_with_veto,
        counts.weighted,
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(written)
}

pub async fn update_live_tally(
    pool: &PgPool,
    network: &str,
    id: i64,
    t: &Tally,
    at: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        r#"UPDATE proposals SET live_yes = $3::text::numeric, live_abstain = $4::text::numeric,
               live_no = $5::text::numeric, live_no_with_veto = $6::text::numeric, live_tally_at = $7
           WHERE network = $1 AND id = $2"#,
        network,
        id,
        t.yes.to_string(),
        t.abstain.to_string(),
        t.no.to_string(),
        t.no_with_veto.to_string(),
        at
    )
    .execute(pool)
    .await?;
    Ok(())
}
