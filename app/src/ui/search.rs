//! A search field that narrows a list as one types (after hydration) and submits as a plain GET
//! form before it. The URL holds the search, so links, reloads and the back button keep it.

use leptos::{ev, prelude::*};
use leptos_router::{hooks::use_navigate, NavigateOptions};
use std::time::Duration;

/// Longest search text accepted.
pub const MAX_SEARCH_CHARS: usize = 100;

#[component]
pub fn SearchBox(
    /// The search text in the URL now.
    #[prop(into)]
    q: Signal<String>,
    /// Other query parameters the plain form must keep, as (name, value).
    #[prop(into)]
    keep: Signal<Vec<(&'static str, String)>>,
    /// The page's URL for a new search text.
    href_for: Callback<String, String>,
    placeholder: &'static str,
    label: &'static str,
) -> impl IntoView {
    let navigate = use_navigate();
    let pending: StoredValue<Option<TimeoutHandle>> = StoredValue::new(None);
    let go = move |text: String| {
        let text: String = text.trim().chars().take(MAX_SEARCH_CHARS).collect();
        navigate(
            &href_for.run(text),
            NavigateOptions {
                replace: true,
                scroll: false,
                ..Default::default()
            },
        );
    };
    let search_later = {
        let go = go.clone();
        move |ev: ev::Event| {
            let text = event_target_value(&ev);
            if let Some(handle) = pending.get_value() {
                handle.clear();
            }
            let go = go.clone();
            pending.set_value(
                set_timeout_with_handle(move || go(text), Duration::from_millis(250)).ok(),
            );
        }
    };
    let input = NodeRef::<leptos::html::Input>::new();
    let search_now = move |ev: ev::SubmitEvent| {
        ev.prevent_default();
        if let Some(handle) = pending.get_value() {
            handle.clear();
        }
        go(input.get().map(|i| i.value()).unwrap_or_default());
    };
    let hidden = move || {
        keep.get()
            .into_iter()
            .map(|(name, value)| view! { <input type="hidden" name=name value=value/> })
            .collect_view()
    };
    view! {
        <form class="search" method="get" role="search" on:submit=search_now>
            <input
                type="search"
                name="q"
                node_ref=input
                value=q.get_untracked()
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
