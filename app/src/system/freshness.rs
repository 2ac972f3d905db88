//! "Updated 40 s ago", and a visible warning when the last collection failed.

use super::model::Freshness;
use crate::ui::clock::TimeAgo;
use leptos::prelude::*;

#[component]
pub fn FreshnessNote(freshness: Freshness) -> impl IntoView {
    let updated = match freshness.collected_at {
        Some(at) => view! { <span class="updated">"Updated " <TimeAgo at/></span> }.into_any(),
        None if freshness.last_run.is_none() => {
            view! { <span class="updated">"Waiting for the first collection"</span> }.into_any()
        }
        None => view! { <span class="updated">"Nothing collected yet"</span> }.into_any(),
    };
    let warning = freshness
        .last_run
        .clone()
        .filter(|r| r.failed())
        .map(|run| {
            let failed_at = run.finished_at.unwrap_or(run.started_at);
            let showing = match freshness.collected_at {
                Some(at) => view! { " Showing data collected " <TimeAgo at/> "." }.into_any(),
                None => view! { " No data has been collected yet." }.into_any(),
            };
            view! {
                <div class="stale-warning" role="alert" data-testid="stale-warning">
                    <strong>"Data may be stale. "</strong>
                    "The last collection failed " <TimeAgo at=failed_at/> ": "
                    <code>{run.error.unwrap_or_default()}</code>
                    {showing}
                </div>
            }
        });
    view! {
        <div class="freshness">{updated}</div>
        {warning}
    }
}
