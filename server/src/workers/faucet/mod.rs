//! The faucet worker: one sender per faucet key and network, under an advisory lock named after
//! both, so replicas never sign with the same sequence. It waits for each new block and runs
//! one round of [`sender::Sender`].

pub mod key;
pub mod sender;
pub mod store;
pub mod tx;

use super::{run_singleton, Lead, WorkerContext};
use crate::chain::ChainClient;
use key::FaucetKey;
use sender::{Sender, SenderSettings};
use sqlx::PgPool;
use std::{sync::Arc, time::Duration};
use tokio::{sync::Mutex, task::JoinHandle};

/// How often the sender asks the node for its height.
#[derive(Debug, Clone, Copy)]
pub struct FaucetRuntime {
    pub poll: Duration,
    pub settings: SenderSettings,
}

/// Starts a sender for every network with a faucet table, when a key is configured.
pub fn spawn_senders(
    ctx: &WorkerContext,
    key: Option<Arc<FaucetKey>>,
    runtime: FaucetRuntime,
) -> Vec<JoinHandle<()>> {
    let Some(key) = key else {
        return Vec::new();
    };
    ctx.networks
        .iter()
        .filter_map(|network| {
            let faucet = network.faucet.clone()?;
            let chain = ChainClient::new(
                &network.slug,
                network.rest_url.clone(),
                ctx.chain_timeout,
                ctx.chain_retry,
            );
            let sender = Sender::new(
                network.clone(),
                faucet,
                key.clone(),
                chain,
                ctx.pool.clone(),
                runtime.settings,
            );
            Some(tokio::spawn(run(sender, ctx.clone(), runtime.poll)))
        })
        .collect()
}

/// The sender, and what it remembers between polls while this replica holds its lock.
struct Poller {
    sender: Sender,
    last_height: u64,
    rounds: u64,
}

async fn run(sender: Sender, ctx: WorkerContext, poll: Duration) {
    let name = format!("faucet:{}:{}", sender.network.slug, sender.address);
    tracing::info!(network = %sender.network.slug, address = %sender.address, "faucet sender ready");
    let pool = ctx.pool.clone();
    let poller = Arc::new(Mutex::new(Poller {
        sender,
        last_height: 0,
        rounds: 0,
    }));
    run_singleton(&name, ctx, move |lead| {
        let (poller, pool) = (poller.clone(), pool.clone());
        async move {
            let mut poller = poller.lock().await;
            if lead == Lead::Fresh {
                // Another replica may have sent meanwhile.
                poller.sender.forget_sequence();
                poller.last_height = 0;
            }
            poller.poll(&pool).await;
            poll
        }
    })
    .await;
}

impl Poller {
    /// Runs a round when the chain has a new block.
    async fn poll(&mut self, pool: &PgPool) {
        let slug = self.sender.network.slug.clone();
        match self.sender.chain.latest_height().await {
            Ok(height) if height > self.last_height => {
                self.last_height = height;
                match self.sender.round(height).await {
                    Ok(round) if round != Default::default() => {
                        tracing::info!(network = %slug, height, ?round, "faucet round")
                    }
                    Ok(_) => {}
                    Err(e) => {
                        tracing::warn!(network = %slug, error = %e, "faucet round failed");
                        self.sender.forget_sequence();
                    }
                }
                self.rounds += 1;
                if self.rounds.is_multiple_of(600) {
                    let _ = store::prune_captcha(pool).await;
                }
            }
            Ok(_) => {}
            Err(e) => tracing::warn!(network = %slug, error = %e, "cannot read the chain height"),
        }
    }
}
