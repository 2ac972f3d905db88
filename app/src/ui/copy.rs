//! A button that copies a value (an address) to the clipboard; [`super::enhance`] gives it its
//! click once the WASM is up.

use leptos::prelude::*;

#[component]
pub fn CopyButton(text: String, #[prop(optional)] label: &'static str) -> impl IntoView {
    let label = if label.is_empty() { "Copy" } else { label };
    view! {
        <button type="button" class="copy" data-copy=text title="Copy to clipboard">{label}</button>
    }
}
