//! Server functions of the validators pages.

use super::{
    model::{ValidatorList, ValidatorProfile},
    query::ValidatorQuery,
};
use crate::error::AppError;
use leptos::prelude::*;

#[server]
pub async fn list_validators(
    network: Option<String>,
    query: ValidatorQuery,
) -> Result<ValidatorList, AppError> {
    let state = crate::state::state()?;
    super::service::list(&state, network.as_deref(), &query).await
}

#[server]
pub async fn get_validator(
    operator: String,
    network: Option<String>,
) -> Result<ValidatorProfile, AppError> {
    let pool = crate::state::pool()?;
    super::service::profile(&pool, &operator, network.as_deref()).await
}
