//! A search field that narrows a list as one types (once the WASM is up) and submits as a plain
//! GET form before that. The URL holds the search, so links, reloads and the back button keep
//! it; the results are the page's live region, rendered by the server for the new URL.

use super::format::url_encode;
use leptos::{ev, prelude::*};
use std::time::Duration;

/// Longest search text accepted.
pub const MAX_SEARCH_CHARS: usize = 100;

/// `path` with the query string `search` (with or without its `?`), its `q` replaced by `text`
/// (left out when empty) and every other parameter kept as it is, in order.
pub fn with_search(path: &str, search: &str, text: &str) -> String {
    let q = (!text.is_empty()).then(|| format!("q={}", url_encode(text)));
    let params: Vec<&str> = search
        .trim_start_matches('?')
        .split('&')
        .filter(|pair| !pair.is_empty() && *pair != "q" && !pair.starts_with("q="))
        .chain(q.as_deref())
        .collect();
    if params.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{}", params.join("&"))
    }
}

/// The (name, value) pairs of a query string whose values need no decoding (enum names), as
/// [`SearchBox`] keeps them.
pub fn kept_params(query_string: &str) -> Vec<(String, String)> {
    query_string
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .map(|(name, value)| (name.to_string(), value.to_string()))
        .collect()
}

#[island]
pub fn SearchBox(
    /// The search text in the URL now.
    q: String,
    /// Query parameters the plain form keeps, as (name, value); defaults are left out. (Once
    /// the WASM is up, the search keeps whatever the address holds then.)
    keep: Vec<(String, String)>,
    /// The id of the live region that holds the results.
    region: String,
    placeholder: String,
    label: String,
) -> impl IntoView {
    let pending: StoredValue<Option<TimeoutHandle>> = StoredValue::new(None);
    let region = StoredValue::new(region);
    let go = move |text: String| {
        let text: String = text.trim().chars().take(MAX_SEARCH_CHARS).collect();
        show(&text, region.get_value());
    };
    let search_later = move |ev: ev::Event| {
        let text = event_target_value(&ev);
        if let Some(handle) = pending.get_value() {
            handle.clear();
        }
        pending
            .set_value(set_timeout_with_handle(move || go(text), Duration::from_millis(250)).ok());
    };
    let input = NodeRef::<leptos::html::Input>::new();
    let search_now = move |ev: ev::SubmitEvent| {
        ev.prevent_default();
        if let Some(handle) = pending.get_value() {
            handle.clear();
        }
        go(input.get().map(|i| i.value()).unwrap_or_default());
    };
    let hidden = keep
        .into_iter()
        .map(|(name, value)| view! { <input type="hidden" name=name value=value/> })
        .collect_view();
    view! {
        <form class="search" method="get" role="search" on:submit=search_now>
            <input
                type="search"
                name="q"
                node_ref=input
                value=q
                placeholder=placeholder
                aria-label=label
                autocomplete="off"
                maxlength=MAX_SEARCH_CHARS
                on:input=search_later
            />
            {hidden}
            <button type="submit">"Search"</button>
        </form>
    }
}

/// Shows the results for `text`: the page's address now (a tab or a sort may have been chosen
/// in place since it loaded) with the search replaced.
#[cfg(feature = "hydrate")]
fn show(text: &str, region: String) {
    let Some(location) = web_sys::window().map(|w| w.location()) else {
        return;
    };
    let href = with_search(
        &location.pathname().unwrap_or_default(),
        &location.search().unwrap_or_default(),
        text,
    );
    leptos::task::spawn_local(super::live::swap(
        href,
        region,
        super::live::History::Replace,
    ));
}

#[cfg(not(feature = "hydrate"))]
fn show(_text: &str, _region: String) {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_search_replaces_q_and_keeps_the_rest() {
        assert_eq!(with_search("/validators", "", ""), "/validators");
        assert_eq!(with_search("/validators", "?q=old", ""), "/validators");
        assert_eq!(
            with_search("/validators", "?status=jailed&q=old&sort=moniker", "a&b c"),
            "/validators?status=jailed&sort=moniker&q=a%26b%20c"
        );
        assert_eq!(with_search("/p", "quiet=1", "x"), "/p?quiet=1&q=x");
    }

    #[test]
    fn kept_params_are_the_pairs() {
        assert_eq!(
            kept_params("status=all&sort=moniker"),
            vec![
                ("status".to_string(), "all".to_string()),
                ("sort".to_string(), "moniker".to_string())
            ]
        );
        assert!(kept_params("").is_empty());
    }
}
