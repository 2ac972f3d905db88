//! Rendered pages kept in memory, keyed by their URL and the version of the data they show.
//!
//! A page opts in by marking its answer as shared (`app::state::share_page`: the same for every
//! visitor, no form token, no captcha). The data version is a counter that moves whenever a
//! table a page reads changes: Postgres triggers send a notification on each such statement
//! (`migrations/*_system.sql`) and [`follow_data_changes`] bumps the counter as they arrive, so
//! a page is never served from before a committed change, on any replica. While that follower
//! is not connected, nothing is cached. A kept page also expires after `max_age`, for what
//! moves with the clock alone: "updated 40 s ago" (which the browser keeps true itself) and the
//! warning that data has gone stale when a worker stops writing.
//!
//! Answers carry an `ETag`, `304` on a match, and each encoding is compressed once per page.

use super::{
    compress::{Encoding, Variants},
    conditional,
};
use app::state::SHARED_PAGE_HEADER;
use axum::{
    body::{to_bytes, Body},
    extract::{Request, State},
    http::{header, HeaderMap, HeaderValue, Method, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};
use sqlx::{postgres::PgListener, PgPool};
use std::{
    collections::{HashMap, VecDeque},
    sync::{
        atomic::{AtomicBool, AtomicU64, Ordering},
        Arc, Mutex,
    },
    time::{Duration, Instant},
};
use tokio_util::sync::CancellationToken;

/// The channel the data triggers notify.
pub const CHANNEL: &str = "stakeboard_data";

/// The largest page kept; a larger one is sent as rendered.
const MAX_PAGE_BYTES: usize = 4 * 1024 * 1024;

/// Says whether an answer came from the cache (`hit`) or was rendered for it (`miss`).
const X_CACHE: &str = "x-cache";

/// How much memory and time pages may take.
#[derive(Debug, Clone, Copy)]
pub struct CacheLimits {
    /// Bytes of pages kept, all encodings counted; the oldest go first.
    pub max_bytes: usize,
    /// How long a page is served before it is rendered again, whatever the data.
    pub max_age: Duration,
}

#[derive(Clone)]
pub struct PageCache(Arc<Inner>);

struct Inner {
    version: AtomicU64,
    following: AtomicBool,
    limits: CacheLimits,
    store: Mutex<Store>,
}

#[derive(Default)]
struct Store {
    version: u64,
    pages: HashMap<String, Arc<Page>>,
    /// Keys in the order they were stored, for eviction.
    order: VecDeque<String>,
    bytes: usize,
}

struct Page {
    etag: HeaderValue,
    body: Variants,
    made: Instant,
}

impl PageCache {
    pub fn new(limits: CacheLimits) -> Self {
        Self(Arc::new(Inner {
            version: AtomicU64::new(0),
            following: AtomicBool::new(false),
            limits,
            store: Mutex::new(Store::default()),
        }))
    }

    /// The data changed (or may have: the follower reconnected).
    pub fn data_changed(&self) {
        self.0.version.fetch_add(1, Ordering::SeqCst);
    }

    fn set_following(&self, following: bool) {
        self.0.following.store(following, Ordering::SeqCst);
        self.data_changed();
    }

    /// Whether pages are cached now: only while changes are being followed.
    pub fn is_following(&self) -> bool {
        self.0.following.load(Ordering::SeqCst)
    }

    fn get(&self, key: &str, version: u64) -> Option<Arc<Page>> {
        let mut store = self.0.store.lock().expect("page cache lock");
        store.forget_older_than(version);
        let page = store.pages.get(key)?;
        (page.made.elapsed() < self.0.limits.max_age).then(|| page.clone())
    }

    fn insert(&self, key: String, version: u64, page: Arc<Page>) {
        let mut store = self.0.store.lock().expect("page cache lock");
        store.forget_older_than(version);
        // Rendered from data that has changed since: serve it once, keep nothing.
        if store.version != version {
            return;
        }
        let size = page.body.size() + key.len();
        if let Some(old) = store.pages.insert(key.clone(), page) {
            store.bytes -= old.body.size() + key.len();
            store.order.retain(|k| k != &key);
        }
        store.order.push_back(key);
        store.bytes += size;
        while store.bytes > self.0.limits.max_bytes {
            let Some(oldest) = store.order.pop_front() else {
                break;
            };
            if let Some(old) = store.pages.remove(&oldest) {
                store.bytes -= old.body.size() + oldest.len();
            }
        }
    }

    /// Encodings are made on first use; the page's size is counted again as they grow.
    fn recount(&self, key: &str, before: usize, after: usize) {
        let mut store = self.0.store.lock().expect("page cache lock");
        if store.pages.contains_key(key) {
            store.bytes = store.bytes + after - before;
        }
    }
}

impl Store {
    fn forget_older_than(&mut self, version: u64) {
        if self.version < version {
            self.version = version;
            self.pages.clear();
            self.order.clear();
            self.bytes = 0;
        }
    }
}

/// The layer on the page routes.
pub async fn serve(State(cache): State<PageCache>, request: Request, next: Next) -> Response {
    let shareable = matches!(*request.method(), Method::GET | Method::HEAD)
        && !request.headers().contains_key(header::COOKIE)
        && cache.is_following();
    if !shareable {
        return unmarked(next.run(request).await);
    }
    let key = request
        .uri()
        .path_and_query()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| request.uri().path().to_string());
    let conditions = request.headers().clone();
    // A HEAD answer has no body to keep; it is served from a page a GET rendered.
    let keepable = request.method() == Method::GET;
    // Read before rendering: a change during the render makes this version old at once.
    let version = cache.0.version.load(Ordering::SeqCst);
    if let Some(page) = cache.get(&key, version) {
        return answer(&cache, &key, &page, &conditions, "hit");
    }
    let response = next.run(request).await;
    if !keepable
        || response.status() != StatusCode::OK
        || !response.headers().contains_key(SHARED_PAGE_HEADER)
    {
        return unmarked(response);
    }
    let (_, body) = response.into_parts();
    let Ok(html) = to_bytes(body, MAX_PAGE_BYTES).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let page = Arc::new(Page {
        etag: conditional::etag_of(&html),
        body: Variants::new(html, Encoding::page_levels()),
        made: Instant::now(),
    });
    cache.insert(key.clone(), version, page.clone());
    answer(&cache, &key, &page, &conditions, "miss")
}

