//! Walkbook's PWA: a Leptos client-side app compiled to WebAssembly.
//!
//! Screens live in `screens`, one module each; concerns that are not screens
//! (the service worker, translations) have their own modules. No screen talks
//! to the network: see ARCHITECTURE.md.

pub mod app;
#[cfg(feature = "bench")]
pub mod bench;
pub mod campaign;
pub mod door_status;
pub mod http;
pub mod i18n;
pub mod install;
pub mod pwa;
pub mod screens;
pub mod store;
pub mod sync;

/// The version the About screen shows: the crate version, plus the label of a
/// particular build when one was given at build time (`WALKBOOK_BUILD_LABEL`).
pub fn app_version() -> String {
    match option_env!("WALKBOOK_BUILD_LABEL") {
        Some(label) if !label.is_empty() => format!("{} ({label})", env!("CARGO_PKG_VERSION")),
        _ => env!("CARGO_PKG_VERSION").to_string(),
    }
}

/// Resolves after `ms` milliseconds, in a task of its own: with 0, once the
/// browser has run what was waiting (a paint, a tap), so that long work split
/// by it never holds the screen in one task.
pub async fn pause(ms: i32) {
    let wait = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(wait).await;
}
