//! A clock for relative times: the server renders against its time, the browser ticks every
//! second after hydration so "updated 40 s ago" stays true while the page is open.

use super::format;
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use std::time::Duration;

#[derive(Clone, Copy)]
struct Clock(RwSignal<DateTime<Utc>>);

pub fn provide_clock() {
    let now = RwSignal::new(Utc::now());
    provide_context(Clock(now));
    // Effects only run in the browser.
    Effect::new(move |_| {
        if let Ok(handle) =
            set_interval_with_handle(move || now.set(Utc::now()), Duration::from_secs(1))
        {
            on_cleanup(move || handle.clear());
        }
    });
}

/// Calls `on_tick` every `every` while mounted (in the browser): pages that refresh themselves
/// mount it while their data can still change.
#[component]
pub fn Refresher(every: Duration, on_tick: Callback<()>) -> impl IntoView {
    Effect::new(move |_| {
        if let Ok(handle) = set_interval_with_handle(move || on_tick.run(()), every) {
            on_cleanup(move || handle.clear());
        }
    });
}

fn now() -> DateTime<Utc> {
    use_context::<Clock>()
        .map(|c| c.0.get())
        .unwrap_or_else(Utc::now)
}

/// "40 s ago", with the exact time on hover.
#[component]
pub fn TimeAgo(at: DateTime<Utc>) -> impl IntoView {
    view! {
        <time datetime=at.to_rfc3339() title=format::datetime(at)>
            {move || format::time_ago(at, now())}
        </time>
    }
}
