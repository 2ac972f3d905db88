//! `cosmos/gov/v1` and `cosmos/gov/v1beta1`: proposals (filtered by status, paginated), one
//! proposal, its live or final tally, its votes (paginated, pruned after the tally), one vote,
//! params. On a chain set to v1beta1, the v1 paths answer 501 like an old node.

use crate::{
    error::ChainError,
    gov::{self, scenario::Scenario, GovApi},
    pagination::PageRequest,
    AppState,
};
use axum::{
    extract::{Path, Query, State},
    Json,
};
use serde_json::{json, Value};
use std::collections::HashMap;

type Answer = Result<Json<Value>, ChainError>;

const STATUSES: [&str; 6] = [
    "PROPOSAL_STATUS_UNSPECIFIED",
    "PROPOSAL_STATUS_DEPOSIT_PERIOD",
    "PROPOSAL_STATUS_VOTING_PERIOD",
    "PROPOSAL_STATUS_PASSED",
    "PROPOSAL_STATUS_REJECTED",
    "PROPOSAL_STATUS_FAILED",
];

fn require_v1(state: &AppState) -> Result<(), ChainError> {
    match state.gov.lock().expect("gov lock").api {
        GovApi::V1 => Ok(()),
        GovApi::V1beta1 => Err(ChainError::not_implemented()),
    }
}

fn parse_id(id: &str) -> Result<u64, ChainError> {
    id.parse()
        .map_err(|_| ChainError::invalid(format!("invalid proposal id {id}")))
}

fn list(state: &AppState, query: &HashMap<String, String>, beta: bool) -> Answer {
    let page = PageRequest::from_query(query)?;
    let status = query
        .get("proposal_status")
        .filter(|s| !s.is_empty() && s.as_str() != "PROPOSAL_STATUS_UNSPECIFIED");
    if let Some(status) = status {
        if !STATUSES.contains(&status.as_str()) {
            return Err(ChainError::invalid(format!(
                "invalid proposal status {status}"
            )));
        }
    }
    let proposals: Vec<Value> = state
        .gov
        .lock()
        .expect("gov lock")
        .proposals()
        .into_iter()
        .filter(|p| status.is_none_or(|s| p["status"] == s.as_str()))
        .collect();
    let (proposals, pagination) = page.apply(&proposals, gov::proposal_key);
    let proposals: Vec<Value> = if beta {
        proposals.iter().map(gov::to_v1beta1).collect()
    } else {
        proposals
    };
    Ok(Json(
        json!({ "proposals": proposals, "pagination": pagination }),
    ))
}

fn one(state: &AppState, id: &str, beta: bool) -> Answer {
    let id = parse_id(id)?;
    let proposal = state
        .gov
        .lock()
        .expect("gov lock")
        .proposal(id)
        .ok_or_else(|| ChainError::not_found(format!("proposal {id} doesn't exist")))?;
    Ok(Json(
        json!({ "proposal": if beta { gov::to_v1beta1(&proposal) } else { proposal } }),
    ))
}

fn tally(state: &AppState, id: &str, beta: bool) -> Answer {
    let id = parse_id(id)?;
    let tally = state
        .gov
        .lock()
        .expect("gov lock")
        .tally(id)
        .ok_or_else(|| ChainError::not_found(format!("proposal {id} doesn't exist")))?;
    Ok(Json(
        json!({ "tally": if beta { gov::tally_v1_to_beta(&tally) } else { tally } }),
    ))
}

fn votes(state: &AppState, id: &str, query: &HashMap<String, String>, beta: bool) -> Answer {
    let id = parse_id(id)?;
    let page = PageRequest::from_query(query)?;
    let mut gov = state.gov.lock().expect("gov lock");
    if gov.proposal(id).is_none() {
        return Err(ChainError::not_found(format!(
            "proposal {id} doesn't exist"
        )));
    }
    let (votes, pagination) = match gov.scenario(id) {
        Some(s) => s.votes(&page),
        None => (Vec::new(), json!({ "next_key": null, "total": "0" })),
    };
    let votes: Vec<Value> = if beta {
        votes.iter().map(Scenario::to_v1beta1_vote).collect()
    } else {
        votes
    };
    Ok(Json(json!({ "votes": votes, "pagination": pagination })))
}

