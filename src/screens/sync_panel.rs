//! What the volunteer sees of sync: records waiting and the oldest one's age,
//! the last successful sync, "Sync now", every record the server refused,
//! with its reason, and handing records over to another phone.

use leptos::prelude::*;

use crate::door_status::short_time;
use crate::i18n::{use_i18n, Text};
use crate::screens::door_href;
use crate::screens::handover::Handover;
use crate::sync::{use_sync, SyncFailure};

#[component]
pub fn SyncPanel() -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let view_state = sync.view;
    let joined = move || view_state.with(|v| v.meta.joined.is_some());
    let pending = move || view_state.with(|v| v.outbox.pending);
    let relayed = move || view_state.with(|v| v.outbox.relayed.min(v.outbox.pending));
    let oldest = move || view_state.with(|v| v.outbox.oldest_pending.map(short_time));
    let last = move || view_state.with(|v| v.meta.last_success.map(short_time));
    let failure = move || {
        view_state.with(|v| match &v.last_error {
            Some(SyncFailure::Unreachable) => Some(i18n.t(Text::SyncUnreachable).to_string()),
            Some(SyncFailure::SignedOut(_)) => Some(i18n.t(Text::SyncSignedOut).to_string()),
            Some(SyncFailure::Server(message)) => Some(message.clone()),
            None => None,
        })
    };
    let refused = move || view_state.with(|v| v.outbox.refused.clone());
    let has_unsent = move || view_state.with(|v| v.outbox.pending > 0 || !v.outbox.refused.is_empty());
    view! {
        <section class="card sync-panel" id="sync-panel" data-pending=move || pending().to_string()
            data-joined=move || joined().to_string()>
            <h2>{move || i18n.t(Text::SyncTitle)}</h2>
            <Show when=joined fallback=move || view! {
                <p class="hint">{move || i18n.t(Text::NotJoined)}</p>
                <a class="button" href="/join">{move || i18n.t(Text::Join)}</a>
            }>
                <p class="sync-count" id="sync-pending">
                    {move || if pending() == 0 {
                        format!("☁ {}", i18n.t(Text::SyncAllSent))
                    } else {
                        format!("⇡ {} {}", pending(), i18n.t(Text::SyncWaiting))
                    }}
                    {move || (relayed() > 0).then(|| view! {
                        <span id="sync-relayed">" · " {i18n.t(Text::RelayedWaiting).replace("{n}", &relayed().to_string())}</span>
                    })}
                    {move || oldest().map(|at| format!(" · {} {at}", i18n.t(Text::SyncOldest)))}
                </p>
                <p class="muted" id="sync-last">
                    {move || match last() {
                        Some(at) => format!("{} {at}", i18n.t(Text::SyncLast)),
                        None => i18n.t(Text::SyncNever).to_string(),
                    }}
                </p>
                {move || failure().map(|message| view! { <p class="error" role="alert" id="sync-error">{message}</p> })}
                <button class="button wide" id="sync-now" disabled=move || view_state.with(|v| v.running)
                    on:click=move |_| sync.request(0)>
                    {move || if view_state.with(|v| v.running) { i18n.t(Text::SyncRunning) } else { i18n.t(Text::SyncNow) }}
                </button>
            </Show>
            // A dying or revoked phone's records reach the server through another phone.
            <Handover has_unsent=Signal::derive(has_unsent)/>
            <Show when=move || !refused().is_empty()>
                <h3>{move || i18n.t(Text::SyncRefused)}</h3>
                <ul class="link-list" id="sync-refused">
                    {move || refused().into_iter().map(|stored| {
                        let href = door_href(&stored.building_id, stored.floor, &stored.record.door_id);
                        view! {
                            <li>
                                <a class="list-link" href=href>
                                    <strong>{stored.record.door_id.clone()}</strong>
                                    <span>{stored.sync_problem.clone().unwrap_or_default()}</span>
                                </a>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </Show>
        </section>
    }
}
