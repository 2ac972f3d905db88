//! `/healthz`: 200 with a JSON body saying whether the database answers and when each worker
//! last succeeded (503 when the database does not answer).

use crate::state::ServerState;
use app::system::{db, model::WorkerStatus};
use axum::{extract::State, http::StatusCode, Json};
use chrono::{DateTime, Utc};
use serde::Serialize;

#[derive(Serialize)]
pub struct Health {
    pub status: &'static str,
    pub database: &'static str,
    pub version: &'static str,
    pub workers: Vec<WorkerHealth>,
}

#[derive(Serialize)]
pub struct WorkerHealth {
    pub worker: String,
    pub network: Option<String>,
    pub last_success_at: Option<DateTime<Utc>>,
    pub last_run_at: DateTime<Utc>,
    pub last_outcome: String,
    pub last_error: Option<String>,
}

impl From<WorkerStatus> for WorkerHealth {
    fn from(w: WorkerStatus) -> Self {
        Self {
            worker: w.worker,
            network: w.network,
            last_success_at: w.last_success_at,
            last_run_at: w.last_run.started_at,
            last_outcome: w.last_run.outcome,
            last_error: w.last_run.error,
        }
    }
}

pub async fn healthz(State(state): State<ServerState>) -> (StatusCode, Json<Health>) {
    let version = env!("CARGO_PKG_VERSION");
    match db::worker_statuses(&state.pool).await {
        Ok(workers) => (
            StatusCode::OK,
            Json(Health {
                status: "ok",
                database: "ok",
                version,
                workers: workers.into_iter().map(Into::into).collect(),
            }),
        ),
        Err(e) => {
            tracing::warn!(error = %e, "health check: the database does not answer");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(Health {
                    status: "degraded",
                    database: "unreachable",
                    version,
                    workers: vec![],
                }),
            )
        }
    }
}
