//! Voiding a record made by mistake: its id (from an export's `record_id`
//! column) and why. It then no longer counts anywhere, phones learn it on
//! their next sync, and `audit.csv` lists it.

use leptos::prelude::*;
use walkbook_core::console::VoidRequest;
use walkbook_core::record::Record;

use crate::campaign::use_console;
use crate::text::ConsoleText;
use walkbook_app::http::{send_json, HttpError};
use walkbook_app::i18n::use_i18n;

#[component]
pub fn VoidSection() -> impl IntoView {
    let i18n = use_i18n();
    let console = use_console();
    let record_id = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    let result = RwSignal::new(None::<Result<Record, HttpError>>);
    let void = move |_| {
        // Encoded: whatever is typed stays one path segment.
        let id = String::from(js_sys::encode_uri_component(record_id.get_untracked().trim()));
        let url = console.api(&format!("/records/{id}/void"));
        let request = VoidRequest { reason: reason.get_untracked() };
        leptos::task::spawn_local(async move {
            let outcome = send_json::<_, Record>("POST", &url, &request).await;
            if outcome.is_ok() {
                console.changed();
            }
            result.set(Some(outcome));
        });
    };
    view! {
        <section class="card" id="console-void">
            <h2>{move || i18n.t(ConsoleText::VoidRecord)}</h2>
            <p class="hint">{move || i18n.t(ConsoleText::VoidRecordHelp)}</p>
            <label class="question-label" for="void-record-id">{move || i18n.t(ConsoleText::RecordId)}</label>
            <input id="void-record-id" class="field" autocomplete="off" on:input=move |ev| record_id.set(event_target_value(&ev))/>
            <label class="question-label" for="void-reason">{move || i18n.t(ConsoleText::VoidReason)}</label>
            <textarea id="void-reason" class="field" rows="2" maxlength="500" on:input=move |ev| reason.set(event_target_value(&ev))></textarea>
            <button class="button wide" id="void-record" on:click=void>{move || i18n.t(ConsoleText::VoidRecord)}</button>
            {move || result.get().map(|outcome| match outcome {
                Ok(void) => view! {
                    <p class="notice" id="void-result" role="status" data-void=void.id.clone()>"✓ " {move || i18n.t(ConsoleText::Voided)}</p>
                }.into_any(),
                Err(error) => view! { <p class="error" id="void-result" role="alert">{error.to_string()}</p> }.into_any(),
            })}
        </section>
    }
}
