//! Relative times: the server renders "40 s ago" against its clock, with the exact instant in
//! `datetime`; in the browser [`super::enhance`] keeps the text true every second, also on a
//! page that came from the page cache.

use super::format;
use chrono::{DateTime, Utc};
use leptos::prelude::*;

/// "40 s ago", with the exact time on hover.
#[component]
pub fn TimeAgo(at: DateTime<Utc>) -> impl IntoView {
    view! {
        <time datetime=at.to_rfc3339() title=format::datetime(at) data-ago="">
            {format::time_ago(at, Utc::now())}
        </time>
    }
}
