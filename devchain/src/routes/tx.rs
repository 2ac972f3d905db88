//! `cosmos/tx/v1beta1`: simulate, broadcast (sync mode) and look up transactions.

use crate::{
    error::ChainError,
    ledger::{
        check::{ChainContext, Mode},
        json::{broadcast_response, simulate_response},
    },
    AppState,
};
use axum::{
    extract::{Path, State},
    Json,
};
use base64::{engine::general_purpose::STANDARD as B64, Engine};
use serde::Deserialize;
use serde_json::Value;
use sha2::{Digest, Sha256};

#[derive(Deserialize)]
pub struct TxBytes {
    #[serde(default)]
    tx_bytes: String,
    #[serde(default)]
    mode: Option<String>,
}

fn decode(body: &TxBytes) -> Result<Vec<u8>, ChainError> {
    if body.tx_bytes.is_empty() {
        return Err(ChainError::invalid("invalid empty tx"));
    }
    B64.decode(&body.tx_bytes)
        .map_err(|e| ChainError::invalid(format!("tx_bytes is not base64: {e}")))
}

/// Runs `f` with the settled ledger and the chain's context at the latest height.
fn with_ledger<T>(
    state: &AppState,
    f: impl FnOnce(&mut crate::ledger::Ledger, &ChainContext) -> T,
) -> T {
    // The chain before the ledger, the order every path takes the two locks in.
    let chain = state.chain.read().expect("chain lock");
    let mut ledger = state.ledger.lock().expect("ledger lock");
    ledger.settle(chain.latest_height(), |h| chain.time_of(h));
    let ctx = ChainContext {
        chain_id: &chain.chain_id,
        prefix: &chain.account_prefix,
        denom: &chain.denom,
        height: chain.latest_height(),
    };
    f(&mut ledger, &ctx)
}

pub async fn simulate(
    State(state): State<AppState>,
    Json(body): Json<TxBytes>,
) -> Result<Json<Value>, ChainError> {
    let bytes = decode(&body)?;
    with_ledger(&state, |ledger, ctx| {
        let result = ledger.check(&bytes, ctx, Mode::Simulate);
        if matches!(&result, Err(e) if e.code == 32) {
            ledger.sequence_mismatches += 1;
        }
        result
    })
    .map(|checked| Json(simulate_response(&checked)))
    .map_err(|e| ChainError::invalid(e.message))
}

pub async fn broadcast(
    State(state): State<AppState>,
    Json(body): Json<TxBytes>,
) -> Result<Json<Value>, ChainError> {
    let bytes = decode(&body)?;
    match body.mode.as_deref() {
        Some("BROADCAST_MODE_SYNC") | Some("BROADCAST_MODE_ASYNC") | None => {}
        Some(other) => {
            return Err(ChainError::invalid(format!(
                "devchain supports sync broadcasts only, not {other}"
            )))
        }
    }
    let hash = hex::encode_upper(Sha256::digest(&bytes));
    let result = with_ledger(&state, |ledger, ctx| ledger.broadcast(&bytes, ctx));
    Ok(Json(broadcast_response(&hash, &result)))
}

pub async fn by_hash(
    State(state): State<AppState>,
    Path(hash): Path<String>,
) -> Result<Json<Value>, ChainError> {
    if hash.len() != 64 || !hash.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(ChainError::invalid(format!(
            "invalid tx hash {hash}: must be 64 hex characters"
        )));
    }
    state
        .settled_ledger()
        .tx_json(&hash)
        .map(Json)
        .ok_or_else(|| ChainError::not_found(format!("tx not found: {hash}")))
}
