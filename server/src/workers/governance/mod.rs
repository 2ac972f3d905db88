//! The governance worker: proposals of every status for each network, and while a proposal is
//! in its voting period, every vote and every change of it, recorded live (the chain deletes
//! votes when it tallies and overwrites a re-vote). It reads the proposal list every
//! PROPOSALS_INTERVAL_SECS and polls open votes every VOTES_INTERVAL_SECS.

pub mod diff;
pub mod fetch;
pub mod messages;
pub mod refresh;
pub mod store;
pub mod votes;

use super::{runs, Intervals, WorkerContext};
use crate::{
    chain::{
        gov::{GovApi, Tally},
        ChainClient,
    },
    config::networks::Network,
};
use std::{
    collections::{BTreeSet, HashMap},
    time::{Duration, Instant},
};

pub const WORKER: &str = "governance";

/// What the worker keeps between runs, per network. Dropped when another replica may have run.
#[derive(Default)]
pub struct GovernanceState {
    networks: HashMap<String, NetworkState>,
}

#[derive(Default)]
pub struct NetworkState {
    pub api: Option<GovApi>,
    pub next_refresh: Option<Instant>,
    pub list_hash: Option<String>,
    /// Proposals in their voting period, as stored.
    pub voting: BTreeSet<i64>,
    /// Per voting proposal, each voter's stored canonical ballot.
    pub known_votes: HashMap<i64, HashMap<String, String>>,
    pub live_tallies: HashMap<i64, Tally>,
}

impl NetworkState {
    pub fn forget(&mut self, id: i64) {
        self.known_votes.remove(&id);
        self.live_tallies.remove(&id);
    }
}

/// One round for every network; returns how long to wait before the next.
pub async fn run_all(
    ctx: &WorkerContext,
    state: &mut GovernanceState,
    intervals: Intervals,
) -> Duration {
    let mut wait = intervals.proposals;
    for network in &ctx.networks {
        let network_state = state.networks.entry(network.slug.clone()).or_default();
        match run_network(ctx, network_state, network, intervals).await {
            Ok(next) => wait = wait.min(next),
            Err(e) => {
                tracing::error!(network = %network.slug, error = %e, "cannot record the governance run")
            }
        }
    }
    wait
}

async fn run_network(
    ctx: &WorkerContext,
    state: &mut NetworkState,
    network: &Network,
    intervals: Intervals,
) -> Result<Duration, sqlx::Error> {
    let client = ChainClient::new(
        &network.slug,
        network.rest_url.clone(),
        ctx.chain_timeout,
        ctx.chain_retry,
    );
    if state.next_refresh.is_none_or(|at| Instant::now() >= at) {
        state.next_refresh = Some(Instant::now() + intervals.proposals);
        let run = runs::start(&ctx.pool, WORKER, Some(&network.slug)).await?;
        match refresh::refresh(ctx, state, network, &client).await {
            Ok(summary) => run.succeeded(&ctx.pool, &summary).await?,
            Err(e) => {
                tracing::warn!(network = %network.slug, error = %format!("{e:#}"), "proposals not read; previous data kept");
                run.failed(&ctx.pool, &format!("{e:#}")).await?
            }
        }
    }
    if !state.voting.is_empty() {
        let run = runs::start(&ctx.pool, WORKER, Some(&network.slug)).await?;
        match votes::poll(ctx, state, network, &client).await {
            Ok(summary) => run.succeeded(&ctx.pool, &summary.to_string()).await?,
            Err(e) => {
                tracing::warn!(network = %network.slug, error = %format!("{e:#}"), "votes not polled; previous data kept");
                run.failed(&ctx.pool, &format!("{e:#}")).await?
            }
        }
    }
    let until_refresh = state
        .next_refresh
        .map(|at| at.saturating_duration_since(Instant::now()))
        .unwrap_or_default();
    Ok(if state.voting.is_empty() {
        until_refresh
    } else {
        intervals.votes.min(until_refresh.max(intervals.votes))
    })
}
