//! `cosmos/auth/v1beta1`: accounts with their number and sequence.

use crate::{error::ChainError, AppState};
use axum::{
    extract::{Path, State},
    Json,
};
use serde_json::Value;

pub async fn account(
    State(state): State<AppState>,
    Path(address): Path<String>,
) -> Result<Json<Value>, ChainError> {
    ChainError::require_bech32(&address, "account")?;
    state
        .settled_ledger()
        .account_json(&address)
        .map(Json)
        .ok_or_else(|| ChainError::not_found(format!("account {address} not found")))
}
