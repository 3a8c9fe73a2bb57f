//! What the volunteer sees about installing: the calm offer after the first
//! saved record, the warning when records could be deleted by the browser,
//! and how to install on this platform (see `crate::install`).

use leptos::prelude::*;

use crate::i18n::{use_i18n, Text};
use crate::install::use_install;
use crate::pwa::{use_storage_status, Persistence};
use crate::sync::use_sync;

/// A card offering the browser's install prompt, once a record was saved;
/// "Not now" puts it away for this visit. Never a dialog.
#[component]
pub fn InstallOffer() -> impl IntoView {
    let i18n = use_i18n();
    let install = use_install();
    view! {
        <Show when=move || install.offer_now()>
            <section class="card install-offer" id="install-offer" role="region" aria-labelledby="install-offer-title">
                <h2 id="install-offer-title">{move || i18n.t(Text::InstallTitle)}</h2>
                <p>{move || i18n.t(Text::InstallWhy)}</p>
                <div class="action-row">
                    <button class="button button-primary" id="install-app" on:click=move |_| install.prompt()>
                        {move || i18n.t(Text::InstallNow)}
                    </button>
                    <button class="button" id="install-later" on:click=move |_| install.offer_dismissed.set(true)>
                        {move || i18n.t(Text::NotNow)}
                    </button>
                </div>
            </section>
        </Show>
    }
}

/// On the home screen, in a browser tab without persistent storage: the
/// browser may delete what was not sent. Says so, with the count, and how
/// to install.
#[component]
pub fn StorageAtRisk() -> impl IntoView {
    let i18n = use_i18n();
    let install = use_install();
    let storage = use_storage_status().0;
    let sync = use_sync();
    let at_risk = move || !install.installed.get() && storage.get().is_some_and(|report| report.persistence != Persistence::Granted);
    let unsent = move || sync.view.with(|view| view.outbox.pending);
    view! {
        <Show when=at_risk>
            <section class="card warning" id="storage-at-risk" role="alert" data-unsent=move || unsent().to_string()>
                <h2>{move || i18n.t(Text::AtRiskTitle)}</h2>
                <p>{move || i18n.t(Text::AtRiskBody)}</p>
                <p class="at-risk-count">{move || i18n.t(Text::NotSentYet)} " " <strong>{unsent}</strong></p>
                <HowToInstall/>
            </section>
        </Show>
    }
}

/// How to install here: the browser's prompt when it offered one, the two
/// taps on iPhone and iPad Safari, else where the browser's menu has it.
#[component]
pub fn HowToInstall() -> impl IntoView {
    let i18n = use_i18n();
    let install = use_install();
    move || {
        if install.installed.get() {
            view! { <p class="notice" id="installed">"✓ " {move || i18n.t(Text::InstalledHere)}</p> }.into_any()
        } else if install.prompt_available.get() {
            view! {
                <button class="button button-primary wide" id="install-app-now" on:click=move |_| install.prompt()>
                    {move || i18n.t(Text::InstallNow)}
                </button>
            }
            .into_any()
        } else if install.ios_safari {
            view! { <IosInstallGuide/> }.into_any()
        } else {
            view! { <p class="hint" id="install-from-menu">{move || i18n.t(Text::InstallFromMenu)}</p> }.into_any()
        }
    }
}

/// Safari on iPhone and iPad: Share, then "Add to Home Screen", drawn as
/// Safari draws the two buttons.
#[component]
fn IosInstallGuide() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <ol class="ios-guide" id="ios-install-guide">
            <li>
                <svg class="ios-icon" viewBox="0 0 24 24" aria-hidden="true">
                    <path d="M12 3v12M8 7l4-4 4 4" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"/>
                    <path d="M7 10H5v11h14V10h-2" fill="none" stroke="currentColor" stroke-width="2" stroke-linejoin="round"/>
                </svg>
                <span>{move || i18n.t(Text::IosStepShare)}</span>
            </li>
            <li>
                <svg class="ios-icon" viewBox="0 0 24 24" aria-hidden="true">
                    <rect x="4" y="4" width="16" height="16" rx="3" fill="none" stroke="currentColor" stroke-width="2"/>
                    <path d="M12 8v8M8 12h8" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round"/>
                </svg>
                <span>{move || i18n.t(Text::IosStepAdd)}</span>
            </li>
            <li>
                <svg class="ios-icon" viewBox="0 0 24 24" aria-hidden="true">
                    <rect x="6" y="2" width="12" height="20" rx="2" fill="none" stroke="currentColor" stroke-width="2"/>
                    <circle cx="12" cy="18" r="1" fill="currentColor"/>
                </svg>
                <span>{move || i18n.t(Text::IosStepOpen)}</span>
            </li>
        </ol>
    }
}
