//! The overview of every followed network, shared by the page and the JSON API.

use super::{
    db,
    model::{NetworkInfo, NetworkSummary},
};
use crate::{
    error::AppError,
    system::{self, workers::VALIDATORS},
};
use sqlx::PgPool;

pub async fn overview(pool: &PgPool) -> Result<Vec<NetworkSummary>, AppError> {
    let mut summaries = Vec::new();
    for network in db::followed(pool).await? {
        let figures = db::figures(pool, &network.slug).await?;
        let collected_at = figures.as_ref().map(|f| f.collected_at);
        let freshness =
            system::service::freshness(pool, VALIDATORS, &network.slug, collected_at).await?;
        summaries.push(NetworkSummary {
            network,
            figures,
            freshness,
        });
    }
    Ok(summaries)
}

/// The network named by `slug`, or the first followed network when `slug` is `None`.
pub async fn resolve_network(
    pool: &PgPool,
    slug: Option<&str>,
) -> Result<(NetworkInfo, Vec<NetworkInfo>), AppError> {
    let followed = db::followed(pool).await?;
    let network = match slug {
        Some(slug) if !super::model::is_slug(slug) => {
            let shown: String = slug.chars().take(40).collect();
            return Err(AppError::NotFound(format!(
                "No network {shown:?} is followed here: a network's name is 1 to 40 of a-z, 0-9 and '-'."
            )));
        }
        Some(slug) => match followed.iter().find(|n| n.slug == slug) {
            Some(n) => n.clone(),
            None => db::by_slug(pool, slug).await?.ok_or_else(|| {
                AppError::NotFound(format!("No network {slug:?} is followed here."))
            })?,
        },
        None => followed
            .first()
            .cloned()
            .ok_or_else(|| AppError::NotFound("No network is followed yet.".into()))?,
    };
    Ok((network, followed))
}
