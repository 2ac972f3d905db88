//! The JSON API under `/api/v1`. Errors are JSON `{"error": "..."}` with a fitting status.

mod error;
pub mod faucet;
pub mod governance;
mod networks;
mod validators;

pub use error::ApiError;

use crate::state::ServerState;
use axum::{
    extract::DefaultBodyLimit,
    routing::{get, post},
    Router,
};

/// Faucet requests are a few hundred bytes: anything larger is refused before it is read.
pub const FAUCET_BODY_LIMIT: usize = 16 * 1024;

pub fn router() -> Router<ServerState> {
    Router::new()
        .route("/networks", get(networks::list))
        .route("/networks/{network}/validators", get(validators::list))
        .route(
            "/networks/{network}/validators/{operator}",
            get(validators::detail),
        )
        .route(
            "/networks/{network}/validators/{operator}/votes",
            get(governance::validator_votes),
        )
        .route("/networks/{network}/proposals", get(governance::list))
        .route(
            "/networks/{network}/proposals/{id}",
            get(governance::detail),
        )
        .route(
            "/networks/{network}/proposals/{id}/votes",
            get(governance::votes),
        )
        .route("/faucet/challenge", get(faucet::challenge))
        .route("/networks/{network}/faucet", get(faucet::faucet))
        .route(
            "/networks/{network}/faucet/claims",
            post(faucet::create_claim).layer(DefaultBodyLimit::max(FAUCET_BODY_LIMIT)),
        )
        .route(
            "/networks/{network}/faucet/claims/{id}",
            get(faucet::get_claim),
        )
        .fallback(|| async { ApiError::not_found("no such API endpoint; see /api/v1/networks") })
}

/// Query parameters as a lookup; repeated names keep their first value.
fn query_params(raw: Option<String>) -> impl Fn(&str) -> Option<String> {
    let pairs: Vec<(String, String)> =
        url::form_urlencoded::parse(raw.unwrap_or_default().as_bytes())
            .into_owned()
            .collect();
    move |name| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    }
}
