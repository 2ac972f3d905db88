//! The JSON API under `/api/v1`. Errors are JSON `{"error": "..."}` with a fitting status.

mod error;
mod governance;
mod networks;
mod validators;

pub use error::ApiError;

use crate::state::ServerState;
use axum::{routing::get, Router};

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
