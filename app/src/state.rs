//! What server functions reach through Leptos context: the database pool.

use crate::error::AppError;
use sqlx::PgPool;

#[derive(Clone)]
pub struct AppState {
    pub pool: PgPool,
}

/// The pool, from the context the server provides to every route and server function.
pub fn pool() -> Result<PgPool, AppError> {
    leptos::prelude::use_context::<AppState>()
        .map(|s| s.pool)
        .ok_or_else(|| {
            tracing::error!("AppState missing from the Leptos context");
            AppError::Unavailable
        })
}

/// Sets the HTTP status of the page being rendered (404 for a missing validator...).
pub fn set_status(status: u16) {
    if let Some(options) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
        if let Ok(code) = http::StatusCode::from_u16(status) {
            options.set_status(code);
        }
    }
}
