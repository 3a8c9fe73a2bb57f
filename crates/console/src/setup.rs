//! Campaign set-up (territory from CSV, a form as JSON, the fever
//! threshold, when unsent records are at risk, the languages, the notices, how long
//! personal data is kept after closing, closing) and the CSV exports.

use leptos::prelude::*;
use walkbook_core::campaign::Settings;
use walkbook_core::console::{CampaignChanged, CampaignClosed, SettingsUpdate};
use walkbook_core::lang::Lang;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::campaign::use_console;
use crate::notices::NoticesSetting;
use crate::text::ConsoleText;
use walkbook_app::door_status::short_time;
use walkbook_app::http::{send, send_json, HttpError};
use walkbook_app::i18n::{use_i18n, Text};

/// The text of the file chosen in `<input type=file id=input_id>`.
async fn chosen_file(input_id: &str) -> Option<String> {
    let input: web_sys::HtmlInputElement = document().get_element_by_id(input_id)?.dyn_into().ok()?;
    let file = input.files()?.get(0)?;
    JsFuture::from(file.text()).await.ok()?.as_string()
}

#[component]
pub fn SetupSection() -> impl IntoView {
    let i18n = use_i18n();
    let console = use_console();
    let result = RwSignal::new(None::<Result<CampaignChanged, HttpError>>);
    let upload = move |input_id: &'static str, rest: &'static str, method: &'static str, content_type: &'static str| {
        let url = console.api(rest);
        leptos::task::spawn_local(async move {
            let Some(text) = chosen_file(input_id).await else {
                result.set(Some(Err(HttpError::Unreadable(i18n.t(ConsoleText::ChooseFile).into()))));
                return;
            };
            let outcome = send::<CampaignChanged>(method, &url, content_type, text).await;
            if outcome.is_ok() {
                console.changed();
            }
            result.set(Some(outcome));
        });
    };
    // Every setting is saved the same way: a PATCH of what changed.
    let save_settings = move |update: SettingsUpdate, saved: Option<RwSignal<Option<Vec<Lang>>>>| {
        let url = console.api("/settings");
        leptos::task::spawn_local(async move {
            let outcome = send_json::<_, CampaignChanged>("PATCH", &url, &update).await;
            if outcome.is_ok() {
                if let Some(edited) = saved {
                    edited.set(None);
                }
                console.changed();
            }
            result.set(Some(outcome));
        });
    };
    // A number of the settings: as stored, and saved as typed (a value
    // that is not a number is sent as none, and nothing changes).
    let stored = move |read: fn(&Settings) -> String| {
        Signal::derive(move || console.bundle.get().map(|b| read(&b.campaign.settings)).unwrap_or_default())
    };
    let save_number = move |update: fn(&mut SettingsUpdate, &str)| {
        move |typed: String| {
            let mut changes = SettingsUpdate::default();
            update(&mut changes, typed.trim());
            save_settings(changes, None)
        }
    };
    // The campaign's languages: the ones its forms and names are written in.
    let languages = RwSignal::new(None::<Vec<Lang>>);
    let shown_languages = move || languages.get().or_else(|| console.bundle.get().map(|b| b.campaign.languages)).unwrap_or_default();
    let save_languages =
        move |_| save_settings(SettingsUpdate { languages: Some(shown_languages()), ..Default::default() }, Some(languages));
    view! {
        <section class="card" id="console-setup">
            <h2>{move || i18n.t(ConsoleText::Setup)}</h2>
            <label class="question-label" for="territory-file">{move || i18n.t(ConsoleText::TerritoryCsv)}</label>
            <p class="hint">{move || i18n.t(ConsoleText::TerritoryHelp)}</p>
            <input id="territory-file" class="field" type="file" accept=".csv,text/csv"/>
            <button class="button wide" id="import-territory" on:click=move |_| upload("territory-file", "/territory", "PUT", "text/csv")>
                {move || i18n.t(ConsoleText::Import)}
            </button>
            <label class="question-label" for="form-file">{move || i18n.t(ConsoleText::FormJson)}</label>
            <input id="form-file" class="field" type="file" accept=".json,application/json"/>
            <button class="button wide" id="upload-form" on:click=move |_| upload("form-file", "/forms", "POST", "application/json")>
                {move || i18n.t(ConsoleText::Upload)}
            </button>
            <NumberSetting id="fever-threshold" label=ConsoleText::FeverThreshold help=None limits=("35", "40", "0.1")
                stored=stored(|s| s.fever_threshold_c.to_string())
                save=save_number(|changes, typed| changes.fever_threshold_c = typed.parse().ok())/>
            <NumberSetting id="at-risk-hours" label=ConsoleText::AtRiskHours help=Some(ConsoleText::AtRiskHoursHelp) limits=("1", "168", "1")
                stored=stored(|s| s.at_risk_hours.to_string())
                save=save_number(|changes, typed| changes.at_risk_hours = typed.parse().ok())/>
            <NumberSetting id="retention-days" label=ConsoleText::RetentionDays help=Some(ConsoleText::RetentionDaysHelp) limits=("0", "3650", "1")
                stored=stored(|s| s.retention_days.to_string())
                save=save_number(|changes, typed| changes.retention_days = typed.parse().ok())/>
            <p class="question-label">{move || i18n.t(Text::Language)}</p>
            <div class="choice-row" role="group" id="campaign-languages">
                {Lang::ALL.into_iter().map(|lang| view! {
                    <button class="button choice" lang=lang.tag() data-lang=lang.tag()
                        aria-pressed=move || shown_languages().contains(&lang).to_string()
                        on:click=move |_| {
                            let mut chosen = shown_languages();
                            if chosen.contains(&lang) { chosen.retain(|l| *l != lang) } else { chosen.push(lang) }
                            languages.set(Some(chosen));
                        }>
                        {lang.endonym()}
                    </button>
                }).collect_view()}
            </div>
            <button class="button wide" id="save-languages" on:click=save_languages>{move || i18n.t(Text::Save)}</button>
            <NoticesSetting save=move |update| save_settings(update, None)/>
            {move || result.get().map(|outcome| match outcome {
                Ok(changed) => view! {
                    <p class="notice" id="setup-result" role="status" data-revision=changed.revision>
                        "✓ " {move || i18n.t(ConsoleText::ChangesSaved)}
                        {format!(" · {} {} · {} {}", changed.buildings, i18n.t(Text::Buildings), changed.doors, i18n.t(ConsoleText::Doors))}
                    </p>
                }.into_any(),
                Err(error) => view! { <p class="error" id="setup-result" role="alert">{error.to_string()}</p> }.into_any(),
            })}
            <CloseCampaign/>
        </section>
    }
}

