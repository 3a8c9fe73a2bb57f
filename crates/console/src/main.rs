//! Walkbook's coordinator console: a second client-side app, built by its own
//! Trunk run into `dist/coordinator/` and served under `/coordinator`.
//!
//! Unlike the volunteer app it works online only: it reads and changes the
//! server's copy of a campaign, never a phone's, and it is never precached,
//! so a volunteer's phone never downloads it. It shares the volunteer app's
//! library for what both draw (http, the language choice, the questionnaire
//! a form preview shows as a phone would).

mod alerts;
mod campaign;
mod coverage;
mod home;
mod needs;
mod notices;
mod records;
mod report;
mod setup;
mod text;
mod volunteers;
mod xlsform;

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;
use walkbook_app::app::NoSuchPage;
use walkbook_app::i18n::{provide_i18n, use_i18n};
use walkbook_app::screens::about::LanguagePicker;

use crate::campaign::ConsoleCampaignScreen;
use crate::home::ConsoleHomeScreen;
use crate::text::ConsoleText;

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(Console);
}

#[component]
fn Console() -> impl IntoView {
    provide_i18n();
    let i18n = use_i18n();
    view! {
        <Router>
            <header class="topbar">
                <a class="topbar-brand" href="/coordinator">"Walkbook · " {move || i18n.t(ConsoleText::ConsoleTitle)}</a>
            </header>
            <main class="screen">
                <Routes fallback=NotFound>
                    <Route path=path!("/coordinator") view=ConsoleHomeScreen/>
                    <Route path=path!("/coordinator/c/:campaign") view=ConsoleCampaignScreen/>
                </Routes>
                <LanguagePicker/>
            </main>
        </Router>
    }
}

#[component]
fn NotFound() -> impl IntoView {
    view! { <NoSuchPage home="/coordinator" home_label=ConsoleText::ConsoleTitle/> }
}
