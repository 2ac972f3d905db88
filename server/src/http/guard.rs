//! The first look at every request, before any route: what no route can answer is refused here
//! with a 4xx and the reason, so it never reaches a handler, the file system or Postgres.
//!
//! - `OPTIONS *` (a server-wide capabilities probe) is answered with the methods Stakeboard takes;
//! - a body declared longer than [`MAX_BODY_BYTES`] is refused with 413 before it is read;
//! - a path longer than [`MAX_PATH_BYTES`], or with a segment longer than a file name may be;
//! - a path that decodes to invalid UTF-8, or a path or query value that holds a control
//!   character (a NUL byte cannot be stored and no address, slug or search contains one).
//!
//! [`decode_once`] then fixes, for pages, what Leptos's router would decode twice.

use axum::{
    extract::Request,
    http::{header, Method, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
    Json,
};
use percent_encoding::percent_decode_str;

/// No request body Stakeboard takes is larger: server function arguments, forms and faucet
/// claims are a few kilobytes (routes may allow less).
pub const MAX_BODY_BYTES: usize = 64 * 1024;
/// An allowlist upload (`POST /admin/elections/{id}/allowlist`) may be this large: a million
/// voters' lines.
pub const MAX_UPLOAD_BYTES: usize = 96 * 1024 * 1024;

/// The largest body a request to `path` may declare.
fn body_limit(path: &str) -> usize {
    if path.starts_with("/admin/elections/") && path.ends_with("/allowlist") {
        MAX_UPLOAD_BYTES
    } else {
        MAX_BODY_BYTES
    }
}

/// Longer paths are refused with 414.
pub const MAX_PATH_BYTES: usize = 2048;
/// The longest path segment or file name (NAME_MAX on Linux).
pub const MAX_SEGMENT_BYTES: usize = 255;

pub async fn guard(request: Request, next: Next) -> Response {
    if request.method() == Method::OPTIONS && request.uri() == "*" {
        return (
            StatusCode::NO_CONTENT,
            [(header::ALLOW, "GET, HEAD, POST, OPTIONS")],
        )
            .into_response();
    }
    let path = request.uri().path();
    if let Err((status, reason)) = check(path, request.uri().query()) {
        return refuse(path, status, reason);
    }
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    let limit = body_limit(path);
    if declared.is_some_and(|length| length > limit as u64) {
        return refuse(
            path,
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("the body is larger than {limit} bytes"),
        );
    }
    next.run(request).await
}

/// Why a path and query cannot be served, if they cannot.
pub fn check(path: &str, query: Option<&str>) -> Result<(), (StatusCode, String)> {
    if path.len() > MAX_PATH_BYTES {
        return Err((
            StatusCode::URI_TOO_LONG,
            format!("the address is longer than {MAX_PATH_BYTES} bytes"),
        ));
    }
    let once = decode_utf8(path).ok_or((
        StatusCode::BAD_REQUEST,
        "the address does not decode to UTF-8 text".to_string(),
    ))?;
    if once.split('/').any(|s| s.len() > MAX_SEGMENT_BYTES) {
        return Err((
            StatusCode::BAD_REQUEST,
            format!("a part of the address is longer than {MAX_SEGMENT_BYTES} bytes"),
        ));
    }
    let query_values = query
        .map(|q| {
            url::form_urlencoded::parse(q.as_bytes())
                .flat_map(|(k, v)| [k.into_owned(), v.into_owned()])
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
    if once
        .chars()
        .chain(query_values.iter().flat_map(|v| v.chars()))
        .any(char::is_control)
    {
        return Err((
            StatusCode::BAD_REQUEST,
            "the address holds a control character (such as a NUL byte)".to_string(),
        ));
    }
    Ok(())
}

/// For the pages only: Leptos's router percent-decodes path parameters and query values twice
/// (once to match or split them, once more when it stores them), so `%2541`, a typed `%41`,
/// would reach a page as `A`. Escaping every `%` once more (`%25` → `%2525`) before the router
/// sees the address makes its second decoding give back the value that was sent.
pub async fn decode_once(mut request: Request, next: Next) -> Response {
    let page_read = matches!(*request.method(), Method::GET | Method::HEAD);
    if let Some(escaped) = request
        .uri()
        .path_and_query()
        .filter(|_| page_read)
        .map(|pq| pq.as_str())
        .filter(|pq| pq.contains("%25"))
        .map(|pq| pq.replace("%25", "%2525"))
    {
        let mut parts = request.uri().clone().into_parts();
        if let Ok(pq) = escaped.parse() {
            parts.path_and_query = Some(pq);
            if let Ok(uri) = axum::http::Uri::from_parts(parts) {
                *request.uri_mut() = uri;
            }
        }
    }
    next.run(request).await
}

fn decode_utf8(text: &str) -> Option<String> {
    percent_decode_str(text)
        .decode_utf8()
        .ok()
        .map(|s| s.into_owned())
}

/// JSON under the API, plain text elsewhere; logged as what it is, a client's mistake.
fn refuse(path: &str, status: StatusCode, reason: String) -> Response {
    tracing::info!(status = status.as_u16(), %reason, "request refused before routing");
    if path.starts_with("/api/") {
        (status, Json(serde_json::json!({ "error": reason }))).into_response()
    } else {
        (status, format!("{reason}\n")).into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(path: &str, query: Option<&str>) -> Option<u16> {
        check(path, query).err().map(|(s, _)| s.as_u16())
    }

    #[test]
    fn ordinary_addresses_pass() {
        assert_eq!(
            status("/validators/cosmosvaloper1abc", Some("network=cosmoshub")),
            None
        );
        assert_eq!(status("/proposals", Some("q=100%25+sure&status=all")), None);
        assert_eq!(
            status("/validators", Some("q=%C3%A9t%C3%A9")),
            None,
            "UTF-8 search"
        );
        assert_eq!(
            status("/api/v1/networks/cosmoshub/validators", Some("q=%2541")),
            None
        );
    }

    #[test]
    fn control_characters_and_long_parts_are_refused() {
        assert_eq!(
            status("/api/v1/networks/%00devnet/proposals", None),
            Some(400)
        );
        assert_eq!(status("/validators", Some("q=a%00b")), Some(400));
        assert_eq!(
            status("/validators/%2541", None),
            None,
            "a typed %41 is a value"
        );
        assert_eq!(
            status("/alerts/check-inbox", Some("email=a%25ab%40x.org")),
            None
        );
        assert_eq!(status(&format!("/{}", "a".repeat(256)), None), Some(400));
        assert_eq!(status(&format!("/{}", "a/".repeat(1100)), None), Some(414));
        assert_eq!(status("/validators/%FF", None), Some(400), "not UTF-8");
    }
}
