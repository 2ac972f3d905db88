//! `GET /api/v1/networks`: the followed networks and their last collected figures.

use super::ApiError;
use crate::state::ServerState;
use app::networks::{model::NetworkSummary, service};
use axum::{extract::State, Json};
use serde::Serialize;

#[derive(Serialize)]
pub struct NetworksResponse {
    networks: Vec<NetworkSummary>,
}

pub async fn list(State(state): State<ServerState>) -> Result<Json<NetworksResponse>, ApiError> {
    Ok(Json(NetworksResponse {
        networks: service::overview(&state.pool).await?,
    }))
}
