//! A button that copies a value (an address) to the clipboard.

use leptos::prelude::*;

#[component]
pub fn CopyButton(text: String, #[prop(optional)] label: &'static str) -> impl IntoView {
    let copied = RwSignal::new(false);
    let label = if label.is_empty() { "Copy" } else { label };
    let on_click = move |_| copy(text.clone(), copied);
    view! {
        <button type="button" class="copy" on:click=on_click title="Copy to clipboard">
            {move || if copied.get() { "Copied ✓" } else { label }}
        </button>
    }
}

#[cfg(feature = "hydrate")]
fn copy(text: String, copied: RwSignal<bool>) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let promise = window.navigator().clipboard().write_text(&text);
    leptos::task::spawn_local(async move {
        if wasm_bindgen_futures::JsFuture::from(promise).await.is_ok() {
            copied.set(true);
            set_timeout(
                move || copied.set(false),
                std::time::Duration::from_millis(1500),
            );
        }
    });
}

#[cfg(not(feature = "hydrate"))]
fn copy(_text: String, _copied: RwSignal<bool>) {}
