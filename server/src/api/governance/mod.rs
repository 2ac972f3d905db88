//! Governance in the JSON API: `networks/{network}/proposals` (status, q, limit, offset),
//! `…/proposals/{id}`, `…/proposals/{id}/votes` (paged), `…/validators/{operator}/votes`; and
//! the CSV of every recorded vote.

pub mod csv;

use super::{query_params, ApiError};
use crate::state::ServerState;
use app::{
    governance::{
        model::{GovernanceRecord, ProposalCounts, ProposalDetail, ProposalSummary, VotePage},
        query::ProposalQuery,
        service,
    },
    networks::model::NetworkInfo,
    system::model::Freshness,
};
use axum::{
    extract::{rejection::PathRejection, Path, RawQuery, State},
    Json,
};
use serde::Serialize;

const DEFAULT_LIMIT: usize = 100;

#[derive(Serialize)]
pub struct ProposalsResponse {
    network: NetworkInfo,
    freshness: Freshness,
    counts: ProposalCounts,
    total: usize,
    offset: usize,
    limit: usize,
    proposals: Vec<ProposalSummary>,
}

pub async fn list(
    State(state): State<ServerState>,
    path: Result<Path<String>, PathRejection>,
    RawQuery(raw): RawQuery,
) -> Result<Json<ProposalsResponse>, ApiError> {
    let Path(network) = path.map_err(|e| ApiError::bad_request(e.body_text()))?;
    let mut query = ProposalQuery::parse(query_params(raw)).map_err(ApiError::bad_request)?;
    let limit = *query.limit.get_or_insert(DEFAULT_LIMIT);
    let list = service::list(&state.pool, Some(&network), &query).await?;
    Ok(Json(ProposalsResponse {
        network: list.network,
        freshness: list.freshness,
        counts: list.counts,
        total: list.total,
        offset: query.offset,
        limit,
        proposals: list.proposals,
    }))
}

fn proposal_id(text: &str) -> Result<i64, ApiError> {
    text.parse::<i64>()
        .ok()
        .filter(|id| *id >= 0)
        .ok_or_else(|| ApiError::bad_request(format!("{text:?} is not a proposal number")))
}

pub async fn detail(
    State(state): State<ServerState>,
    path: Result<Path<(String, String)>, PathRejection>,
) -> Result<Json<ProposalDetail>, ApiError> {
    let Path((network, id)) = path.map_err(|e| ApiError::bad_request(e.body_text()))?;
    Ok(Json(
        service::detail(&state.pool, &network, proposal_id(&id)?).await?,
    ))
}

pub async fn votes(
    State(state): State<ServerState>,
    path: Result<Path<(String, String)>, PathRejection>,
    RawQuery(raw): RawQuery,
) -> Result<Json<VotePage>, ApiError> {
    let Path((network, id)) = path.map_err(|e| ApiError::bad_request(e.body_text()))?;
    let params = query_params(raw);
    let number = |name: &str, default: i64, max: i64| -> Result<i64, ApiError> {
        match params(name).filter(|v| !v.is_empty()) {
            None => Ok(default),
            Some(v) => v
                .parse::<i64>()
                .ok()
                .filter(|n| (0..=max).contains(n))
                .ok_or_else(|| {
                    ApiError::bad_request(format!(
                        "invalid {name} {v:?}: expected a number from 0 to {max}"
                    ))
                }),
        }
    };
    let limit = number("limit", DEFAULT_LIMIT as i64, service::MAX_VOTES_PAGE)?.max(1);
    let offset = number("offset", 0, i64::MAX)?;
    Ok(Json(
        service::votes(&state.pool, &network, proposal_id(&id)?, limit, offset).await?,
    ))
}

pub async fn validator_votes(
    State(state): State<ServerState>,
    path: Result<Path<(String, String)>, PathRejection>,
) -> Result<Json<GovernanceRecord>, ApiError> {
    let Path((network, operator)) = path.map_err(|e| ApiError::bad_request(e.body_text()))?;
    let profile = app::validators::service::profile(&state.pool, &operator, Some(&network)).await?;
    Ok(Json(profile.governance))
}
