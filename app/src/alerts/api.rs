//! Server functions of the alert pages. Forms post to plain endpoints in the server crate, so
//! they work before (and without) the WASM.

use super::model::{AlertOptions, ConfirmOutcome, ManageView, UnsubscribeOutcome};
use crate::error::AppError;
use leptos::prelude::*;

#[server]
pub async fn get_alert_options() -> Result<AlertOptions, AppError> {
    let pool = crate::state::pool()?;
    super::service::options(&pool).await
}

#[server]
pub async fn confirm_subscription(token: String) -> Result<ConfirmOutcome, AppError> {
    let pool = crate::state::pool()?;
    super::service::confirm(&pool, &token).await
}

#[server]
pub async fn manage_subscription(token: String) -> Result<ManageView, AppError> {
    let pool = crate::state::pool()?;
    super::service::manage_view(&pool, &token).await
}

/// The unsubscribe link in every mail: one click unsubscribes (the page offers to undo).
#[server]
pub async fn unsubscribe_by_link(token: String) -> Result<UnsubscribeOutcome, AppError> {
    let pool = crate::state::pool()?;
    super::service::unsubscribe(&pool, &token).await
}
