//! What every page gets from the WASM besides its islands, installed once on the document so it
//! also covers parts swapped in later by [`super::live`]:
//! - `button[data-copy]` copies its value to the clipboard and says so for a moment;
//! - `time[data-ago]` keeps saying how long ago its `datetime` was ("40 s ago"), every second;
//! - links marked `data-live` inside a live region load in place, and the back button follows;
//! - regions marked `data-refresh-secs` reload themselves while the fresh page keeps the mark.
//!
//! The server renders all of these as plain markup that is whole without JavaScript.

/// Marks a copy button: the attribute holds the text to copy.
pub const COPY: &str = "data-copy";
/// Marks a relative time.
pub const AGO: &str = "data-ago";
/// Marks a link that loads in place inside a live region.
pub const LIVE_LINK: &str = "data-live";
/// Seconds between reloads of a live region.
pub const REFRESH_SECS: &str = "data-refresh-secs";

#[cfg(feature = "hydrate")]
pub use browser::{after_swap, refresh_clocks, start};

#[cfg(feature = "hydrate")]
mod browser {
    use super::{AGO, COPY, LIVE_LINK, REFRESH_SECS};
    use crate::ui::{
        format,
        live::{self, History, REGION},
    };
    use wasm_bindgen::{closure::Closure, JsCast};
    use wasm_bindgen_futures::{spawn_local, JsFuture};
    use web_sys::{Element, MouseEvent};

    const COPIED: &str = "Copied ✓";

    /// Installs the behaviours; call once, when the WASM starts.
    pub fn start() {
        let Some(window) = web_sys::window() else {
            return;
        };
        let Some(document) = window.document() else {
            return;
        };
        let on_click = Closure::<dyn Fn(MouseEvent)>::new(on_click);
        let _ =
            document.add_event_listener_with_callback("click", on_click.as_ref().unchecked_ref());
        on_click.forget();

        // The back and forward buttons across states loaded in place. A move between two
        // anchors of one state (`#…`) changes nothing shown.
        let on_back = Closure::<dyn Fn()>::new(|| {
            let url = live::address();
            if url == live::shown() {
                return;
            }
            match first_live_region() {
                Some(region) => spawn_local(live::swap(url, region, History::Restore)),
                None => {
                    if let Some(window) = web_sys::window() {
                        let _ = window.location().reload();
                    }
                }
            }
        });
        let _ =
            window.add_event_listener_with_callback("popstate", on_back.as_ref().unchecked_ref());
        on_back.forget();

        refresh_clocks();
        let tick = Closure::<dyn Fn()>::new(refresh_clocks);
        let _ = window.set_interval_with_callback_and_timeout_and_arguments_0(
            tick.as_ref().unchecked_ref(),
            1000,
        );
        tick.forget();

        start_refreshers(&document);
    }

    /// What a swapped-in region needs: its clocks set, and its refreshing started if it
    /// carries the mark.
    pub fn after_swap() {
        refresh_clocks();
        if let Some(document) = web_sys::window().and_then(|w| w.document()) {
            start_refreshers(&document);
        }
    }

    /// Sets every relative time on the page from its `datetime` and the browser's clock.
    pub fn refresh_clocks() {
        let Some(document) = web_sys::window().and_then(|w| w.document()) else {
            return;
        };
        let Ok(times) = document.query_selector_all(&format!("time[{AGO}]")) else {
            return;
        };
        let now = js_sys::Date::now();
        for i in 0..times.length() {
            let Some(time) = times.item(i).and_then(|n| n.dyn_into::<Element>().ok()) else {
                continue;
            };
            let Some(at) = time.get_attribute("datetime") else {
                continue;
            };
            let at = js_sys::Date::parse(&at);
            if at.is_nan() {
                continue;
            }
            let text = format::seconds_ago(((now - at) / 1000.0).floor() as i64);
            if time.text_content().as_deref() != Some(text.as_str()) {
                time.set_text_content(Some(&text));
            }
        }
    }

