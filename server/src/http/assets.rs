//! The site's own files under `/pkg/`: the WASM, its JS glue, the stylesheet and the boot script.
//!
//! Each is read once at startup and served under a fingerprinted name (`stakeboard.<hash>.wasm`)
//! with a year's `Cache-Control: immutable`, so a returning visitor downloads nothing and a new
//! build is a new address. The plain names still answer, with `no-cache` and an `ETag`. Bodies
//! are compressed once per encoding (Brotli, then gzip, at their highest levels) and kept; until
//! an encoding is ready, the body goes out as it is (compressed on the fly by the response
//! layer), so no request waits for the highest levels.
//!
//! Under `cargo leptos watch` the WASM, JS and CSS change while the server runs: they are then
//! read from disk on each request, under their plain names.

use super::compress::{Encoding, Variants};
use app::ui::boot::AssetPaths;
use axum::{
    body::Body,
    extract::{Path, State},
    http::{header, HeaderMap, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
};
use bytes::Bytes;
use std::{collections::HashMap, path::Path as FsPath, sync::Arc};

/// The boot script: loads the WASM and hydrates the page's islands (see the file).
const BOOT_JS: &str = include_str!("boot.js");

/// A year, the longest `max-age` caches honour.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";
const REVALIDATE: &str = "no-cache";

struct Asset {
    content_type: &'static str,
    etag: HeaderValue,
    immutable: bool,
    body: Variants,
}

/// The files by the names they are served under, and the fingerprinted paths pages link to.
#[derive(Clone)]
pub struct Assets {
    files: Arc<HashMap<String, Arc<Asset>>>,
    paths: AssetPaths,
    /// Set under `cargo leptos watch`: the build's files are served from this folder.
    watched: Option<std::path::PathBuf>,
}

impl Assets {
    /// Reads `<site_root>/pkg/<output_name>.{js,wasm,css}`. A missing file (a server built
    /// without its site) is left out and its plain path kept, so the API still serves.
    pub fn load(site_root: &str, output_name: &str) -> Self {
        let pkg = FsPath::new(site_root).join("pkg");
        let watched = std::env::var_os("LEPTOS_WATCH").map(|_| pkg.clone());
        let mut files = HashMap::new();
        let mut add = |name: String, content_type: &'static str, body: Option<Bytes>| -> String {
            let Some(body) = body else {
                return format!("/pkg/{name}");
            };
            let hash = super::conditional::digest(&body);
            let (stem, ext) = name.rsplit_once('.').unwrap_or((&name, ""));
            let hashed = format!("{stem}.{hash}.{ext}");
            let etag = super::conditional::etag_of(&body);
            let variants = Variants::new(body, Encoding::best_levels());
            for (served_as, immutable) in [(hashed.clone(), true), (name.clone(), false)] {
                files.insert(
                    served_as,
                    Arc::new(Asset {
                        content_type,
                        etag: etag.clone(),
                        immutable,
                        body: variants.clone(),
                    }),
                );
            }
            format!("/pkg/{hashed}")
        };
        let read = |name: &str| {
            if watched.is_some() {
                return None;
            }
            std::fs::read(pkg.join(name)).ok().map(Bytes::from)
        };
        let js = add(
            format!("{output_name}.js"),
            "text/javascript; charset=utf-8",
            read(&format!("{output_name}.js")),
        );
        let wasm = add(
            format!("{output_name}.wasm"),
            "application/wasm",
            read(&format!("{output_name}.wasm")),
        );
        let css = add(
            format!("{output_name}.css"),
            "text/css; charset=utf-8",
            read(&format!("{output_name}.css")),
        );
        let boot = add(
            "boot.js".to_string(),
            "text/javascript; charset=utf-8",
            Some(Bytes::from_static(BOOT_JS.as_bytes())),
        );
        Self {
            files: Arc::new(files),
            paths: AssetPaths {
                js,
                wasm,
                css,
                boot,
            },
            watched,
        }
    }

    /// What the page shell links to.
    pub fn paths(&self) -> AssetPaths {
        self.paths.clone()
    }

    /// Starts compressing every file in every encoding, off the async threads, so visitors
    /// get Brotli's highest level from the start.
    pub fn warm(&self) {
        for asset in self.files.values().filter(|a| a.immutable) {
            asset.body.warm_in_background();
        }
    }
}

/// `GET /pkg/{file}`: 404 for a name this build does not have.
pub async fn serve(
    State(assets): State<Assets>,
    Path(file): Path<String>,
    request: axum::extract::Request,
) -> Response {
    let Some(asset) = assets.files.get(&file).cloned() else {
        return match &assets.watched {
            Some(pkg) => {
                use tower::ServiceExt;
                tower_http::services::ServeDir::new(pkg)
                    .oneshot(rewritten(request, &file))
                    .await
                    .map(IntoResponse::into_response)
                    .unwrap_or_else(|_| StatusCode::NOT_FOUND.into_response())
            }
            None => StatusCode::NOT_FOUND.into_response(),
        };
    };
    let request_headers = request.headers();
    let cache_control = if asset.immutable {
        IMMUTABLE
    } else {
        REVALIDATE
    };
    let mut headers = HeaderMap::new();
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(cache_control),
    );
    headers.insert(header::ETAG, asset.etag.clone());
    headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    if super::conditional::matches(request_headers, &asset.etag) {
        return (StatusCode::NOT_MODIFIED, headers).into_response();
    }
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(asset.content_type),
    );
    // Never wait for the highest levels (seconds for a debug build's WASM): until they are
    // made, the body goes out as it is and the response layer compresses it on the fly.
    let encoding = Encoding::preferred(request_headers);
    let body = match asset.body.ready(encoding) {
        Some(body) => {
            if let Some(value) = encoding.header() {
                headers.insert(header::CONTENT_ENCODING, value);
            }
            body
        }
        None => {
            asset.body.warm_in_background();
            asset.body.get(Encoding::Identity)
        }
    };
    (headers, Body::from(body)).into_response()
}

/// The request for `file` relative to the folder `ServeDir` serves.
fn rewritten(request: axum::extract::Request, file: &str) -> axum::extract::Request {
    let (mut parts, body) = request.into_parts();
    if let Ok(uri) = format!("/{file}").parse() {
        parts.uri = uri;
    }
    axum::extract::Request::from_parts(parts, body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_served_under_their_fingerprint_and_their_plain_name() {
        let site = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(site.path().join("pkg")).unwrap();
        std::fs::write(site.path().join("pkg/site.css"), "body{}").unwrap();
        let assets = Assets::load(site.path().to_str().unwrap(), "site");
        let paths = assets.paths();
        let css = paths.css.strip_prefix("/pkg/").unwrap();
        assert!(
            css.starts_with("site.")
                && css.ends_with(".css")
                && css.len() == "site..css".len() + 16
        );
        assert!(assets.files[css].immutable);
        assert!(!assets.files["site.css"].immutable);
        assert_eq!(
            paths.wasm, "/pkg/site.wasm",
            "no file: the plain name is kept"
        );
        assert!(paths.boot.starts_with("/pkg/boot."));
    }
}
