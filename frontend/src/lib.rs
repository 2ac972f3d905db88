//! The wasm entry point. Pages are rendered on the server and whole without it; the boot script
//! (`server/src/http/boot.js`) calls `hydrate` once the module is up, then hydrates each island.

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    app::ui::enhance::start();
    leptos::mount::hydrate_islands();
}
