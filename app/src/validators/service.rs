//! The validators area's operations, shared by the server functions and the JSON API.

use super::{
    db,
    model::{ValidatorList, ValidatorProfile},
    query::ValidatorQuery,
};
use crate::{
    error::AppError,
    networks,
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

/// One validator. Without `slug`, the first followed network that lists the operator.
pub async fn profile(
    pool: &PgPool,
    operator: &str,
    slug: Option<&str>,
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
    let (validator, history, figures) = tokio::try_join!(
        db::detail(pool, &network.slug, operator),
        db::history(pool, &network.slug, operator, since),
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
    let freshness =
        system::service::freshness(pool, VALIDATORS, &network.slug, collected_at).await?;
    let governance = crate::governance::service::validator_record(
        pool,
        &network.slug,
        operator,
        &validator.summary.account_address,
    )
    .await?;
    Ok(ValidatorProfile {
        network,
        also_on,
        figures,
        freshness,
        validator,
        history,
        governance,
    })
}
