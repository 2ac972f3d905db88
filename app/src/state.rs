//! What server functions reach through Leptos context: the database pool and the caches.

use crate::{error::AppError, faucet::settings::Faucets, validators::cache::ValidatorCache};
use sqlx::PgPool;
use std::sync::Arc;

#[derive(Clone)]
pub struct AppState {
    pub pool: PgPool,
    pub validators: ValidatorCache,
    pub faucets: Arc<Faucets>,
}

impl AppState {
    pub fn new(pool: PgPool) -> Self {
        Self {
            pool,
            validators: ValidatorCache::default(),
            faucets: Arc::new(Faucets::default()),
        }
    }

    pub fn with_faucets(mut self, faucets: Faucets) -> Self {
        self.faucets = Arc::new(faucets);
        self
    }
}

/// The state the server provides to every route and server function.
pub fn state() -> Result<AppState, AppError> {
    leptos::prelude::use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from the Leptos context");
        AppError::Unavailable
    })
}

/// The pool, from the context the server provides to every route and server function.
pub fn pool() -> Result<PgPool, AppError> {
    state().map(|s| s.pool)
}

/// Sets the HTTP status of the page being rendered (404 for a missing validator...).
pub fn set_status(status: u16) {
    if let Some(options) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
        if let Ok(code) = http::StatusCode::from_u16(status) {
            options.set_status(code);
        }
    }
}

/// The response header by which a page says it may be shared from the server's page cache;
/// the server removes it before the answer leaves.
pub const SHARED_PAGE_HEADER: &str = "x-stakeboard-shared-page";

/// Marks the page being rendered as the same for every visitor of its URL until the data
/// changes: no form token, no captcha, nothing from the request but its path and query.
pub fn share_page() {
    if let Some(options) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
        options.insert_header(
            http::HeaderName::from_static(SHARED_PAGE_HEADER),
            http::HeaderValue::from_static("1"),
        );
    }
}
