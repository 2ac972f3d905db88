//! `GET /api/v1/networks/{network}/validators` (filters `status`, `q`; `sort`, `dir`; `limit`,
//! `offset`) and `GET /api/v1/networks/{network}/validators/{operator}`.

use super::{query_params, ApiError};
use crate::state::ServerState;
use app::{
    networks::model::NetworkInfo,
    system::model::Freshness,
    validators::{
        model::{StatusCounts, ValidatorProfile, ValidatorSummary},
        query::ValidatorQuery,
        service,
    },
};
use axum::{
    extract::{rejection::PathRejection, Path, RawQuery, State},
    Json,
};
use serde::Serialize;

const DEFAULT_LIMIT: usize = 100;

#[derive(Serialize)]
pub struct ValidatorsResponse {
    network: NetworkInfo,
    freshness: Freshness,
    counts: StatusCounts,
    total: usize,
    offset: usize,
    limit: usize,
    validators: Vec<ValidatorSummary>,
}

pub async fn list(
    State(state): State<ServerState>,
    path: Result<Path<String>, PathRejection>,
    RawQuery(raw): RawQuery,
) -> Result<Json<ValidatorsResponse>, ApiError> {
    let Path(network) = path.map_err(|e| ApiError::bad_request(e.body_text()))?;
    let mut query = ValidatorQuery::parse(query_params(raw)).map_err(ApiError::bad_request)?;
    let limit = *query.limit.get_or_insert(DEFAULT_LIMIT);
    let list = service::list(&state.app, Some(&network), &query).await?;
    Ok(Json(ValidatorsResponse {
        network: list.network,
        freshness: list.freshness,
        counts: list.counts,
        total: list.total,
        offset: list.offset,
        limit,
        validators: list.validators,
    }))
}

pub async fn detail(
    State(state): State<ServerState>,
    path: Result<Path<(String, String)>, PathRejection>,
) -> Result<Json<ValidatorProfile>, ApiError> {
    let Path((network, operator)) = path.map_err(|e| ApiError::bad_request(e.body_text()))?;
    Ok(Json(
        service::profile(&state.pool, &operator, Some(&network)).await?,
    ))
}
