//! The faucet's JSON API, and `POST /credit`, the cosmjs faucet's endpoint, so existing scripts
//! keep working. Both obey the same limits as the form.

use super::{
    paging::KeyPage,
    params::{ClaimPath, NetworkPath, Params},
    query_params, ApiError, ErrorBody, RefusalBody,
};
use crate::{forms::client_ip, state::ServerState};
use app::error::AppError;
use app::faucet::{
    captcha::Challenge,
    model::{ClaimKey, ClaimList, ClaimView, FaucetPageData},
    service::{self, ClaimRefused, ClaimRequest, ClaimSource},
};
use axum::{
    extract::{rejection::JsonRejection, ConnectInfo, RawQuery, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
    Json,
};
use serde::Deserialize;
use std::net::SocketAddr;

#[derive(Deserialize, utoipa::ToSchema)]
pub struct ClaimBody {
    address: String,
    #[serde(default)]
    captcha: Option<String>,
}

/// The cosmjs faucet's body; `captcha` is ours, needed unless the operator turned it off.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct CreditBody {
    address: String,
    denom: String,
    #[serde(default)]
    captcha: Option<String>,
}

fn refused(refusal: ClaimRefused) -> Response {
    let next = refusal.next_claim_at();
    let error = AppError::from(refusal);
    let status = StatusCode::from_u16(error.status()).unwrap_or(StatusCode::SERVICE_UNAVAILABLE);
    let body = RefusalBody {
        error: error.to_string(),
        next_claim_at: next,
    };
    (status, Json(body)).into_response()
}

/// A body that is not the JSON asked for: 400 with the reason, or 413 when it is too large.
fn bad_json(rejection: JsonRejection, shape: &str) -> Response {
    let message = format!(
        "the body must be JSON with {shape}: {}",
        rejection.body_text()
    );
    (rejection.status(), Json(ErrorBody { error: message })).into_response()
}

/// Asks the network's faucet for tokens. The claim is stored before anything else happens and
/// paid in a following block; follow it at `…/faucet/claims/{id}`.
#[utoipa::path(post, path = "/networks/{network}/faucet/claims", tag = "faucet",
    params(NetworkPath),
    request_body(content = ClaimBody, description = "The address to pay and a solved captcha (see `/faucet/challenge`)"),
    responses(
        (status = 202, description = "The claim, queued", body = ClaimView),
        (status = 400, description = "Bad address, captcha or body", body = RefusalBody),
        (status = 404, description = "No such network, or no faucet on it", body = RefusalBody),
        (status = 413, description = "The body is over 16 KB", body = ErrorBody),
        (status = 429, description = "Cooldown or daily limit; `next_claim_at` says when", body = RefusalBody),
        (status = 503, description = "The faucet is out of funds or has no key", body = RefusalBody),
    ))]
pub async fn create_claim(
    State(state): State<ServerState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Params(NetworkPath { network }): Params<NetworkPath>,
    headers: HeaderMap,
    body: Result<Json<ClaimBody>, JsonRejection>,
) -> Response {
    let Json(body) = match body {
        Ok(body) => body,
        Err(rejection) => return bad_json(rejection, "an \"address\""),
    };
    let request = ClaimRequest {
        network: &network,
        address: &body.address,
        ip: Some(client_ip(&state, peer, &headers)),
        captcha: Some(body.captcha.as_deref().unwrap_or("")),
        source: ClaimSource::Api,
    };
    match service::claim(&state.pool, &state.app.faucets, request).await {
        Ok(claim) => (StatusCode::ACCEPTED, Json(claim)).into_response(),
        Err(refusal) => refused(refusal),
    }
}

/// One claim: pending, broadcast (with its transaction hash), confirmed (with the height) or
/// failed (with the chain's reason).
#[utoipa::path(get, path = "/networks/{network}/faucet/claims/{id}", tag = "faucet",
    params(ClaimPath),
    responses(
        (status = 200, description = "The claim", body = ClaimView),
        (status = 400, description = "Not a claim number", body = ErrorBody),
        (status = 404, description = "No such claim on this network", body = ErrorBody),
    ))]
pub async fn get_claim(
    State(state): State<ServerState>,
    Params(ClaimPath { network, id }): Params<ClaimPath>,
) -> Result<Response, ApiError> {
    let id: i64 = id
        .parse()
        .map_err(|_| ApiError::bad_request(format!("claim id must be a number, got {id:?}")))?;
    let claim = service::claim_view(&state.pool, &state.app.faucets, id).await?;
    if claim.network != network {
        return Err(ApiError::not_found(format!(
            "there is no claim #{id} on {network}"
        )));
    }
    Ok(Json(claim).into_response())
}

