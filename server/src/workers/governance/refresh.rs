//! Reading the proposal list: archive the chain's answer when it changed, store the proposals
//! whose JSON changed, keep the tally parameters, and record the end of votes that ended.

use super::{archive_when_changed, fetch, messages, store, NetworkState};
use crate::{
    chain::gov::Proposal,
    config::networks::Network,
    workers::{now_micros, FollowedNetwork, WorkerContext},
};

pub async fn refresh(
    ctx: &WorkerContext,
    state: &mut NetworkState,
    network: &FollowedNetwork,
) -> anyhow::Result<String> {
    let client = &network.chain;
    let (api, pages) = fetch::proposal_pages(client, state.api).await?;
    state.api = Some(api);
    let at = now_micros();

    let endpoint = format!("{}/proposals", api.base());
    let responses: Vec<(&str, &bytes::Bytes)> =
        pages.iter().map(|p| (endpoint.as_str(), p)).collect();
    let list_hash = archive_when_changed(
        ctx,
        network,
        &format!("{}/gov/proposals", network.slug),
        &responses,
        state.list_hash.as_deref(),
        at,
        true,
    )
    .await?;
    let proposals = fetch::parse_proposal_pages(client, api, &pages)?;

    match fetch::params(client, api).await {
        Ok(Some(params)) => store::upsert_params(&ctx.pool, &network.slug, &params, at).await?,
        Ok(None) => {
            tracing::warn!(network = %network.slug, "the chain's gov params hold no tally parameters")
        }
        Err(e) => {
            tracing::warn!(network = %network.slug, error = %e, "no gov params; quorum and threshold lines wait")
        }
    }
    let min_deposit = store::min_deposit(&ctx.pool, &network.slug, &network.denom).await?;
    let stored = store::source_hashes(&ctx.pool, &network.slug).await?;
    let total = proposals.len();
    let changed: Vec<store::ProposalRow> = proposals
        .into_iter()
        .filter(|(p, hash)| stored.get(&(p.id as i64)) != Some(hash))
        .map(|(p, hash)| row(p, hash, network, min_deposit))
        .collect();
    store::upsert_proposals(&ctx.pool, &network.slug, &changed, at).await?;

    let mut ended = 0;
    for id in store::ended_unrecorded(&ctx.pool, &network.slug).await? {
        store::record_end(&ctx.pool, &network.slug, id, at).await?;
        state.forget(id);
        ended += 1;
    }
    state.voting = store::voting_ids(&ctx.pool, &network.slug)
        .await?
        .into_iter()
        .collect();
    state.list_hash = Some(list_hash);
    Ok(format!(
        "{total} proposals ({api:?}), {} changed, {} voting, {ended} ended",
        changed.len(),
        state.voting.len()
    ))
}

/// A proposal as stored, with its spam verdict and message summaries.
pub fn row(
    p: Proposal,
    source_hash: String,
    network: &Network,
    min_deposit: Option<f64>,
) -> store::ProposalRow {
    let deposit = p
        .total_deposit
        .iter()
        .find(|c| c.denom == network.denom)
        .and_then(|c| c.amount.parse::<f64>().ok());
    let spam_reasons = app::governance::spam::reasons(&p.title, &p.summary, deposit, min_deposit);
    store::ProposalRow {
        id: p.id as i64,
        messages: messages::summarize(&p.messages),
        total_deposit: serde_json::to_value(&p.total_deposit).unwrap_or_default(),
        status: p.status,
        title: p.title,
        summary: p.summary,
        metadata: p.metadata,
        proposer: p.proposer,
        expedited: p.expedited,
        failed_reason: p.failed_reason,
        submit_time: p.submit_time,
        deposit_end_time: p.deposit_end_time,
        voting_start_time: p.voting_start_time,
        voting_end_time: p.voting_end_time,
        final_tally: p.final_tally,
        spam_reasons,
        source_hash,
    }
}
