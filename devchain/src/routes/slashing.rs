//! `cosmos/slashing/v1beta1`: signing infos (paginated), one signing info, params.

use crate::{address, error::ChainError, pagination::PageRequest, AppState};
use axum::{
    extract::{Path, Query, State},
    Json,
};
use serde_json::{json, Value};
use std::collections::HashMap;

pub async fn signing_infos(
    State(state): State<AppState>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Json<Value>, ChainError> {
    let page = PageRequest::from_query(&query)?;
    let chain = state.chain.read().expect("chain lock");
    let (info, pagination) = page.apply(&chain.signing_infos, |i| {
        address::store_key(i["address"].as_str().unwrap_or_default())
    });
    Ok(Json(json!({ "info": info, "pagination": pagination })))
}

pub async fn signing_info(
    State(state): State<AppState>,
    Path(consensus): Path<String>,
) -> Result<Json<Value>, ChainError> {
    ChainError::require_bech32(&consensus, "consensus")?;
    let chain = state.chain.read().expect("chain lock");
    let index = chain.signing_info_index(&consensus).ok_or_else(|| {
        ChainError::not_found(format!("SigningInfo not found for validator {consensus}"))
    })?;
    Ok(Json(
        json!({ "val_signing_info": chain.signing_infos[index] }),
    ))
}

pub async fn params(State(state): State<AppState>) -> Json<Value> {
    Json(
        state
            .chain
            .read()
            .expect("chain lock")
            .slashing_params
            .clone(),
    )
}
