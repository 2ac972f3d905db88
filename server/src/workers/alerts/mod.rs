//! The alerts worker: a planner (one per deployment, under the `alerts` lock) turns proposal
//! events into outbox rows; a mail sender on every worker replica drains the outbox.

pub mod outbox;
pub mod plan;
pub mod render;
pub mod sender;

use super::{
    kit::{Scope, Worker},
    runs::RoundLog,
    WorkerContext,
};
use app::system::workers::{ALERTS, MAIL};
use sender::Sender;
use std::time::{Duration, Instant};

/// The planner: every `interval`, one recorded planning round.
pub struct Planner {
    interval: Duration,
}

impl Planner {
    pub fn new(interval: Duration) -> Self {
        Self { interval }
    }
}

impl Worker for Planner {
    const NAME: &'static str = ALERTS;

    async fn round(&mut self, ctx: &WorkerContext) -> Duration {
        plan_round(ctx).await;
        self.interval
    }
}

/// One planning round, recorded in `worker_runs`.
pub async fn plan_round(ctx: &WorkerContext) {
    let planned = ctx
        .record(ALERTS, None, async {
            plan::plan(&ctx.pool)
                .await
                .map_err(|e| anyhow::anyhow!("cannot plan alerts: {e}"))
        })
        .await;
    if let Some(planned) = planned.filter(|p| p.mails > 0) {
        tracing::info!(%planned, "alerts queued");
    }
}

/// This replica's mail sender: drains the outbox batch after batch, and waits while it is
/// empty. Batches that sent or failed something are runs; an idle one is recorded now and then.
pub struct MailSender {
    sender: Sender,
    log: RoundLog,
}

impl MailSender {
    pub fn new(sender: Sender) -> Self {
        tracing::info!(sender = %sender.id, mail = %sender.mailer.describe(), "mail sender started");
        Self {
            sender,
            log: RoundLog::new(MAIL, None),
        }
    }
}

impl Worker for MailSender {
    const NAME: &'static str = MAIL;

    fn scope(&self) -> Scope {
        Scope::EveryReplica
    }

    async fn round(&mut self, ctx: &WorkerContext) -> Duration {
        let (started_at, started) = (chrono::Utc::now(), Instant::now());
        let (outcome, wait) = match self.sender.drain_once().await {
            Ok(drained) if drained.claimed == 0 => (Ok(None), self.sender.settings.idle),
            Ok(drained) => {
                let summary = format!(
                    "{} sent, {} to retry, {} failed, {} cancelled in {} ms",
                    drained.sent,
                    drained.retried,
                    drained.failed,
                    drained.cancelled,
                    started.elapsed().as_millis()
                );
                let outcome = if drained.sent == 0 && drained.retried > 0 {
                    Err(summary)
                } else {
                    Ok(Some(summary))
                };
                (outcome, Duration::ZERO)
            }
            Err(e) => {
                tracing::warn!(error = %e, "outbox not drained; will try again");
                (
                    Err(format!("cannot drain the outbox: {e}")),
                    self.sender.settings.idle,
                )
            }
        };
        self.log
            .record(&ctx.pool, started_at, started, outcome)
            .await;
        wait
    }
}
