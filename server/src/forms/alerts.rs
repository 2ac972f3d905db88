//! The alert forms: sign up, confirm, save preferences, unsubscribe (from the page's button or
//! a mail client's RFC 8058 one-click POST), undo. Every change is a POST: the pages the mail
//! links open only show the button.

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
            // A database error is logged once, by its conversion.
            let message = app::error::AppError::from(error).to_string();
            // The typed address goes back into the form, on one line and cut to the field's size.
            let email: String = app::ui::text::one_line(field(&form, "email"))
                .chars()
                .take(254)
                .collect();
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

/// The confirmation page's button; back to the page, which then says what happened.
pub async fn confirm(State(state): State<ServerState>, Form(form): Form<Pairs>) -> Response {
    let token = field(&form, "token").to_string();
    match service::confirm(&state.pool, &token).await {
        Ok(_) => Redirect::to(&with_query(
            "/alerts/confirm",
            &[("token", &token), ("done", "1")],
        ))
        .into_response(),
        Err(error) => error_page(error),
    }
}

#[derive(serde::Deserialize)]
pub struct TokenQuery {
    token: Option<String>,
}

/// `POST /alerts/unsubscribe`: the unsubscribe page's button (a form with `token`), answered
/// with the page again; or what a mail client posts for
/// `List-Unsubscribe-Post: List-Unsubscribe=One-Click` (the token in the link's query),
/// answered in plain text.
pub async fn unsubscribe(
    State(state): State<ServerState>,
    Query(query): Query<TokenQuery>,
    form: Result<Form<Pairs>, axum::extract::rejection::FormRejection>,
) -> Response {
    // Mail clients send `List-Unsubscribe=One-Click`, some with no body or another type.
    let form = form.map(|Form(form)| form).unwrap_or_default();
    let from_page = form.iter().any(|(k, _)| k == "token");
    if from_page {
        let token = field(&form, "token").to_string();
        return match service::unsubscribe(&state.pool, &token).await {
            Ok(_) => Redirect::to(&with_query("/alerts/unsubscribe", &[("token", &token)]))
                .into_response(),
            Err(error) => error_page(error),
        };
    }
    match service::unsubscribe(&state.pool, query.token.as_deref().unwrap_or("")).await {
        Ok(UnsubscribeOutcome::Unknown) => (
            StatusCode::NOT_FOUND,
            "This unsubscribe link is not valid.\n",
        )
            .into_response(),
        Ok(_) => (
            StatusCode::OK,
            "Unsubscribed: Stakeboard sends no more mail to this address.\n",
        )
            .into_response(),
        Err(error) => error_page(error),
    }
}

/// A change that could not be made: its status and reason as plain text.
fn error_page(error: app::error::AppError) -> Response {
    (
        StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
        format!("{error}\n"),
    )
        .into_response()
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
