//! The elections worker (one per deployment: advisory lock `elections`). It moves every election
//! through `scheduled → preparing → open → tallying → closed`, one committed row change at a
//! time, so a restart at any moment resumes where it was:
//! - due (voting start + ELECTIONS_PREPARE_OFFSET_MINUTES, or "open now"): takes the power
//!   snapshot and builds the plan ("block 0"), stores both, archives `plan.json` and
//!   `snapshot.csv` (`{network}/elections/{id}/`);
//! - at the start (or at once for "open now"): opens it; while open, counts the live tally
//!   when ballots came (every ELECTIONS_LIVE_TALLY_SECS);
//! - at the end: counts each voter's last ballot, writes the results and the counted ballots'
//!   root in one statement, archives the bundle's files, and closes it.
//!
//! An edit before opening moves the election's revision: a plan built from an older one is
//! not stored. The worker wakes every ELECTIONS_POLL_SECS, at the next due time, and at once
//! when an admin changes an election (NOTIFY `stakeboard_elections`).

mod sources;
mod store;

use super::{
    kit::{self, Worker},
    runs::RoundLog,
    WorkerContext,
};
use crate::elections::{
    bundle,
    plan::{Plan, SnapshotSummary},
    snapshot,
    tally::{self, Holding},
};
use anyhow::Context;
use app::{
    elections::{
        choice::Choice,
        db::{self as elections_db, ElectionRow},
        merkle,
        model::{ElectionState, PowerSource},
    },
    system::workers::ELECTIONS,
};
use chrono::{DateTime, Utc};
use sqlx::postgres::PgListener;
use std::{
    collections::HashMap,
    sync::Arc,
    time::{Duration, Instant},
};

/// The channel admins' changes notify.
pub const CHANNEL: &str = "stakeboard_elections";

/// How the worker paces itself.
#[derive(Debug, Clone, Copy)]
pub struct Timing {
    pub poll: Duration,
    /// When preparing starts, relative to the voting start (negative: before).
    pub prepare_offset: chrono::Duration,
    pub live_tally: Duration,
}

pub struct Lifecycle {
    timing: Timing,
    log: RoundLog,
    listener: Option<PgListener>,
    /// Each election's snapshot, by revision: read once, counted at every live tally.
    snapshots: HashMap<i64, (i32, Arc<Vec<Holding>>)>,
}

impl Lifecycle {
    pub fn new(timing: Timing) -> Self {
        Self {
            timing,
            log: RoundLog::new(ELECTIONS, None),
            listener: None,
            snapshots: HashMap::new(),
        }
    }
}

impl Worker for Lifecycle {
    const NAME: &'static str = ELECTIONS;

    fn on_lead(&mut self) {
        self.snapshots.clear();
    }

    async fn round(&mut self, ctx: &WorkerContext) -> Duration {
        let (started_at, started) = (Utc::now(), Instant::now());
        let (outcome, next) = self.advance_all(ctx).await;
        self.log
            .record(&ctx.pool, started_at, started, outcome)
            .await;
        let wait = next
            .map(|at| (at - Utc::now()).to_std().unwrap_or(Duration::ZERO))
            .unwrap_or(self.timing.poll)
            .min(self.timing.poll);
        self.wait(ctx, wait).await;
        Duration::ZERO
    }
}

/// What one step of one election did.
enum Step {
    Nothing,
    Did(String),
}

impl Lifecycle {
    /// Waits `wait`, or until an admin changes an election.
    async fn wait(&mut self, ctx: &WorkerContext, wait: Duration) {
        if self.listener.is_none() {
            match PgListener::connect_with(&ctx.pool).await {
                Ok(mut listener) => match listener.listen(CHANNEL).await {
                    Ok(()) => self.listener = Some(listener),
                    Err(error) => {
                        tracing::warn!(%error, "cannot listen for election changes; polling")
                    }
                },
                Err(error) => tracing::warn!(%error, "cannot listen for election changes; polling"),
            }
        }
        let Some(listener) = self.listener.as_mut() else {
            kit::sleep_or_shutdown(wait, &ctx.shutdown).await;
            return;
        };
        let lost = tokio::select! {
            received = listener.recv() => received.is_err(),
            _ = kit::sleep_or_shutdown(wait, &ctx.shutdown) => false,
        };
        if lost {
            self.listener = None;
        }
    }