fn unmarked(mut response: Response) -> Response {
    response.headers_mut().remove(SHARED_PAGE_HEADER);
    response
}

fn answer(
    cache: &PageCache,
    key: &str,
    page: &Page,
    conditions: &HeaderMap,
    how: &'static str,
) -> Response {
    let mut headers = HeaderMap::new();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    headers.insert(header::ETAG, page.etag.clone());
    headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    headers.insert(X_CACHE, HeaderValue::from_static(how));
    if conditional::matches(conditions, &page.etag) {
        return (StatusCode::NOT_MODIFIED, headers).into_response();
    }
    let encoding = Encoding::preferred(conditions);
    let before = page.body.size();
    let body = page.body.get(encoding);
    if !matches!(encoding, Encoding::Identity) && before != page.body.size() {
        cache.recount(key, before, page.body.size());
    }
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    if let Some(value) = encoding.header() {
        headers.insert(header::CONTENT_ENCODING, value);
    }
    (headers, Body::from(body)).into_response()
}

/// Listens on [`CHANNEL`] and moves the cache's data version with every notification, until
/// `shutdown`. A lost connection stops caching until it is back (notifications sent meanwhile
/// are lost, so the version moves on reconnecting).
pub async fn follow_data_changes(pool: PgPool, cache: PageCache, shutdown: CancellationToken) {
    loop {
        match listen(&pool).await {
            Ok(mut listener) => {
                cache.set_following(true);
                loop {
                    tokio::select! {
                        _ = shutdown.cancelled() => return,
                        received = listener.try_recv() => match received {
                            Ok(Some(_)) => cache.data_changed(),
                            Ok(None) | Err(_) => break,
                        },
                    }
                }
                cache.set_following(false);
                tracing::warn!("lost the data-change notifications; pages are rendered for each request until they are back");
            }
            Err(error) => {
                tracing::warn!(%error, "cannot listen for data changes; pages are rendered for each request");
            }
        }
        tokio::select! {
            _ = shutdown.cancelled() => return,
            _ = tokio::time::sleep(Duration::from_secs(1)) => {}
        }
    }
}

async fn listen(pool: &PgPool) -> Result<PgListener, sqlx::Error> {
    let mut listener = PgListener::connect_with(pool).await?;
    listener.listen(CHANNEL).await?;
    Ok(listener)
}

#[cfg(test)]
mod tests {
    use super::*;
    use bytes::Bytes;

    fn page(text: &'static str) -> Arc<Page> {
        Arc::new(Page {
            etag: conditional::etag_of(text.as_bytes()),
            body: Variants::new(Bytes::from_static(text.as_bytes()), Encoding::page_levels()),
            made: Instant::now(),
        })
    }

    fn cache(max_bytes: usize, max_age: Duration) -> PageCache {
        PageCache::new(CacheLimits { max_bytes, max_age })
    }

    #[test]
    fn a_data_change_forgets_every_page() {
        let cache = cache(1 << 20, Duration::from_secs(60));
        cache.insert("/a".into(), 0, page("a"));
        assert!(cache.get("/a", 0).is_some());
        cache.data_changed();
        assert!(cache.get("/a", 1).is_none());
    }

    #[test]
    fn a_page_rendered_before_a_change_is_not_kept() {
        let cache = cache(1 << 20, Duration::from_secs(60));
        cache.data_changed();
        cache.get("/b", 1);
        cache.insert("/a".into(), 0, page("a"));
        assert!(cache.get("/a", 1).is_none());
    }

    #[test]
    fn the_oldest_pages_go_when_memory_is_full_and_old_pages_expire() {
        let cache = cache(30, Duration::from_secs(60));
        cache.insert("/1".into(), 0, page("0123456789"));
        cache.insert("/2".into(), 0, page("0123456789"));
        cache.insert("/3".into(), 0, page("0123456789"));
        assert!(cache.get("/1", 0).is_none());
        assert!(cache.get("/3", 0).is_some());
        let expiring = self::cache(1 << 20, Duration::ZERO);
        expiring.insert("/a".into(), 0, page("a"));
        assert!(expiring.get("/a", 0).is_none());
    }
}
