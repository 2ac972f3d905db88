//! Counts the chain requests devchain served, so tests can see retries and pagination.

use std::{collections::BTreeMap, sync::Mutex};

#[derive(Default)]
pub struct Stats {
    by_path: Mutex<BTreeMap<String, u64>>,
}

impl Stats {
    pub fn record(&self, path: &str) {
        *self
            .by_path
            .lock()
            .expect("stats lock")
            .entry(path.to_string())
            .or_default() += 1;
    }

    /// Requests served whose path starts with `prefix`.
    pub fn count(&self, prefix: &str) -> u64 {
        let by_path = self.by_path.lock().expect("stats lock");
        by_path
            .iter()
            .filter(|(p, _)| p.starts_with(prefix))
            .map(|(_, n)| n)
            .sum()
    }

    pub fn snapshot(&self) -> BTreeMap<String, u64> {
        self.by_path.lock().expect("stats lock").clone()
    }
}
