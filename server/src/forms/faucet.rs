//! The claim form: a plain POST answered with a redirect to the claim's page, or back to the
//! form with the reason and the typed address.

use super::{client_ip, with_query};
use crate::state::ServerState;
use app::{
    address::MAX_ADDRESS_LEN,
    faucet::service::{self, ClaimRequest, ClaimSource},
};
use axum::{
    extract::{ConnectInfo, State},
    http::HeaderMap,
    response::{IntoResponse, Redirect, Response},
    Form,
};
use serde::Deserialize;
use std::net::SocketAddr;

#[derive(Deserialize)]
pub struct ClaimForm {
    #[serde(default)]
    network: String,
    #[serde(default)]
    address: String,
    #[serde(default)]
    captcha: String,
}

pub async fn claim(
    State(state): State<ServerState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Form(form): Form<ClaimForm>,
) -> Response {
    let ip = client_ip(&state, peer, &headers);
    let request = ClaimRequest {
        network: &form.network,
        address: &form.address,
        ip: Some(ip),
        captcha: Some(&form.captcha),
        source: ClaimSource::Form,
    };
    match service::claim(&state.pool, &state.app.faucets, request).await {
        Ok(claim) => Redirect::to(&format!("/faucet/claims/{}", claim.id)).into_response(),
        Err(refused) => {
            let message = app::error::AppError::from(refused).to_string();
            // The typed address goes back into the form, cut to the longest an address can be.
            let address: String = app::ui::text::one_line(&form.address)
                .chars()
                .take(MAX_ADDRESS_LEN)
                .collect();
            Redirect::to(&with_query(
                "/faucet",
                &[
                    ("network", form.network.as_str()),
                    ("error", message.as_str()),
                    ("address", address.as_str()),
                ],
            ))
            .into_response()
        }
    }
}
