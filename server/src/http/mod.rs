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

use axum::{
    body::{Body, Bytes},
    http::{header, HeaderMap},
};
use futures::{stream, StreamExt};

/// Whether the `Content-Type` is `mime` (`text/html`, `application/json`), whatever its
/// parameters and case.
pub fn has_content_type(headers: &HeaderMap, mime: &str) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case(mime))
}

/// The whole body when it is at most `limit` bytes; otherwise a body that replays what was read
/// and then the rest, so a layer that looks at small answers passes large ones on untouched.
/// A body that fails while it is read becomes a body that fails the same way.
pub async fn collect_up_to(body: Body, limit: usize) -> Result<Bytes, Body> {
    let mut chunks = body.into_data_stream();
    let mut read: Vec<Bytes> = Vec::new();
    let mut size = 0;
    while let Some(chunk) = chunks.next().await {
        match chunk {
            Ok(chunk) => {
                size += chunk.len();
                read.push(chunk);
                if size > limit {
                    let replay = stream::iter(read.into_iter().map(Ok::<_, axum::Error>));
                    return Err(Body::from_stream(replay.chain(chunks)));
                }
            }
            Err(error) => {
                let replay = stream::iter(read.into_iter().map(Ok));
                return Err(Body::from_stream(
                    replay.chain(stream::once(async { Err(error) })),
                ));
            }
        }
    }
    Ok(read.concat().into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_large_body_passes_on_whole() {
        let body = || {
            Body::from_stream(stream::iter(
                ["ab", "cd", "ef"].map(|s| Ok::<_, std::io::Error>(Bytes::from(s))),
            ))
        };
        assert_eq!(collect_up_to(body(), 6).await.unwrap(), "abcdef");
        let passed = collect_up_to(body(), 3).await.unwrap_err();
        let again = axum::body::to_bytes(passed, 100).await.unwrap();
        assert_eq!(again, "abcdef");
    }
}
