//! Relative times: the server renders them to the minute ("under a minute ago", "5 min ago"),
//! with the exact instant in `datetime`; in the browser [`super::enhance`] makes them exact and
//! keeps them true every second. To the minute, a page rendered again without a change of data
//! is the same bytes (the same `ETag`), and a cached page's text stays true without JavaScript.

use super::format;
use chrono::{DateTime, SecondsFormat, Utc};
use leptos::prelude::*;

/// "40 s ago", with the exact time on hover.
#[component]
pub fn TimeAgo(at: DateTime<Utc>) -> impl IntoView {
    view! {
        <time datetime=at.to_rfc3339_opts(SecondsFormat::Secs, true) title=format::datetime(at) data-ago="">
            {format::minutes_ago(at, Utc::now())}
        </time>
    }
}
