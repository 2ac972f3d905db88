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
        let network = self.network.clone().unwrap_or_default();
        metrics::counter!("stakeboard_worker_runs_total", "worker" => self.worker, "network" => network.clone(), "outcome" => outcome).increment(1);
        metrics::histogram!("stakeboard_worker_run_seconds", "worker" => self.worker, "network" => network).record(self.started.elapsed().as_secs_f64());
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

/// Marks runs of `worker` left `running` by a process that died as failed. Called by the new
/// leader right after it takes the worker's lock, when no other run of it can be in flight.
pub async fn close_interrupted(
    pool: &PgPool,
    worker: &str,
    reason: &str,
) -> Result<u64, sqlx::Error> {
    let result = sqlx::query!(
        "UPDATE worker_runs SET finished_at = now(), outcome = 'failed', error = $2
         WHERE worker = $1 AND outcome = 'running'",
        worker,
        reason
    )
    .execute(pool)
    .await?;
    Ok(result.rows_affected())
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
