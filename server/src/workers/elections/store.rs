//! The elections worker's writes. Each moves an election one step, guarded by the state (and
//! revision) it expects, so an admin's edit or cancel in between always wins.

use crate::elections::{plan::Plan, tally::Holding};
use app::elections::model::ElectionResults;
use chrono::{DateTime, Utc};
use sqlx::PgPool;

/// scheduled → preparing. False when the election changed meanwhile.
pub async fn begin_preparing(pool: &PgPool, id: i64, revision: i32) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        "UPDATE elections SET state = 'preparing', updated_at = now() WHERE id = $1 AND state = 'scheduled' AND revision = $2",
        id,
        revision
    )
    .execute(pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Stores the snapshot and the plan ("block 0") in one transaction. False (nothing written)
/// when the election changed since `plan.revision`.
pub async fn store_plan(
    pool: &PgPool,
    plan: &Plan,
    holdings: &[Holding],
    height: Option<i64>,
) -> Result<bool, sqlx::Error> {
    let mut tx = pool.begin().await?;
    let current = sqlx::query_scalar!(
        "SELECT revision FROM elections WHERE id = $1 AND state = 'preparing' FOR UPDATE",
        plan.election
    )
    .fetch_optional(&mut *tx)
    .await?;
    if current != Some(plan.revision) {
        return Ok(false);
    }
    sqlx::query!(
        "DELETE FROM election_snapshot WHERE election_id = $1",
        plan.election
    )
    .execute(&mut *tx)
    .await?;
    let addresses: Vec<String> = holdings.iter().map(|h| h.address.clone()).collect();
    let delegates: Vec<String> = holdings
        .iter()
        .map(|h| h.delegate.clone().unwrap_or_default())
        .collect();
    let powers: Vec<String> = holdings.iter().map(|h| h.power.to_string()).collect();
    sqlx::query!(
        "INSERT INTO election_snapshot (election_id, address, delegate, power)
         SELECT $1, a, d, p::numeric FROM UNNEST($2::text[], $3::text[], $4::text[]) AS t(a, d, p)",
        plan.election,
        &addresses,
        &delegates,
        &powers
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "UPDATE elections SET block0 = $2, block0_hash = $3, snapshot_root = $4, snapshot_taken_height = $5,
             eligible_power = $6::text::numeric, eligible_voters = $7, prepared_at = now(), last_error = NULL, updated_at = now()
         WHERE id = $1",
        plan.election,
        plan.canonical(),
        plan.hash(),
        plan.snapshot.root,
        height,
        plan.snapshot.eligible_power,
        plan.snapshot.voters as i64,
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(true)
}

pub async fn plan_archived(pool: &PgPool, id: i64, revision: i32) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE elections SET plan_archived_at = now() WHERE id = $1 AND revision = $2 AND block0_hash IS NOT NULL",
        id,
        revision
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// preparing → open, once the plan is built. False when the election changed meanwhile.
pub async fn open(pool: &PgPool, id: i64, revision: i32) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        "UPDATE elections SET state = 'open', opened_at = now(), voting_start = least(voting_start, now()), updated_at = now()
         WHERE id = $1 AND state = 'preparing' AND revision = $2 AND block0_hash IS NOT NULL AND voting_end > now()",
        id,
        revision
    )
    .execute(pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// open → tallying, once its end has passed (an extension that came first wins).
pub async fn end_voting(pool: &PgPool, id: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        "UPDATE elections SET state = 'tallying', updated_at = now() WHERE id = $1 AND state = 'open' AND voting_end <= now()",
        id
    )
    .execute(pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Each voter's last ballot: voter → choice (JSON) and ledger position.
pub async fn last_ballots(
    pool: &PgPool,
    id: i64,
) -> Result<Vec<(String, serde_json::Value, i64, String)>, sqlx::Error> {
    let rows = sqlx::query!(
        "SELECT DISTINCT ON (voter) voter, choice, position, ballot_hash FROM election_ballots
         WHERE election_id = $1 ORDER BY voter, position DESC",
        id
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| (r.voter, r.choice, r.position, r.ballot_hash))
        .collect())
}

pub async fn store_live(
    pool: &PgPool,
    id: i64,
    results: &ElectionResults,
    counted: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE elections SET live_results = $2, live_results_at = now(), live_results_count = $3 WHERE id = $1 AND state = 'open'",
        id,
        serde_json::to_value(results).unwrap_or_default(),
        counted
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// Writes the final results and the counted ballots' root in one statement (never half).
pub async fn store_results(
    pool: &PgPool,
    id: i64,
    results: &ElectionResults,
    ballots_root: &str,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        "UPDATE elections SET results = $2, ballots_root = $3, tallied_at = now(), tally_attempts = tally_attempts + 1,
             live_results = NULL, last_error = NULL, updated_at = now()
         WHERE id = $1 AND state = 'tallying' AND results IS NULL",
        id,
        serde_json::to_value(results).unwrap_or_default(),
        ballots_root
    )
    .execute(pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// tallying → closed, once its results are written and archived.
pub async fn close(pool: &PgPool, id: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        "UPDATE elections SET state = 'closed', closed_at = now(), updated_at = now()
         WHERE id = $1 AND state = 'tallying' AND results IS NOT NULL",
        id
    )
    .execute(pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Fails an election whose voting ended before its plan could be built (an extension or an
/// edit committed meanwhile wins). The public reason is this sentence; the worker's last error
/// stays on the admins' page.
pub async fn fail_unprepared(pool: &PgPool, id: i64, revision: i32) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        "UPDATE elections SET state = 'failed', failure = 'its voter snapshot could not be taken before voting ended', updated_at = now()
         WHERE id = $1 AND revision = $2 AND state = 'preparing' AND block0_hash IS NULL AND voting_end <= now()",
        id,
        revision
    )
    .execute(pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Notes the last problem with an election (the worker retries it).
pub async fn note_error(pool: &PgPool, id: i64, error: &str) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE elections SET last_error = $2 WHERE id = $1",
        id,
        error
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// When the next step of any election is due.
pub fn earliest(times: impl IntoIterator<Item = DateTime<Utc>>) -> Option<DateTime<Utc>> {
    times.into_iter().min()
}
