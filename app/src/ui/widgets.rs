//! Small shared pieces: status badges, voting-power bars, error panels.

use crate::{error::AppError, validators::model::ValidatorStatus};
use leptos::prelude::*;

#[component]
pub fn StatusBadge(status: ValidatorStatus) -> impl IntoView {
    view! { <span class=format!("badge badge-{}", status.as_str())>{status.label()}</span> }
}

/// A bar whose length is `share` relative to `scale` (the largest share in view).
#[component]
pub fn ShareBar(share: Option<f64>, scale: f64) -> impl IntoView {
    let width = share
        .map(|s| {
            if scale > 0.0 {
                (s / scale * 100.0).clamp(0.0, 100.0)
            } else {
                0.0
            }
        })
        .unwrap_or(0.0);
    // One element whose CSS paints the filled part from `--w`: tables repeat it on every row.
    view! { <span class="bar" style=format!("--w:{width:.1}%")></span> }
}

#[component]
pub fn ErrorPanel(error: AppError) -> impl IntoView {
    #[cfg(feature = "ssr")]
    crate::state::set_status(error.status());
    let title = match error {
        AppError::NotFound(_) => "Not found",
        AppError::BadRequest(_) => "That request cannot be answered",
        AppError::TooMany(_) => "Too many requests",
        AppError::Unauthorized(_) => "Log in first",
        AppError::Forbidden(_) => "Refused",
        AppError::Conflict(_) => "Not possible now",
        AppError::Closed(_) => "Not available right now",
        AppError::Unavailable | AppError::Internal | AppError::Transport(_) => {
            "Something went wrong"
        }
    };
    view! {
        <section class="error-panel" role="alert">
            <h2>{title}</h2>
            <p>{error.to_string()}</p>
            <p><a href="/">"Back to the overview"</a></p>
        </section>
    }
}
