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

/// `changes_after` and `votes_after`: where the profile's recorded changes and governance
/// record start (the `next` of the page before).
#[server]
pub async fn get_validator(
    operator: String,
    network: Option<String>,
    changes_after: Option<String>,
    votes_after: Option<String>,
) -> Result<ValidatorProfile, AppError> {
    use crate::paging::optional_key;
    let pool = crate::state::pool()?;
    let pages = super::service::ProfilePages {
        changes_after: optional_key(changes_after.as_deref()).map_err(AppError::BadRequest)?,
        votes_after: optional_key(votes_after.as_deref()).map_err(AppError::BadRequest)?,
    };
    super::service::profile(&pool, &operator, network.as_deref(), pages).await
}
