//! `GET /api/v1/networks/{network}/validators` (filters `status`, `q`; `sort`, `dir`; `limit`,
//! `offset`), `GET /api/v1/networks/{network}/validators/{operator}` and its `/history` (paged
//! by key).

use super::{
    paging::KeyPage,
    params::{NetworkPath, OperatorPath, Params},
    query_params, ApiError, ErrorBody,
};
use crate::state::ServerState;
use app::{
    networks::model::NetworkInfo,
    system::model::Freshness,
    validators::{
        model::{HistoryKey, HistoryPage, StatusCounts, ValidatorProfile, ValidatorSummary},
        query::ValidatorQuery,
        service,
    },
};
use axum::{
    extract::{RawQuery, State},
    Json,
};
use serde::Serialize;

const DEFAULT_LIMIT: usize = 100;

#[derive(Serialize, utoipa::ToSchema)]
pub struct ValidatorsResponse {
    network: NetworkInfo,
    freshness: Freshness,
    counts: StatusCounts,
    total: usize,
    offset: usize,
    limit: usize,
    validators: Vec<ValidatorSummary>,
}

/// One page of a network's validators, filtered, searched and sorted.
#[utoipa::path(get, path = "/networks/{network}/validators", tag = "validators",
    params(
        NetworkPath,
        ("status" = Option<String>, Query, description = "`active` (default), `inactive`, `jailed` or `all`"),
        ("q" = Option<String>, Query, description = "Part of a moniker or an address"),
        ("sort" = Option<String>, Query, description = "`rank` (default), `moniker`, `voting_power`, `commission` or `uptime`"),
        ("dir" = Option<String>, Query, description = "`asc` or `desc`"),
        ("limit" = Option<u32>, Query, description = "1 to 1000, default 100"),
        ("offset" = Option<u32>, Query, description = "Rows to skip"),
    ),
    responses(
        (status = 200, description = "The page", body = ValidatorsResponse),
        (status = 400, description = "A parameter is not valid", body = ErrorBody),
        (status = 404, description = "No such network", body = ErrorBody),
    ))]
pub async fn list(
    State(state): State<ServerState>,
    Params(NetworkPath { network }): Params<NetworkPath>,
    RawQuery(raw): RawQuery,
) -> Result<Json<ValidatorsResponse>, ApiError> {
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

/// One validator with its recorded history and governance record.
#[utoipa::path(get, path = "/networks/{network}/validators/{operator}", tag = "validators",
    params(OperatorPath),
    responses(
        (status = 200, description = "The validator", body = ValidatorProfile),
        (status = 400, description = "Not an operator address", body = ErrorBody),
        (status = 404, description = "No such network or validator", body = ErrorBody),
    ))]
pub async fn detail(
    State(state): State<ServerState>,
    Params(OperatorPath { network, operator }): Params<OperatorPath>,
) -> Result<Json<ValidatorProfile>, ApiError> {
    Ok(Json(
        service::profile(
            &state.pool,
            &operator,
            Some(&network),
            service::ProfilePages::default(),
        )
        .await?,
    ))
}

/// Every recorded change of a validator (voting power, status, jailing, commission, missed
/// blocks), newest first, a page at a time: the next page is `?after=` the `next` of this one.
#[utoipa::path(get, path = "/networks/{network}/validators/{operator}/history", tag = "validators",
    params(
        OperatorPath,
        ("limit" = Option<u32>, Query, description = "1 to 1000, default 100"),
        ("after" = Option<String>, Query, description = "The `next` of the previous page"),
    ),
    responses(
        (status = 200, description = "A page of changes", body = HistoryPage),
        (status = 400, description = "Not an operator address, or a parameter is not valid", body = ErrorBody),
        (status = 404, description = "No such network or validator", body = ErrorBody),
    ))]
pub async fn history(
    State(state): State<ServerState>,
    Params(OperatorPath { network, operator }): Params<OperatorPath>,
    RawQuery(raw): RawQuery,
) -> Result<Json<HistoryPage>, ApiError> {
    let page = KeyPage::<HistoryKey>::parse(&query_params(raw), DEFAULT_LIMIT as i64)?;
    Ok(Json(
        service::history_of(&state.pool, &network, &operator, page.limit, page.after).await?,
    ))
}
