//! The alert forms: sign up, save preferences, unsubscribe in one click (RFC 8058), undo.

use super::{client_ip, with_query};
use crate::state::ServerState;
use app::alerts::{model::UnsubscribeOutcome, service};
use axum::{
    extract::{ConnectInfo, Query, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Redirect, Response},
    Form,
};
use std::net::SocketAddr;

type Pairs = Vec<(String, String)>;

fn field<'a>(form: &'a Pairs, name: &str) -> &'a str {
    form.iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
        .unwrap_or("")
}

pub async fn subscribe(
    State(state): State<ServerState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Form(form): Form<Pairs>,
) -> Response {
    let ip = client_ip(&state, peer, &headers);
    match service::subscribe(&state.pool, state.signup_limits, &form, Some(&ip)).await {
        Ok(email) => Redirect::to(&with_query(
            "/alerts/check-inbox",
            &[("email", email.as_str())],
        ))
        .into_response(),
        Err(error) => {
            if let service::SignupError::Database(e) = &error {
                tracing::error!(error = %e, "sign-up not stored");
            }
            let message = app::error::AppError::from(error).to_string();
            // The typed address goes back into the form, cut to the field's size.
            let email: String = field(&form, "email").chars().take(254).collect();
            Redirect::to(&with_query(
                "/alerts",
                &[("error", message.as_str()), ("email", email.as_str())],
            ))
            .into_response()
        }
    }
}

pub async fn save(State(state): State<ServerState>, Form(form): Form<Pairs>) -> Response {
    let token = field(&form, "token").to_string();
    let target = match service::save_choices(&state.pool, &token, &form).await {
        Ok(()) => with_query("/alerts/manage", &[("token", &token), ("saved", "1")]),
        Err(error) => with_query(
            "/alerts/manage",
            &[("token", &token), ("error", &error.to_string())],
        ),
    };
    Redirect::to(&target).into_response()
}

#[derive(serde::Deserialize)]
pub struct TokenQuery {
    token: Option<String>,
}

/// What a mail client posts for `List-Unsubscribe-Post: List-Unsubscribe=One-Click`.
pub async fn one_click_unsubscribe(
    State(state): State<ServerState>,
    Query(query): Query<TokenQuery>,
) -> Response {
    match service::unsubscribe(&state.pool, query.token.as_deref().unwrap_or("")).await {
        Ok(
            UnsubscribeOutcome::Unsubscribed { .. }
            | UnsubscribeOutcome::AlreadyUnsubscribed { .. },
        ) => (
            StatusCode::OK,
            "Unsubscribed: Stakeboard sends no more mail to this address.\n",
        )
            .into_response(),
        Ok(UnsubscribeOutcome::Unknown) => (
            StatusCode::NOT_FOUND,
            "This unsubscribe link is not valid.\n",
        )
            .into_response(),
        Err(error) => (
            StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            format!("{error}\n"),
        )
            .into_response(),
    }
}

pub async fn resubscribe(State(state): State<ServerState>, Form(form): Form<Pairs>) -> Response {
    let token = field(&form, "token").to_string();
    match service::resubscribe(&state.pool, &token).await {
        Ok(()) => Redirect::to(&with_query(
            "/alerts/manage",
            &[("token", &token), ("saved", "1")],
        ))
        .into_response(),
        Err(error) => Redirect::to(&with_query(
            "/alerts/unsubscribe",
            &[("token", &token), ("error", &error.to_string())],
        ))
        .into_response(),
    }
}
