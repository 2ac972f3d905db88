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

/// Where a confirmation link stands; changes nothing (the page's form confirms).
#[server]
pub async fn confirm_status(token: String) -> Result<ConfirmOutcome, AppError> {
    let pool = crate::state::pool()?;
    super::service::confirm_status(&pool, &token).await
}

#[server]
pub async fn manage_subscription(token: String) -> Result<ManageView, AppError> {
    let pool = crate::state::pool()?;
    super::service::manage_view(&pool, &token).await
}

/// Where the unsubscribe link in every mail stands; changes nothing (the page's form does).
#[server]
pub async fn unsubscribe_status(token: String) -> Result<UnsubscribeOutcome, AppError> {
    let pool = crate::state::pool()?;
    super::service::unsubscribe_status(&pool, &token).await
}
