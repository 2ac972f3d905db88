//! Rendered pages kept in memory, keyed by their URL and the version of the data they show.
//!
//! A page opts in by marking its answer as shared (`app::state::share_page`: the same for every
//! visitor, no form token, no captcha). The data version is a counter that moves whenever a
//! table a page reads changes: Postgres triggers send a notification on each statement that
//! changes rows (`migrations/*_system.sql`) and [`follow_data_changes`] bumps the counter as
//! they arrive, so a page is not served from before a committed change once its notification
//! is in (milliseconds), on any replica. While that follower is not connected, or has not heard
//! its own heartbeat for a while (a connection can die without a word), nothing is cached. A
//! kept page also expires after `max_age`, for what moves with the clock alone: relative times
//! (to the minute on the server; the browser makes them exact) and the warning that data has
//! gone stale when a worker stops writing.
//!
//! Pages are kept by path and query, the query's parameters sorted, so `?a=1&b=2` and
//! `?b=2&a=1` are one page. When memory is full the oldest pages go; a page larger than a
//! quarter of the budget is not kept.
//!
//! Answers carry an `ETag`, `304` on a match, and each encoding is compressed once per page.

use super::{
    compress::{Encoding, Variants},
    conditional,
};
use app::state::SHARED_PAGE_HEADER;
use axum::{
    body::Body,
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

/// The payload of the follower's own notifications: proof that the connection still delivers.
const HEARTBEAT: &str = "heartbeat";
/// How often the follower sends itself a heartbeat, and how long it waits for any notification
/// before it takes the connection for dead.
const HEARTBEAT_EVERY: Duration = Duration::from_secs(5);
const HEARTBEAT_LOST_AFTER: Duration = Duration::from_secs(15);

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
    /// Each page with the bytes counted for it in `bytes`.
    pages: HashMap<String, (Arc<Page>, usize)>,
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
        let (page, _) = store.pages.get(key)?;
        (page.made.elapsed() < self.0.limits.max_age).then(|| page.clone())
    }

    fn insert(&self, key: String, version: u64, page: Arc<Page>) {
        let size = page.body.size() + key.len();
        if size > self.0.limits.max_bytes / 4 {
            return;
        }
        let mut store = self.0.store.lock().expect("page cache lock");
        store.forget_older_than(version);
        // Rendered from data that has changed since: serve it once, keep nothing.
        if store.version != version {
            return;
        }
        store.remove(&key);
        store.order.push_back(key.clone());
        store.pages.insert(key, (page, size));
        store.bytes += size;
        while store.bytes > self.0.limits.max_bytes {
            let Some(oldest) = store.order.front().cloned() else {
                break;
            };
            store.remove(&oldest);
        }
    }

    /// A kept page grew by an encoding made on first use: count it.
    fn recount(&self, key: &str, page: &Arc<Page>) {
        let mut store = self.0.store.lock().expect("page cache lock");
        let Store { pages, bytes, .. } = &mut *store;
        if let Some((kept, counted)) = pages.get_mut(key) {
            if Arc::ptr_eq(kept, page) {
                let now = page.body.size() + key.len();
                *bytes = *bytes - *counted + now;
                *counted = now;
            }
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

    fn remove(&mut self, key: &str) {
        if let Some((_, counted)) = self.pages.remove(key) {
            self.bytes -= counted;
            self.order.retain(|k| k != key);
        }
    }
}

/// The path and the query with its parameters in order: one key per page.
fn page_key(uri: &axum::http::Uri) -> String {
    match uri.query() {
        None | Some("") => uri.path().to_string(),
        Some(query) => {
            let mut params: Vec<&str> = query.split('&').filter(|p| !p.is_empty()).collect();
            params.sort_unstable();
            format!("{}?{}", uri.path(), params.join("&"))
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
    let key = page_key(request.uri());
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
    let (parts, body) = response.into_parts();
    let html = match super::collect_up_to(body, MAX_PAGE_BYTES).await {
        Ok(html) => html,
        Err(body) => return unmarked(Response::from_parts(parts, body)),
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
    page: &Arc<Page>,
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
    if page.body.size() != before {
        cache.recount(key, page);
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
/// `shutdown`. It also sends itself a heartbeat every few seconds: a connection that delivers
/// nothing for [`HEARTBEAT_LOST_AFTER`] is taken for dead. A lost connection stops caching until
/// it is back (notifications sent meanwhile are lost, so the version moves on reconnecting).
pub async fn follow_data_changes(pool: PgPool, cache: PageCache, shutdown: CancellationToken) {
    tokio::spawn(send_heartbeats(pool.clone(), shutdown.clone()));
    loop {
        match listen(&pool).await {
            Ok(mut listener) => {
                cache.set_following(true);
                loop {
                    // Only shutdown and a dead connection cancel a wait for a notification
                    // (so no notification is lost to a cancelled read).
                    tokio::select! {
                        _ = shutdown.cancelled() => return,
                        received = tokio::time::timeout(HEARTBEAT_LOST_AFTER, listener.try_recv()) => match received {
                            Ok(Ok(Some(notification))) => {
                                if notification.payload() != HEARTBEAT {
                                    cache.data_changed();
                                }
                            }
                            Ok(Ok(None) | Err(_)) | Err(_) => break,
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

/// Every [`HEARTBEAT_EVERY`], a notification on the channel (every replica's follower hears
/// every replica's heartbeat; any will do).
async fn send_heartbeats(pool: PgPool, shutdown: CancellationToken) {
    let mut every = tokio::time::interval(HEARTBEAT_EVERY);
    loop {
        tokio::select! {
            _ = shutdown.cancelled() => return,
            _ = every.tick() => {}
        }
        let sent = sqlx::query("SELECT pg_notify($1, $2)")
            .bind(CHANNEL)
            .bind(HEARTBEAT)
            .execute(&pool)
            .await;
        if let Err(error) = sent {
            tracing::debug!(%error, "cannot send the page cache's heartbeat");
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
        // Pages of 22 bytes with their keys, in 100: the fifth pushes out the first.
        let cache = cache(100, Duration::from_secs(60));
        for key in ["/1", "/2", "/3", "/4", "/5"] {
            cache.insert(key.into(), 0, page("01234567890123456789"));
        }
        assert!(cache.get("/1", 0).is_none());
        assert!(cache.get("/2", 0).is_some() && cache.get("/5", 0).is_some());
        // Larger than a quarter of the memory: not kept.
        cache.insert(
            "/big".into(),
            0,
            page("0123456789012345678901234567890123456789"),
        );
        assert!(cache.get("/big", 0).is_none());
        let expiring = self::cache(1 << 20, Duration::ZERO);
        expiring.insert("/a".into(), 0, page("a"));
        assert!(expiring.get("/a", 0).is_none());
    }
}
