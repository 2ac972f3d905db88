//! The router's state: what handlers, Leptos routes and server functions reach.

use crate::http::{assets::Assets, page_cache::PageCache};
use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use metrics_exporter_prometheus::PrometheusHandle;
use sqlx::PgPool;

#[derive(Clone)]
pub struct ServerState {
    pub leptos_options: LeptosOptions,
    pub pool: PgPool,
    /// What pages and server functions reach: the same pool, and the caches they share.
    pub app: app::state::AppState,
    pub metrics: PrometheusHandle,
    pub signup_limits: app::alerts::service::SignupLimits,
    pub trust_x_forwarded_for: bool,
    /// Rendered pages by URL and data version.
    pub page_cache: PageCache,
    /// The site's fingerprinted files.
    pub assets: Assets,
    /// How admins log in and which origin their forms must come from.
    pub admin: crate::admin::AdminSettings,
}

impl FromRef<ServerState> for Assets {
    fn from_ref(state: &ServerState) -> Self {
        state.assets.clone()
    }
}

impl FromRef<ServerState> for LeptosOptions {
    fn from_ref(state: &ServerState) -> Self {
        state.leptos_options.clone()
    }
}
