//! `GET /api/v1/networks`: the followed networks and their last collected figures.

use super::{ApiError, ErrorBody};
use crate::state::ServerState;
use app::networks::{model::NetworkSummary, service};
use axum::{extract::State, Json};
use serde::Serialize;

#[derive(Serialize, utoipa::ToSchema)]
pub struct NetworksResponse {
    networks: Vec<NetworkSummary>,
}

/// The followed networks, each with its last collected figures and how fresh they are.
#[utoipa::path(get, path = "/networks", tag = "networks",
    responses(
        (status = 200, description = "Every followed network", body = NetworksResponse),
        (status = 503, description = "The database does not answer", body = ErrorBody),
    ))]
pub async fn list(State(state): State<ServerState>) -> Result<Json<NetworksResponse>, ApiError> {
    Ok(Json(NetworksResponse {
        networks: service::overview(&state.pool).await?,
    }))
}
