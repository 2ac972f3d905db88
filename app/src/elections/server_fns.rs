//! Server functions of the election pages (public and admin). Admin functions refuse anyone
//! not logged in with 401; admin forms post to plain endpoints in the server crate.

use super::{
    ballot::SignedBallot,
    views::{AdminElection, AdminElectionList, ElectionDetail, ElectionList, Receipt},
};
use crate::error::AppError;
use leptos::{prelude::*, server_fn::codec::Json};

/// `after`: the `next` of the previous page of past elections.
#[server]
pub async fn list_elections(
    network: Option<String>,
    after: Option<String>,
) -> Result<ElectionList, AppError> {
    let pool = crate::state::pool()?;
    let after = crate::paging::optional_key::<super::service::ElectionKey>(after.as_deref())
        .map_err(AppError::BadRequest)?;
    super::service::list(&pool, network.as_deref(), after.map(|k| k.0)).await
}

#[server]
pub async fn get_election(id: i64) -> Result<ElectionDetail, AppError> {
    let pool = crate::state::pool()?;
    super::service::detail(&pool, id).await
}

#[server]
pub async fn get_receipt(id: i64, hash: String) -> Result<Receipt, AppError> {
    let pool = crate::state::pool()?;
    super::service::receipt(&pool, id, &hash).await
}

/// The ballot form's way in: the same checks and ledger as `POST /api/v1/elections/{id}/ballots`.
#[server(input = Json)]
pub async fn cast_ballot(id: i64, ballot: SignedBallot) -> Result<Receipt, AppError> {
    let pool = crate::state::pool()?;
    super::ballots::accept(&pool, id, ballot).await
}

#[server(prefix = "/admin/api")]
pub async fn get_admin_elections(after: Option<String>) -> Result<AdminElectionList, AppError> {
    let admin = crate::admin::identity::require()?;
    let pool = crate::state::pool()?;
    let after = crate::paging::optional_key::<super::service::ElectionKey>(after.as_deref())
        .map_err(AppError::BadRequest)?;
    super::admin_pages::list(&pool, admin, after.map(|k| k.0)).await
}

/// `id`: `None` for the form of a new election.
#[server(prefix = "/admin/api")]
pub async fn get_admin_election(id: Option<i64>) -> Result<AdminElection, AppError> {
    let admin = crate::admin::identity::require()?;
    let pool = crate::state::pool()?;
    super::admin_pages::election(&pool, admin, id).await
}
