//! HTML form endpoints: plain POSTs that answer with a redirect, so the forms work the same
//! before the WASM loads, without JavaScript, and from scripts.

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
        .layer(DefaultBodyLimit::max(FORM_LIMIT_BYTES))
}

/// The client's address: the peer, or (behind a trusted proxy) the first X-Forwarded-For hop.
pub(crate) fn client_ip(state: &ServerState, peer: SocketAddr, headers: &HeaderMap) -> String {
    let forwarded = state
        .trust_x_forwarded_for
        .then(|| headers.get("x-forwarded-for")?.to_str().ok())
        .flatten()
        .and_then(|v| v.split(',').next())
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
