//! In front of every `/admin` page and form: finds the logged-in admin from the session (an
//! enabled account only, checked on every request, so disabling an account ends its sessions),
//! sends anyone else to the login page (pages) or answers 401 (anything else), refuses a
//! state-changing request whose `Origin` (or `Referer`) is not this site (403), and keeps admin
//! answers out of every cache.

use super::{AdminSettings, ADMIN_ID_KEY, ADMIN_SEAL_KEY};
use crate::state::ServerState;
use app::admin::model::AdminIdentity;
use axum::{
    extract::{Request, State},
    http::{header, HeaderMap, HeaderValue, Method, StatusCode},
    middleware::Next,
    response::{IntoResponse, Redirect, Response},
};
use tower_sessions::Session;

/// Paths anyone may reach under `/admin`.
fn is_public(path: &str) -> bool {
    path == "/admin/login"
}

pub fn is_admin_path(path: &str) -> bool {
    path == "/admin" || path.starts_with("/admin/")
}

pub async fn guard(State(state): State<ServerState>, mut request: Request, next: Next) -> Response {
    let path = request.uri().path().to_string();
    if !is_admin_path(&path) {
        return next.run(request).await;
    }
    let method = request.method().clone();
    let changes_state = !matches!(method, Method::GET | Method::HEAD | Method::OPTIONS);
    if changes_state {
        if let Err(reason) = same_origin(&state.admin, request.headers()) {
            tracing::warn!(%path, %reason, "refused a cross-site admin request");
            return no_store(
                (StatusCode::FORBIDDEN, format!("Refused: {reason}.")).into_response(),
            );
        }
    }
    let identity = match request.extensions().get::<Session>().cloned() {
        Some(session) => current_admin(&state, &session).await,
        None => None,
    };
    let allowed = identity.is_some() || is_public(&path);
    if let Some(identity) = identity {
        request.extensions_mut().insert(identity);
    }
    if !allowed {
        let response = if method == Method::GET || method == Method::HEAD {
            let here = request
                .uri()
                .path_and_query()
                .map_or(path.clone(), |p| p.to_string());
            Redirect::to(&crate::forms::with_query(
                "/admin/login",
                &[("next", &here)],
            ))
            .into_response()
        } else {
            (
                StatusCode::UNAUTHORIZED,
                axum::Json(
                    serde_json::json!({ "error": "log in as an admin first: /admin/login" }),
                ),
            )
                .into_response()
        };
        return no_store(response);
    }
    no_store(next.run(request).await)
}

async fn current_admin(state: &ServerState, session: &Session) -> Option<AdminIdentity> {
    let id = session.get::<i64>(ADMIN_ID_KEY).await.ok().flatten()?;
    let seal = session.get::<String>(ADMIN_SEAL_KEY).await.ok().flatten()?;
    match app::admin::db::identity(&state.pool, id, &seal).await {
        Ok(identity) => identity,
        Err(error) => {
            tracing::warn!(%error, "cannot read the session's admin");
            None
        }
    }
}

fn no_store(mut response: Response) -> Response {
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// `scheme://host[:port]` of a URL.
fn origin_of(url: &str) -> Option<String> {
    let url = url::Url::parse(url).ok()?;
    let origin = url.origin();
    origin.is_tuple().then(|| origin.ascii_serialization())
}

/// Whether the request comes from this site: its `Origin`, or without one its `Referer`, is
/// PUBLIC_URL's origin (or, when PUBLIC_URL is unset, `http://` + its `Host`).
pub fn same_origin(settings: &AdminSettings, headers: &HeaderMap) -> Result<(), String> {
    let text = |name: header::HeaderName| headers.get(name).and_then(|v| v.to_str().ok());
    let expected = match &settings.origin {
        Some(origin) => origin.clone(),
        None => format!(
            "http://{}",
            text(header::HOST).ok_or("the request names no host")?
        ),
    };
    let from = match text(header::ORIGIN) {
        Some(origin) => origin_of(origin).ok_or_else(|| format!("the request's origin {origin:?} is not a site"))?,
        None => origin_of(text(header::REFERER).ok_or("the request says neither where it comes from (Origin) nor which page sent it (Referer)")?)
            .ok_or("the request's Referer is not a site")?,
    };
    if from == expected {
        Ok(())
    } else {
        Err(format!("it was sent from {from}, not from {expected}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, v.parse().unwrap());
        }
        h
    }

    #[test]
    fn only_this_sites_pages_may_post() {
        let unset = AdminSettings {
            origin: None,
            secure_cookie: false,
            session_hours: 12,
            login: Default::default(),
        };
        let public = AdminSettings {
            origin: Some("https://portal.example".into()),
            ..unset.clone()
        };
        let host = ("host", "127.0.0.1:3000");
        assert_eq!(
            same_origin(
                &unset,
                &headers(&[host, ("origin", "http://127.0.0.1:3000")])
            ),
            Ok(())
        );
        assert!(same_origin(&unset, &headers(&[host, ("origin", "http://evil.example")])).is_err());
        assert!(same_origin(&unset, &headers(&[host, ("origin", "null")])).is_err());
        assert_eq!(
            same_origin(
                &unset,
                &headers(&[
                    host,
                    ("referer", "http://127.0.0.1:3000/admin/elections/new")
                ])
            ),
            Ok(())
        );
        assert!(same_origin(&unset, &headers(&[host]))
            .unwrap_err()
            .contains("neither"));
        assert_eq!(
            same_origin(
                &public,
                &headers(&[host, ("origin", "https://portal.example")])
            ),
            Ok(())
        );
        assert!(same_origin(
            &public,
            &headers(&[host, ("origin", "http://127.0.0.1:3000")])
        )
        .is_err());
        assert!(same_origin(
            &public,
            &headers(&[("origin", "https://portal.example:8443")])
        )
        .is_err());
    }
}
