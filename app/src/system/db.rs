//! Queries over `worker_runs`.

use super::model::{RunBrief, WorkerStatus};
use sqlx::PgPool;

/// The last finished run of `worker` for `network`.
pub async fn last_finished_run(
    pool: &PgPool,
    worker: &str,
    network: &str,
) -> Result<Option<RunBrief>, sqlx::Error> {
    sqlx::query_as!(
        RunBrief,
        r#"SELECT worker, network, started_at, finished_at, outcome, error, detail
           FROM worker_runs
           WHERE worker = $1 AND network = $2 AND finished_at IS NOT NULL
           ORDER BY started_at DESC
           LIMIT 1"#,
        worker,
        network
    )
    .fetch_optional(pool)
    .await
}

/// Every worker (and network) with its latest run, last success and the last day's counts.
pub async fn worker_statuses(pool: &PgPool) -> Result<Vec<WorkerStatus>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"SELECT DISTINCT ON (r.worker, r.network)
                  r.worker, r.network, r.started_at, r.finished_at, r.outcome, r.error, r.detail,
                  s.last_success_at, s.runs_24h AS "runs_24h!", s.failures_24h AS "failures_24h!"
           FROM worker_runs r
           JOIN LATERAL (
               SELECT max(finished_at) FILTER (WHERE outcome = 'ok') AS last_success_at,
                      count(*) FILTER (WHERE started_at > now() - interval '24 hours') AS runs_24h,
                      count(*) FILTER (WHERE started_at > now() - interval '24 hours' AND outcome = 'failed') AS failures_24h
               FROM worker_runs x
               WHERE x.worker = r.worker AND x.network IS NOT DISTINCT FROM r.network
           ) s ON TRUE
           ORDER BY r.worker, r.network, r.started_at DESC"#
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| WorkerStatus {
            worker: r.worker.clone(),
            network: r.network.clone(),
            last_run: RunBrief {
                worker: r.worker,
                network: r.network,
                started_at: r.started_at,
                finished_at: r.finished_at,
                outcome: r.outcome,
                error: r.error,
                detail: r.detail,
            },
            last_success_at: r.last_success_at,
            runs_24h: r.runs_24h,
            failures_24h: r.failures_24h,
        })
        .collect())
}

pub async fn recent_runs(pool: &PgPool, limit: i64) -> Result<Vec<RunBrief>, sqlx::Error> {
    sqlx::query_as!(
        RunBrief,
        r#"SELECT worker, network, started_at, finished_at, outcome, error, detail
           FROM worker_runs ORDER BY started_at DESC LIMIT $1"#,
        limit
    )
    .fetch_all(pool)
    .await
}

/// When `worker` last finished a run for `network` successfully.
pub async fn last_success(
    pool: &PgPool,
    worker: &str,
    network: &str,
) -> Result<Option<chrono::DateTime<chrono::Utc>>, sqlx::Error> {
    sqlx::query_scalar!(
        "SELECT max(finished_at) FROM worker_runs WHERE worker = $1 AND network = $2 AND outcome = 'ok'",
        worker,
        network
    )
    .fetch_one(pool)
    .await
}