    fn on_click(event: MouseEvent) {
        let Some(target) = event.target().and_then(|t| t.dyn_into::<Element>().ok()) else {
            return;
        };
        if let Ok(Some(button)) = target.closest(&format!("button[{COPY}]")) {
            copy(button);
            return;
        }
        let plain_click = event.button() == 0
            && !(event.ctrl_key() || event.meta_key() || event.shift_key() || event.alt_key());
        if !plain_click {
            return;
        }
        if let Ok(Some(link)) = target.closest(&format!("a[{LIVE_LINK}][href]")) {
            let region = link
                .closest(&format!("[{REGION}][id]"))
                .ok()
                .flatten()
                .map(|r| r.id());
            let href = link
                .get_attribute("href")
                .filter(|href| href.starts_with('/') && !href.starts_with("//"));
            if let (Some(region), Some(href)) = (region, href) {
                event.prevent_default();
                spawn_local(live::swap(href, region, History::Push));
            }
        }
    }

    fn copy(button: Element) {
        let Some(text) = button.get_attribute(COPY) else {
            return;
        };
        let Some(window) = web_sys::window() else {
            return;
        };
        let promise = window.navigator().clipboard().write_text(&text);
        spawn_local(async move {
            if JsFuture::from(promise).await.is_err() {
                return;
            }
            let label = button.text_content().unwrap_or_default();
            if label == COPIED {
                return;
            }
            button.set_text_content(Some(COPIED));
            let restore = Closure::once_into_js(move || button.set_text_content(Some(&label)));
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(
                restore.unchecked_ref(),
                1500,
            );
        });
    }

    fn first_live_region() -> Option<String> {
        let document = web_sys::window()?.document()?;
        let region = document.query_selector(&format!("[{REGION}][id]")).ok()??;
        Some(region.id())
    }

    thread_local! {
        /// Regions with a refresh timer running.
        static REFRESHING: std::cell::RefCell<std::collections::HashSet<String>> =
            std::cell::RefCell::new(std::collections::HashSet::new());
    }

    /// One timer per refreshing region; it stops once a reload brings the region back without
    /// the mark.
    fn start_refreshers(document: &web_sys::Document) {
        let Ok(regions) = document.query_selector_all(&format!("[{REGION}][id][{REFRESH_SECS}]"))
        else {
            return;
        };
        for i in 0..regions.length() {
            let Some(region) = regions.item(i).and_then(|n| n.dyn_into::<Element>().ok()) else {
                continue;
            };
            let secs: i32 = region
                .get_attribute(REFRESH_SECS)
                .and_then(|s| s.parse().ok())
                .filter(|s| *s > 0)
                .unwrap_or(5);
            let id = region.id();
            if REFRESHING.with(|running| running.borrow_mut().insert(id.clone())) {
                refresh_every(id, secs);
            }
        }
    }

    fn refresh_every(id: String, secs: i32) {
        let Some(window) = web_sys::window() else {
            return;
        };
        let handle = std::rc::Rc::new(std::cell::Cell::new(0));
        let timer = handle.clone();
        let tick = Closure::<dyn Fn()>::new(move || {
            let Some(window) = web_sys::window() else {
                return;
            };
            let still_live = window
                .document()
                .and_then(|d| d.get_element_by_id(&id))
                .is_some_and(|r| r.has_attribute(REFRESH_SECS));
            if !still_live {
                window.clear_interval_with_handle(timer.get());
                REFRESHING.with(|running| running.borrow_mut().remove(&id));
                return;
            }
            // A click's load in flight wins: it shows a newer state than this refresh would.
            if live::is_loading(&id) {
                return;
            }
            spawn_local(live::swap(live::shown(), id.clone(), History::Keep));
        });
        if let Ok(h) = window.set_interval_with_callback_and_timeout_and_arguments_0(
            tick.as_ref().unchecked_ref(),
            secs.saturating_mul(1000),
        ) {
            handle.set(h);
        }
        tick.forget();
    }
}
