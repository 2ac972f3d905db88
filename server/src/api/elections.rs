//! The elections' JSON API: the list, one election with its live tally (when public), its final
//! results, a ballot's receipt with its inclusion proof, the bundle to recount offline, and the
//! way in for signed ballots.

use super::{paging, query_params, ApiError, ErrorBody};
use crate::state::ServerState;
use app::elections::{
    ballot::SignedBallot,
    model::{ElectionResults, ElectionState},
    views::{ElectionDetail, ElectionPage, Receipt},
};
use axum::{
    extract::{rejection::JsonRejection, Path, RawQuery, State},
    http::{header, StatusCode},
    response::{IntoResponse, Response},
    Json,
};
use serde::Deserialize;
use utoipa::IntoParams;

/// A signed ballot is a few hundred bytes; anything over this is refused before it is read.
pub const BALLOT_BODY_LIMIT: usize = 16 * 1024;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct ElectionPath {
    /// The election's number.
    #[param(value_type = u64)]
    pub id: String,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct ReceiptPath {
    /// The election's number.
    #[param(value_type = u64)]
    pub id: String,
    /// The ballot hash the receipt gave (64 hex digits).
    pub ballot_hash: String,
}

fn election_id(text: &str) -> Result<i64, ApiError> {
    text.parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .ok_or_else(|| ApiError::bad_request(format!("{text:?} is not an election number")))
}

/// Elections, newest first, a page at a time.
#[utoipa::path(get, path = "/elections", tag = "elections",
    params(
        ("network" = Option<String>, Query, description = "Only this network's elections"),
        ("state" = Option<String>, Query, description = "Only elections in this state: scheduled, preparing, open, tallying, closed, cancelled or failed"),
        ("limit" = Option<u32>, Query, description = "1 to 1000, default 100"),
        ("after" = Option<String>, Query, description = "The `next` of the previous page"),
    ),
    responses(
        (status = 200, description = "A page of elections", body = ElectionPage),
        (status = 400, description = "A parameter is not valid", body = ErrorBody),
        (status = 404, description = "No such network", body = ErrorBody),
    ))]
pub async fn list(
    State(state): State<ServerState>,
    RawQuery(raw): RawQuery,
) -> Result<Json<ElectionPage>, ApiError> {
    let params = query_params(raw);
    let page = paging::KeyPage::<app::elections::service::ElectionKey>::parse(&params, 100)?;
    let states = match params("state").filter(|s| !s.is_empty()) {
        Some(s) => vec![ElectionState::parse(&s).ok_or_else(|| {
            ApiError::bad_request(format!("unknown state {s:?}: scheduled, preparing, open, tallying, closed, cancelled or failed"))
        })?],
        None => Vec::new(),
    };
    let network = params("network").filter(|n| !n.is_empty());
    Ok(Json(
        app::elections::service::page(
            &state.pool,
            network.as_deref(),
            &states,
            page.limit,
            page.after.map(|k| k.0),
        )
        .await?,
    ))
}

/// One election: its question, options, rules, state, commitments (plan hash, roots), and its
/// tally: the final results once closed, the live tally while open when it is public.
#[utoipa::path(get, path = "/elections/{id}", tag = "elections",
    params(ElectionPath),
    responses(
        (status = 200, description = "The election", body = ElectionDetail),
        (status = 400, description = "Not an election number", body = ErrorBody),
        (status = 404, description = "No such election", body = ErrorBody),
    ))]
pub async fn detail(
    State(state): State<ServerState>,
    Path(ElectionPath { id }): Path<ElectionPath>,
) -> Result<Json<ElectionDetail>, ApiError> {
    Ok(Json(
        app::elections::service::detail(&state.pool, election_id(&id)?).await?,
    ))
}

/// The final results: per option, the rounds of a ranked-choice count, turnout and verdict.
#[utoipa::path(get, path = "/elections/{id}/results", tag = "elections",
    params(ElectionPath),
    responses(
        (status = 200, description = "The results", body = ElectionResults),
        (status = 400, description = "Not an election number", body = ErrorBody),
        (status = 404, description = "No such election", body = ErrorBody),
        (status = 409, description = "Not counted yet", body = ErrorBody),
    ))]
