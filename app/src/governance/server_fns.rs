//! Server functions of the governance pages.

use super::{
    model::{ProposalDetail, ProposalList},
    query::ProposalQuery,
};
use crate::error::AppError;
use leptos::prelude::*;

#[server]
pub async fn list_proposals(
    network: Option<String>,
    query: ProposalQuery,
) -> Result<ProposalList, AppError> {
    let pool = crate::state::pool()?;
    super::service::list(&pool, network.as_deref(), &query).await
}

/// `after`: where the page's table of every vote (newest first) starts, the `next` of the page
/// before.
#[server]
pub async fn get_proposal(
    network: String,
    id: i64,
    after: Option<String>,
) -> Result<ProposalDetail, AppError> {
    let pool = crate::state::pool()?;
    let after = crate::paging::optional_key(after.as_deref()).map_err(AppError::BadRequest)?;
    super::service::detail(&pool, &network, id, after).await
}
