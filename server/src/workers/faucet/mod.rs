//! The faucet worker: one sender per faucet key and network, under an advisory lock named after
//! both, so replicas never sign with the same sequence. It waits for each new block and runs
//! one round of [`sender::Sender`].

pub mod key;
pub mod sender;
pub mod store;
pub mod tx;

use super::{kit::Worker, runs::RoundLog, WorkerContext};
use app::system::workers::FAUCET;
use key::FaucetKey;
use sender::{Sender, SenderSettings};
use std::{
    sync::Arc,
    time::{Duration, Instant},
};

/// How often the sender asks the node for its height.
#[derive(Debug, Clone, Copy)]
pub struct FaucetRuntime {
    pub poll: Duration,
    pub settings: SenderSettings,
}

/// A sender for every network with a faucet table, when a key is configured.
pub fn senders(
    ctx: &WorkerContext,
    key: Option<Arc<FaucetKey>>,
    runtime: FaucetRuntime,
) -> Vec<FaucetSender> {
    let Some(key) = key else {
        return Vec::new();
    };
    ctx.networks
        .iter()
        .filter_map(|network| {
            let faucet = network.faucet.clone()?;
            let sender = Sender::new(
                network.network.clone(),
                faucet,
                key.clone(),
                network.chain.clone(),
                ctx.pool.clone(),
                runtime.settings,
            );
            tracing::info!(network = %network.slug, address = %sender.address, "faucet sender ready");
            Some(FaucetSender {
                log: RoundLog::new(FAUCET, Some(&network.slug)),
                sender,
                poll: runtime.poll,
                last_height: 0,
                rounds: 0,
            })
        })
        .collect()
}

/// One faucet key on one network, under the lock `faucet:{network}:{address}` so replicas never
/// sign with the same sequence; it pays once per new block.
pub struct FaucetSender {
    sender: Sender,
    log: RoundLog,
    poll: Duration,
    last_height: u64,
    rounds: u64,
}

impl Worker for FaucetSender {
    const NAME: &'static str = FAUCET;

    fn lock_name(&self) -> String {
        format!(
            "faucet:{}:{}",
            self.sender.network.slug, self.sender.address
        )
    }

    fn network(&self) -> Option<&str> {
        Some(&self.sender.network.slug)
    }

    fn on_lead(&mut self) {
        // Another replica may have sent meanwhile.
        self.sender.forget_sequence();
        self.last_height = 0;
    }

    async fn round(&mut self, ctx: &WorkerContext) -> Duration {
        let (started_at, started) = (chrono::Utc::now(), Instant::now());
        let outcome = self.poll(ctx).await;
        self.log
            .record(&ctx.pool, started_at, started, outcome)
            .await;
        self.poll
    }
}

impl FaucetSender {
    /// Runs a round when the chain has a new block; what it did, if anything.
    async fn poll(&mut self, ctx: &WorkerContext) -> Result<Option<String>, String> {
        let slug = self.sender.network.slug.clone();
        let height = match self.sender.chain.latest_height().await {
            Ok(height) => height,
            Err(e) => {
                tracing::warn!(network = %slug, error = %e, "cannot read the chain height");
                return Err(format!("cannot read the chain height: {e}"));
            }
        };
        if height <= self.last_height {
            return Ok(None);
        }
        self.last_height = height;
        self.rounds += 1;
        if self.rounds.is_multiple_of(600) {
            let _ = store::prune_captcha(&ctx.pool).await;
        }
        match self.sender.round(height).await {
            Ok(round) if round != Default::default() => {
                tracing::info!(network = %slug, height, ?round, "faucet round");
                Ok(Some(format!(
                    "height {height}: {} confirmed, {} sent, {} back in the queue, {} sequence retries",
                    round.confirmed, round.sent, round.requeued, round.sequence_retries
                )))
            }
            Ok(_) => Ok(None),
            Err(e) => {
                tracing::warn!(network = %slug, error = %e, "faucet round failed");
                self.sender.forget_sequence();
                Err(format!("faucet round at height {height} failed: {e}"))
            }
        }
    }
}
