//! How fresh a page's data is, built one way for every page.

use super::{db, model::Freshness};
use chrono::{DateTime, Utc};
use sqlx::PgPool;

/// The freshness of data that `worker` collects for `network`: when it was collected
/// (`collected_at` when the data carries its own time, else the worker's last success) and the
/// worker's last finished run, so a page can warn when that run failed.
pub async fn freshness(
    pool: &PgPool,
    worker: &str,
    network: &str,
    collected_at: Option<DateTime<Utc>>,
) -> Result<Freshness, sqlx::Error> {
    let collected = async {
        match collected_at {
            Some(at) => Ok(Some(at)),
            None => db::last_success(pool, worker, network).await,
        }
    };
    let (collected_at, last_run) =
        tokio::try_join!(collected, db::last_finished_run(pool, worker, network))?;
    Ok(Freshness {
        collected_at,
        last_run,
    })
}
