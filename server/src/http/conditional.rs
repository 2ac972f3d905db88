//! Conditional requests: an `ETag` on what Stakeboard answers from data, and `304 Not Modified`
//! when the client already holds it (`If-None-Match`). Pages get theirs from the page cache,
//! the site's files from their fingerprint, and the JSON API from [`etag_json`], which hashes
//! the answer.

use axum::{
    body::Body,
    extract::Request,
    http::{header, HeaderMap, HeaderValue, Method, StatusCode},
    middleware::Next,
    response::Response,
};
use sha2::{Digest, Sha256};

/// The largest JSON answer hashed for its `ETag`; larger ones are sent as they are, without one.
const MAX_HASHED_BYTES: usize = 16 * 1024 * 1024;

/// Whether the request's `If-None-Match` names `etag` (weak comparison, as RFC 9110 asks for
/// `If-None-Match`; `*` matches anything).
pub fn matches(request: &HeaderMap, etag: &HeaderValue) -> bool {
    let ours = opaque(etag.to_str().unwrap_or_default());
    request
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .any(|tag| tag == "*" || (!tag.is_empty() && opaque(tag) == ours))
}

fn opaque(tag: &str) -> &str {
    tag.strip_prefix("W/").unwrap_or(tag)
}

/// 16 hex digits of a body's SHA-256: a different body gets different digits, never a
/// collision in practice.
pub fn digest(body: &[u8]) -> String {
    hex::encode(&Sha256::digest(body)[..8])
}

/// A weak `ETag` for a body (`W/"<digest>"`): weak, because the same body is sent in several
/// content encodings, which a strong tag would have to tell apart.
pub fn etag_of(body: &[u8]) -> HeaderValue {
    HeaderValue::from_str(&format!("W/\"{}\"", digest(body))).expect("hex is a valid header")
}

/// Layer for the JSON API: a successful `GET` answer gets an `ETag` from its bytes and
/// `Cache-Control: no-cache` (use it, but ask first); a request that names the same tag gets
/// `304` without the body.
pub async fn etag_json(request: Request, next: Next) -> Response {
    if request.method() != Method::GET && request.method() != Method::HEAD {
        return next.run(request).await;
    }
    let conditions = request.headers().clone();
    let response = next.run(request).await;
    if response.status() != StatusCode::OK
        || !super::has_content_type(response.headers(), "application/json")
        || response.headers().contains_key(header::CONTENT_ENCODING)
    {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let bytes = match super::collect_up_to(body, MAX_HASHED_BYTES).await {
        Ok(bytes) => bytes,
        Err(body) => return Response::from_parts(parts, body),
    };
    let etag = etag_of(&bytes);
    parts.headers.insert(header::ETAG, etag.clone());
    parts
        .headers
        .entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static("no-cache"));
    if matches(&conditions, &etag) {
        parts.status = StatusCode::NOT_MODIFIED;
        parts.headers.remove(header::CONTENT_TYPE);
        parts.headers.remove(header::CONTENT_LENGTH);
        return Response::from_parts(parts, Body::empty());
    }
    Response::from_parts(parts, Body::from(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn asking(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::IF_NONE_MATCH, HeaderValue::from_str(value).unwrap());
        headers
    }

    #[test]
    fn if_none_match_compares_weakly_and_takes_lists() {
        let etag = etag_of(b"page");
        let tag = etag.to_str().unwrap().to_string();
        assert!(tag.starts_with("W/\""), "{tag}");
        let strong = tag.trim_start_matches("W/").to_string();
        assert!(matches(&asking(&tag), &etag));
        assert!(matches(&asking(&strong), &etag));
        assert!(matches(&asking(&format!("\"other\", {tag}")), &etag));
        assert!(matches(&asking("*"), &etag));
        assert!(!matches(&asking("\"other\""), &etag));
        assert!(!matches(&HeaderMap::new(), &etag));
        assert_ne!(etag_of(b"page"), etag_of(b"page2"));
    }
}
