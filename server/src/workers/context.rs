//! What every worker reaches: the database, the archive, the followed networks each with the one
//! chain client used for all its rounds, the shutdown signal; and the wrapper that records a
//! run in `worker_runs`.

use super::runs;
use crate::{
    archive::Archive,
    chain::{ChainClient, RetryPolicy},
    config::networks::Network,
};
use sqlx::PgPool;
use std::{fmt::Display, future::Future, ops::Deref, sync::Arc, time::Duration};
use tokio_util::sync::CancellationToken;

/// A network from the networks file with its chain client, made once at start so connections
/// are pooled across rounds. Derefs to the [`Network`].
#[derive(Clone)]
pub struct FollowedNetwork {
    pub network: Network,
    pub chain: ChainClient,
}

impl Deref for FollowedNetwork {
    type Target = Network;

    fn deref(&self) -> &Network {
        &self.network
    }
}

/// How chain requests behave: the timeout of one request and the retries.
#[derive(Debug, Clone, Copy)]
pub struct ChainSettings {
    pub timeout: Duration,
    pub retry: RetryPolicy,
}

#[derive(Clone)]
pub struct WorkerContext {
    pub pool: PgPool,
    pub archive: Archive,
    pub networks: Arc<[FollowedNetwork]>,
    pub shutdown: CancellationToken,
}

impl WorkerContext {
    pub fn new(
        pool: PgPool,
        archive: Archive,
        networks: Vec<Network>,
        chain: ChainSettings,
        shutdown: CancellationToken,
    ) -> Self {
        let networks = networks
            .into_iter()
            .map(|network| FollowedNetwork {
                chain: ChainClient::new(
                    &network.slug,
                    network.rest_url.clone(),
                    chain.timeout,
                    chain.retry,
                ),
                network,
            })
            .collect();
        Self {
            pool,
            archive,
            networks,
            shutdown,
        }
    }

    /// Runs `job` as one recorded run of `worker` (for `network`, if the run is about one): a
    /// `worker_runs` row when it starts, its outcome and summary (or error, with its causes)
    /// when it ends, the run metrics, and a WARN line on failure. Returns what the job returned
    /// when it succeeded. A database that cannot record the run is logged, never fatal.
    pub async fn record<T, F>(
        &self,
        worker: &'static str,
        network: Option<&str>,
        job: F,
    ) -> Option<T>
    where
        T: Display,
        F: Future<Output = anyhow::Result<T>>,
    {
        let run = match runs::start(&self.pool, worker, network).await {
            Ok(run) => Some(run),
            Err(error) => {
                tracing::error!(worker, network, %error, "cannot record the start of a run");
                None
            }
        };
        let outcome = job.await;
        let recorded = match (&outcome, run) {
            (_, None) => Ok(()),
            (Ok(summary), Some(run)) => run.succeeded(&self.pool, &summary.to_string()).await,
            (Err(error), Some(run)) => run.failed(&self.pool, &format!("{error:#}")).await,
        };
        if let Err(error) = &outcome {
            tracing::warn!(worker, network, error = %format!("{error:#}"), "run failed; previous data kept");
        }
        if let Err(error) = recorded {
            tracing::error!(worker, network, %error, "cannot record the end of a run");
        }
        outcome.ok()
    }
}
