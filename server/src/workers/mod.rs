//! Background workers: long-lived tasks that do the outside I/O and move rows forward. Each
//! singleton worker holds an advisory lock for its name, so one replica runs it at a time.

pub mod alerts;
pub mod faucet;
pub mod governance;
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

/// How often each worker runs.
#[derive(Debug, Clone, Copy)]
pub struct Intervals {
    pub validators: Duration,
    /// Between two polls of the votes of proposals in their voting period.
    pub votes: Duration,
    /// Between two reads of the proposal list, when no proposal is voting.
    pub proposals: Duration,
}

/// The alerts worker's parts: the planner's interval and this replica's sender.
pub struct AlertsRuntime {
    pub interval: Duration,
    pub sender: alerts::sender::Sender,
}

pub fn spawn_all(
    ctx: WorkerContext,
    intervals: Intervals,
    alerts_runtime: AlertsRuntime,
) -> Vec<JoinHandle<()>> {
    let planner_ctx = ctx.clone();
    let planner = run_singleton(alerts::PLANNER, ctx.clone(), move |_| {
        let ctx = planner_ctx.clone();
        async move {
            if let Err(e) = alerts::plan_round(&ctx).await {
                tracing::error!(error = %e, "cannot record the alerts run");
            }
            alerts_runtime.interval
        }
    });
    let sender = alerts::run_sender(alerts_runtime.sender, ctx.clone());
    let validators_ctx = ctx.clone();
    let validators = run_singleton(validators::WORKER, ctx.clone(), move |_| {
        let ctx = validators_ctx.clone();
        async move {
            validators::run_all(&ctx).await;
            intervals.validators
        }
    });
    let governance_ctx = ctx.clone();
    let state = std::sync::Arc::new(tokio::sync::Mutex::new(
        governance::GovernanceState::default(),
    ));
    let governance = run_singleton(governance::WORKER, ctx, move |lead| {
        let (ctx, state) = (governance_ctx.clone(), state.clone());
        async move {
            let mut state = state.lock().await;
            if lead == Lead::Fresh {
                // Another replica may have run the worker meanwhile: forget what was cached.
                *state = governance::GovernanceState::default();
            }
            governance::run_all(&ctx, &mut state, intervals).await
        }
    });
    vec![
        tokio::spawn(validators),
        tokio::spawn(governance),
        tokio::spawn(planner),
        tokio::spawn(sender),
    ]
}

/// Whether this replica has just taken the worker's lock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lead {
    Fresh,
    Continuing,
}

/// Runs `job` on the replica that holds the lock named `name`, until shutdown; each run returns
/// how long to wait before the next.
pub async fn run_singleton<F, Fut>(name: &str, ctx: WorkerContext, mut job: F)
where
    F: FnMut(Lead) -> Fut,
    Fut: Future<Output = Duration>,
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
        let mut lead = Lead::Fresh;
        while !shutdown.is_cancelled() {
            if !lock.is_held().await {
                tracing::warn!(
                    worker = name,
                    "lost the worker lock's connection; taking it again"
                );
                break;
            }
            let wait = tokio::select! {
                wait = job(lead) => wait,
                _ = shutdown.cancelled() => {
                    tracing::info!(worker = name, "shutdown during a run; its writes are rolled back");
                    let _ = runs::close_interrupted(&ctx.pool, name, "interrupted by shutdown").await;
                    Duration::ZERO
                }
            };
            lead = Lead::Continuing;
            sleep_or_shutdown(wait, &shutdown).await;
        }
        lock.release().await;
    }
}

/// Now, to the microsecond: Postgres keeps microseconds, and a time with more would not compare
/// equal after a round trip.
pub fn now_micros() -> chrono::DateTime<chrono::Utc> {
    let now = chrono::Utc::now();
    chrono::DateTime::from_timestamp_micros(now.timestamp_micros()).unwrap_or(now)
}

pub(crate) async fn sleep_or_shutdown(duration: Duration, shutdown: &CancellationToken) {
    tokio::select! {
        _ = tokio::time::sleep(duration) => {}
        _ = shutdown.cancelled() => {}
    }
}