/// Every claim made to a testnet's faucet, newest first, a page at a time: the next page is
/// `?after=` the `next` of this one.
#[utoipa::path(get, path = "/networks/{network}/faucet/claims", tag = "faucet",
    params(
        NetworkPath,
        ("limit" = Option<u32>, Query, description = "1 to 1000, default 100"),
        ("after" = Option<String>, Query, description = "The `next` of the previous page"),
    ),
    responses(
        (status = 200, description = "A page of claims", body = ClaimList),
        (status = 400, description = "A parameter is not valid", body = ErrorBody),
        (status = 404, description = "No such network, or no faucet on it", body = ErrorBody),
    ))]
pub async fn list_claims(
    State(state): State<ServerState>,
    Params(NetworkPath { network }): Params<NetworkPath>,
    RawQuery(raw): RawQuery,
) -> Result<Json<ClaimList>, ApiError> {
    let page = KeyPage::<ClaimKey>::parse(&query_params(raw), 100)?;
    Ok(Json(
        service::claims(
            &state.pool,
            &state.app.faucets,
            &network,
            page.limit,
            page.after,
        )
        .await?,
    ))
}

/// The faucet of a testnet: its address, balance, amount per claim, limits, queue and recent
/// payments.
#[utoipa::path(get, path = "/networks/{network}/faucet", tag = "faucet",
    params(NetworkPath),
    responses(
        (status = 200, description = "The faucet", body = FaucetPageData),
        (status = 404, description = "No such network, or no faucet on it", body = ErrorBody),
    ))]
pub async fn faucet(
    State(state): State<ServerState>,
    Params(NetworkPath { network }): Params<NetworkPath>,
) -> Result<Json<FaucetPageData>, ApiError> {
    Ok(Json(
        service::page_data(&state.pool, &state.app.faucets, Some(&network)).await?,
    ))
}

/// A proof-of-work challenge for scripts: find `number` with
/// `hex(sha256(salt + number)) == challenge`, then send base64 of the JSON
/// `{algorithm, challenge, number, salt, signature}` as `captcha`.
#[utoipa::path(get, path = "/faucet/challenge", tag = "faucet",
    responses((status = 200, description = "A fresh challenge", body = Challenge)))]
pub async fn challenge(State(state): State<ServerState>) -> Json<Challenge> {
    Json(state.app.faucets.new_challenge())
}

/// `POST /credit` with `{"address", "denom"}`: the faucet whose denom and address prefix match.
#[utoipa::path(post, path = "/credit", tag = "faucet",
    request_body(content = CreditBody, description = "The cosmjs faucet's body, plus `captcha` unless the operator turned it off"),
    responses(
        (status = 200, description = "The claim, queued", body = ClaimView),
        (status = 400, description = "Bad address, denom, captcha or body", body = RefusalBody),
        (status = 413, description = "The body is over 16 KB", body = ErrorBody),
        (status = 429, description = "Cooldown or daily limit", body = RefusalBody),
        (status = 503, description = "The faucet is out of funds or has no key", body = RefusalBody),
    ))]
pub async fn credit(
    State(state): State<ServerState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Result<Json<CreditBody>, JsonRejection>,
) -> Response {
    let Json(body) = match body {
        Ok(body) => body,
        Err(rejection) => return bad_json(rejection, "\"address\" and \"denom\""),
    };
    let faucets = &state.app.faucets;
    // An address that does not decode is refused below, with the reason.
    let prefix = app::address::decode(&body.address)
        .map(|(prefix, _, _)| prefix)
        .unwrap_or_default();
    let faucet = faucets
        .list
        .iter()
        .filter(|f| f.denom == body.denom)
        .find(|f| f.prefix == prefix)
        .or_else(|| faucets.list.iter().find(|f| f.denom == body.denom));
    let Some(faucet) = faucet else {
        let known: Vec<&str> = faucets.list.iter().map(|f| f.denom.as_str()).collect();
        return ApiError::bad_request(format!(
            "no faucet here pays {:?}; denoms available: {}",
            body.denom,
            known.join(", ")
        ))
        .into_response();
    };
    let captcha = if faucets.credit_requires_captcha {
        Some(body.captcha.as_deref().unwrap_or(""))
    } else {
        None
    };
    let request = ClaimRequest {
        network: &faucet.network,
        address: &body.address,
        ip: Some(client_ip(&state, peer, &headers)),
        captcha,
        source: ClaimSource::Credit,
    };
    match service::claim(&state.pool, faucets, request).await {
        Ok(claim) => (StatusCode::OK, Json(claim)).into_response(),
        Err(refusal) => refused(refusal),
    }
}
