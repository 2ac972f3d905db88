//! The validators worker: for each network, every VALIDATORS_INTERVAL_SECS, collect the
//! validator set, archive the raw responses, then store validators, history and figures.

pub mod derive;
pub mod fetch;
pub mod parse;
pub mod store;

use super::{runs, WorkerContext};
use crate::{chain::ChainClient, config::networks::Network};
use chrono::{DateTime, Utc};

pub const WORKER: &str = "validators";

/// One collection for every network, each recorded as its own run.
pub async fn run_all(ctx: &WorkerContext) {
    for network in &ctx.networks {
        if let Err(e) = run_one(ctx, network).await {
            tracing::error!(network = %network.slug, error = %e, "cannot record the validators run");
        }
    }
}

/// Collects one network and records the run; errors of the collection end up in the run row.
pub async fn run_one(ctx: &WorkerContext, network: &Network) -> Result<(), sqlx::Error> {
    let run = runs::start(&ctx.pool, WORKER, Some(&network.slug)).await?;
    match collect(ctx, network).await {
        Ok(summary) => {
            tracing::info!(network = %network.slug, %summary, "validators collected");
            run.succeeded(&ctx.pool, &summary).await
        }
        Err(e) => {
            let error = format!("{e:#}");
            tracing::warn!(network = %network.slug, %error, "validators collection failed; previous data kept");
            run.failed(&ctx.pool, &error).await
        }
    }
}

async fn collect(ctx: &WorkerContext, network: &Network) -> anyhow::Result<String> {
    let client = ChainClient::new(
        &network.slug,
        network.rest_url.clone(),
        ctx.chain_timeout,
        ctx.chain_retry,
    );
    let raw = fetch::fetch(&client, &network.denom).await?;
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

    let collection = parse::parse(&client, &raw)?;
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
