//! The document head's links to the site's files, by the fingerprinted paths the server serves
//! them under (it provides [`AssetPaths`] to every render), and the boot script that loads the
//! WASM for the page's islands.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Where the site's files are: `/pkg/stakeboard.<hash>.wasm` and so on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssetPaths {
    pub js: String,
    pub wasm: String,
    pub css: String,
    /// The boot script (`server/src/http/boot.js`).
    pub boot: String,
}

impl Default for AssetPaths {
    /// The plain names, for a render without the server's context.
    fn default() -> Self {
        Self {
            js: "/pkg/stakeboard.js".into(),
            wasm: "/pkg/stakeboard.wasm".into(),
            css: "/pkg/stakeboard.css".into(),
            boot: "/pkg/boot.js".into(),
        }
    }
}

/// The paths the server provided.
pub fn asset_paths() -> AssetPaths {
    use_context::<AssetPaths>().unwrap_or_default()
}

/// Preloads the WASM and its glue and runs the boot script, all from files: the page carries no
/// inline script. Goes in the `<head>`, before the app renders.
#[component]
pub fn BootScripts() -> impl IntoView {
    // Islands mode: nothing outside an island is hydrated, so nothing outside one is serialized
    // into the page (each island switches this on for itself while it renders).
    if let Some(context) = Owner::current_shared_context() {
        context.set_is_hydrating(false);
    }
    let paths = asset_paths();
    view! {
        <link rel="modulepreload" href=paths.js.clone()/>
        <link rel="preload" href=paths.wasm.clone() r#as="fetch" type="application/wasm" crossorigin=""/>
        <script type="module" src=paths.boot data-js=paths.js data-wasm=paths.wasm></script>
    }
}
