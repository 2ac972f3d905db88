//! Live regions: a part of a page that the browser replaces with the same part of a freshly
//! rendered page, without a full page load. The server renders every state of a page (a search,
//! a sort, the next tally), so the browser needs no copy of the rendering code: it fetches the
//! page's URL (served from the page cache), cuts out the element with the region's id and swaps
//! it in. Without JavaScript the same URLs are plain links and forms.
//!
//! Markup: `<div id="…" data-live-region>` holds the swappable part; links inside it marked
//! `data-live` load in place; `data-refresh-secs="N"` on a region reloads it every N seconds
//! for as long as the fresh page still carries the attribute (a vote still open, a claim not
//! settled).

/// The attribute that marks a live region (with an `id`).
pub const REGION: &str = "data-live-region";

/// How the address bar follows a swap.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum History {
    /// A new entry (a followed link): the back button returns to the previous state.
    Push,
    /// The current entry changes (typing in a search box).
    Replace,
    /// The address stays (a refresh of the same URL).
    Keep,
    /// The address already moved (the back or forward button); if the load fails the page is
    /// loaded whole, so the page never disagrees with its address.
    Restore,
}

#[cfg(feature = "hydrate")]
pub use browser::{address, is_loading, shown, swap};

#[cfg(feature = "hydrate")]
mod browser {
    use super::History;
    use std::{cell::RefCell, collections::HashMap};
    use wasm_bindgen::{JsCast, JsValue};
    use wasm_bindgen_futures::JsFuture;
    use web_sys::{DomParser, Response, SupportedType};

    thread_local! {
        /// The latest swap asked for each region: an older answer arriving later is dropped.
        static LATEST: RefCell<HashMap<String, u64>> = RefCell::new(HashMap::new());
        /// Regions with a load in flight.
        static LOADING: RefCell<HashMap<String, u64>> = RefCell::new(HashMap::new());
        /// The path and query the page shows now (`None`: as loaded).
        static SHOWN: RefCell<Option<String>> = const { RefCell::new(None) };
    }

    /// Whether region `id` is being loaded now: a refresh waits for a click's load.
    pub fn is_loading(id: &str) -> bool {
        LOADING.with(|loading| loading.borrow().contains_key(id))
    }

    /// The path and query of what the page shows: where the last swap led, or the address it
    /// was loaded at.
    pub fn shown() -> String {
        SHOWN
            .with(|shown| shown.borrow().clone())
            .unwrap_or_else(address)
    }

    /// The path and query in the address bar now (without its `#…`).
    pub fn address() -> String {
        let Some(location) = web_sys::window().map(|w| w.location()) else {
            return String::new();
        };
        format!(
            "{}{}",
            location.pathname().unwrap_or_default(),
            location.search().unwrap_or_default()
        )
    }

    /// Loads `url` (a path on this site) and puts its region `id` in place of this page's; the
    /// title follows. A failed load falls back to a full navigation, so the user still gets the
    /// page (or its error); a failed refresh waits for the next one.
    pub async fn swap(url: String, id: String, history: History) {
        if !url.starts_with('/') || url.starts_with("//") {
            return;
        }
        let ticket = LATEST.with(|latest| {
            let mut latest = latest.borrow_mut();
            let next = latest.get(&id).copied().unwrap_or(0) + 1;
            latest.insert(id.clone(), next);
            next
        });
        LOADING.with(|loading| loading.borrow_mut().insert(id.clone(), ticket));
        let fetched = fetch_region(&url, &id).await;
        LOADING.with(|loading| {
            let mut loading = loading.borrow_mut();
            if loading.get(&id) == Some(&ticket) {
                loading.remove(&id);
            }
        });
        let still_latest = LATEST.with(|latest| latest.borrow().get(&id) == Some(&ticket));
        if !still_latest {
            return;
        }
        let Some(window) = web_sys::window() else {
            return;
        };
        let Some(document) = window.document() else {
            return;
        };
        match (fetched, document.get_element_by_id(&id)) {
            (Ok((fresh, title)), Some(current)) => {
                if current.replace_with_with_node_1(&fresh).is_err() {
                    return;
                }
                document.set_title(&title);
                if let Ok(browser_history) = window.history() {
                    let _ = match history {
                        History::Push => {
                            browser_history.push_state_with_url(&JsValue::NULL, "", Some(&url))
                        }
                        History::Replace => {
                            browser_history.replace_state_with_url(&JsValue::NULL, "", Some(&url))
                        }
                        History::Keep | History::Restore => Ok(()),
                    };
                }
                if history != History::Keep {
                    SHOWN.with(|shown| *shown.borrow_mut() = Some(url));
                }
                super::super::enhance::after_swap();
            }
            _ => match history {
                History::Push | History::Replace => {
                    let _ = window.location().set_href(&url);
                }
                History::Restore => {
                    let _ = window.location().reload();
                }
                History::Keep => {}
            },
        }
    }

    /// The region `id` of the page at `url`, and its title. Only an HTML answer counts.
    async fn fetch_region(url: &str, id: &str) -> Result<(web_sys::Element, String), JsValue> {
        let window = web_sys::window().ok_or(JsValue::NULL)?;
        let response: Response = JsFuture::from(window.fetch_with_str(url))
            .await?
            .dyn_into()?;
        let is_html = response
            .headers()
            .get("content-type")?
            .is_some_and(|kind| kind.starts_with("text/html"));
        if !response.ok() || !is_html {
            return Err(JsValue::from(response.status()));
        }
        let text = JsFuture::from(response.text()?)
            .await?
            .as_string()
            .unwrap_or_default();
        let parsed = DomParser::new()?.parse_from_string(&text, SupportedType::TextHtml)?;
        let region = parsed.get_element_by_id(id).ok_or(JsValue::NULL)?;
        Ok((region, parsed.title()))
    }
}
