//! The validators worker: for each network, every VALIDATORS_INTERVAL_SECS, collect the
//! validator set, archive the raw responses, then store validators, history and figures.

pub mod derive;
pub mod fetch;
pub mod parse;
pub mod store;

use super::{kit::Worker, FollowedNetwork, WorkerContext};
use app::system::workers::VALIDATORS;
use chrono::{DateTime, Utc};
use std::time::Duration;

/// The worker: every `interval`, one collection of each network, each recorded as its own run.
pub struct Collector {
    interval: Duration,
}

impl Collector {
    pub fn new(interval: Duration) -> Self {
        Self { interval }
    }
}

impl Worker for Collector {
    const NAME: &'static str = VALIDATORS;

    async fn round(&mut self, ctx: &WorkerContext) -> Duration {
        for network in ctx.networks.iter() {
            run_one(ctx, network).await;
        }
        self.interval
    }
}

/// Collects one network, recorded as a run; returns its summary when it succeeded.
pub async fn run_one(ctx: &WorkerContext, network: &FollowedNetwork) -> Option<String> {
    let summary = ctx
        .record(VALIDATORS, Some(&network.slug), collect(ctx, network))
        .await;
    if let Some(summary) = &summary {
        tracing::info!(network = %network.slug, %summary, "validators collected");
    }
    summary
}

async fn collect(ctx: &WorkerContext, network: &FollowedNetwork) -> anyhow::Result<String> {
    let client = &network.chain;
    let raw = fetch::fetch(client, &network.denom).await?;
    let collected_at = super::now_micros();
    let key = archive_key(&network.slug, collected_at);
    let document = raw.archive_document(&network.slug, &network.chain_id, collected_at);
    ctx.archive.put(&key, document.clone()).await?;
    ctx.archive
        .put(
            &format!("{}/validators/latest.json", network.slug),
            document,
        )
        .await?;

    let collection = parse::parse(client, &raw)?;
    let (records, figures) = derive::derive(network, &collection)?;
    let stored = store::store(
        &ctx.pool,
        &network.slug,
        collected_at,
        &records,
        &figures,
        &key,
    )
    .await?;
    Ok(format!(
        "{} validators ({} active), {} changed, {} removed, height {}",
        records.len(),
        figures.validators_active,
        stored.history_rows,
        stored.removed,
        figures.latest_height
    ))
}

/// `{network}/validators/{UTC timestamp}.json`, e.g. `cosmoshub/validators/20261123T060000.123Z.json`.
pub fn archive_key(network: &str, at: DateTime<Utc>) -> String {
    crate::archive::timestamped(&format!("{network}/validators"), at)
}
