//! devchain's own paths under `/_devchain`: set faults, change validators, read request counts.

use crate::{faults::Faults, state::merge, AppState};
use axum::{
    extract::{Path, State},
    http::StatusCode,
    Json,
};
use serde_json::{json, Value};

pub async fn get_faults(State(state): State<AppState>) -> Json<Faults> {
    Json(state.faults.lock().expect("faults lock").clone())
}

pub async fn put_faults(State(state): State<AppState>, Json(faults): Json<Faults>) -> Json<Faults> {
    *state.faults.lock().expect("faults lock") = faults.clone();
    Json(faults)
}

pub async fn clear_faults(State(state): State<AppState>) -> StatusCode {
    *state.faults.lock().expect("faults lock") = Faults::default();
    StatusCode::NO_CONTENT
}

/// Merges the JSON body into the validator's recorded JSON (e.g. `{"tokens": "1"}`); see
/// [`AppState::patch_validator`].
pub async fn patch_validator(
    State(state): State<AppState>,
    Path(operator): Path<String>,
    Json(patch): Json<Value>,
) -> Result<Json<Value>, StatusCode> {
    state
        .patch_validator(&operator, &patch)
        .map(Json)
        .ok_or(StatusCode::NOT_FOUND)
}

/// Merges the JSON body into a signing info (e.g. `{"missed_blocks_counter": "12"}`).
pub async fn patch_signing_info(
    State(state): State<AppState>,
    Path(consensus): Path<String>,
    Json(patch): Json<Value>,
) -> Result<Json<Value>, StatusCode> {
    let mut chain = state.chain.write().expect("chain lock");
    let index = chain
        .signing_info_index(&consensus)
        .ok_or(StatusCode::NOT_FOUND)?;
    merge(&mut chain.signing_infos[index], &patch);
    Ok(Json(chain.signing_infos[index].clone()))
}

pub async fn stats(State(state): State<AppState>) -> Json<Value> {
    let height = state.chain.read().expect("chain lock").latest_height();
    let mismatches = state
        .ledger
        .lock()
        .expect("ledger lock")
        .sequence_mismatches;
    Json(json!({
        "latest_height": height,
        "requests": state.stats.snapshot(),
        "sequence_mismatches": mismatches,
    }))
}

/// Submits a new scenario proposal now, e.g. `{"delegators": 1000, "deposit_secs": 5, "voting_secs": 60}`.
pub async fn start_scenario(
    State(state): State<AppState>,
    Json(settings): Json<crate::gov::scenario::ScenarioSettings>,
) -> Json<Value> {
    let id = state.start_scenario(settings);
    Json(json!({ "proposal_id": id.to_string() }))
}

/// Fills the chain with hostile text: `{"operators": [...], "proposals": {...}}`.
pub async fn make_hostile(State(state): State<AppState>) -> Json<Value> {
    Json(state.make_hostile())
}

/// Switches the gov API the chain answers: `{"api": "v1beta1"}` makes v1 paths answer 501.
pub async fn set_gov_api(
    State(state): State<AppState>,
    Json(body): Json<GovApiBody>,
) -> StatusCode {
    state.gov.lock().expect("gov lock").api = body.api;
    StatusCode::NO_CONTENT
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GovApiBody {
    api: crate::gov::GovApi,
}
