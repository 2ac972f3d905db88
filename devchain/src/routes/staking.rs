//! `cosmos/staking/v1beta1`: validators (paginated, filtered by status), one validator, pool, params.

use crate::{address, error::ChainError, pagination::PageRequest, AppState};
use axum::{
    extract::{Path, Query, State},
    http::HeaderMap,
    Json,
};
use serde_json::{json, Value};
use std::collections::HashMap;

const STATUSES: [&str; 3] = [
    "BOND_STATUS_BONDED",
    "BOND_STATUS_UNBONDING",
    "BOND_STATUS_UNBONDED",
];

pub async fn validators(
    State(state): State<AppState>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Json<Value>, ChainError> {
    let page = PageRequest::from_query(&query)?;
    let status = query
        .get("status")
        .filter(|s| !s.is_empty() && *s != "BOND_STATUS_UNSPECIFIED");
    if let Some(status) = status {
        if !STATUSES.contains(&status.as_str()) {
            return Err(ChainError::invalid(format!(
                "invalid validator status {status}"
            )));
        }
    }
    let chain = state.chain.read().expect("chain lock");
    let selected: Vec<&Value> = chain
        .validators
        .iter()
        .filter(|v| status.is_none_or(|s| v["status"] == s.as_str()))
        .collect();
    let (validators, pagination) = page.apply(&selected, |v| {
        address::store_key(v["operator_address"].as_str().unwrap_or_default())
    });
    Ok(Json(
        json!({ "validators": validators, "pagination": pagination }),
    ))
}

pub async fn validator(
    State(state): State<AppState>,
    Path(operator): Path<String>,
) -> Result<Json<Value>, ChainError> {
    ChainError::require_bech32(&operator, "validator")?;
    let chain = state.chain.read().expect("chain lock");
    let index = chain
        .validator_index(&operator)
        .ok_or_else(|| ChainError::not_found(format!("validator {operator} not found")))?;
    Ok(Json(json!({ "validator": chain.validators[index] })))
}

pub async fn pool(State(state): State<AppState>) -> Json<Value> {
    Json(state.chain.read().expect("chain lock").pool())
}

pub async fn params(State(state): State<AppState>) -> Json<Value> {
    Json(
        state
            .chain
            .read()
            .expect("chain lock")
            .staking_params
            .clone(),
    )
}

/// A bonded validator's delegations, paginated, at the height the `x-cosmos-block-height`
/// header asks for (any height up to the latest answers the same).
pub async fn delegations(
    State(state): State<AppState>,
    Path(operator): Path<String>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Json<Value>, ChainError> {
    ChainError::require_bech32(&operator, "validator")?;
    let page = PageRequest::from_query(&query)?;
    let chain = state.chain.read().expect("chain lock");
    if let Some(height) = headers.get("x-cosmos-block-height") {
        let height: u64 = height
            .to_str()
            .ok()
            .and_then(|h| h.trim().parse().ok())
            .ok_or_else(|| ChainError::invalid("invalid height header"))?;
        let latest = chain.latest_height();
        if height > latest {
            return Err(ChainError::invalid(format!(
                "invalid height; cannot query with height in the future; please provide a valid height: {height} > {latest}"
            )));
        }
    }
    chain
        .validator_index(&operator)
        .ok_or_else(|| ChainError::not_found(format!("validator {operator} not found")))?;
    let empty = Vec::new();
    let all = chain.delegations_of(&operator).unwrap_or(&empty);
    let (items, pagination) = page.apply(all, |d| {
        address::store_key(
            d["delegation"]["delegator_address"]
                .as_str()
                .unwrap_or_default(),
        )
    });
    Ok(Json(
        json!({ "delegation_responses": items, "pagination": pagination }),
    ))
}