pub async fn results(
    State(state): State<ServerState>,
    Path(ElectionPath { id }): Path<ElectionPath>,
) -> Result<Json<ElectionResults>, ApiError> {
    Ok(Json(
        app::elections::service::results(&state.pool, election_id(&id)?).await?,
    ))
}

/// Where a ballot stands: recorded (and will count), replaced by a later one, counted (with the
/// RFC 6962 proof against the counted ballots' root), or not counted.
#[utoipa::path(get, path = "/elections/{id}/receipts/{ballot_hash}", tag = "elections",
    params(ReceiptPath),
    responses(
        (status = 200, description = "The receipt", body = Receipt),
        (status = 400, description = "Not an election number or not a ballot hash", body = ErrorBody),
        (status = 404, description = "No such election, or no such ballot in it", body = ErrorBody),
    ))]
pub async fn receipt(
    State(state): State<ServerState>,
    Path(ReceiptPath { id, ballot_hash }): Path<ReceiptPath>,
) -> Result<Json<Receipt>, ApiError> {
    Ok(Json(
        app::elections::service::receipt(&state.pool, election_id(&id)?, &ballot_hash).await?,
    ))
}

/// Takes a ballot signed with ADR-036 (`signArbitrary`); answers 201 with its receipt once it
/// is committed to the ledger. The voter may vote again until the end: the last ballot counts.
#[utoipa::path(post, path = "/elections/{id}/ballots", tag = "elections",
    params(ElectionPath),
    request_body(content = SignedBallot, description = "The canonical ballot JSON that was signed, the signer, and the wallet's `{pub_key, signature}`"),
    responses(
        (status = 201, description = "The ballot is in the ledger", body = Receipt),
        (status = 400, description = "Malformed, badly signed, for another plan or election, or a choice the method cannot count", body = ErrorBody),
        (status = 403, description = "The signer is not among the election's voters", body = ErrorBody),
        (status = 404, description = "No such election", body = ErrorBody),
        (status = 409, description = "Not open (yet, or any more), or this ballot (nonce) was already received", body = ErrorBody),
        (status = 413, description = "The body is over 16 KB", body = ErrorBody),
    ))]
pub async fn cast(
    State(state): State<ServerState>,
    Path(ElectionPath { id }): Path<ElectionPath>,
    body: Result<Json<SignedBallot>, JsonRejection>,
) -> Response {
    let id = match election_id(&id) {
        Ok(id) => id,
        Err(error) => return error.into_response(),
    };
    let Json(ballot) = match body {
        Ok(body) => body,
        Err(rejection) => {
            let message = format!(
                "the body must be a signed ballot {{data, pub_key, signature, signer}}: {}",
                rejection.body_text()
            );
            // A body that is not a signed ballot is the client's mistake (400), as the document says.
            let status = match rejection.status() {
                StatusCode::PAYLOAD_TOO_LARGE => StatusCode::PAYLOAD_TOO_LARGE,
                _ => StatusCode::BAD_REQUEST,
            };
            return (status, Json(ErrorBody { error: message })).into_response();
        }
    };
    match app::elections::ballots::accept(&state.pool, id, ballot).await {
        Ok(receipt) => (StatusCode::CREATED, Json(receipt)).into_response(),
        Err(error) => ApiError::from(error).into_response(),
    }
}

/// Everything needed to recount a closed election offline, as a gzipped tar: `election.json`,
/// `plan.json`, `snapshot.csv`, `ballots.jsonl`, `results.json` and `roots.json`. Check it with
/// `stakeboard election verify BUNDLE`.
#[utoipa::path(get, path = "/elections/{id}/bundle", tag = "elections",
    params(ElectionPath),
    responses(
        (status = 200, description = "The bundle (application/gzip)", content_type = "application/gzip", body = Vec<u8>),
        (status = 400, description = "Not an election number", body = ErrorBody),
        (status = 404, description = "No such election", body = ErrorBody),
        (status = 409, description = "Not counted yet", body = ErrorBody),
    ))]
pub async fn bundle(
    State(state): State<ServerState>,
    Path(ElectionPath { id }): Path<ElectionPath>,
) -> Result<Response, ApiError> {
    let id = election_id(&id)?;
    let bytes = crate::elections::bundle::build(&state.pool, id).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/gzip".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"election-{id}.tar.gz\""),
            ),
        ],
        bytes,
    )
        .into_response())
}
