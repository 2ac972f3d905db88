//! Switches that make devchain misbehave like a real node on a bad day: latency, 5xx answers,
//! malformed bodies; limited to a path prefix and to a number of requests if asked.

use crate::AppState;
use axum::{
    body::Body,
    extract::{Request, State},
    http::{header, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};
use serde::{Deserialize, Serialize};
use std::time::Duration;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Faults {
    /// Delay every matching answer by this much.
    #[serde(default)]
    pub latency_ms: u64,
    /// Answer matching requests with this HTTP status (e.g. 503) and a gateway-style body.
    #[serde(default)]
    pub status: Option<u16>,
    /// Answer matching requests with 200 and a body that is not valid JSON.
    #[serde(default)]
    pub malformed: bool,
    /// Only requests whose path starts with this are affected (all chain paths when unset).
    #[serde(default)]
    pub path_prefix: Option<String>,
    /// Only the next N matching requests are affected; then the faults clear themselves.
    #[serde(default)]
    pub times: Option<u32>,
}

impl Faults {
    fn matches(&self, path: &str) -> bool {
        self.path_prefix
            .as_deref()
            .is_none_or(|p| path.starts_with(p))
    }
}

/// Applies the current faults to chain paths (never to the `/_devchain` control paths).
pub async fn inject(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let path = request.uri().path().to_string();
    if path.starts_with("/_devchain") {
        return next.run(request).await;
    }
    state.stats.record(&path);
    let active = {
        let mut faults = state.faults.lock().expect("faults lock");
        if faults.matches(&path) && faults.times != Some(0) {
            let active = faults.clone();
            if let Some(times) = faults.times.as_mut() {
                *times -= 1;
                if *times == 0 {
                    *faults = Faults::default();
                }
            }
            Some(active)
        } else {
            None
        }
    };
    let Some(faults) = active else {
        return next.run(request).await;
    };
    if faults.latency_ms > 0 {
        tokio::time::sleep(Duration::from_millis(faults.latency_ms)).await;
    }
    if let Some(status) = faults.status {
        let status = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_GATEWAY);
        let body =
            format!("<html><body><h1>{status}</h1>devchain injected this error</body></html>");
        return (status, [(header::CONTENT_TYPE, "text/html")], body).into_response();
    }
    if faults.malformed {
        let body = Body::from("{\"validators\": [{\"operator_address\": \"cosmosvaloper1");
        return (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "application/json")],
            body,
        )
            .into_response();
    }
    next.run(request).await
}
