//! Security headers on every response, and on every HTML page a Content-Security-Policy whose
//! nonce is new for each response: only the scripts Stakeboard itself put in the page carry it,
//! so markup that slipped into a page through chain text still cannot run script.

use axum::{
    extract::Request,
    http::{header, HeaderMap, HeaderValue},
    middleware::Next,
    response::Response,
};
use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use std::sync::Arc;

/// The nonce of one response, carried in the request's extensions to the Leptos renderer.
#[derive(Debug, Clone)]
pub struct CspNonce(pub Arc<str>);

impl CspNonce {
    /// 128 random bits, base64url: the size the CSP specification asks for.
    fn generate() -> Self {
        Self(URL_SAFE_NO_PAD.encode(rand::random::<[u8; 16]>()).into())
    }
}

/// The policy of an HTML page with this nonce.
///
/// - scripts: this site's files and inline scripts carrying the nonce; `wasm-unsafe-eval` lets the
///   page compile its own WebAssembly, nothing else;
/// - styles: this site's stylesheet and `style` attributes (the bars' widths), never scripts;
/// - no plugins, no `<base>`, no framing, forms post only here.
///
/// Under `cargo leptos watch` the page also opens the reload websocket on another port.
pub fn policy(nonce: &str) -> String {
    let reload = if std::env::var_os("LEPTOS_WATCH").is_some() {
        " ws:"
    } else {
        ""
    };
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'{reload}; \
         object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
    )
}

/// Adds `nosniff`, the referrer policy and no framing to every response, and the CSP to HTML.
pub async fn security_headers(mut request: Request, next: Next) -> Response {
    let nonce = CspNonce::generate();
    request.extensions_mut().insert(nonce.clone());
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
    if is_html(headers) {
        if let Ok(value) = HeaderValue::from_str(&policy(&nonce.0)) {
            headers.insert(header::CONTENT_SECURITY_POLICY, value);
        }
    }
    response
}

fn is_html(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim_start().to_ascii_lowercase().starts_with("text/html"))
}

/// Hands this request's nonce to Leptos, in place of the one it would make up, so the scripts
/// it renders carry the nonce the header names. Call it in the render's context.
pub fn provide_request_nonce() {
    use leptos::prelude::{provide_context, use_context};
    let nonce = use_context::<axum::http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<CspNonce>().cloned());
    if let Some(CspNonce(value)) = nonce {
        provide_context(leptos::nonce::Nonce::from_value(value));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nonces_are_fresh_and_the_policy_names_them() {
        let (a, b) = (CspNonce::generate(), CspNonce::generate());
        assert_ne!(a.0, b.0);
        assert_eq!(a.0.len(), 22, "16 bytes in base64url without padding");
        let policy = policy(&a.0);
        assert!(policy.contains(&format!("'nonce-{}'", a.0)));
        let scripts = policy
            .split(';')
            .find(|d| d.trim().starts_with("script-src"))
            .unwrap();
        assert!(!scripts.contains("unsafe-inline"), "{scripts}");
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
