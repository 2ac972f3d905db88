//! The admin forms: login and logout, and every change to an election. Plain POSTs (the guard
//! has checked the session and the origin) answered with a redirect: to the page that shows the
//! change, or back to the form with the reasons and what was typed (kept in the session).

use super::client_ip;
use crate::{
    admin::{login::LoggedIn, ADMIN_ID_KEY, ADMIN_SEAL_KEY},
    state::ServerState,
};
use app::{
    admin::model::AdminIdentity,
    elections::{
        admin::{self, Actor, Refusal},
        admin_pages::FLASH_KEY,
        form::{parse_time, ElectionDraft},
        views::Flash,
    },
};
use axum::{
    extract::{ConnectInfo, Multipart, Path, State},
    http::HeaderMap,
    response::{IntoResponse, Redirect, Response},
    Extension, Form,
};
use serde::Deserialize;
use std::net::SocketAddr;
use tower_sessions::Session;

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: String,
}

/// Where a login may lead: an admin page of this site, else the election list.
fn safe_next(next: &str) -> &str {
    if crate::admin::guard::is_admin_path(next.split('?').next().unwrap_or_default())
        && next.bytes().all(|b| b.is_ascii_graphic())
        && !next.starts_with("//")
        && !next.starts_with("/admin/login")
    {
        next
    } else {
        "/admin/elections"
    }
}

pub async fn login(
    State(state): State<ServerState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    session: Session,
    Form(form): Form<LoginForm>,
) -> Response {
    let ip = client_ip(&state, peer, &headers);
    let email = form.email.trim().to_lowercase();
    match crate::admin::login::attempt(&state.pool, state.admin.login, &email, &form.password, &ip)
        .await
    {
        Ok(logged_in) => {
            if let Err(error) = start_session(&state, &session, &logged_in, &ip).await {
                tracing::warn!(%error, "cannot start an admin session");
                return back_to_login(
                    &email,
                    &form.next,
                    "the login cannot be recorded right now; try again",
                );
            }
            Redirect::to(safe_next(&form.next)).into_response()
        }
        Err(refusal) => back_to_login(&email, &form.next, &refusal.to_string()),
    }
}

async fn start_session(
    state: &ServerState,
    session: &Session,
    logged_in: &LoggedIn,
    ip: &str,
) -> anyhow::Result<()> {
    // A new session id at login: an id planted before it (fixation) is worthless.
    session.cycle_id().await?;
    session.insert(ADMIN_ID_KEY, logged_in.identity.id).await?;
    session.insert(ADMIN_SEAL_KEY, &logged_in.seal).await?;
    app::admin::db::audit(
        &state.pool,
        audit_entry(&logged_in.identity, "admin.login", ip),
    )
    .await?;
    if let Err(error) = crate::admin::store::PgSessionStore::new(state.pool.clone())
        .delete_expired()
        .await
    {
        tracing::warn!(%error, "cannot delete expired admin sessions");
    }
    Ok(())
}

fn audit_entry<'a>(
    identity: &'a AdminIdentity,
    action: &'a str,
    ip: &'a str,
) -> app::admin::db::Audit<'a> {
    app::admin::db::Audit {
        admin: Some(identity),
        action,
        target: identity.email.clone(),
        before: None,
        after: None,
        ip: Some(ip),
    }
}

fn back_to_login(email: &str, next: &str, error: &str) -> Response {
    let email: String = email.chars().take(254).collect();
    let next: String = next.chars().take(512).collect();
    Redirect::to(&super::with_query(
        "/admin/login",
        &[("error", error), ("email", &email), ("next", &next)],
    ))
    .into_response()
}

pub async fn logout(
    State(state): State<ServerState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    identity: Option<Extension<AdminIdentity>>,
    session: Session,
) -> Response {
    if let Some(Extension(identity)) = identity {
        let ip = client_ip(&state, peer, &headers);
        if let Err(error) =
            app::admin::db::audit(&state.pool, audit_entry(&identity, "admin.logout", &ip)).await
        {
            tracing::warn!(%error, "cannot audit a logout");
        }
    }
    if let Err(error) = session.flush().await {
        tracing::warn!(%error, "cannot end an admin session");
    }
    Redirect::to("/admin/login?notice=You%20are%20logged%20out.").into_response()
}

/// What every election form handler needs: who, from where, and the session for the flash.
pub struct Request {
    identity: AdminIdentity,
    ip: String,
    session: Session,
}

