//! Governance in the JSON API: `networks/{network}/proposals` (status, q, limit, offset),
//! `…/proposals/{id}`, `…/proposals/{id}/votes` (paged by cursor), `…/validators/{operator}/votes`; and
//! the CSV of every recorded vote.

pub mod csv;

use super::{
    paging::KeyPage,
    params::{NetworkPath, OperatorPath, Params, ProposalPath},
    query_params, ApiError, ErrorBody,
};
use crate::state::ServerState;
use app::paging::PageKey;
use app::{
    governance::{
        model::{
            GovernanceRecord, ProposalCounts, ProposalDetail, ProposalSummary, RecordKey,
            VoteCursor, VotePage, VotePosition,
        },
        query::ProposalQuery,
        service,
    },
    networks::model::NetworkInfo,
    system::model::Freshness,
};
use axum::{
    extract::{RawQuery, State},
    Json,
};
use serde::Serialize;

const DEFAULT_LIMIT: usize = 100;

#[derive(Serialize, utoipa::ToSchema)]
pub struct ProposalsResponse {
    network: NetworkInfo,
    freshness: Freshness,
    counts: ProposalCounts,
    total: usize,
    offset: usize,
    limit: usize,
    proposals: Vec<ProposalSummary>,
    /// The `after` of the next page; absent on the last.
    next: Option<String>,
}

/// A network's proposals, newest first, with counts per status, a page at a time: the next
/// page is `?after=` the `next` of this one.
#[utoipa::path(get, path = "/networks/{network}/proposals", tag = "governance",
    params(
        NetworkPath,
        ("status" = Option<String>, Query, description = "`all` (default), `voting`, `deposit`, `passed`, `rejected` or `failed`"),
        ("q" = Option<String>, Query, description = "Part of a title, or `#number`"),
        ("limit" = Option<u32>, Query, description = "1 to 1000, default 100"),
        ("after" = Option<String>, Query, description = "The `next` of the previous page"),
        ("offset" = Option<u32>, Query, description = "Rows to skip (the list is read whole, so it costs no more than `after`)"),
    ),
    responses(
        (status = 200, description = "The proposals", body = ProposalsResponse),
        (status = 400, description = "A parameter is not valid", body = ErrorBody),
        (status = 404, description = "No such network", body = ErrorBody),
    ))]
pub async fn list(
    State(state): State<ServerState>,
    Params(NetworkPath { network }): Params<NetworkPath>,
    RawQuery(raw): RawQuery,
) -> Result<Json<ProposalsResponse>, ApiError> {
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
        next: list.next,
    }))
}

fn proposal_id(text: &str) -> Result<i64, ApiError> {
    text.parse::<i64>()
        .ok()
        .filter(|id| *id >= 0)
        .ok_or_else(|| ApiError::bad_request(format!("{text:?} is not a proposal number")))
}

/// One proposal: its text, messages, deposits, tally with its rules and verdict, and every
/// bonded validator's vote.
#[utoipa::path(get, path = "/networks/{network}/proposals/{id}", tag = "governance",
    params(ProposalPath),
    responses(
        (status = 200, description = "The proposal", body = ProposalDetail),
        (status = 400, description = "Not a proposal number", body = ErrorBody),
        (status = 404, description = "No such network or proposal", body = ErrorBody),
    ))]
pub async fn detail(
    State(state): State<ServerState>,
    Params(ProposalPath { network, id }): Params<ProposalPath>,
) -> Result<Json<ProposalDetail>, ApiError> {
    Ok(Json(
        service::detail(&state.pool, &network, proposal_id(&id)?, None).await?,
    ))
}

/// Every vote recorded for a proposal, first seen first (then by voter), a page at a time:
/// the next page is `?after=` the `next` of this one.
#[utoipa::path(get, path = "/networks/{network}/proposals/{id}/votes", tag = "governance",
    params(
        ProposalPath,
        ("limit" = Option<u32>, Query, description = "1 to 1000, default 100"),
        ("after" = Option<String>, Query, description = "The `next` of the previous page"),
        ("offset" = Option<u64>, Query, deprecated, description = "Votes to skip (deprecated: it walks every skipped vote; use `after`)"),
    ),
    responses(
        (status = 200, description = "A page of votes", body = VotePage),
        (status = 400, description = "A parameter is not valid", body = ErrorBody),
        (status = 404, description = "No such network or proposal", body = ErrorBody),
    ))]
pub async fn votes(
    State(state): State<ServerState>,
    Params(ProposalPath { network, id }): Params<ProposalPath>,
    RawQuery(raw): RawQuery,
) -> Result<Json<VotePage>, ApiError> {
    let params = query_params(raw);
    let limit = super::paging::limit(&params, DEFAULT_LIMIT as i64)?;
    let offset = match params("offset").filter(|v| !v.is_empty()) {
        None => 0,
        Some(v) => v.parse::<i64>().ok().filter(|n| *n >= 0).ok_or_else(|| {
            ApiError::bad_request(format!("invalid offset {v:?}: expected a number from 0"))
        })?,
    };
    let position = match params("after").filter(|v| !v.is_empty()) {
        Some(_) if offset > 0 => {
            return Err(ApiError::bad_request(
                "give after or offset, not both".to_string(),
            ))
        }
        Some(after) => {
            VotePosition::After(VoteCursor::parse(&after).map_err(ApiError::bad_request)?)
        }
        None => VotePosition::Offset(offset),
    };
    Ok(Json(
        service::votes(&state.pool, &network, proposal_id(&id)?, limit, position).await?,
    ))
}

/// A validator's governance record: its recorded proposals, latest voting end first, each with
/// its vote, a page at a time (`?after=` the `next` of the previous page), and its participation.
#[utoipa::path(get, path = "/networks/{network}/validators/{operator}/votes", tag = "governance",
    params(
        OperatorPath,
        ("limit" = Option<u32>, Query, description = "1 to 1000, default 50"),
        ("after" = Option<String>, Query, description = "The `next` of the previous page"),
    ),
    responses(
        (status = 200, description = "The record", body = GovernanceRecord),
        (status = 400, description = "Not an operator address, or a parameter is not valid", body = ErrorBody),
        (status = 404, description = "No such network or validator", body = ErrorBody),
    ))]
pub async fn validator_votes(
    State(state): State<ServerState>,
    Params(OperatorPath { network, operator }): Params<OperatorPath>,
    RawQuery(raw): RawQuery,
) -> Result<Json<GovernanceRecord>, ApiError> {
    let page =
        KeyPage::<RecordKey>::parse(&query_params(raw), app::validators::service::RECORD_PAGE)?;
    Ok(Json(
        app::validators::service::record_of(
            &state.pool,
            &network,
            &operator,
            page.limit,
            page.after.as_ref(),
        )
        .await?,
    ))
}
