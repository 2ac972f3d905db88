//! The one loop every worker runs in. A worker is a small type with a name and a `round`; the kit
//! decides where it runs (on one replica of the deployment, under an advisory lock, or on every
//! replica), keeps it going until shutdown, tells it when it has just taken the lead (so it
//! forgets what another replica may have changed meanwhile), and closes the runs a dead leader
//! left open.

use super::{lock::AdvisoryLock, runs, WorkerContext};
use std::{future::Future, time::Duration};
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

/// How often a replica that does not hold a worker's lock tries again to take it.
const LOCK_RETRY: Duration = Duration::from_secs(5);
/// Run records are kept this long.
const RUNS_KEPT_DAYS: i64 = 30;

/// Where a worker runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// On one replica at a time: the one holding the advisory lock named [`Worker::lock_name`].
    Deployment,
    /// On every worker replica (for queues drained with `SKIP LOCKED`).
    EveryReplica,
}

pub trait Worker: Send + 'static {
    /// The worker's name in `worker_runs`, `/system`, `/healthz` and the metrics.
    const NAME: &'static str;

    fn scope(&self) -> Scope {
        Scope::Deployment
    }

    /// The advisory lock of a [`Scope::Deployment`] worker: its name, unless one lock per
    /// network or key is needed.
    fn lock_name(&self) -> String {
        Self::NAME.to_string()
    }

    /// The network whose runs this worker records, if it is one worker per network.
    fn network(&self) -> Option<&str> {
        None
    }

    /// Called when this replica has just taken the worker's lock: forget anything cached that
    /// another replica may have changed.
    fn on_lead(&mut self) {}

    /// One round; returns how long to wait before the next.
    fn round(&mut self, ctx: &WorkerContext) -> impl Future<Output = Duration> + Send;
}

/// Starts `worker` on its own task, until `ctx.shutdown`.
pub fn spawn<W: Worker>(ctx: &WorkerContext, worker: W) -> JoinHandle<()> {
    let ctx = ctx.clone();
    tokio::spawn(async move {
        match worker.scope() {
            Scope::Deployment => lead(ctx, worker).await,
            Scope::EveryReplica => repeat(&ctx, worker).await,
        }
    })
}

/// Rounds of a worker on every replica. A round in progress is finished, not dropped, at
/// shutdown (the mail sender marks each mail sent right after the server took it; dropping the
/// round between the two would send that mail twice); only the wait is cut short.
async fn repeat<W: Worker>(ctx: &WorkerContext, mut worker: W) {
    while !ctx.shutdown.is_cancelled() {
        let wait = worker.round(ctx).await;
        sleep_or_shutdown(wait, &ctx.shutdown).await;
    }
}

/// Takes the worker's lock (waiting while another replica holds it) and runs rounds while the
/// lock's connection lives; takes it again if that connection dies.
async fn lead<W: Worker>(ctx: WorkerContext, mut worker: W) {
    let name = worker.lock_name();
    let shutdown = ctx.shutdown.clone();
    while !shutdown.is_cancelled() {
        let mut lock = match AdvisoryLock::try_acquire(&ctx.pool, &name).await {
            Ok(Some(lock)) => lock,
            Ok(None) => {
                tracing::debug!(worker = %name, "another replica runs this worker; waiting");
                sleep_or_shutdown(LOCK_RETRY, &shutdown).await;
                continue;
            }
            Err(error) => {
                tracing::warn!(worker = %name, %error, "cannot take the worker lock; retrying");
                sleep_or_shutdown(LOCK_RETRY, &shutdown).await;
                continue;
            }
        };
        tracing::info!(worker = %name, "this replica now runs the worker");
        take_over(&ctx, W::NAME, worker.network()).await;
        worker.on_lead();
        while !shutdown.is_cancelled() {
            if !lock.is_held().await {
                tracing::warn!(worker = %name, "lost the worker lock's connection; taking it again");
                break;
            }
            let wait = tokio::select! {
                wait = worker.round(&ctx) => wait,
                _ = shutdown.cancelled() => {
                    tracing::info!(worker = %name, "shutdown during a run; its writes are rolled back");
                    close_interrupted(&ctx, W::NAME, worker.network(), "interrupted by shutdown").await;
                    Duration::ZERO
                }
            };
            sleep_or_shutdown(wait, &shutdown).await;
        }
        lock.release().await;
    }
}

/// What a new leader does first: close the runs the previous one left open, prune old runs.
async fn take_over(ctx: &WorkerContext, worker: &'static str, network: Option<&str>) {
    close_interrupted(
        ctx,
        worker,
        network,
        "interrupted: the process stopped during the run",
    )
    .await;
    let before = chrono::Utc::now() - chrono::Duration::days(RUNS_KEPT_DAYS);
    if let Err(error) = runs::prune(&ctx.pool, before).await {
        tracing::warn!(worker, %error, "cannot prune old runs");
    }
}

async fn close_interrupted(
    ctx: &WorkerContext,
    worker: &'static str,
    network: Option<&str>,
    reason: &str,
) {
    if let Err(error) = runs::close_interrupted(&ctx.pool, worker, network, reason).await {
        tracing::warn!(worker, %error, "cannot close interrupted runs");
    }
}

pub(crate) async fn sleep_or_shutdown(duration: Duration, shutdown: &CancellationToken) {
    tokio::select! {
        _ = tokio::time::sleep(duration) => {}
        _ = shutdown.cancelled() => {}
    }
}
