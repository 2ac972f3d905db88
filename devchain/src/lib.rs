//! devchain: a local stand-in for a Cosmos SDK node's REST (LCD) API, serving real recorded
//! Cosmos Hub data. For tests and offline demos; never for production.
//!
//! Besides the SDK paths it has control paths under `/_devchain` (see [`routes::control`]) and an
//! in-process handle ([`DevChain`]) so tests can inject faults, change validators and play
//! governance scenarios.

pub mod address;
pub mod delegations;
pub mod error;
pub mod faults;
pub mod fixtures;
pub mod gov;
pub mod hostile;
pub mod ledger;
pub mod pagination;
pub mod routes;
pub mod state;
pub mod stats;

use axum::{
    middleware,
    routing::{get, patch, post, put},
    Router,
};
use faults::Faults;
use gov::{scenario::ScenarioSettings, Gov, GovApi};
use ledger::Ledger;
use serde_json::Value;
use state::{Chain, Settings};
use stats::Stats;
use std::{
    net::SocketAddr,
    sync::{Arc, Mutex, RwLock},
};
use tokio::{net::TcpListener, task::JoinHandle};

#[derive(Clone)]
pub struct AppState {
    pub chain: Arc<RwLock<Chain>>,
    pub gov: Arc<Mutex<Gov>>,
    pub faults: Arc<Mutex<Faults>>,
    pub stats: Arc<Stats>,
    pub ledger: Arc<Mutex<Ledger>>,
}

impl AppState {
    pub fn new(settings: Settings) -> Self {
        let chain = Chain::new(settings.clone());
        let ledger = Ledger::new(settings.ledger.clone(), &chain.denom);
        let mut gov = Gov::new(settings.gov_api, settings.shift_times);
        if let Some(scenario) = settings.scenario {
            gov.start_scenario(scenario, &chain.validators);
        }
        Self {
            chain: Arc::new(RwLock::new(chain)),
            gov: Arc::new(Mutex::new(gov)),
            faults: Arc::new(Mutex::new(Faults::default())),
            stats: Arc::new(Stats::default()),
            ledger: Arc::new(Mutex::new(ledger)),
        }
    }

    /// The ledger with every transaction due by the latest block included.
    pub fn settled_ledger(&self) -> std::sync::MutexGuard<'_, Ledger> {
        let chain = self.chain.read().expect("chain lock");
        let mut ledger = self.ledger.lock().expect("ledger lock");
        ledger.settle(chain.latest_height(), |h| chain.time_of(h));
        ledger
    }

    /// Merges `patch` into a validator's JSON (e.g. `{"tokens": "1"}`) and returns the result;
    /// `None` when no such validator. A new `consensus_pubkey` gets its own signing info, as a
    /// rotated key would.
    pub fn patch_validator(&self, operator: &str, patch: &Value) -> Option<Value> {
        let mut chain = self.chain.write().expect("chain lock");
        let index = chain.validator_index(operator)?;
        state::merge(&mut chain.validators[index], patch);
        if patch.get("consensus_pubkey").is_some() {
            let infos = std::mem::take(&mut chain.signing_infos);
            chain.signing_infos = chain.with_signing_infos(infos);
        }
        Some(chain.validators[index].clone())
    }

    /// Fills the chain with hostile text (see [`hostile`]): five validators' descriptions, a
    /// hostile scenario proposal in its voting period, and two SDK 0.46 proposals without a
    /// title. Returns the operators and proposal ids.
    pub fn make_hostile(&self) -> serde_json::Value {
        let mut chain = self.chain.write().expect("chain lock");
        let mut gov = self.gov.lock().expect("gov lock");
        let operators = hostile::apply_to_validators(&mut chain.validators);
        let scenario = gov.start_scenario(hostile::scenario(), &chain.validators);
        let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        let id = gov.next_id();
        let untitled = gov.add_recorded(hostile::sdk046_proposal(id, &now, ""));
        let metadata = serde_json::json!({
            "title": "</title><script>alert('metadata title')</script>Evil upgrade",
            "summary": "## Why\n<img src=x onerror=alert('metadata summary')>Evil"
        })
        .to_string();
        let id = gov.next_id();
        let from_metadata = gov.add_recorded(hostile::sdk046_proposal(id, &now, &metadata));
        serde_json::json!({
            "operators": operators,
            "proposals": { "scenario": scenario, "untitled": untitled, "metadata": from_metadata },
        })
    }

    /// Submits a new scenario proposal now and returns its id.
    pub fn start_scenario(&self, settings: ScenarioSettings) -> u64 {
        let chain = self.chain.read().expect("chain lock");
        self.gov
            .lock()
            .expect("gov lock")
            .start_scenario(settings, &chain.validators)
    }
}

