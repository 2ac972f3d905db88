//! `/metrics` in Prometheus text: HTTP requests by route and status, worker runs and their
//! durations (recorded where they happen), and the age of each network's last collection.

use crate::state::ServerState;
use axum::{
    extract::{MatchedPath, Request, State},
    http::header,
    middleware::Next,
    response::{IntoResponse, Response},
};
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use std::{sync::OnceLock, time::Instant};

/// The process-wide recorder; installed once, shared by every server started in the process.
pub fn handle() -> PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE
        .get_or_init(|| {
            PrometheusBuilder::new()
                .set_buckets(&[
                    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0,
                ])
                .expect("static buckets are valid")
                .install_recorder()
                .expect("the metrics recorder is installed once")
        })
        .clone()
}

pub async fn render(State(state): State<ServerState>) -> Response {
    match sqlx::query!(
        r#"SELECT network, EXTRACT(EPOCH FROM now() - collected_at)::float8 AS "age!" FROM network_status"#
    )
    .fetch_all(&state.pool)
    .await
    {
        Ok(rows) => {
            for row in rows {
                metrics::gauge!("stakeboard_collection_age_seconds", "network" => row.network, "collection" => "validators").set(row.age);
            }
            metrics::gauge!("stakeboard_database_up").set(1.0);
        }
        Err(e) => {
            tracing::warn!(error = %e, "metrics: cannot read collection ages");
            metrics::gauge!("stakeboard_database_up").set(0.0);
        }
    }
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        state.metrics.render(),
    )
        .into_response()
}

/// Counts requests by matched route (never the raw path: bounded label values) and status.
pub async fn track_requests(request: Request, next: Next) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "unmatched".to_string());
    let method = request.method().to_string();
    let started = Instant::now();
    let response = next.run(request).await;
    let status = response.status().as_u16().to_string();
    metrics::counter!("stakeboard_http_requests_total", "route" => route.clone(), "method" => method, "status" => status).increment(1);
    metrics::histogram!("stakeboard_http_request_duration_seconds", "route" => route)
        .record(started.elapsed().as_secs_f64());
    response
}
