//! How pages and files are served, against the whole server: shared pages come from the page
//! cache and are never older than the data (a committed change is on the next answer), answers
//! carry an `ETag` and `304` on a match, pages with a form or a token are rendered per request,
//! the site's files are fingerprinted, immutable and pre-compressed, and the JSON API answers
//! conditional requests.

use crate::common::{self, app::App};
use devchain::DevChain;
use reqwest::header::HeaderMap;
use sqlx::PgPool;
use std::io::Read;

const MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("../migrations");

/// A client that decompresses nothing, so each answer's encoding can be checked.
fn raw_client() -> reqwest::Client {
    reqwest::Client::builder()
        .no_gzip()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

async fn get(
    app: &App,
    path: &str,
    headers: &[(&'static str, &str)],
) -> (u16, HeaderMap, bytes::Bytes) {
    let mut request = raw_client().get(format!("{}{path}", app.server.url()));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    (status, headers, response.bytes().await.unwrap())
}

fn header<'a>(headers: &'a HeaderMap, name: &str) -> &'a str {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
}

async fn collected(pool: &PgPool) -> App {
    let chain = DevChain::start_local().await.unwrap();
    let site = tempfile::tempdir().unwrap();
    let pkg = site.path().join("pkg");
    std::fs::create_dir_all(&pkg).unwrap();
    std::fs::write(
        pkg.join("stakeboard.js"),
        "export default async function init() {}\n".repeat(50),
    )
    .unwrap();
    std::fs::write(pkg.join("stakeboard.wasm"), b"\0asm\x01\0\0\0".repeat(500)).unwrap();
    std::fs::write(
        pkg.join("stakeboard.css"),
        "body { margin: 0 }\n".repeat(100),
    )
    .unwrap();
    let site_root = site.path().to_str().unwrap().to_string();
    let app = App::start_with(pool, chain, 300, |config| {
        config.site_root = site_root;
        // Longer than any wait below: a page that changes did so because its data did.
        config.page_cache_max_age_secs = 600;
    })
    .await;
    common::eventually(20, "the first collection", || async {
        let (status, _, body) = get(&app, "/validators", &[]).await;
        (status == 200 && String::from_utf8_lossy(&body).contains("Coinbase Custody")).then_some(())
    })
    .await;
    std::mem::forget(site);
    app
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn shared_pages_come_from_the_cache_and_never_from_before_a_change(pool: PgPool) {
    let app = collected(&pool).await;
    common::eventually(10, "a cached answer", || async {
        let (_, headers, _) = get(&app, "/validators", &[]).await;
        (header(&headers, "x-cache") == "hit").then_some(())
    })
    .await;
    let (status, headers, body) = get(&app, "/validators", &[]).await;
    assert_eq!(status, 200);
    assert_eq!(header(&headers, "cache-control"), "no-cache");
    assert_eq!(header(&headers, "content-type"), "text/html; charset=utf-8");
    let etag = header(&headers, "etag").to_string();
    assert!(etag.starts_with("W/\"") && etag.len() == 20, "{etag}");
    let html = String::from_utf8(body.to_vec()).unwrap();
    assert!(html.contains("Coinbase Custody"));

    // The browser holds this version: 304, no body.
    let (status, headers, body) = get(&app, "/validators", &[("if-none-match", &etag)]).await;
    assert_eq!(status, 304);
    assert_eq!(header(&headers, "etag"), etag);
    assert!(body.is_empty());

    // Every encoding is the same page.
    let (_, headers, gzipped) = get(&app, "/validators", &[("accept-encoding", "gzip")]).await;
    assert_eq!(header(&headers, "content-encoding"), "gzip");
    let mut unzipped = String::new();
    flate2::read::GzDecoder::new(&gzipped[..])
        .read_to_string(&mut unzipped)
        .unwrap();
    assert_eq!(unzipped, html);
    let (_, headers, brotli) = get(&app, "/validators", &[("accept-encoding", "gzip, br")]).await;
    assert_eq!(header(&headers, "content-encoding"), "br");
    assert!(brotli.len() < gzipped.len() && gzipped.len() < html.len() / 4);

    // A committed change reaches the cache as its notification arrives (milliseconds), long
    // before the page would have expired: the held version is old and a new page is rendered.
    // (What the validators worker commits: the set and its collection time, together.)
    let mut change = pool.begin().await.unwrap();
    sqlx::query(
        "UPDATE validators SET moniker = 'Renamed Custody' WHERE moniker = 'Coinbase Custody'",
    )
    .execute(&mut *change)
    .await
    .unwrap();
    sqlx::query("UPDATE network_status SET collected_at = now() WHERE network = 'cosmoshub'")
        .execute(&mut *change)
        .await
        .unwrap();
    change.commit().await.unwrap();
    let (headers, html) = common::eventually(3, "the change on the page", || async {
        let (status, headers, body) = get(&app, "/validators", &[("if-none-match", &etag)]).await;
        (status == 200).then(|| (headers, String::from_utf8(body.to_vec()).unwrap()))
    })
    .await;
    assert_ne!(header(&headers, "etag"), etag);
    assert_eq!(header(&headers, "x-cache"), "miss");
    assert!(html.contains("Renamed Custody") && !html.contains("Coinbase Custody"));

    // One page whatever the order of its parameters; a HEAD is answered from it and keeps
    // nothing of its own.
    // (A worker's run row moves the data version too: retried until no write falls between.)
    common::eventually(10, "the same page for both orders", || async {
        get(&app, "/validators?status=all&sort=moniker", &[]).await;
        let (_, other_order, _) = get(&app, "/validators?sort=moniker&status=all", &[]).await;
        (header(&other_order, "x-cache") == "hit").then_some(())
    })
    .await;
    let head = raw_client()
        .head(format!("{}/validators?status=jailed", app.server.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(head.status(), 200);
    let (_, _, jailed) = get(&app, "/validators?status=jailed", &[]).await;
    assert!(
        String::from_utf8_lossy(&jailed).contains("</html>"),
        "a whole page after a HEAD"
    );

    // Another URL is another page.
    let (_, _, searched) = get(&app, "/validators?q=cosmostation", &[]).await;
    let searched = String::from_utf8(searched.to_vec()).unwrap();
    assert!(searched.contains("Cosmostation") && !searched.contains("Renamed Custody"));
    app.server.stop().await.unwrap();
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn pages_with_forms_are_rendered_for_each_visitor(pool: PgPool) {
    let app = collected(&pool).await;
    for path in ["/alerts", "/faucet"] {
        let (status, headers, _) = get(&app, path, &[]).await;
        assert_eq!(status, 200, "{path}");
        assert!(headers.get("x-cache").is_none(), "{path} is not shared");
        assert!(headers.get("etag").is_none(), "{path}");
    }
    // Nor is a page answered with an error kept.
    let missing = "/validators/cosmosvaloper1qurswpc8qurswpc8qurswpc8qurswpc8k8n0vj";
    for _ in 0..2 {
        let (status, headers, _) = get(&app, missing, &[]).await;
        assert_eq!(status, 404);
        assert!(headers.get("x-cache").is_none());
    }
    app.server.stop().await.unwrap();
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn the_site_files_are_fingerprinted_immutable_and_precompressed(pool: PgPool) {
    let app = collected(&pool).await;
    let (_, _, page) = get(&app, "/validators", &[]).await;
    let page = String::from_utf8(page.to_vec()).unwrap();
    // `<prefix><16 hex digits><ext>`, as the page links it.
    let linked = |prefix: &str, ext: &str| {
        page.match_indices(prefix)
            .map(|(at, _)| &page[at..])
            .find_map(|rest| {
                let hash = rest.get(prefix.len()..prefix.len() + 16)?;
                let hex = hash.chars().all(|c| c.is_ascii_hexdigit());
                (hex && rest[prefix.len() + 16..].starts_with(ext))
                    .then(|| rest[..prefix.len() + 16 + ext.len()].to_string())
            })
            .unwrap_or_else(|| panic!("{prefix}…{ext} linked"))
    };
    let wasm = linked("/pkg/stakeboard.", ".wasm");
    let css = linked("/pkg/stakeboard.", ".css");
    let boot = linked("/pkg/boot.", ".js");

    for path in [&wasm, &css, &boot] {
        // The first request starts the compression and is not kept waiting for it.
        let (status, headers, body) = common::eventually(10, "the Brotli form", || async {
            let answer = get(&app, path, &[("accept-encoding", "gzip, br")]).await;
            (header(&answer.1, "content-encoding") == "br").then_some(answer)
        })
        .await;
        assert_eq!(status, 200, "{path}");
        assert_eq!(
            header(&headers, "cache-control"),
            "public, max-age=31536000, immutable",
            "{path}"
        );
        assert_eq!(header(&headers, "content-encoding"), "br", "{path}");
        assert!(!body.is_empty());
        let etag = header(&headers, "etag").to_string();
        let (status, _, _) = get(&app, path, &[("if-none-match", &etag)]).await;
        assert_eq!(status, 304, "{path}");
    }
    let (_, headers, _) = get(&app, &wasm, &[]).await;
    assert_eq!(header(&headers, "content-type"), "application/wasm");
    assert!(
        headers.get("content-encoding").is_none(),
        "identity when nothing else is accepted"
    );
    let (_, headers, body) = get(&app, &boot, &[]).await;
    assert_eq!(
        header(&headers, "content-type"),
        "text/javascript; charset=utf-8"
    );
    assert!(String::from_utf8_lossy(&body).contains("hydrateIsland"));

    // The plain name still answers, for a page from before a deploy, but is revalidated.
    let (status, headers, _) = get(&app, "/pkg/stakeboard.wasm", &[]).await;
    assert_eq!(status, 200);
    assert_eq!(header(&headers, "cache-control"), "no-cache");
    let (status, _, _) = get(&app, "/pkg/stakeboard.0000000000000000.wasm", &[]).await;
    assert_eq!(status, 404);
    app.server.stop().await.unwrap();
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn the_json_api_answers_conditional_requests(pool: PgPool) {
    let app = collected(&pool).await;
    let path = "/api/v1/networks/cosmoshub/validators?limit=5";
    let (status, headers, body) = get(&app, path, &[]).await;
    assert_eq!(status, 200);
    let etag = header(&headers, "etag").to_string();
    assert!(!etag.is_empty());
    assert_eq!(header(&headers, "cache-control"), "no-cache");
    assert!(!body.is_empty());
    let (status, headers, body) = get(&app, path, &[("if-none-match", &etag)]).await;
    assert_eq!(status, 304);
    assert_eq!(header(&headers, "etag"), etag);
    assert!(body.is_empty());
    let (status, _, _) = get(&app, path, &[("if-none-match", "\"someone-else\"")]).await;
    assert_eq!(status, 200);
    app.server.stop().await.unwrap();
}
