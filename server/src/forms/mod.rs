//! HTML form endpoints: plain POSTs that answer with a redirect, so the forms work the same
//! before the WASM loads, without JavaScript, and from scripts.

pub mod alerts;

use crate::state::ServerState;
use axum::{extract::DefaultBodyLimit, routing::post, Router};

/// Forms are small: anything larger is refused before it is read.
const FORM_LIMIT_BYTES: usize = 16 * 1024;

pub fn router() -> Router<ServerState> {
    Router::new()
        .route("/alerts/subscribe", post(alerts::subscribe))
        .route("/alerts/manage", post(alerts::save))
        .route("/alerts/unsubscribe", post(alerts::one_click_unsubscribe))
        .route("/alerts/resubscribe", post(alerts::resubscribe))
        .layer(DefaultBodyLimit::max(FORM_LIMIT_BYTES))
}
