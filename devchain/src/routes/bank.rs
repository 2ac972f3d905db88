//! `cosmos/bank/v1beta1`: the supply of a denom and account balances.

use crate::{error::ChainError, AppState};
use axum::{
    extract::{Path, Query, State},
    Json,
};
use serde_json::{json, Value};
use std::collections::HashMap;

pub async fn supply_by_denom(
    State(state): State<AppState>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Json<Value>, ChainError> {
    let denom = query
        .get("denom")
        .filter(|d| !d.is_empty())
        .ok_or_else(|| ChainError::invalid("invalid denom"))?;
    let chain = state.chain.read().expect("chain lock");
    let amount = if *denom == chain.denom {
        chain.supply()
    } else {
        0
    };
    Ok(Json(
        json!({ "amount": { "denom": denom, "amount": amount.to_string() } }),
    ))
}

pub async fn balances(
    State(state): State<AppState>,
    Path(address): Path<String>,
) -> Result<Json<Value>, ChainError> {
    ChainError::require_bech32(&address, "account")?;
    Ok(Json(state.settled_ledger().balances_json(&address)))
}

pub async fn balance_by_denom(
    State(state): State<AppState>,
    Path(address): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Json<Value>, ChainError> {
    ChainError::require_bech32(&address, "account")?;
    let denom = query
        .get("denom")
        .filter(|d| !d.is_empty())
        .ok_or_else(|| ChainError::invalid("invalid denom"))?;
    let amount = state.settled_ledger().balance(&address, denom);
    Ok(Json(
        json!({ "balance": { "denom": denom, "amount": amount.to_string() } }),
    ))
}
