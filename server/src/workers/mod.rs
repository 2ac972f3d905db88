//! Background workers: long-lived tasks that do the outside I/O and move rows forward. Each
//! singleton worker holds an advisory lock for its name, so one replica runs it at a time.

pub mod lock;
pub mod runs;
pub mod validators;

use crate::{archive::Archive, chain::RetryPolicy, config::networks::Network};
use lock::AdvisoryLock;
use sqlx::PgPool;
use std::{future::Future, time::Duration};
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

/// What every worker needs.
#[derive(Clone)]
pub struct WorkerContext {
    pub pool: PgPool,
    pub archive: Archive,
    pub networks: Vec<Network>,
    pub chain_timeout: Duration,
    pub chain_retry: RetryPolicy,
    pub shutdown: CancellationToken,
}

/// How often a replica that does not hold a worker's lock tries again to take it.
const LOCK_RETRY: Duration = Duration::from_secs(5);
/// Run records are kept this long.
const RUNS_KEPT_DAYS: i64 = 30;

pub fn spawn_all(ctx: WorkerContext, validators_interval: Duration) -> Vec<JoinHandle<()>> {
    let validators_ctx = ctx.clone();
    vec![tokio::spawn(run_singleton(
        "validators",
        ctx,
        validators_interval,
        move || {
            let ctx = validators_ctx.clone();
            async move { validators::run_all(&ctx).await }
        },
    ))]
}

/// Runs `job` every `interval` on the replica that holds the lock named `name`, until shutdown.
pub async fn run_singleton<F, Fut>(
    name: &'static str,
    ctx: WorkerContext,
    interval: Duration,
    mut job: F,
) where
    F: FnMut() -> Fut,
    Fut: Future<Output = ()>,
{
    let shutdown = ctx.shutdown.clone();
    while !shutdown.is_cancelled() {
        let mut lock = match AdvisoryLock::try_acquire(&ctx.pool, name).await {
            Ok(Some(lock)) => lock,
            Ok(None) => {
                tracing::debug!(worker = name, "another replica runs this worker; waiting");
                sleep_or_shutdown(LOCK_RETRY, &shutdown).await;
                continue;
            }
            Err(e) => {
                tracing::warn!(worker = name, error = %e, "cannot take the worker lock; retrying");
                sleep_or_shutdown(LOCK_RETRY, &shutdown).await;
                continue;
            }
        };
        tracing::info!(worker = name, "this replica now runs the worker");
        if let Err(e) = runs::close_interrupted(
            &ctx.pool,
            name,
            "interrupted: the process stopped during the run",
        )
        .await
        {
            tracing::warn!(worker = name, error = %e, "cannot close interrupted runs");
        }
        if let Err(e) = runs::prune(
            &ctx.pool,
            chrono::Utc::now() - chrono::Duration::days(RUNS_KEPT_DAYS),
        )
        .await
        {
            tracing::warn!(worker = name, error = %e, "cannot prune old runs");
        }
        while !shutdown.is_cancelled() {
            if !lock.is_held().await {
                tracing::warn!(
                    worker = name,
                    "lost the worker lock's connection; taking it again"
                );
                break;
            }
            tokio::select! {
                _ = job() => {}
                _ = shutdown.cancelled() => {
                    tracing::info!(worker = name, "shutdown during a run; its writes are rolled back");
                    let _ = runs::close_interrupted(&ctx.pool, name, "interrupted by shutdown").await;
                }
            }
            sleep_or_shutdown(interval, &shutdown).await;
        }
        lock.release().await;
    }
}

async fn sleep_or_shutdown(duration: Duration, shutdown: &CancellationToken) {
    tokio::select! {
        _ = tokio::time::sleep(duration) => {}
        _ = shutdown.cancelled() => {}
    }
}
