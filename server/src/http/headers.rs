//! Security headers on every response, and on every HTML page a Content-Security-Policy that
//! allows no inline script at all: the page's only script is the boot file under `/pkg/`, so
//! markup that slipped into a page through chain text still cannot run script. With no nonce,
//! a page is the same bytes for every visitor and can be served from the page cache.

use axum::{
    extract::Request,
    http::{header, HeaderValue},
    middleware::Next,
    response::Response,
};

/// The policy of an HTML page.
///
/// - scripts: this site's files only, no inline script; `wasm-unsafe-eval` lets the page
///   compile its own WebAssembly, nothing else;
/// - styles: this site's stylesheet and `style` attributes (the bars' widths), never scripts;
/// - no plugins, no `<base>`, no framing, forms post only here.
///
/// Under `cargo leptos watch` the page also runs the reload script inline and opens its
/// websocket on another port.
pub fn policy() -> &'static str {
    if std::env::var_os("LEPTOS_WATCH").is_some() {
        "default-src 'self'; script-src 'self' 'unsafe-inline' 'wasm-unsafe-eval'; \
         style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self' ws:; \
         object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
    } else {
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
         style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; \
         object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
    }
}

/// Adds `nosniff`, the referrer policy and no framing to every response, and the CSP to HTML.
pub async fn security_headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers
        .entry(header::REFERRER_POLICY)
        .or_insert(HeaderValue::from_static("strict-origin-when-cross-origin"));
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    if super::has_content_type(headers, "text/html") {
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(policy()),
        );
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_policy_allows_no_inline_script() {
        let policy = policy();
        let scripts = policy
            .split(';')
            .find(|d| d.trim().starts_with("script-src"))
            .unwrap();
        assert!(!scripts.contains("unsafe-inline"), "{scripts}");
        assert!(!scripts.contains("nonce-"), "{scripts}");
        for directive in [
            "object-src 'none'",
            "base-uri 'none'",
            "frame-ancestors 'none'",
        ] {
            assert!(
                policy.contains(directive),
                "{directive} missing from {policy}"
            );
        }
    }
}
