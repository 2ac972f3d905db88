//! `cosmos/staking/v1beta1`: validators (paginated, filtered by status), one validator, pool, params.

use crate::{address, error::ChainError, pagination::PageRequest, AppState};
use axum::{
    extract::{Path, Query, State},
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
