//! `cosmos/base/tendermint/v1beta1`: node info and blocks on devchain's clock.

use crate::{error::ChainError, AppState};
use axum::{
    extract::{Path, State},
    Json,
};
use serde_json::Value;

pub async fn node_info(State(state): State<AppState>) -> Json<Value> {
    Json(state.chain.read().expect("chain lock").node_info.clone())
}

pub async fn latest_block(State(state): State<AppState>) -> Json<Value> {
    let chain = state.chain.read().expect("chain lock");
    Json(chain.block(chain.latest_height()))
}

pub async fn block(
    State(state): State<AppState>,
    Path(height): Path<String>,
) -> Result<Json<Value>, ChainError> {
    let height: u64 = height
        .parse()
        .map_err(|_| ChainError::invalid(format!("invalid height {height}")))?;
    let chain = state.chain.read().expect("chain lock");
    let latest = chain.latest_height();
    if height == 0 || height > latest {
        return Err(ChainError::invalid(format!(
            "requested block height is bigger then the chain length: {height} > {latest}"
        )));
    }
    Ok(Json(chain.block(height)))
}
