//! The validators area's operations, shared by the server functions and the JSON API.

use super::{
    db,
    model::{HistoryKey, HistoryPage, ValidatorList, ValidatorProfile, SERIES_POINTS},
    query::ValidatorQuery,
};
use crate::{
    error::AppError,
    governance::model::RecordKey,
    networks, paging,
    state::AppState,
    system::{self, workers::VALIDATORS},
};
use sqlx::PgPool;

/// How far back the detail page's chart and history go.
const HISTORY_DAYS: i64 = 365;

pub async fn list(
    state: &AppState,
    slug: Option<&str>,
    query: &ValidatorQuery,
) -> Result<ValidatorList, AppError> {
    let pool = &state.pool;
    let (network, networks) = networks::service::resolve_network(pool, slug).await?;
    let figures = networks::db::figures(pool, &network.slug).await?;
    let collected_at = figures.as_ref().map(|f| f.collected_at);
    let freshness =
        system::service::freshness(pool, VALIDATORS, &network.slug, collected_at).await?;
    let last_vote_end = crate::governance::db::last_end(pool, &network.slug).await?;
    let rows = state
        .validators
        .current(
            pool,
            &network.slug,
            collected_at.map(|at| (at, last_vote_end)),
        )
        .await?;
    let max_share = rows
        .iter()
        .filter_map(|v| v.voting_power_share)
        .fold(0.0, f64::max);
    let (counts, total, validators) = query.apply(&rows);
    Ok(ValidatorList {
        network,
        networks,
        figures,
        freshness,
        counts,
        total,
        offset: query.offset,
        limit: query.limit,
        max_share,
        validators,
    })
}

/// Where the profile's paged lists start: its recorded changes and its governance record
/// (`None`: from the newest).
#[derive(Debug, Clone, Copy, Default)]
pub struct ProfilePages {
    pub changes_after: Option<HistoryKey>,
    pub votes_after: Option<RecordKey>,
}

/// Changes in a page of the profile's list (and the history API's default).
pub const CHANGES_PAGE: i64 = 25;
/// Proposals in a page of the profile's governance record (and the record API's default).
pub const RECORD_PAGE: i64 = 50;

/// One validator. Without `slug`, the first followed network that lists the operator.
pub async fn profile(
    pool: &PgPool,
    operator: &str,
    slug: Option<&str>,
    pages: ProfilePages,
) -> Result<ValidatorProfile, AppError> {
    let operator = &crate::address::parse_operator(operator).map_err(AppError::BadRequest)?;
    let listed_on = db::networks_of_operator(pool, operator).await?;
    let slug = match slug {
        Some(slug) => slug.to_string(),
        None => listed_on.first().cloned().ok_or_else(|| {
            AppError::NotFound(format!("No validator {operator} on any followed network."))
        })?,
    };
    let (network, followed) = networks::service::resolve_network(pool, Some(&slug)).await?;
    let since = chrono::Utc::now() - chrono::Duration::days(HISTORY_DAYS);
    let (validator, history, changes, figures) = tokio::try_join!(
        db::detail(pool, &network.slug, operator),
        db::history_series(pool, &network.slug, operator, since, SERIES_POINTS),
        history(
            pool,
            &network.slug,
            operator,
            CHANGES_PAGE,
            pages.changes_after
        ),
        networks::db::figures(pool, &network.slug),
    )?;
    let validator = validator.ok_or_else(|| {
        AppError::NotFound(format!("No validator {operator} on {}.", network.name))
    })?;
    let also_on = followed
        .into_iter()
        .filter(|n| n.slug != network.slug && listed_on.contains(&n.slug))
        .collect();
    let collected_at = figures.as_ref().map(|f| f.collected_at);
    let (freshness, governance) = tokio::try_join!(
        async {
            system::service::freshness(pool, VALIDATORS, &network.slug, collected_at)
                .await
                .map_err(AppError::from)
        },
        crate::governance::service::validator_record(
            pool,
            &network.slug,
            operator,
            &validator.summary.account_address,
            RECORD_PAGE,
            pages.votes_after.as_ref(),
        ),
    )?;
    Ok(ValidatorProfile {
        network,
        also_on,
        figures,
        freshness,
        validator,
        history,
        changes,
        governance,
    })
}

/// A page of a validator's recorded changes, newest first, after `after`.
pub async fn history(
    pool: &PgPool,
    network: &str,
    operator: &str,
    limit: i64,
    after: Option<HistoryKey>,
) -> Result<HistoryPage, sqlx::Error> {
    let rows = db::history_page(pool, network, operator, limit + 1, after.map(|k| k.0)).await?;
    let (changes, next) = paging::page_of(rows, limit, |h| HistoryKey(h.recorded_at));
    Ok(HistoryPage { changes, next })
}

/// The network named `slug`, the checked operator address and its validator's account
/// address; 400 for an address that cannot be one, 404 for an unknown network or validator.
pub async fn resolve_validator(
    pool: &PgPool,
    slug: &str,
    operator: &str,
) -> Result<(networks::model::NetworkInfo, String, String), AppError> {
    let operator = crate::address::parse_operator(operator).map_err(AppError::BadRequest)?;
    let (network, _) = networks::service::resolve_network(pool, Some(slug)).await?;
    let account = db::account_of(pool, &network.slug, &operator)
        .await?
        .ok_or_else(|| {
            AppError::NotFound(format!("No validator {operator} on {}.", network.name))
        })?;
    Ok((network, operator, account))
}

/// A page of the recorded changes of the validator `operator` on `slug`, for the JSON API.
pub async fn history_of(
    pool: &PgPool,
    slug: &str,
    operator: &str,
    limit: i64,
    after: Option<HistoryKey>,
) -> Result<HistoryPage, AppError> {
    let (network, operator, _) = resolve_validator(pool, slug, operator).await?;
    Ok(history(pool, &network.slug, &operator, limit, after).await?)
}

/// A page of the governance record of the validator `operator` on `slug`, for the JSON API.
pub async fn record_of(
    pool: &PgPool,
    slug: &str,
    operator: &str,
    limit: i64,
    after: Option<&RecordKey>,
) -> Result<crate::governance::model::GovernanceRecord, AppError> {
    let (network, operator, account) = resolve_validator(pool, slug, operator).await?;
    crate::governance::service::validator_record(
        pool,
        &network.slug,
        &operator,
        &account,
        limit,
        after,
    )
    .await
}
