//! The alerts worker: a planner (one per deployment, under the `alerts` lock) turns proposal
//! events into outbox rows; a sender on every worker replica drains the outbox.

pub mod outbox;
pub mod plan;
pub mod render;
pub mod sender;

use super::{runs, sleep_or_shutdown, WorkerContext};
use sender::Sender;
use std::time::Duration;

pub const PLANNER: &str = "alerts";
pub const SENDER: &str = "mail";

/// One planning round, recorded in `worker_runs`.
pub async fn plan_round(ctx: &WorkerContext) -> Result<(), sqlx::Error> {
    let run = runs::start(&ctx.pool, PLANNER, None).await?;
    match plan::plan(&ctx.pool).await {
        Ok(planned) => {
            if planned.mails > 0 {
                tracing::info!(%planned, "alerts queued");
            }
            run.succeeded(&ctx.pool, &planned.to_string()).await
        }
        Err(e) => {
            tracing::warn!(error = %e, "alerts not planned; will try again");
            run.failed(&ctx.pool, &format!("cannot plan alerts: {e}"))
                .await
        }
    }
}

/// Drains the outbox until shutdown. A run is recorded for each batch that did something.
pub async fn run_sender(sender: Sender, ctx: WorkerContext) {
    tracing::info!(sender = %sender.id, mail = %sender.mailer.describe(), "mail sender started");
    while !ctx.shutdown.is_cancelled() {
        let started = std::time::Instant::now();
        let wait = match sender.drain_once().await {
            Ok(drained) if drained.claimed == 0 => sender.settings.idle,
            Ok(drained) => {
                let summary = format!(
                    "{} sent, {} to retry, {} failed, {} cancelled in {} ms",
                    drained.sent,
                    drained.retried,
                    drained.failed,
                    drained.cancelled,
                    started.elapsed().as_millis()
                );
                record(&ctx, &summary, drained.sent == 0 && drained.retried > 0).await;
                Duration::ZERO
            }
            Err(e) => {
                tracing::warn!(error = %e, "outbox not drained; will try again");
                record(&ctx, &format!("cannot drain the outbox: {e}"), true).await;
                sender.settings.idle
            }
        };
        sleep_or_shutdown(wait, &ctx.shutdown).await;
    }
}

async fn record(ctx: &WorkerContext, summary: &str, failed: bool) {
    let recorded = async {
        let run = runs::start(&ctx.pool, SENDER, None).await?;
        if failed {
            run.failed(&ctx.pool, summary).await
        } else {
            run.succeeded(&ctx.pool, summary).await
        }
    };
    if let Err(e) = recorded.await {
        tracing::warn!(error = %e, "cannot record the mail run");
    }
}
