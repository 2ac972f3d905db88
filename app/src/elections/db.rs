//! Queries over elections, their allowlists and ballot ledgers, for the pages, the JSON API
//! and the admin forms. The elections worker (server) writes the lifecycle's steps.

use super::{
    form::ElectionSpec,
    model::{BallotMethod, BasisPoints, ElectionState, PowerSource},
};
use chrono::{DateTime, Utc};
use sqlx::{PgExecutor, PgPool};

/// An `elections` row, without the plan's text.
#[derive(Debug, Clone)]
pub struct ElectionRow {
    pub id: i64,
    pub network: String,
    pub title: String,
    pub description: String,
    pub question: String,
    pub options: Vec<String>,
    pub method: String,
    pub power_source: String,
    pub snapshot_height: Option<i64>,
    pub quorum_bp: i32,
    pub threshold_bp: Option<i32>,
    pub cap_bp: Option<i32>,
    pub live_tally_public: bool,
    pub voting_start: DateTime<Utc>,
    pub voting_end: DateTime<Utc>,
    pub state: String,
    pub failure: Option<String>,
    pub revision: i32,
    pub open_requested_at: Option<DateTime<Utc>>,
    pub block0_hash: Option<String>,
    pub snapshot_root: Option<String>,
    pub snapshot_taken_height: Option<i64>,
    pub eligible_power: Option<String>,
    pub eligible_voters: Option<i64>,
    pub prepared_at: Option<DateTime<Utc>>,
    pub plan_archived_at: Option<DateTime<Utc>>,
    pub opened_at: Option<DateTime<Utc>>,
    pub ballots_count: i64,
    pub ballots_head: Option<String>,
    pub live_results: Option<serde_json::Value>,
    pub live_results_at: Option<DateTime<Utc>>,
    /// The ballots the live tally counted (-1: none yet).
    pub live_results_count: i64,
    pub results: Option<serde_json::Value>,
    pub ballots_root: Option<String>,
    pub tallied_at: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl ElectionRow {
    pub fn state(&self) -> ElectionState {
        ElectionState::parse(&self.state).unwrap_or(ElectionState::Failed)
    }

    pub fn method(&self) -> BallotMethod {
        BallotMethod::parse(&self.method).unwrap_or(BallotMethod::Single)
    }

    pub fn power_source(&self) -> PowerSource {
        PowerSource::parse(&self.power_source).unwrap_or(PowerSource::Validators)
    }

    /// The election as its form describes it (to edit it, and for the audit).
    pub fn spec(&self) -> ElectionSpec {
        let bp = |v: i32| BasisPoints(v.max(0) as u32);
        ElectionSpec {
            network: self.network.clone(),
            title: self.title.clone(),
            description: self.description.clone(),
            question: self.question.clone(),
            options: self.options.clone(),
            method: self.method(),
            power_source: self.power_source(),
            snapshot_height: self.snapshot_height,
            quorum: bp(self.quorum_bp),
            threshold: self.threshold_bp.map(bp),
            cap: self.cap_bp.map(bp),
            live_tally_public: self.live_tally_public,
            voting_start: self.voting_start,
            voting_end: self.voting_end,
        }
    }
}

/// `query_as!` over `elections` as [`ElectionRow`], with `$tail` (WHERE, ORDER, LIMIT) after
/// the shared column list (sqlx takes literals joined with `+`, checked at compile time).
macro_rules! select_elections {
    ($tail:literal $(, $arg:expr)* $(,)?) => {
        sqlx::query_as!(
            ElectionRow,
            r#"SELECT id, network, title, description, question, options, method, power_source, snapshot_height,
                      quorum_bp, threshold_bp, cap_bp, live_tally_public, voting_start, voting_end, state, failure,
                      revision, open_requested_at, block0_hash, snapshot_root, snapshot_taken_height,
                      eligible_power::text AS eligible_power, eligible_voters, prepared_at, plan_archived_at, opened_at,
                      ballots_count, ballots_head, live_results, live_results_at, live_results_count, results, ballots_root,
                      tallied_at, closed_at, last_error, created_at, updated_at
               FROM elections "# + $tail $(, $arg)*
        )
    };
}

pub async fn election(pool: &PgPool, id: i64) -> Result<Option<ElectionRow>, sqlx::Error> {
    select_elections!("WHERE id = $1", id)
        .fetch_optional(pool)
        .await
}

/// Elections in these states (of one network, or all), soonest start first.
pub async fn in_states(
    pool: &PgPool,
    network: Option<&str>,
    states: &[&str],
) -> Result<Vec<ElectionRow>, sqlx::Error> {
    let states: Vec<String> = states.iter().map(|s| s.to_string()).collect();
    select_elections!(
        "WHERE state = ANY($2) AND ($1::text IS NULL OR network = $1) ORDER BY voting_start, id LIMIT 200",
        network,
        &states
    )
    .fetch_all(pool)
    .await
}

/// Up to `limit` elections in these states numbered below `before` (`None`: from the
/// newest), newest first: one index range however many came before.
pub async fn page(
    pool: &PgPool,
    network: Option<&str>,
    states: &[&str],
    limit: i64,
    before: Option<i64>,
) -> Result<Vec<ElectionRow>, sqlx::Error> {
    let states: Vec<String> = states.iter().map(|s| s.to_string()).collect();
    select_elections!(
        "WHERE state = ANY($2) AND ($1::text IS NULL OR network = $1) AND ($4::bigint IS NULL OR id < $4)
         ORDER BY id DESC LIMIT $3",
        network,
        &states,
        limit,
        before
    )
    .fetch_all(pool)
    .await
}

/// Creates an election from a checked form; returns its number.
pub async fn insert(
    executor: impl PgExecutor<'_>,
    spec: &ElectionSpec,
    created_by: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(
        r#"INSERT INTO elections (network, title, description, question, options, method, power_source,
               snapshot_height, quorum_bp, threshold_bp, cap_bp, live_tally_public, voting_start, voting_end, created_by)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id"#,
        spec.network,
        spec.title,
        spec.description,
        spec.question,
        &spec.options,
        spec.method.as_str(),
        spec.power_source.as_str(),
        spec.snapshot_height,
        spec.quorum.0 as i32,
        spec.threshold.map(|t| t.0 as i32),
        spec.cap.map(|c| c.0 as i32),
        spec.live_tally_public,
        spec.voting_start,
        spec.voting_end,
        created_by
    )
    .fetch_one(executor)
    .await
}

