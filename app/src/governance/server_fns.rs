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

#[server]
pub async fn get_proposal(network: String, id: i64) -> Result<ProposalDetail, AppError> {
    let pool = crate::state::pool()?;
    super::service::detail(&pool, &network, id).await
}
