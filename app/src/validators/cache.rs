//! Each network's current validator list, kept in memory between collections. Every request
//! still reads the network's collection time from Postgres, and the list is fetched again when
//! it changed, so replicas never serve a list older than the database's.

use super::{db, model::ValidatorSummary};
use chrono::{DateTime, Utc};
use sqlx::PgPool;
use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
};

/// What a cached list was built from: the validators collection and the last recorded end of a
/// vote (participation changes only then).
pub type Version = (DateTime<Utc>, Option<DateTime<Utc>>);

/// A network's list and the version it was built from.
type Cached = (Version, Arc<Vec<ValidatorSummary>>);

#[derive(Clone, Default)]
pub struct ValidatorCache {
    lists: Arc<Mutex<HashMap<String, Cached>>>,
}

impl ValidatorCache {
    /// The validators of `network` as of `version` (`None`: never collected, nothing cached).
    pub async fn current(
        &self,
        pool: &PgPool,
        network: &str,
        version: Option<Version>,
    ) -> Result<Arc<Vec<ValidatorSummary>>, sqlx::Error> {
        if let Some(at) = version {
            let lists = self.lists.lock().expect("validator cache lock");
            if let Some((cached_at, list)) = lists.get(network) {
                if *cached_at == at {
                    return Ok(list.clone());
                }
            }
        }
        // A collection may commit between reading `collected_at` and this query; the newer
        // list is then stored under the older time and replaced on the next request.
        let list = Arc::new(db::current(pool, network).await?);
        if let Some(at) = version {
            let mut lists = self.lists.lock().expect("validator cache lock");
            lists.insert(network.to_string(), (at, list.clone()));
        }
        Ok(list)
    }
}
