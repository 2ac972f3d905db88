//! What the pages show about workers: runs, their outcome, and how fresh data is.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// One worker run, as recorded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RunBrief {
    pub worker: String,
    pub network: Option<String>,
    pub started_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
    /// `running`, `ok` or `failed`.
    pub outcome: String,
    pub error: Option<String>,
    pub detail: Option<String>,
}

impl RunBrief {
    pub fn failed(&self) -> bool {
        self.outcome == "failed"
    }

    pub fn duration_secs(&self) -> Option<f64> {
        self.finished_at
            .map(|f| (f - self.started_at).num_milliseconds() as f64 / 1000.0)
    }
}

/// When a network's data was last collected and how the last finished run went.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Freshness {
    pub collected_at: Option<DateTime<Utc>>,
    pub last_run: Option<RunBrief>,
}

impl Freshness {
    /// The last finished run failed: the data shown is older than it should be.
    pub fn is_stale(&self) -> bool {
        self.last_run.as_ref().is_some_and(RunBrief::failed)
    }
}

/// The state of one worker (per network where it has one) for the system page and /healthz.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WorkerStatus {
    pub worker: String,
    pub network: Option<String>,
    pub last_run: RunBrief,
    pub last_success_at: Option<DateTime<Utc>>,
    pub runs_24h: i64,
    pub failures_24h: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SystemOverview {
    pub workers: Vec<WorkerStatus>,
    pub recent_runs: Vec<RunBrief>,
}