/// One number of the campaign's settings: label, help, the stored value in
/// a number field within `limits` (min, max, step), and "Save" (id
/// `save-{id}`), which hands `save` what was typed.
#[component]
fn NumberSetting(
    id: &'static str,
    label: ConsoleText,
    help: Option<ConsoleText>,
    limits: (&'static str, &'static str, &'static str),
    stored: Signal<String>,
    save: impl Fn(String) + Copy + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let typed = RwSignal::new(String::new());
    let (min, max, step) = limits;
    let inputmode = if step.contains('.') { "decimal" } else { "numeric" };
    view! {
        <label class="question-label" for=id>{move || i18n.t(label)}</label>
        {help.map(|help| view! { <p class="hint">{move || i18n.t(help)}</p> })}
        <div class="reading-row">
            <input id=id class="field" type="number" inputmode=inputmode step=step min=min max=max
                prop:value=stored on:input=move |ev| typed.set(event_target_value(&ev))/>
            <button class="button" id=format!("save-{id}") on:click=move |_| save(typed.get_untracked())>{move || i18n.t(Text::Save)}</button>
        </div>
    }
}

/// Closing the campaign: the first tap asks, the second closes. Once
/// closed, says when, and when its personal data is (or was) erased.
#[component]
fn CloseCampaign() -> impl IntoView {
    let i18n = use_i18n();
    let console = use_console();
    let confirming = RwSignal::new(false);
    let failure = RwSignal::new(None::<HttpError>);
    let close = move |_| {
        if !confirming.get_untracked() {
            confirming.set(true);
            return;
        }
        let url = console.api("/close");
        leptos::task::spawn_local(async move {
            match send::<CampaignClosed>("POST", &url, "application/json", String::new()).await {
                Ok(_) => console.changed(),
                Err(error) => failure.set(Some(error)),
            }
        });
    };
    let closed = move || console.bundle.get().and_then(|b| Some((b.campaign.closed_at?, b.campaign)));
    view! {
        <h3>{move || i18n.t(ConsoleText::CloseCampaign)}</h3>
        {move || match closed() {
            Some((closed_at, campaign)) => {
                let (erasure, at) = match campaign.personal_data_erased_at {
                    Some(at) => (ConsoleText::PersonalDataErased, at),
                    None => (ConsoleText::PersonalDataErasedOn, campaign.erase_personal_data_at().unwrap_or(closed_at)),
                };
                view! {
                    <p class="notice" id="campaign-closed-state" role="status" data-erased=campaign.personal_data_erased_at.is_some().to_string()>
                        {i18n.t(ConsoleText::ClosedOn).replace("{date}", &short_time(closed_at))} " · "
                        {i18n.t(erasure).replace("{date}", &short_time(at))}
                    </p>
                }.into_any()
            }
            None => view! {
                <p class="hint">{move || i18n.t(ConsoleText::CloseCampaignHelp)}</p>
                <button class="button wide" id="close-campaign" data-confirming=move || confirming.get().to_string() on:click=close>
                    {move || i18n.t(if confirming.get() { ConsoleText::CloseCampaignConfirm } else { ConsoleText::CloseCampaign })}
                </button>
                {move || failure.get().map(|error| view! { <p class="error" id="close-result" role="alert">{error.to_string()}</p> })}
            }.into_any(),
        }}
    }
}

#[component]
pub fn ExportsSection() -> impl IntoView {
    let i18n = use_i18n();
    let console = use_console();
    let building = RwSignal::new(String::new());
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let href = move |file: &str| {
        let query: Vec<String> = [("building", building.get()), ("from", from.get()), ("to", to.get())]
            .into_iter()
            .filter(|(_, value)| !value.is_empty())
            .map(|(key, value)| format!("{key}={}", js_sys::encode_uri_component(&value)))
            .collect();
        let query = if query.is_empty() { String::new() } else { format!("?{}", query.join("&")) };
        format!("/api/v1/coordinator/campaigns/{}/exports/{file}{query}", console.id.get())
    };
    view! {
        <section class="card" id="console-exports">
            <h2>{move || i18n.t(ConsoleText::Exports)}</h2>
            <label class="question-label" for="export-building">{move || i18n.t(Text::Buildings)}</label>
            <select id="export-building" class="field" on:change=move |ev| building.set(event_target_value(&ev))>
                <option value="">{move || i18n.t(ConsoleText::AllBuildings)}</option>
                {move || console.bundle.get().map(|b| b.campaign.buildings).unwrap_or_default().into_iter().map(|b| view! {
                    <option value=b.id.clone()>{let name = b.name.clone(); move || name.get(i18n.lang.get()).to_string()}</option>
                }).collect_view()}
            </select>
            <div class="action-row">
                <label>{move || i18n.t(ConsoleText::DateFrom)}
                    <input id="export-from" class="field" type="date" on:input=move |ev| from.set(event_target_value(&ev))/></label>
                <label>{move || i18n.t(ConsoleText::DateTo)}
                    <input id="export-to" class="field" type="date" on:input=move |ev| to.set(event_target_value(&ev))/></label>
            </div>
            <div class="link-list">
                <a class="button" id="export-doors" href=move || href("doors.csv") download>"⤓ " {move || i18n.t(ConsoleText::ExportDoors)}</a>
                <a class="button" id="export-people" href=move || href("people.csv") download>"⤓ " {move || i18n.t(ConsoleText::ExportPeople)}</a>
                <a class="button" id="export-checks" href=move || href("checks.csv") download>"⤓ " {move || i18n.t(Text::ChecksTitle)}</a>
                <a class="button" id="export-visitors" href=move || href("visitors.csv") download>"⤓ " {move || i18n.t(ConsoleText::ExportVisitors)}</a>
            </div>
        </section>
    }
}