impl Request {
    fn actor(&self) -> Actor<'_> {
        Actor {
            admin: &self.identity,
            ip: Some(&self.ip),
        }
    }

    /// Redirects to `to`, leaving `flash` for the page there.
    async fn redirect(&self, to: &str, flash: Flash) -> Response {
        if let Err(error) = self.session.insert(FLASH_KEY, flash).await {
            tracing::warn!(%error, "cannot keep a form's outcome for the next page");
        }
        Redirect::to(to).into_response()
    }

    async fn done(&self, to: &str, message: impl Into<String>) -> Response {
        self.redirect(
            to,
            Flash {
                message: message.into(),
                ok: true,
                ..Default::default()
            },
        )
        .await
    }

    async fn refused(&self, to: &str, refusal: Refusal, draft: Option<ElectionDraft>) -> Response {
        let (message, fields) = match refusal {
            Refusal::Invalid(fields) => (
                "Not saved: see the reasons beside the fields.".to_string(),
                fields,
            ),
            Refusal::Refused(error) => (format!("Not done: {error}"), Vec::new()),
        };
        self.redirect(
            to,
            Flash {
                message,
                ok: false,
                fields,
                draft,
            },
        )
        .await
    }
}

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for Request
where
    ServerState: axum::extract::FromRef<S>,
{
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Self, Self::Rejection> {
        use axum::extract::FromRef;
        let server = ServerState::from_ref(state);
        let identity = parts
            .extensions
            .get::<AdminIdentity>()
            .cloned()
            .ok_or_else(|| {
                (
                    axum::http::StatusCode::UNAUTHORIZED,
                    "log in as an admin first",
                )
                    .into_response()
            })?;
        let session = parts.extensions.get::<Session>().cloned().ok_or_else(|| {
            (axum::http::StatusCode::INTERNAL_SERVER_ERROR, "no session").into_response()
        })?;
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0)
            .unwrap_or_else(|| SocketAddr::from(([127, 0, 0, 1], 0)));
        Ok(Request {
            ip: client_ip(&server, peer, &parts.headers),
            identity,
            session,
        })
    }
}

fn page(id: i64) -> String {
    format!("/admin/elections/{id}")
}

pub async fn create(
    State(state): State<ServerState>,
    request: Request,
    Form(draft): Form<ElectionDraft>,
) -> Response {
    match admin::create(&state.pool, &request.actor(), &draft).await {
        Ok(id) => {
            request
                .done(&page(id), format!("Election #{id} is scheduled."))
                .await
        }
        Err(refusal) => {
            request
                .refused("/admin/elections/new", refusal, Some(draft))
                .await
        }
    }
}

pub async fn update(
    State(state): State<ServerState>,
    Path(id): Path<i64>,
    request: Request,
    Form(draft): Form<ElectionDraft>,
) -> Response {
    match admin::update(&state.pool, &request.actor(), id, &draft).await {
        Ok(cleared) => {
            let message = if cleared {
                "Saved. The allowlist was cleared (its addresses belong to the other network): upload it again."
            } else {
                "Saved. The plan will be built again before voting opens."
            };
            request.done(&page(id), message).await
        }
        Err(refusal) => request.refused(&page(id), refusal, Some(draft)).await,
    }
}

pub async fn open_now(
    State(state): State<ServerState>,
    Path(id): Path<i64>,
    request: Request,
) -> Response {
    match admin::open_now(&state.pool, &request.actor(), id).await {
        Ok(()) => {
            request
                .done(
                    &page(id),
                    "Opening now: the snapshot and the plan are being built.",
                )
                .await
        }
        Err(refusal) => request.refused(&page(id), refusal, None).await,
    }
}

#[derive(Deserialize)]
pub struct ExtendForm {
    #[serde(default)]
    voting_end: String,
}

pub async fn extend(
    State(state): State<ServerState>,
    Path(id): Path<i64>,
    request: Request,
    Form(form): Form<ExtendForm>,
) -> Response {
    match admin::extend(
        &state.pool,
        &request.actor(),
        id,
        parse_time(&form.voting_end),
    )
    .await
    {
        Ok(()) => request.done(&page(id), "The end was moved.").await,
        Err(refusal) => request.refused(&page(id), refusal, None).await,
    }
}

pub async fn cancel(
    State(state): State<ServerState>,
    Path(id): Path<i64>,
    request: Request,
) -> Response {
    match admin::cancel(&state.pool, &request.actor(), id).await {
        Ok(()) => request.done(&page(id), "The election is cancelled.").await,
        Err(refusal) => request.refused(&page(id), refusal, None).await,
    }
}

/// The allowlist arrives as a file field (`file`) or pasted (`csv`), in a multipart form.
pub async fn allowlist(
    State(state): State<ServerState>,
    Path(id): Path<i64>,
    request: Request,
    mut form: Multipart,
) -> Response {
    let mut csv = String::new();
    loop {
        match form.next_field().await {
            Ok(Some(field)) => {
                let name = field.name().unwrap_or_default().to_string();
                match field.text().await {
                    Ok(text)
                        if (name == "file" || name == "csv")
                            && !text.trim().is_empty()
                            && csv.is_empty() =>
                    {
                        csv = text
                    }
                    Ok(_) => {}
                    Err(error) => {
                        let refusal = Refusal::Refused(app::error::AppError::BadRequest(format!(
                            "the upload could not be read: {error}"
                        )));
                        return request.refused(&page(id), refusal, None).await;
                    }
                }
            }
            Ok(None) => break,
            Err(error) => {
                let refusal = Refusal::Refused(app::error::AppError::BadRequest(format!(
                    "the upload could not be read: {error}"
                )));
                return request.refused(&page(id), refusal, None).await;
            }
        }
    }
    match admin::upload_allowlist(&state.pool, &request.actor(), id, &csv).await {
        Ok((voters, weight)) => {
            request
                .done(
                    &format!("{}#allowlist", page(id)),
                    format!("Allowlist saved: {voters} voters, total weight {weight}."),
                )
                .await
        }
        Err(refusal) => {
            request
                .refused(&format!("{}#allowlist", page(id)), refusal, None)
                .await
        }
    }
}
