//! The router's state: what handlers, Leptos routes and server functions reach.

use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use metrics_exporter_prometheus::PrometheusHandle;
use sqlx::PgPool;

#[derive(Clone)]
pub struct ServerState {
    pub leptos_options: LeptosOptions,
    pub pool: PgPool,
    pub metrics: PrometheusHandle,
    pub networks: Vec<String>,
}

impl FromRef<ServerState> for LeptosOptions {
    fn from_ref(state: &ServerState) -> Self {
        state.leptos_options.clone()
    }
}
