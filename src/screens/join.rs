//! Joining a campaign with the code (or the QR link, `/join#code=...`) a
//! coordinator gave.

use leptos::prelude::*;

use crate::campaign::use_campaign;
use crate::i18n::{use_i18n, Text};
use crate::sync::{join, use_sync, SyncFailure};

#[derive(Clone, PartialEq)]
enum JoinState {
    Idle,
    Joining,
    Joined(String),
    Failed(String),
}

#[component]
pub fn JoinScreen() -> impl IntoView {
    let i18n = use_i18n();
    let campaign = use_campaign();
    let sync = use_sync();
    let from_link = window().location().hash().ok().and_then(|hash| hash.strip_prefix("#code=").map(str::to_string)).unwrap_or_default();
    let code = RwSignal::new(from_link);
    let state = RwSignal::new(JoinState::Idle);
    let submit = move |_| {
        let typed = code.get_untracked();
        state.set(JoinState::Joining);
        leptos::task::spawn_local(async move {
            match join(typed.trim(), campaign).await {
                Ok(name) => {
                    state.set(JoinState::Joined(name));
                    sync.request(0);
                }
                Err(SyncFailure::Unreachable) => state.set(JoinState::Failed(i18n.t(Text::SyncUnreachable).to_string())),
                Err(SyncFailure::SignedOut(message) | SyncFailure::Server(message)) => state.set(JoinState::Failed(message)),
            }
        });
    };
    view! {
        <section class="card">
            <h1>{move || i18n.t(Text::JoinTitle)}</h1>
            <label class="question-label" for="join-code">{move || i18n.t(Text::JoinCode)}</label>
            <input id="join-code" class="field" autocomplete="off" autocapitalize="characters"
                prop:value=move || code.get() on:input=move |ev| code.set(event_target_value(&ev))/>
            <button class="button button-primary wide" id="join-submit"
                disabled=move || state.get() == JoinState::Joining on:click=submit>
                {move || i18n.t(Text::Join)}
            </button>
            {move || match state.get() {
                JoinState::Joined(name) => Some(view! {
                    <p class="notice" id="join-result" role="status">{move || i18n.t(Text::Joined)} ", " {name.clone()}</p>
                    <a class="button wide" href="/">{move || i18n.t(Text::NavHome)}</a>
                }.into_any()),
                JoinState::Failed(message) => Some(view! {
                    <p class="error" id="join-result" role="alert">{move || i18n.t(Text::JoinFailed)} ": " {message.clone()}</p>
                }.into_any()),
                JoinState::Idle | JoinState::Joining => None,
            }}
        </section>
    }
}
