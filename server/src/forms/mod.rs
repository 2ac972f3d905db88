//! HTML form endpoints: plain POSTs that answer with a redirect, so the forms work the same
//! before the WASM loads, without JavaScript, and from scripts.

pub mod admin;
pub mod alerts;
pub mod faucet;

use crate::state::ServerState;
use axum::{extract::DefaultBodyLimit, http::HeaderMap, routing::post, Router};
use std::net::SocketAddr;

/// Forms are small: anything larger is refused before it is read.
const FORM_LIMIT_BYTES: usize = 16 * 1024;

pub fn router() -> Router<ServerState> {
    Router::new()
        .route("/alerts/subscribe", post(alerts::subscribe))
        .route("/alerts/confirm", post(alerts::confirm))
        .route("/alerts/manage", post(alerts::save))
        .route("/alerts/unsubscribe", post(alerts::unsubscribe))
        .route("/alerts/resubscribe", post(alerts::resubscribe))
        .route("/faucet/claim", post(faucet::claim))
        .route("/admin/login", post(admin::login))
        .route("/admin/logout", post(admin::logout))
        .route("/admin/elections/{id}/open-now", post(admin::open_now))
        .route("/admin/elections/{id}/extend", post(admin::extend))
        .route("/admin/elections/{id}/cancel", post(admin::cancel))
        .layer(DefaultBodyLimit::max(FORM_LIMIT_BYTES))
        // An election's description may be 20,000 characters.
        .route(
            "/admin/elections",
            post(admin::create).layer(DefaultBodyLimit::max(crate::http::guard::MAX_BODY_BYTES)),
        )
        .route(
            "/admin/elections/{id}",
            post(admin::update).layer(DefaultBodyLimit::max(crate::http::guard::MAX_BODY_BYTES)),
        )
        .route(
            "/admin/elections/{id}/allowlist",
            post(admin::allowlist)
                .layer(DefaultBodyLimit::max(crate::http::guard::MAX_UPLOAD_BYTES)),
        )
}

/// The client's address: the peer, or (behind a trusted proxy) the last X-Forwarded-For hop:
/// the address the proxy itself saw (the hops before it are whatever the client sent).
pub(crate) fn client_ip(state: &ServerState, peer: SocketAddr, headers: &HeaderMap) -> String {
    let forwarded = state
        .trust_x_forwarded_for
        .then(|| headers.get("x-forwarded-for")?.to_str().ok())
        .flatten()
        .and_then(|v| v.split(',').next_back())
        .map(|v| v.trim().to_string())
        .filter(|v| v.parse::<std::net::IpAddr>().is_ok());
    forwarded.unwrap_or_else(|| peer.ip().to_string())
}

/// `path?` with the pairs form-encoded: where a form sends the browser next.
pub(crate) fn with_query(path: &str, pairs: &[(&str, &str)]) -> String {
    let query = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish();
    format!("{path}?{query}")
}
