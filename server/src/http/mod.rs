//! HTTP plumbing under every route: the connection loop with its deadlines, the first look at
//! each request, the security headers of each response, the page cache, conditional requests
//! and the site's fingerprinted files.

pub mod assets;
pub mod compress;
pub mod conditional;
pub mod deadline;
pub mod guard;
pub mod headers;
pub mod hydration_data;
pub mod page_cache;
pub mod serve;

use axum::http::{header, HeaderMap};

/// Whether the `Content-Type` is `mime` (`text/html`, `application/json`), whatever its
/// parameters and case.
pub fn has_content_type(headers: &HeaderMap, mime: &str) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case(mime))
}
