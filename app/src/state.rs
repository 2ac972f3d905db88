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
