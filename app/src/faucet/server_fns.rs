//! Server functions of the faucet pages. The form posts to a plain endpoint in the server
//! crate, so it works before the WASM loads.

use super::{
    captcha::Challenge,
    model::{ClaimView, FaucetPageData},
};
use crate::error::AppError;
use leptos::prelude::*;

#[server]
pub async fn get_faucet_page(network: Option<String>) -> Result<FaucetPageData, AppError> {
    let state = crate::state::state()?;
    super::service::page_data(&state.pool, &state.faucets, network.as_deref()).await
}

#[server]
pub async fn get_claim(id: i64) -> Result<ClaimView, AppError> {
    let state = crate::state::state()?;
    super::service::claim_view(&state.pool, &state.faucets, id).await
}

/// A fresh proof-of-work challenge for the claim form.
#[server]
pub async fn new_challenge() -> Result<Challenge, AppError> {
    Ok(crate::state::state()?.faucets.new_challenge())
}