    /// One step for every election that is not over; what was done, and when the next is due.
    async fn advance_all(
        &mut self,
        ctx: &WorkerContext,
    ) -> (Result<Option<String>, String>, Option<DateTime<Utc>>) {
        let rows = match elections_db::in_states(
            &ctx.pool,
            None,
            &["scheduled", "preparing", "open", "tallying"],
        )
        .await
        {
            Ok(rows) => rows,
            Err(error) => return (Err(format!("cannot read the elections: {error}")), None),
        };
        let (mut did, mut failed) = (Vec::new(), Vec::new());
        let mut next: Option<DateTime<Utc>> = None;
        for row in &rows {
            metrics_state(row);
            match self.advance(ctx, row).await {
                Ok(Step::Did(what)) => did.push(format!("#{}: {what}", row.id)),
                Ok(Step::Nothing) => {}
                Err(error) => {
                    let text = format!("{error:#}");
                    tracing::warn!(election = row.id, error = %text, "an election step failed; it is retried");
                    if let Err(e) = store::note_error(&ctx.pool, row.id, &text).await {
                        tracing::warn!(election = row.id, error = %e, "cannot note an election's error");
                    }
                    failed.push(format!("#{}: {text}", row.id));
                }
            }
            next = store::earliest(next.into_iter().chain(self.due(row)));
        }
        let outcome = match (did.is_empty(), failed.is_empty()) {
            (true, true) => Ok(None),
            (_, true) => Ok(Some(did.join("; "))),
            (_, false) => Err(failed.join("; ")),
        };
        // A step that did something may make the next one due at once.
        if !did.is_empty() {
            next = Some(Utc::now());
        }
        (outcome, next)
    }

    /// When this election's next step is due.
    fn due(&self, row: &ElectionRow) -> Option<DateTime<Utc>> {
        match row.state() {
            ElectionState::Scheduled => Some(row.voting_start + self.timing.prepare_offset),
            ElectionState::Preparing => Some(row.voting_start),
            ElectionState::Open => {
                let live = (row.ballots_count != row.live_results_count).then(|| {
                    row.live_results_at.unwrap_or(row.voting_start)
                        + chrono::Duration::from_std(self.timing.live_tally).unwrap_or_default()
                });
                store::earliest(std::iter::once(row.voting_end).chain(live))
            }
            _ => None,
        }
    }

    async fn advance(&mut self, ctx: &WorkerContext, row: &ElectionRow) -> anyhow::Result<Step> {
        let now = Utc::now();
        let open_requested = row.open_requested_at.is_some();
        match row.state() {
            ElectionState::Scheduled
                if open_requested || now >= row.voting_start + self.timing.prepare_offset =>
            {
                if store::begin_preparing(&ctx.pool, row.id, row.revision).await? {
                    return Ok(Step::Did("preparing".into()));
                }
                Ok(Step::Nothing)
            }
            ElectionState::Preparing if row.block0_hash.is_none() => {
                if now >= row.voting_end {
                    // The detail stays in `last_error`, on the admins' page only.
                    if store::fail_unprepared(&ctx.pool, row.id, row.revision).await? {
                        return Ok(Step::Did("failed: not prepared before its end".into()));
                    }
                    return Ok(Step::Nothing);
                }
                self.prepare(ctx, row).await
            }
            ElectionState::Preparing if row.plan_archived_at.is_none() => {
                self.archive_plan(ctx, row).await
            }
            ElectionState::Preparing if open_requested || now >= row.voting_start => {
                if store::open(&ctx.pool, row.id, row.revision).await? {
                    return Ok(Step::Did("open".into()));
                }
                Ok(Step::Nothing)
            }
            ElectionState::Open if now >= row.voting_end => {
                if store::end_voting(&ctx.pool, row.id).await? {
                    return Ok(Step::Did("voting ended; counting".into()));
                }
                Ok(Step::Nothing)
            }
            // Counted whether or not it is public: the admins' page shows it either way.
            ElectionState::Open => self.live_tally(ctx, row, now).await,
            ElectionState::Tallying if row.results.is_none() => self.count(ctx, row).await,
            ElectionState::Tallying => self.archive_and_close(ctx, row).await,
            _ => Ok(Step::Nothing),
        }
    }