fn vote(state: &AppState, id: &str, voter: &str, beta: bool) -> Answer {
    let id = parse_id(id)?;
    ChainError::require_bech32(voter, "voter")?;
    let vote = state
        .gov
        .lock()
        .expect("gov lock")
        .vote(id, voter)
        .ok_or_else(|| {
            ChainError::invalid(format!("voter: {voter} not found for proposal: {id}"))
        })?;
    Ok(Json(
        json!({ "vote": if beta { Scenario::to_v1beta1_vote(&vote) } else { vote } }),
    ))
}

pub async fn proposals_v1(
    State(state): State<AppState>,
    Query(query): Query<HashMap<String, String>>,
) -> Answer {
    require_v1(&state)?;
    list(&state, &query, false)
}

pub async fn proposals_v1beta1(
    State(state): State<AppState>,
    Query(query): Query<HashMap<String, String>>,
) -> Answer {
    list(&state, &query, true)
}

pub async fn proposal_v1(State(state): State<AppState>, Path(id): Path<String>) -> Answer {
    require_v1(&state)?;
    one(&state, &id, false)
}

pub async fn proposal_v1beta1(State(state): State<AppState>, Path(id): Path<String>) -> Answer {
    one(&state, &id, true)
}

pub async fn tally_v1(State(state): State<AppState>, Path(id): Path<String>) -> Answer {
    require_v1(&state)?;
    tally(&state, &id, false)
}

pub async fn tally_v1beta1(State(state): State<AppState>, Path(id): Path<String>) -> Answer {
    tally(&state, &id, true)
}

pub async fn votes_v1(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Answer {
    require_v1(&state)?;
    votes(&state, &id, &query, false)
}

pub async fn votes_v1beta1(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Answer {
    votes(&state, &id, &query, true)
}

pub async fn vote_v1(
    State(state): State<AppState>,
    Path((id, voter)): Path<(String, String)>,
) -> Answer {
    require_v1(&state)?;
    vote(&state, &id, &voter, false)
}

pub async fn vote_v1beta1(
    State(state): State<AppState>,
    Path((id, voter)): Path<(String, String)>,
) -> Answer {
    vote(&state, &id, &voter, true)
}

pub async fn params_v1(State(state): State<AppState>, Path(kind): Path<String>) -> Answer {
    require_v1(&state)?;
    if gov::params_v1beta1(&kind).is_none() {
        return Err(ChainError::invalid(format!(
            "{kind} is not a valid parameter type"
        )));
    }
    Ok(Json(gov::params_v1()))
}

pub async fn params_v1beta1(Path(kind): Path<String>) -> Answer {
    gov::params_v1beta1(&kind)
        .map(Json)
        .ok_or_else(|| ChainError::invalid(format!("{kind} is not a valid parameter type")))
}

/// The gov paths of both versions.
pub fn router() -> axum::Router<AppState> {
    use axum::routing::get;
    axum::Router::new()
        .route("/cosmos/gov/v1/proposals", get(proposals_v1))
        .route("/cosmos/gov/v1/proposals/{id}", get(proposal_v1))
        .route("/cosmos/gov/v1/proposals/{id}/tally", get(tally_v1))
        .route("/cosmos/gov/v1/proposals/{id}/votes", get(votes_v1))
        .route("/cosmos/gov/v1/proposals/{id}/votes/{voter}", get(vote_v1))
        .route("/cosmos/gov/v1/params/{kind}", get(params_v1))
        .route("/cosmos/gov/v1beta1/proposals", get(proposals_v1beta1))
        .route("/cosmos/gov/v1beta1/proposals/{id}", get(proposal_v1beta1))
        .route(
            "/cosmos/gov/v1beta1/proposals/{id}/tally",
            get(tally_v1beta1),
        )
        .route(
            "/cosmos/gov/v1beta1/proposals/{id}/votes",
            get(votes_v1beta1),
        )
        .route(
            "/cosmos/gov/v1beta1/proposals/{id}/votes/{voter}",
            get(vote_v1beta1),
        )
        .route("/cosmos/gov/v1beta1/params/{kind}", get(params_v1beta1))
}
