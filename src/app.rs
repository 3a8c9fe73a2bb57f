//! The shell around every screen: top bar, update banner, routes.

use leptos::prelude::*;
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::path;

use crate::campaign::provide_campaign;
use crate::campaign::use_campaign;
use crate::i18n::{provide_i18n, use_i18n, Text, Translated};
use crate::pwa::{provide_service_worker, provide_storage_status, use_service_worker, use_storage_status};
use crate::screens::split::{
    about_screen, checks_screen, door_screen, find_screen, floor_screen, gate_screen, join_screen, preload_door_screen,
    preload_floor_screen, revisits_screen, split_screen,
};
use crate::screens::{home::HomeScreen, CampaignGate};
use crate::sync::provide_sync;

#[component]
pub fn App() -> impl IntoView {
    provide_i18n();
    provide_storage_status();
    crate::install::provide_install();
    let campaign = provide_campaign();
    provide_service_worker(Signal::derive(move || {
        campaign.campaign.with(Option::is_some) || campaign.load_error.with(Option::is_some)
    }));
    provide_sync(campaign);
    preload_start_screen();
    view! {
        <Router>
            <UpdateBanner/>
            <StorageWarnings/>
            <TopBar/>
            <main class="screen">
                <Routes fallback=NotFound>
                    <Route path=path!("/about") view=|| split_screen(about_screen())/>
                    <Route path=path!("/join") view=|| split_screen(join_screen())/>
                    // Every screen of the campaign waits for it in one place.
                    <ParentRoute path=path!("") view=CampaignGate>
                        <Route path=path!("/") view=HomeScreen/>
                        // Only the volunteer's own buildings can be recorded in.
                        <Route path=path!("/b/:building/f/:floor") view=|| split_screen(floor_screen())/>
                        <Route path=path!("/b/:building/f/:floor/d/:door") view=|| split_screen(door_screen())/>
                        <Route path=path!("/revisits") view=|| split_screen(revisits_screen())/>
                        <Route path=path!("/checks") view=|| split_screen(checks_screen())/>
                        <Route path=path!("/find") view=|| split_screen(find_screen())/>
                        <Route path=path!("/gate/:gate") view=|| split_screen(gate_screen())/>
                    </ParentRoute>
                </Routes>
            </main>
        </Router>
    }
}

/// A start straight onto a floor or a door (a reload there, an address
/// kept by the home screen's icon) fetches that screen's module while the
/// campaign is read, not once the campaign is there and the route drawn.
fn preload_start_screen() {
    let path = window().location().pathname().unwrap_or_default();
    let mut parts = path.split('/').skip(1);
    let is_floor_or_door = parts.next() == Some("b") && parts.nth(1) == Some("f");
    if !is_floor_or_door {
        return;
    }
    let on_door = parts.nth(1) == Some("d");
    leptos::task::spawn_local(async move {
        // A failure is shown by the screen itself, which loads it again.
        let _ = if on_door { preload_door_screen().await } else { preload_floor_screen().await };
    });
}

#[component]
fn TopBar() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <header class="topbar">
            <a class="topbar-brand" href="/">"Walkbook"</a>
            <a class="topbar-action" href="/about" aria-label=move || i18n.t(Text::NavAbout)>
                <span aria-hidden="true">"⚙"</span>
            </a>
        </header>
    }
}

/// Shown when a newer build is installed; "Reload" switches to it.
#[component]
fn UpdateBanner() -> impl IntoView {
    let i18n = use_i18n();
    let service_worker = use_service_worker();
    view! {
        <Show when=move || service_worker.update_waiting.get()>
            <div class="banner" role="status" id="update-banner">
                <span>{move || i18n.t(Text::UpdateReady)}</span>
                <button class="button button-primary" on:click=move |_| service_worker.apply_update()>
                    {move || i18n.t(Text::UpdateReload)}
                </button>
            </div>
        </Show>
    }
}

/// Storage nearly full (saves will fail soon), or the phone's data wiped.
#[component]
fn StorageWarnings() -> impl IntoView {
    let i18n = use_i18n();
    let storage = use_storage_status().0;
    let wiped = use_campaign().wiped;
    view! {
        <Show when=move || storage.get().is_some_and(|report| report.nearly_full())>
            <p class="error banner-warning" role="alert" id="storage-nearly-full">{move || i18n.t(Text::StorageNearlyFull)}</p>
        </Show>
        <Show when=move || wiped.get()>
            <p class="error banner-warning" role="alert" id="data-wiped">{move || i18n.t(Text::DataWiped)}</p>
        </Show>
    }
}

#[component]
fn NotFound() -> impl IntoView {
    view! { <NoSuchPage home="/" home_label=Text::NavHome/> }
}

/// An address no route of the app knows, with the way back to `home`
/// (shared with the console, whose home is its own).
#[component]
pub fn NoSuchPage<T: Translated + Send + Sync + 'static>(home: &'static str, home_label: T) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="card">
            <p>{move || i18n.t(Text::NotFound)}</p>
            <a class="button" href=home>{move || i18n.t(home_label)}</a>
        </section>
    }
}
