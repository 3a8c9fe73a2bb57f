use leptos::prelude::*;
use walkbook_core::lang::Lang;

use crate::i18n::{use_i18n, Text};
use crate::pwa::{use_storage_status, Persistence};
use crate::screens::install::HowToInstall;
use crate::sync::{sign_out_and_wipe, use_sync, SyncFailure, WipeRefused};

#[component]
pub fn AboutScreen() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="card">
            <h1>{move || i18n.t(Text::AboutTitle)}</h1>
            <dl class="facts">
                <dt>{move || i18n.t(Text::AppVersion)}</dt>
                <dd id="app-version">{crate::app_version()}</dd>
            </dl>
        </section>
        <LanguagePicker/>
        <section class="card" id="about-install">
            <h2>{move || i18n.t(Text::InstallTitle)}</h2>
            <HowToInstall/>
        </section>
        <StorageFacts/>
        <SignOutAndWipe/>
    }
}

/// "Sign out and wipe this phone", for a volunteer leaving: offered once
/// joined, and only with nothing unsent (otherwise it says how many records
/// wait). The first tap asks, the second wipes; the app then starts over.
#[component]
fn SignOutAndWipe() -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let joined = move || sync.view.with(|view| view.meta.joined.is_some());
    let unsent = move || sync.view.with(|view| view.outbox.pending + view.outbox.refused.len() as u32);
    let confirming = RwSignal::new(false);
    let refused = RwSignal::new(None::<WipeRefused>);
    let wipe = move |_| {
        if !confirming.get_untracked() {
            confirming.set(true);
            return;
        }
        leptos::task::spawn_local(async move {
            match sign_out_and_wipe().await {
                Ok(()) => {
                    let _ = window().location().replace("/");
                }
                Err(refusal) => refused.set(Some(refusal)),
            }
        });
    };
    let blocked = move |count: u32| i18n.t(Text::WipeBlocked).replace("{n}", &count.to_string());
    let refusal_text = move || {
        refused.get().map(|refusal| match refusal {
            WipeRefused::Unsent(count) => blocked(count),
            WipeRefused::Failed(SyncFailure::Unreachable) => i18n.t(Text::WipeNeedsServer).to_string(),
            WipeRefused::Failed(SyncFailure::SignedOut(message) | SyncFailure::Server(message)) => message,
        })
    };
    view! {
        <Show when=joined>
            <section class="card" id="leave-campaign">
                <h2>{move || i18n.t(Text::WipeTitle)}</h2>
                {move || if unsent() > 0 {
                    view! {
                        <p class="hint" id="wipe-blocked" data-unsent=unsent().to_string()>
                            {blocked(unsent())}
                        </p>
                    }.into_any()
                } else {
                    view! {
                        <p class="hint">{move || i18n.t(Text::WipeExplained)}</p>
                        <button class="button wide quiet" id="wipe-phone" data-confirming=move || confirming.get().to_string() on:click=wipe>
                            {move || i18n.t(if confirming.get() { Text::WipeConfirm } else { Text::WipeTitle })}
                        </button>
                    }.into_any()
                }}
                {move || refusal_text().map(|text| view! { <p class="error" id="wipe-refused" role="alert">{text}</p> })}
            </section>
        </Show>
    }
}

#[component]
pub fn LanguagePicker() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="card">
            <h2>{move || i18n.t(Text::Language)}</h2>
            <div class="choice-row" role="group">
                {Lang::ALL
                    .into_iter()
                    .map(|lang| {
                        view! {
                            <button
                                class="button"
                                lang=lang.tag()
                                aria-pressed=move || (i18n.lang.get() == lang).to_string()
                                on:click=move |_| i18n.set(lang)
                            >
                                {lang.endonym()}
                            </button>
                        }
                    })
                    .collect_view()}
            </div>
        </section>
    }
}

/// Whether the browser promised to keep this device's records, and how much
/// room they take.
#[component]
fn StorageFacts() -> impl IntoView {
    let i18n = use_i18n();
    let report = use_storage_status().0;
    let persistence = move || report.get().map(|r| r.persistence).unwrap_or(Persistence::Unknown);
    let persistence_text = move || match persistence() {
        Persistence::Unknown => i18n.t(Text::StorageUnknown),
        Persistence::Granted => i18n.t(Text::StorageGranted),
        Persistence::NotGranted => i18n.t(Text::StorageNotGranted),
    };
    let usage_text = move || {
        let report = report.get()?;
        let usage = report.usage_bytes?;
        Some(match report.quota_bytes {
            Some(quota) => format!("{} / {}", megabytes(usage), megabytes(quota)),
            None => megabytes(usage),
        })
    };
    view! {
        <section class="card">
            <dl class="facts">
                <dt>{move || i18n.t(Text::StoragePersistence)}</dt>
                <dd id="storage-persistence" data-state=move || persistence_state(persistence())>
                    {persistence_text}
                </dd>
                <dt>{move || i18n.t(Text::StorageUsage)}</dt>
                <dd id="storage-usage">{usage_text}</dd>
            </dl>
            <Show when=move || persistence() == Persistence::NotGranted>
                <p class="hint">{move || i18n.t(Text::StorageNotGrantedHelp)}</p>
            </Show>
        </section>
    }
}

fn megabytes(bytes: f64) -> String {
    format!("{:.1} MB", bytes / 1_000_000.0)
}

/// The persistence state as the page's markup names it (tests read it).
fn persistence_state(persistence: Persistence) -> &'static str {
    match persistence {
        Persistence::Unknown => "unknown",
        Persistence::Granted => "granted",
        Persistence::NotGranted => "notgranted",
    }
}
