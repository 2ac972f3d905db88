//! The HTTP router: pages and server functions (Leptos), the JSON API, health and metrics.

use crate::{api, forms, state::ServerState, system};
use app::{shell, App};
use axum::{middleware, routing::get, Router};
use leptos::prelude::provide_context;
use leptos_axum::{generate_route_list, LeptosRoutes};
use tower_http::{
    compression::{CompressionLayer, CompressionLevel},
    trace::TraceLayer,
};

pub fn router(state: ServerState, serve_pages: bool) -> Router {
    let mut router = Router::new()
        .route("/healthz", get(system::health::healthz))
        .route("/metrics", get(system::metrics::render))
        .route(
            "/proposals/{network}/{id}/votes.csv",
            get(system::csv::votes_csv),
        )
        .route(
            "/credit",
            axum::routing::post(api::faucet::credit)
                .layer(axum::extract::DefaultBodyLimit::max(api::FAUCET_BODY_LIMIT)),
        )
        .nest("/api/v1", api::router());
    if serve_pages {
        let app_state = state.app.clone();
        let options = state.leptos_options.clone();
        router = router
            .merge(forms::router())
            .leptos_routes_with_context(
                &state,
                generate_route_list(App),
                move || provide_context(app_state.clone()),
                move || shell(options.clone()),
            )
            .fallback(leptos_axum::file_and_error_handler::<ServerState, _>(shell));
    }
    router
        .layer(middleware::from_fn(system::metrics::track_requests))
        // The fastest level: default gzip costs more CPU than rendering a 500-row page.
        .layer(CompressionLayer::new().quality(CompressionLevel::Fastest))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}
