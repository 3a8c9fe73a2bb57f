use leptos::prelude::*;

use crate::i18n::{use_i18n, Text};
use crate::pwa::{use_service_worker, OfflineReadiness};

#[component]
pub fn HomeScreen() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="card hero">
            <h1>"Walkbook"</h1>
            <p>{move || i18n.t(Text::Tagline)}</p>
            <OfflineBadge/>
        </section>
    }
}

/// Whether the app shell is cached, so the volunteer knows before entering a
/// building with no signal.
#[component]
fn OfflineBadge() -> impl IntoView {
    let i18n = use_i18n();
    let offline = use_service_worker().offline;
    let label = move || match offline.get() {
        OfflineReadiness::Preparing => i18n.t(Text::OfflinePreparing),
        OfflineReadiness::Ready => i18n.t(Text::OfflineReady),
        OfflineReadiness::Unsupported => i18n.t(Text::OfflineUnsupported),
    };
    let state = move || match offline.get() {
        OfflineReadiness::Preparing => "preparing",
        OfflineReadiness::Ready => "ready",
        OfflineReadiness::Unsupported => "unsupported",
    };
    view! {
        <p class="badge" id="offline-status" data-state=state>{label}</p>
    }
}