pub fn router(state: AppState) -> Router {
    use routes::{auth, bank, base, control, slashing, staking, tx};
    Router::new()
        .route(
            "/cosmos/staking/v1beta1/validators",
            get(staking::validators),
        )
        .route(
            "/cosmos/staking/v1beta1/validators/{operator}",
            get(staking::validator),
        )
        .route(
            "/cosmos/staking/v1beta1/validators/{operator}/delegations",
            get(staking::delegations),
        )
        .route("/cosmos/staking/v1beta1/pool", get(staking::pool))
        .route("/cosmos/staking/v1beta1/params", get(staking::params))
        .route(
            "/cosmos/slashing/v1beta1/signing_infos",
            get(slashing::signing_infos),
        )
        .route(
            "/cosmos/slashing/v1beta1/signing_infos/{consensus}",
            get(slashing::signing_info),
        )
        .route("/cosmos/slashing/v1beta1/params", get(slashing::params))
        .route(
            "/cosmos/base/tendermint/v1beta1/node_info",
            get(base::node_info),
        )
        .route(
            "/cosmos/base/tendermint/v1beta1/blocks/latest",
            get(base::latest_block),
        )
        .route(
            "/cosmos/base/tendermint/v1beta1/blocks/{height}",
            get(base::block),
        )
        .route(
            "/cosmos/bank/v1beta1/supply/by_denom",
            get(bank::supply_by_denom),
        )
        .route(
            "/cosmos/bank/v1beta1/balances/{address}",
            get(bank::balances),
        )
        .route(
            "/cosmos/bank/v1beta1/balances/{address}/by_denom",
            get(bank::balance_by_denom),
        )
        .route(
            "/cosmos/auth/v1beta1/accounts/{address}",
            get(auth::account),
        )
        .route("/cosmos/tx/v1beta1/simulate", post(tx::simulate))
        .route("/cosmos/tx/v1beta1/txs", post(tx::broadcast))
        .route("/cosmos/tx/v1beta1/txs/{hash}", get(tx::by_hash))
        .merge(routes::gov::router())
        .route(
            "/_devchain/faults",
            put(control::put_faults)
                .get(control::get_faults)
                .delete(control::clear_faults),
        )
        .route(
            "/_devchain/validators/{operator}",
            patch(control::patch_validator),
        )
        .route(
            "/_devchain/signing_infos/{consensus}",
            patch(control::patch_signing_info),
        )
        .route("/_devchain/gov/scenario", put(control::start_scenario))
        .route("/_devchain/hostile", put(control::make_hostile))
        .route("/_devchain/gov/api", put(control::set_gov_api))
        .route("/_devchain/stats", get(control::stats))
        .fallback(|| async { error::ChainError::not_implemented() })
        .layer(middleware::from_fn_with_state(
            state.clone(),
            faults::inject,
        ))
        .with_state(state)
}

/// A devchain running in this process, for tests.
pub struct DevChain {
    pub addr: SocketAddr,
    pub state: AppState,
    task: JoinHandle<()>,
}

impl DevChain {
    /// Starts devchain on `addr` (port 0 picks a free port).
    pub async fn start(addr: SocketAddr, settings: Settings) -> std::io::Result<Self> {
        let listener = TcpListener::bind(addr).await?;
        let addr = listener.local_addr()?;
        let state = AppState::new(settings);
        let app = router(state.clone());
        let task = tokio::spawn(async move {
            axum::serve(listener, app).await.expect("devchain server");
        });
        Ok(Self { addr, state, task })
    }

    /// Starts devchain on a free loopback port with default settings.
    pub async fn start_local() -> std::io::Result<Self> {
        Self::start(SocketAddr::from(([127, 0, 0, 1], 0)), Settings::default()).await
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn set_faults(&self, faults: Faults) {
        *self.state.faults.lock().expect("faults lock") = faults;
    }

    pub fn clear_faults(&self) {
        self.set_faults(Faults::default());
    }

    /// Merges `patch` into a validator's JSON; false when no such validator.
    pub fn patch_validator(&self, operator: &str, patch: Value) -> bool {
        self.state.patch_validator(operator, &patch).is_some()
    }

    /// Fills the chain with hostile text; see [`AppState::make_hostile`].
    pub fn make_hostile(&self) -> Value {
        self.state.make_hostile()
    }

    /// Submits a new scenario proposal now and returns its id.
    pub fn start_scenario(&self, settings: ScenarioSettings) -> u64 {
        self.state.start_scenario(settings)
    }

    /// Moves a scenario's clock forward by `ms`; false when no such scenario.
    pub fn fast_forward(&self, proposal_id: u64, ms: u64) -> bool {
        match self
            .state
            .gov
            .lock()
            .expect("gov lock")
            .scenario(proposal_id)
        {
            Some(s) => {
                s.fast_forward(ms);
                true
            }
            None => false,
        }
    }

    pub fn set_gov_api(&self, api: GovApi) {
        self.state.gov.lock().expect("gov lock").api = api;
    }

    /// The balance of `address` in the staking denom, with due transactions included.
    pub fn balance(&self, address: &str) -> u128 {
        let denom = self.state.chain.read().expect("chain lock").denom.clone();
        self.state.settled_ledger().balance(address, &denom)
    }

    /// Simulations and broadcasts refused so far because their sequence was not the expected one.
    pub fn sequence_mismatches(&self) -> u64 {
        self.state
            .ledger
            .lock()
            .expect("ledger lock")
            .sequence_mismatches
    }

    /// Chain requests served so far whose path starts with `prefix`.
    pub fn requests(&self, prefix: &str) -> u64 {
        self.state.stats.count(prefix)
    }
}

impl Drop for DevChain {
    fn drop(&mut self) {
        self.task.abort();
    }
}