    async fn prepare(&mut self, ctx: &WorkerContext, row: &ElectionRow) -> anyhow::Result<Step> {
        let network = ctx
            .networks
            .iter()
            .find(|n| n.slug == row.network)
            .with_context(|| format!("network {} is no longer followed", row.network))?;
        let started = Instant::now();
        let (mut holdings, height) = match row.power_source() {
            PowerSource::Validators => (sources::validators(&ctx.pool, &row.network).await?, None),
            PowerSource::Allowlist => (sources::allowlist(&ctx.pool, row.id).await?, None),
            PowerSource::Stake => {
                let (holdings, height) =
                    sources::stake(network, row.snapshot_height.map(|h| h as u64)).await?;
                (holdings, Some(height as i64))
            }
        };
        snapshot::sort(&mut holdings);
        let eligible = holdings
            .iter()
            .try_fold(0u128, |sum, h| sum.checked_add(h.power))
            .context("the snapshot's voting power adds up to more than a count can hold")?;
        let mut voters: Vec<&str> = holdings
            .iter()
            .flat_map(|h| std::iter::once(h.address.as_str()).chain(h.delegate.as_deref()))
            .collect();
        voters.sort_unstable();
        voters.dedup();
        let plan = Plan {
            backend: "builtin".into(),
            bech32_prefix: network.bech32_prefix.clone(),
            cap_bp: row.cap_bp.map(|v| v as u32),
            chain_id: network.chain_id.clone(),
            description: row.description.clone(),
            election: row.id,
            method: row.method(),
            network: row.network.clone(),
            options: row.options.clone(),
            power_source: row.power_source(),
            question: row.question.clone(),
            quorum_bp: row.quorum_bp as u32,
            revision: row.revision,
            snapshot: SnapshotSummary {
                eligible_power: eligible.to_string(),
                height,
                holdings: holdings.len() as u64,
                root: snapshot::root(&holdings),
                taken_at: Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                voters: voters.len() as u64,
            },
            threshold_bp: row.threshold_bp.map(|v| v as u32),
            title: row.title.clone(),
        };
        if !store::store_plan(&ctx.pool, &plan, &holdings, height).await? {
            return Ok(Step::Did("edited while preparing: preparing again".into()));
        }
        self.snapshots
            .insert(row.id, (row.revision, Arc::new(holdings)));
        Ok(Step::Did(format!(
            "plan {} built: {} voters, {} holdings{}, in {:.1} s",
            &plan.hash()[..12],
            plan.snapshot.voters,
            plan.snapshot.holdings,
            height
                .map(|h| format!(" at height {h}"))
                .unwrap_or_default(),
            started.elapsed().as_secs_f64()
        )))
    }

    async fn archive_plan(
        &mut self,
        ctx: &WorkerContext,
        row: &ElectionRow,
    ) -> anyhow::Result<Step> {
        let plan = sqlx::query_scalar!("SELECT block0 FROM elections WHERE id = $1", row.id)
            .fetch_one(&ctx.pool)
            .await?
            .context("the plan is gone")?;
        let holdings = self.holdings(ctx, row).await?;
        let prefix = format!("{}/elections/{}", row.network, row.id);
        ctx.archive
            .put(&format!("{prefix}/plan.json"), plan.into())
            .await?;
        ctx.archive
            .put(
                &format!("{prefix}/snapshot.csv"),
                snapshot::to_csv(&holdings).into(),
            )
            .await?;
        store::plan_archived(&ctx.pool, row.id, row.revision).await?;
        Ok(Step::Did("plan and snapshot archived".into()))
    }

    /// The election's snapshot, read once per revision.
    async fn holdings(
        &mut self,
        ctx: &WorkerContext,
        row: &ElectionRow,
    ) -> anyhow::Result<Arc<Vec<Holding>>> {
        if let Some((revision, holdings)) = self.snapshots.get(&row.id) {
            if *revision == row.revision {
                return Ok(holdings.clone());
            }
        }
        let holdings = Arc::new(bundle::holdings(&ctx.pool, row.id).await?);
        self.snapshots
            .insert(row.id, (row.revision, holdings.clone()));
        Ok(holdings)
    }

