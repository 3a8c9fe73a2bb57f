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
