//! The HTTP router: pages and server functions (Leptos), the JSON API, health and metrics, and
//! the layers every request passes: the guard, timeouts and size limits, security headers,
//! compression, metrics and tracing.

use crate::{
    admin, api, forms,
    http::{assets, conditional, deadline, guard, headers, hydration_data, page_cache},
    state::ServerState,
    system,
};
use app::{shell, App};
use axum::{middleware, routing::get, Router};
use leptos::prelude::provide_context;
use leptos_axum::{generate_route_list, LeptosRoutes};
use std::time::Duration;
use tower_http::{
    compression::{CompressionLayer, CompressionLevel},
    trace::{DefaultOnFailure, TraceLayer},
};

#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Pages and server functions (`--role web|all`); without them only the API, health and
    /// metrics are served.
    pub serve_pages: bool,
    /// How long a client may take to send a request's body.
    pub body_timeout: Duration,
}

pub fn router(state: ServerState, options: Options) -> Router {
    let mut router = Router::new()
        .route("/healthz", get(system::health::healthz))
        .route("/metrics", get(system::metrics::render))
        .route(
            "/proposals/{network}/{id}/votes.csv",
            get(api::governance::csv::votes_csv),
        )
        .merge(api::router().layer(middleware::from_fn(conditional::etag_json)));
    if options.serve_pages {
        let app_state = state.app.clone();
        let asset_paths = state.assets.paths();
        let context = move || {
            provide_context(app_state.clone());
            provide_context(asset_paths.clone());
        };
        let leptos_options = state.leptos_options.clone();
        let pages = Router::new()
            .leptos_routes_with_context(
                &state,
                generate_route_list(App),
                context.clone(),
                move || shell(leptos_options.clone()),
            )
            .layer(middleware::from_fn(guard::decode_once));
        router = router
            .route("/pkg/{file}", get(assets::serve))
            .merge(forms::router())
            .merge(pages)
            .fallback(leptos_axum::file_and_error_handler_with_context::<
                ServerState,
                _,
            >(context, shell));
    }
    let page_cache = state.page_cache.clone();
    router
        // Admin pages and forms: the logged-in admin (from the session) or a refusal.
        .layer(middleware::from_fn_with_state(
            state.clone(),
            admin::guard::guard,
        ))
        .layer(admin_sessions(&state))
        .layer(middleware::from_fn(hydration_data::drop_empty))
        // Only pages that mark themselves shared are kept; everything else passes through.
        .layer(middleware::from_fn_with_state(
            page_cache,
            page_cache::serve,
        ))
        .layer(middleware::from_fn_with_state(
            options.body_timeout,
            deadline::body_deadline,
        ))
        .layer(axum::extract::DefaultBodyLimit::max(guard::MAX_BODY_BYTES))
        .layer(middleware::from_fn(system::metrics::track_requests))
        // The fastest level: default gzip costs more CPU than rendering a 500-row page.
        .layer(CompressionLayer::new().quality(CompressionLevel::Fastest))
        .layer(middleware::from_fn(guard::guard))
        // Outside the guard: its refusals carry the headers too.
        .layer(middleware::from_fn(headers::security_headers))
        // 5xx answers are logged where they arise, with their cause; the trace line stays a WARN.
        .layer(
            TraceLayer::new_for_http()
                .on_failure(DefaultOnFailure::new().level(tracing::Level::WARN)),
        )
        .with_state(state)
}

/// Admin sessions in Postgres: a cookie only `/admin` receives, never readable by scripts, never
/// sent by another site's request, and over https only when the site is.
fn admin_sessions(
    state: &ServerState,
) -> tower_sessions::SessionManagerLayer<admin::store::PgSessionStore> {
    use tower_sessions::{
        cookie::{time, SameSite},
        Expiry, SessionManagerLayer,
    };
    SessionManagerLayer::new(admin::store::PgSessionStore::new(state.pool.clone()))
        .with_name("stakeboard_admin")
        .with_path("/admin")
        .with_secure(state.admin.secure_cookie)
        .with_same_site(SameSite::Strict)
        .with_http_only(true)
        // Saved on every request, so the expiry counts from the last one (not the last change).
        .with_always_save(true)
        .with_expiry(Expiry::OnInactivity(time::Duration::hours(
            state.admin.session_hours,
        )))
}
