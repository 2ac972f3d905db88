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

use super::{kit::Worker, FollowedNetwork, Intervals, WorkerContext};
use crate::chain::gov::{GovApi, Tally};
use app::system::workers::GOVERNANCE;
use std::{
    collections::{BTreeSet, HashMap},
    time::{Duration, Instant},
};

/// The worker, with what it keeps between rounds while this replica leads.
pub struct Recorder {
    intervals: Intervals,
    state: GovernanceState,
}

impl Recorder {
    pub fn new(intervals: Intervals) -> Self {
        Self {
            intervals,
            state: GovernanceState::default(),
        }
    }
}

impl Worker for Recorder {
    const NAME: &'static str = GOVERNANCE;

    fn on_lead(&mut self) {
        // Another replica may have run the worker meanwhile: forget what was cached.
        self.state = GovernanceState::default();
    }

    async fn round(&mut self, ctx: &WorkerContext) -> Duration {
        run_all(ctx, &mut self.state, self.intervals).await
    }
}

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
    /// Per voting proposal and kind of answer (`proposal`, `votes`), the hash of what was last
    /// archived.
    pub archived: HashMap<(i64, &'static str), String>,
    pub live_tallies: HashMap<i64, Tally>,
}

impl NetworkState {
    pub fn forget(&mut self, id: i64) {
        self.known_votes.remove(&id);
        self.archived.retain(|(proposal, _), _| *proposal != id);
        self.live_tallies.remove(&id);
    }
}

/// Archives the raw `responses` as `{prefix}/{at}.json` (and `{prefix}/latest.json` with
/// `latest`) unless the hash of their bytes is `last`, the hash of what was last archived there;
/// returns their hash. So an unchanged answer is archived once, and an answer is archived before
/// anything parses it.
async fn archive_when_changed(
    ctx: &WorkerContext,
    network: &FollowedNetwork,
    prefix: &str,
    responses: &[(&str, &bytes::Bytes)],
    last: Option<&str>,
    at: chrono::DateTime<chrono::Utc>,
    latest: bool,
) -> anyhow::Result<String> {
    use sha2::{Digest, Sha256};
    let mut hasher = Sha256::new();
    responses.iter().for_each(|(_, body)| hasher.update(body));
    let hash = hex::encode(hasher.finalize());
    if last == Some(hash.as_str()) {
        return Ok(hash);
    }
    let document = crate::archive::document(&network.slug, &network.chain_id, at, responses);
    ctx.archive
        .put(&crate::archive::timestamped(prefix, at), document.clone())
        .await?;
    if latest {
        ctx.archive
            .put(&format!("{prefix}/latest.json"), document)
            .await?;
    }
    Ok(hash)
}

/// One round for every network; returns how long to wait before the next.
pub async fn run_all(
    ctx: &WorkerContext,
    state: &mut GovernanceState,
    intervals: Intervals,
) -> Duration {
    let mut wait = intervals.proposals;
    for network in ctx.networks.iter() {
        let network_state = state.networks.entry(network.slug.clone()).or_default();
        wait = wait.min(run_network(ctx, network_state, network, intervals).await);
    }
    wait
}

/// Reads the proposal list when it is due and polls the votes of the proposals in voting, each
/// a recorded run; returns when this network wants the next round.
async fn run_network(
    ctx: &WorkerContext,
    state: &mut NetworkState,
    network: &FollowedNetwork,
    intervals: Intervals,
) -> Duration {
    let slug = Some(network.slug.as_str());
    if state.next_refresh.is_none_or(|at| Instant::now() >= at) {
        state.next_refresh = Some(Instant::now() + intervals.proposals);
        ctx.record(GOVERNANCE, slug, refresh::refresh(ctx, state, network))
            .await;
    }
    if !state.voting.is_empty() {
        ctx.record(GOVERNANCE, slug, votes::poll(ctx, state, network))
            .await;
    }
    let until_refresh = state
        .next_refresh
        .map(|at| at.saturating_duration_since(Instant::now()))
        .unwrap_or_default();
    if state.voting.is_empty() {
        until_refresh
    } else {
        intervals.votes.min(until_refresh.max(intervals.votes))
    }
}
