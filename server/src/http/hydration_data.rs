//! Leptos writes two inline scripts into every page for the data that hydration reads
//! (`__RESOLVED_RESOURCES=[]…` and `__INCOMPLETE_CHUNKS=[]`), with a nonce it makes up for each
//! render. In islands mode they stay empty unless an island reads a resource, and none of
//! Stakeboard's does: the Content-Security-Policy, which allows no inline script, would refuse
//! them and log an error in every visitor's console, and their nonce would make each render
//! differ. This layer drops them when they are empty and leaves any other script alone (a test
//! fails if one appears).

use axum::{body::Body, extract::Request, http::header, middleware::Next, response::Response};

/// The largest page rewritten; larger answers pass on as they are.
const MAX_PAGE_BYTES: usize = 8 * 1024 * 1024;

const EMPTY_PAYLOADS: [&str; 2] = [
    "__RESOLVED_RESOURCES=[];__SERIALIZED_ERRORS=[];__PENDING_RESOURCES=[];__RESOURCE_RESOLVERS=[];",
    "__INCOMPLETE_CHUNKS=[];",
];

pub async fn drop_empty(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    if !super::has_content_type(response.headers(), "text/html")
        || response.headers().contains_key(header::CONTENT_ENCODING)
    {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let bytes = match super::collect_up_to(body, MAX_PAGE_BYTES).await {
        Ok(bytes) => bytes,
        Err(body) => return Response::from_parts(parts, body),
    };
    let html = match std::str::from_utf8(&bytes) {
        Ok(text) => without_empty_scripts(text),
        Err(_) => return Response::from_parts(parts, Body::from(bytes)),
    };
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(html))
}

/// `html` without the empty hydration-data scripts.
pub fn without_empty_scripts(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        out.push_str(&rest[..start]);
        let script = &rest[start..];
        match empty_script_len(script) {
            Some(len) => rest = &script[len..],
            None => {
                out.push_str("<script");
                rest = &script["<script".len()..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The length of the empty data script at the start of `script`, if it is one.
fn empty_script_len(script: &str) -> Option<usize> {
    let open_end = script.find('>')? + 1;
    let open = &script[..open_end];
    let plain = open == "<script>"
        || (open.starts_with("<script nonce=\"")
            && open.ends_with("\">")
            && !open["<script nonce=\"".len()..open.len() - 2].contains('"'));
    if !plain {
        return None;
    }
    let body = &script[open_end..];
    EMPTY_PAYLOADS.iter().find_map(|payload| {
        body.strip_prefix(payload)?
            .starts_with("</script>")
            .then(|| open_end + payload.len() + "</script>".len())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_data_scripts_go_and_every_other_script_stays() {
        let page = "<head><script type=\"module\" src=\"/pkg/boot.js\"></script></head><body>\
            <script nonce=\"abc\">__RESOLVED_RESOURCES=[];__SERIALIZED_ERRORS=[];__PENDING_RESOURCES=[];__RESOURCE_RESOLVERS=[];</script>\
            <main>x</main><script nonce=\"abc\">__INCOMPLETE_CHUNKS=[];</script>\
            <script nonce=\"abc\">__RESOLVED_RESOURCES=[1];</script></body>";
        assert_eq!(
            without_empty_scripts(page),
            "<head><script type=\"module\" src=\"/pkg/boot.js\"></script></head><body>\
             <main>x</main><script nonce=\"abc\">__RESOLVED_RESOURCES=[1];</script></body>"
        );
        assert_eq!(
            without_empty_scripts("<p>no script</p>"),
            "<p>no script</p>"
        );
        assert_eq!(without_empty_scripts("<script"), "<script");
    }
}
