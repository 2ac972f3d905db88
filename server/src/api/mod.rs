//! The JSON API under `/api/v1`. Errors are JSON `{"error": "..."}` with a fitting status.

pub mod elections;
mod error;
pub mod faucet;
pub mod governance;
mod networks;
mod paging;
pub mod params;
mod validators;

pub use error::{ApiError, ErrorBody, RefusalBody};

use crate::state::ServerState;
use axum::{extract::DefaultBodyLimit, response::IntoResponse, routing::get};
use std::sync::OnceLock;
use utoipa::OpenApi;
use utoipa_axum::{router::OpenApiRouter, routes};

/// Faucet requests are a few hundred bytes: anything larger is refused before it is read.
pub const FAUCET_BODY_LIMIT: usize = 16 * 1024;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Stakeboard API",
        description = "Validators, governance and testnet faucets of the networks a Stakeboard \
            follows. Amounts are in display units unless a field says base units; times are \
            RFC 3339 in UTC. Errors are `{\"error\": \"…\"}` with a 4xx or 5xx status.",
    ),
    tags(
        (name = "networks", description = "The followed networks"),
        (name = "validators", description = "Validator sets, collected every few minutes"),
        (name = "governance", description = "Proposals and every vote, recorded live"),
        (name = "faucet", description = "Testnet faucets"),
        (name = "elections", description = "Voting events: signed ballots, receipts with proofs, results, bundles to recount offline"),
    )
)]
struct ApiDoc;

/// `/api/v1` and `POST /credit`, each route with its OpenAPI description, so the document
/// served at `/api/v1/openapi.json` is generated from the handlers and cannot drift from them.
fn documented() -> OpenApiRouter<ServerState> {
    let (schemas, paths, create_claim) = routes!(faucet::create_claim);
    let v1 = OpenApiRouter::new()
        .routes(routes!(networks::list))
        .routes(routes!(validators::list))
        .routes(routes!(validators::detail))
        .routes(routes!(validators::history))
        .routes(routes!(governance::validator_votes))
        .routes(routes!(governance::list))
        .routes(routes!(governance::detail))
        .routes(routes!(governance::votes))
        .routes(routes!(faucet::challenge))
        .routes(routes!(faucet::faucet))
        .routes((
            schemas,
            paths,
            create_claim.layer(DefaultBodyLimit::max(FAUCET_BODY_LIMIT)),
        ))
        .routes(routes!(faucet::list_claims))
        .routes(routes!(faucet::get_claim))
        .routes(routes!(elections::list))
        .routes(routes!(elections::detail))
        .routes(routes!(elections::results))
        .routes(routes!(elections::receipt))
        .routes(routes!(elections::bundle))
        .route("/openapi.json", get(openapi_json))
        .fallback(|| async {
            ApiError::not_found("no such API endpoint; see /api/v1/openapi.json")
        });
    let (schemas, paths, cast) = routes!(elections::cast);
    let v1 = v1.routes((
        schemas,
        paths,
        cast.layer(DefaultBodyLimit::max(elections::BALLOT_BODY_LIMIT)),
    ));
    let (schemas, paths, credit) = routes!(faucet::credit);
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .nest("/api/v1", v1)
        .routes((
            schemas,
            paths,
            credit.layer(DefaultBodyLimit::max(FAUCET_BODY_LIMIT)),
        ))
}

/// The JSON API's routes.
pub fn router() -> axum::Router<ServerState> {
    documented().split_for_parts().0
}

/// The OpenAPI 3.1 document of the JSON API, built once.
pub fn openapi() -> &'static str {
    static DOCUMENT: OnceLock<String> = OnceLock::new();
    DOCUMENT.get_or_init(|| {
        documented()
            .into_openapi()
            .to_pretty_json()
            .expect("the OpenAPI document serialises")
    })
}

async fn openapi_json() -> impl IntoResponse {
    (
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        openapi(),
    )
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