    /// Each voter's last ballot, counted under the plan's rules.
    async fn tally(
        &mut self,
        ctx: &WorkerContext,
        row: &ElectionRow,
    ) -> anyhow::Result<(app::elections::model::ElectionResults, Vec<(i64, String)>)> {
        let holdings = self.holdings(ctx, row).await?;
        let last = store::last_ballots(&ctx.pool, row.id).await?;
        let mut choices = HashMap::with_capacity(last.len());
        let mut counted = Vec::with_capacity(last.len());
        for (voter, choice, position, hash) in last {
            let choice: Choice = serde_json::from_value(choice)
                .with_context(|| format!("the stored choice of {voter} cannot be read"))?;
            choices.insert(voter, choice);
            counted.push((position, hash));
        }
        counted.sort_unstable();
        let rules = tally::Rules {
            method: row.method(),
            options: row.options.len(),
            quorum: app::elections::model::BasisPoints(row.quorum_bp as u32),
            threshold: row
                .threshold_bp
                .map(|t| app::elections::model::BasisPoints(t as u32)),
            cap: row
                .cap_bp
                .map(|c| app::elections::model::BasisPoints(c as u32)),
        };
        let started = Instant::now();
        let total = row.ballots_count as u64;
        let results =
            tokio::task::spawn_blocking(move || tally::count(&rules, &holdings, &choices, total))
                .await?;
        metrics::histogram!("stakeboard_election_tally_seconds")
            .record(started.elapsed().as_secs_f64());
        Ok((results, counted))
    }

    async fn live_tally(
        &mut self,
        ctx: &WorkerContext,
        row: &ElectionRow,
        now: DateTime<Utc>,
    ) -> anyhow::Result<Step> {
        let due = row.ballots_count != row.live_results_count
            && row.live_results_at.is_none_or(|at| {
                now - at >= chrono::Duration::from_std(self.timing.live_tally).unwrap_or_default()
            });
        if !due {
            return Ok(Step::Nothing);
        }
        let (results, _) = self.tally(ctx, row).await?;
        store::store_live(&ctx.pool, row.id, &results, row.ballots_count).await?;
        Ok(Step::Nothing)
    }

    async fn count(&mut self, ctx: &WorkerContext, row: &ElectionRow) -> anyhow::Result<Step> {
        // Ballots taken up to the end are all in: the ledger's count is read with the state.
        let row = elections_db::election(&ctx.pool, row.id)
            .await?
            .context("the election is gone")?;
        let (results, counted) = self.tally(ctx, &row).await?;
        let leaves: Vec<merkle::Hash> = counted
            .iter()
            .map(|(_, h)| merkle::leaf_hash(&hex::decode(h).unwrap_or_default()))
            .collect();
        let root = hex::encode(merkle::root(&leaves));
        if store::store_results(&ctx.pool, row.id, &results, &root).await? {
            return Ok(Step::Did(format!(
                "counted: {:?}, turnout {:.2} %",
                results.verdict,
                results.turnout * 100.0
            )));
        }
        Ok(Step::Nothing)
    }

    async fn archive_and_close(
        &mut self,
        ctx: &WorkerContext,
        row: &ElectionRow,
    ) -> anyhow::Result<Step> {
        let files = bundle::files(&ctx.pool, row.id)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        let prefix = format!("{}/elections/{}", row.network, row.id);
        for (name, data) in files.files {
            ctx.archive
                .put(&format!("{prefix}/{name}"), data.into())
                .await?;
        }
        if store::close(&ctx.pool, row.id).await? {
            self.snapshots.remove(&row.id);
            return Ok(Step::Did("archived and closed".into()));
        }
        Ok(Step::Nothing)
    }
}

/// `stakeboard_election_state{election, state}`: 1 for the state an election is in.
fn metrics_state(row: &ElectionRow) {
    for state in ElectionState::ALL {
        let value = if state == row.state() { 1.0 } else { 0.0 };
        metrics::gauge!("stakeboard_election_state", "election" => row.id.to_string(), "state" => state.as_str()).set(value);
    }
}

/// Runs one pass over the elections as the worker would (tests and benches drive the
/// lifecycle step by step with it).
pub async fn run_once(ctx: &WorkerContext, timing: Timing) -> Result<Option<String>, String> {
    Lifecycle::new(timing).advance_all(ctx).await.0
}