/// Replaces every field of an election that has not opened; returns false when it opened
/// meanwhile (nothing is changed). Call [`reset_plan`] in the same transaction.
pub async fn update_unopened(
    executor: impl PgExecutor<'_>,
    id: i64,
    spec: &ElectionSpec,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        r#"UPDATE elections SET network = $2, title = $3, description = $4, question = $5, options = $6,
               method = $7, power_source = $8, snapshot_height = $9, quorum_bp = $10, threshold_bp = $11,
               cap_bp = $12, live_tally_public = $13, voting_start = $14, voting_end = $15, updated_at = now()
           WHERE id = $1 AND state IN ('scheduled', 'preparing')"#,
        id,
        spec.network,
        spec.title,
        spec.description,
        spec.question,
        &spec.options,
        spec.method.as_str(),
        spec.power_source.as_str(),
        spec.snapshot_height,
        spec.quorum.0 as i32,
        spec.threshold.map(|t| t.0 as i32),
        spec.cap.map(|c| c.0 as i32),
        spec.live_tally_public,
        spec.voting_start,
        spec.voting_end,
    )
    .execute(executor)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Throws away the plan and snapshot of an election that has not opened (after an edit of it
/// or of its allowlist): it goes back to `scheduled`, under a new revision, and the worker
/// builds the plan again when it is due. Returns false when it opened meanwhile.
pub async fn reset_plan(executor: impl PgExecutor<'_>, id: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        r#"UPDATE elections SET state = 'scheduled', revision = revision + 1, block0 = NULL, block0_hash = NULL,
               snapshot_root = NULL, snapshot_taken_height = NULL, eligible_power = NULL, eligible_voters = NULL,
               prepared_at = NULL, plan_archived_at = NULL, last_error = NULL, updated_at = now()
           WHERE id = $1 AND state IN ('scheduled', 'preparing')"#,
        id
    )
    .execute(executor)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Replaces an election's allowlist.
pub async fn replace_allowlist(
    executor: &mut sqlx::PgConnection,
    id: i64,
    addresses: &[String],
    weights: &[String],
) -> Result<(), sqlx::Error> {
    sqlx::query!("DELETE FROM election_allowlist WHERE election_id = $1", id)
        .execute(&mut *executor)
        .await?;
    sqlx::query!(
        "INSERT INTO election_allowlist (election_id, address, weight)
         SELECT $1, a, w::numeric FROM UNNEST($2::text[], $3::text[]) AS t(a, w)",
        id,
        addresses,
        weights
    )
    .execute(&mut *executor)
    .await?;
    Ok(())
}

/// Moves the start to now (when later) and asks the worker to prepare and open the election
/// at once. Returns false unless it is scheduled or preparing.
pub async fn request_open(executor: impl PgExecutor<'_>, id: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        "UPDATE elections SET open_requested_at = now(), voting_start = least(voting_start, now()), updated_at = now()
         WHERE id = $1 AND state IN ('scheduled', 'preparing') AND voting_end > now()",
        id
    )
    .execute(executor)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Moves the end later. Returns false unless the election has not ended and `end` is later.
pub async fn extend(
    executor: impl PgExecutor<'_>,
    id: i64,
    end: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        "UPDATE elections SET voting_end = $2, updated_at = now()
         WHERE id = $1 AND state IN ('scheduled', 'preparing', 'open') AND voting_end > now() AND $2 > voting_end",
        id,
        end
    )
    .execute(executor)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Calls the election off. Returns false once counting has started (or it already ended).
pub async fn cancel(executor: impl PgExecutor<'_>, id: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        "UPDATE elections SET state = 'cancelled', updated_at = now()
         WHERE id = $1 AND state IN ('scheduled', 'preparing', 'open')",
        id
    )
    .execute(executor)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Wakes the elections worker at once (delivered when the transaction commits).
pub async fn notify_worker(executor: impl PgExecutor<'_>) -> Result<(), sqlx::Error> {
    sqlx::query!("SELECT pg_notify('stakeboard_elections', '')")
        .execute(executor)
        .await?;
    Ok(())
}

/// Voters and their total weight on an election's allowlist.
pub async fn allowlist_size(pool: &PgPool, id: i64) -> Result<(i64, String), sqlx::Error> {
    let row = sqlx::query!(
        r#"SELECT count(*) AS "voters!", COALESCE(sum(weight), 0)::text AS "weight!"
           FROM election_allowlist WHERE election_id = $1"#,
        id
    )
    .fetch_one(pool)
    .await?;
    Ok((row.voters, row.weight))
}

/// One ballot of the ledger.
pub struct BallotRow {
    pub position: i64,
    pub voter: String,
    pub ballot: String,
    pub choice: serde_json::Value,
    pub ballot_hash: String,
    pub chain_hash: String,
    pub received_at: DateTime<Utc>,
}

pub async fn ballot_by_hash(
    pool: &PgPool,
    id: i64,
    hash: &str,
) -> Result<Option<BallotRow>, sqlx::Error> {
    sqlx::query_as!(
        BallotRow,
        "SELECT position, voter, ballot, choice, ballot_hash, chain_hash, received_at
         FROM election_ballots WHERE election_id = $1 AND ballot_hash = $2",
        id,
        hash
    )
    .fetch_optional(pool)
    .await
}

/// The hash and position of a voter's latest ballot.
pub async fn latest_of(
    pool: &PgPool,
    id: i64,
    voter: &str,
) -> Result<Option<(i64, String)>, sqlx::Error> {
    let row = sqlx::query!(
        "SELECT position, ballot_hash FROM election_ballots
         WHERE election_id = $1 AND voter = $2 ORDER BY position DESC LIMIT 1",
        id,
        voter
    )
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| (r.position, r.ballot_hash)))
}

/// The hashes of every voter's last ballot, in ledger order: the leaves of the counted
/// ballots' root.
pub async fn counted_hashes(pool: &PgPool, id: i64) -> Result<Vec<(i64, String)>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"SELECT DISTINCT ON (voter) position, ballot_hash FROM election_ballots
           WHERE election_id = $1 ORDER BY voter, position DESC"#,
        id
    )
    .fetch_all(pool)
    .await?;
    let mut rows: Vec<(i64, String)> = rows
        .into_iter()
        .map(|r| (r.position, r.ballot_hash))
        .collect();
    rows.sort_unstable();
    Ok(rows)
}
