//! The overview of every followed network, shared by the page and the JSON API.

use super::{db, model::NetworkSummary};
use crate::{error::AppError, system, validators::service::WORKER};
use sqlx::PgPool;

pub async fn overview(pool: &PgPool) -> Result<Vec<NetworkSummary>, AppError> {
    let mut summaries = Vec::new();
    for network in db::followed(pool).await? {
        let (figures, last_run) = tokio::try_join!(
            db::figures(pool, &network.slug),
            system::db::last_finished_run(pool, WORKER, &network.slug),
        )?;
        let freshness = system::model::Freshness {
            collected_at: figures.as_ref().map(|f| f.collected_at),
            last_run,
        };
        summaries.push(NetworkSummary {
            network,
            figures,
            freshness,
        });
    }
    Ok(summaries)
}
