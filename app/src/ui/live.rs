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
    /// The address stays (a refresh of the same URL, or the back button itself).
    Keep,
}

#[cfg(feature = "hydrate")]
pub use browser::swap;

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
    }

    /// Loads `url` and puts its region `id` in place of this page's; the title follows. A failed
    /// load falls back to a full navigation, so the user still gets the page (or its error).
    pub async fn swap(url: String, id: String, history: History) {
        let ticket = LATEST.with(|latest| {
            let mut latest = latest.borrow_mut();
            let next = latest.get(&id).copied().unwrap_or(0) + 1;
            latest.insert(id.clone(), next);
            next
        });
        let fetched = fetch_region(&url, &id).await;
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
                        History::Keep => Ok(()),
                    };
                }
                super::super::enhance::refresh_clocks();
            }
            _ if history != History::Keep => {
                let _ = window.location().set_href(&url);
            }
            // A refresh that failed waits for the next tick.
            _ => {}
        }
    }

    async fn fetch_region(url: &str, id: &str) -> Result<(web_sys::Element, String), JsValue> {
        let window = web_sys::window().ok_or(JsValue::NULL)?;
        let response: Response = JsFuture::from(window.fetch_with_str(url))
            .await?
            .dyn_into()?;
        if !response.ok() {
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
