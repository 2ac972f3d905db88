//! The faucet worker: one sender per faucet key and network, under an advisory lock named after
//! both, so replicas never sign with the same sequence. It waits for each new block and runs
//! one round of [`sender::Sender`].

pub mod key;
pub mod sender;
pub mod store;
pub mod tx;

use super::{lock::AdvisoryLock, sleep_or_shutdown, WorkerContext};
use crate::chain::ChainClient;
use key::FaucetKey;
use sender::{Sender, SenderSettings};
use std::{sync::Arc, time::Duration};
use tokio::task::JoinHandle;

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

async fn run(mut sender: Sender, ctx: WorkerContext, poll: Duration) {
    let name = format!("faucet:{}:{}", sender.network.slug, sender.address);
    let shutdown = ctx.shutdown.clone();
    tracing::info!(network = %sender.network.slug, address = %sender.address, "faucet sender ready");
    while !shutdown.is_cancelled() {
        let mut lock = match AdvisoryLock::try_acquire(&ctx.pool, &name).await {
            Ok(Some(lock)) => lock,
            Ok(_) | Err(_) => {
                sleep_or_shutdown(Duration::from_secs(5), &shutdown).await;
                continue;
            }
        };
        sender.forget_sequence();
        let mut last_height = 0;
        let mut rounds = 0u64;
        while !shutdown.is_cancelled() && lock.is_held().await {
            match sender.chain.latest_height().await {
                Ok(height) if height > last_height => {
                    last_height = height;
                    tokio::select! {
                        result = sender.round(height) => match result {
                            Ok(round) if round != Default::default() => tracing::info!(network = %sender.network.slug, height, ?round, "faucet round"),
                            Ok(_) => {}
                            Err(e) => {
                                tracing::warn!(network = %sender.network.slug, error = %e, "faucet round failed");
                                sender.forget_sequence();
                            }
                        },
                        _ = shutdown.cancelled() => break,
                    }
                    rounds += 1;
                    if rounds.is_multiple_of(600) {
                        let _ = store::prune_captcha(&ctx.pool).await;
                    }
                }
                Ok(_) => {}
                Err(e) => {
                    tracing::warn!(network = %sender.network.slug, error = %e, "cannot read the chain height")
                }
            }
            sleep_or_shutdown(poll, &shutdown).await;
        }
        lock.release().await;
    }
}
