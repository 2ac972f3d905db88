//! The `worker_runs` record: every run's start, end, outcome and error, plus the matching metrics.

use chrono::{DateTime, Utc};
use sqlx::PgPool;

pub struct Run {
    id: i64,
    worker: &'static str,
    network: Option<String>,
    started: std::time::Instant,
}

/// Records the start of a run.
pub async fn start(
    pool: &PgPool,
    worker: &'static str,
    network: Option<&str>,
) -> Result<Run, sqlx::Error> {
    let id = sqlx::query_scalar!(
        "INSERT INTO worker_runs (worker, network) VALUES ($1, $2) RETURNING id",
        worker,
        network
    )
    .fetch_one(pool)
    .await?;
    Ok(Run {
        id,
        worker,
        network: network.map(str::to_string),
        started: std::time::Instant::now(),
    })
}

impl Run {
    pub async fn succeeded(self, pool: &PgPool, detail: &str) -> Result<(), sqlx::Error> {
        self.finish(pool, "ok", None, Some(detail)).await
    }

    pub async fn failed(self, pool: &PgPool, error: &str) -> Result<(), sqlx::Error> {
        self.finish(pool, "failed", Some(error), None).await
    }

    async fn finish(
        self,
        pool: &PgPool,
        outcome: &'static str,
        error: Option<&str>,
        detail: Option<&str>,
    ) -> Result<(), sqlx::Error> {
        observe(
            self.worker,
            self.network.as_deref(),
            outcome,
            self.started.elapsed(),
        );
        sqlx::query!(
            "UPDATE worker_runs SET finished_at = now(), outcome = $2, error = $3, detail = $4 WHERE id = $1",
            self.id,
            outcome,
            error,
            detail
        )
        .execute(pool)
        .await?;
        Ok(())
    }
}

/// The run metrics: `stakeboard_worker_runs_total` and `stakeboard_worker_run_seconds`.
fn observe(
    worker: &'static str,
    network: Option<&str>,
    outcome: &'static str,
    elapsed: std::time::Duration,
) {
    let network = network.unwrap_or_default().to_string();
    metrics::counter!("stakeboard_worker_runs_total", "worker" => worker, "network" => network.clone(), "outcome" => outcome).increment(1);
    metrics::histogram!("stakeboard_worker_run_seconds", "worker" => worker, "network" => network)
        .record(elapsed.as_secs_f64());
}

/// Marks runs of `worker` (for `network`, when the worker runs one lock per network) left
/// `running` by a process that died as failed. Called by the new leader right after it takes the
/// worker's lock, when no other run of it can be in flight.
pub async fn close_interrupted(
    pool: &PgPool,
    worker: &str,
    network: Option<&str>,
    reason: &str,
) -> Result<u64, sqlx::Error> {
    let result = sqlx::query!(
        "UPDATE worker_runs SET finished_at = now(), outcome = 'failed', error = $3
         WHERE worker = $1 AND ($2::text IS NULL OR network = $2) AND outcome = 'running'",
        worker,
        network,
        reason
    )
    .execute(pool)
    .await?;
    Ok(result.rows_affected())
}

/// Records a run that has already ended, in one write: for workers whose rounds are short and
/// frequent, so a row is written only for the rounds worth keeping (see [`RoundLog`]).
pub async fn record_finished(
    pool: &PgPool,
    worker: &'static str,
    network: Option<&str>,
    started_at: DateTime<Utc>,
    elapsed: std::time::Duration,
    outcome: Result<&str, &str>,
) -> Result<(), sqlx::Error> {
    let (label, detail, error) = match outcome {
        Ok(detail) => ("ok", Some(detail), None),
        Err(error) => ("failed", None, Some(error)),
    };
    observe(worker, network, label, elapsed);
    sqlx::query!(
        "INSERT INTO worker_runs (worker, network, started_at, finished_at, outcome, error, detail)
         VALUES ($1, $2, $3, now(), $4, $5, $6)",
        worker,
        network,
        started_at,
        label,
        error,
        detail
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// The run record of a worker whose rounds come every second or so and mostly find nothing to
/// do (the mail sender, the faucet senders): every round that did something is a run, and so is
/// a failure with a new error; an idle round, or the same failure again (a node that stays
/// down), is recorded at most once per [`IDLE_RECORD_EVERY`], so `/healthz` and `/system` see
/// the worker alive, or failing, without a row a second.
pub struct RoundLog {
    worker: &'static str,
    network: Option<String>,
    last_recorded: Option<std::time::Instant>,
    last_error: Option<String>,
}

/// How often an idle round, or a repeated failure, of a [`RoundLog`] worker is recorded.
pub const IDLE_RECORD_EVERY: std::time::Duration = std::time::Duration::from_secs(60);

/// What a round of a [`RoundLog`] worker did: `Ok(None)` when there was nothing to do.
pub type RoundOutcome = Result<Option<String>, String>;

impl RoundLog {
    pub fn new(worker: &'static str, network: Option<&str>) -> Self {
        Self {
            worker,
            network: network.map(str::to_string),
            last_recorded: None,
            last_error: None,
        }
    }

    /// Records the round that started at `started_at` (`started` on the monotonic clock), if
    /// it is worth a row. Errors of the database are logged, never fatal.
    pub async fn record(
        &mut self,
        pool: &PgPool,
        started_at: DateTime<Utc>,
        started: std::time::Instant,
        outcome: RoundOutcome,
    ) {
        let due = self
            .last_recorded
            .is_none_or(|at| at.elapsed() >= IDLE_RECORD_EVERY);
        let repeated = outcome.as_ref().err() == self.last_error.as_ref();
        let outcome = match &outcome {
            Ok(Some(summary)) => Ok(summary.as_str()),
            Ok(None) if due => Ok("nothing to do"),
            Err(error) if due || !repeated => Err(error.as_str()),
            Ok(None) | Err(_) => return,
        };
        self.last_error = outcome.err().map(str::to_string);
        let network = self.network.as_deref();
        match record_finished(
            pool,
            self.worker,
            network,
            started_at,
            started.elapsed(),
            outcome,
        )
        .await
        {
            Ok(()) => self.last_recorded = Some(std::time::Instant::now()),
            Err(error) => {
                tracing::error!(worker = self.worker, network, %error, "cannot record a run")
            }
        }
    }
}

/// Deletes run records older than `before` (the table would otherwise grow forever).
pub async fn prune(pool: &PgPool, before: DateTime<Utc>) -> Result<u64, sqlx::Error> {
    let result = sqlx::query!(
        "DELETE FROM worker_runs WHERE started_at < $1 AND outcome <> 'running'",
        before
    )
    .execute(pool)
    .await?;
    Ok(result.rows_affected())
}
