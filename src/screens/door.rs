//! The door sheet: outcome buttons, the door's questionnaire when answered,
//! and Save. "Saved" is said only after the IndexedDB transaction completed.
//! Every change is kept as a draft, restored when the door is opened again.

use std::sync::Arc;

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map};
use walkbook_core::form::{Answer, Answers, CompiledForm, Problem};
use walkbook_core::record::{Outcome, Record};
use walkbook_core::territory::Door;

use crate::campaign::use_campaign;
use crate::door_status::{local_today, short_time, status_of, DoorStatus};
use crate::i18n::{outcome_text, use_i18n, Text};
use crate::screens::needs::DoorNeeds;
use crate::screens::questionnaire::{apply_answer, Questionnaire};
use crate::screens::{state_icon, state_text, StoreError};
use crate::store::{app_store, idb::IdbError, Draft, NewRecord};
use crate::sync::use_sync;

/// The outcome buttons, in the order a volunteer meets them.
const OUTCOMES: [Outcome; 7] = [
    Outcome::Answered,
    Outcome::NotHome,
    Outcome::ComeBack { at: 0 },
    Outcome::Refused,
    Outcome::Vacant,
    Outcome::NoAccess,
    Outcome::Moved,
];

/// What the door sheet needs from the store.
#[derive(Clone)]
struct DoorData {
    door: Door,
    status: DoorStatus,
    draft: Option<Draft>,
    /// The door's visits, newest first.
    history: Vec<Record>,
}

#[derive(Debug, Clone, PartialEq)]
enum SaveState {
    Editing,
    Saving,
    /// Why the save did not happen: a message for the volunteer.
    Refused(Text),
    Failed(IdbError),
}

#[component]
pub fn DoorScreen() -> impl IntoView {
    let context = use_campaign();
    let params = use_params_map();
    let door_id = move || params.read().get("door").unwrap_or_default();
    let campaign_id = move || context.campaign_id();
    let data = LocalResource::new(move || {
        let (campaign_id, door_id) = (campaign_id(), door_id());
        async move {
            let store = app_store();
            let Some(door) = store.door(&campaign_id, &door_id).await? else { return Ok(None) };
            let records = store.records_of_doors(&campaign_id, &[door.id.as_str()]).await?;
            let records = records.get(&door.id).map(Vec::as_slice).unwrap_or_default();
            let status = status_of(records);
            let mut history: Vec<Record> = records.iter().map(|stored| stored.record.clone()).filter(|r| r.kind.is_visit()).collect();
            history.sort_by(|a, b| b.status_order(a));
            let draft = store.draft(&campaign_id, &door.id).await?;
            Ok::<_, IdbError>(Some(DoorData { door, status, draft, history }))
        }
    });
    let error = Signal::derive(move || data.get().and_then(|r| r.err()));
    view! {
        <StoreError result=error/>
        {move || data.get().and_then(Result::ok).flatten().map(|data| view! { <DoorSheet data=data/> })}
    }
}

#[component]
fn DoorSheet(data: DoorData) -> impl IntoView {
    let i18n = use_i18n();
    let context = use_campaign();
    let navigate = use_navigate();
    let sync = use_sync();
    let install = crate::install::use_install();
    let campaign = context.campaign.get_untracked().expect("gated on a loaded campaign");
    let building = campaign.building(&data.door.building_id).cloned();
    let form =
        building.as_ref().and_then(|b| campaign.current_form(&b.form_id)).and_then(|f| CompiledForm::compile(f.clone()).ok()).map(Arc::new);
    let door = data.door.clone();
    let floor_href = format!("/b/{}/f/{}", door.building_id, door.floor);

    let restored = data.draft.is_some();
    // An answered door opens with its latest answers (the household's
    // people keep their ids): a change is a new record superseding it.
    let latest_answers = data
        .status
        .latest
        .as_ref()
        .filter(|r| r.outcome == Outcome::Answered && form.as_ref().is_some_and(|f| f.form.id == r.form_id))
        .map(|r| r.answers.clone());
    let prefilled = restored || latest_answers.is_some();
    let answers = RwSignal::new(data.draft.map(|d| d.answers).or(latest_answers).unwrap_or_default());
    let outcome = RwSignal::new(prefilled.then_some(Outcome::Answered));
    let come_back_at = RwSignal::new(String::new());
    let problems = RwSignal::new(Vec::<Problem>::new());
    let save_state = RwSignal::new(SaveState::Editing);
    let today = local_today();

    let on_answer = {
        let door = door.clone();
        let campaign_id = campaign.id.clone();
        Callback::new(move |change: (String, Option<Answer>)| {
            answers.update(|a| apply_answer(a, change));
            let draft = Draft {
                campaign_id: campaign_id.clone(),
                door_id: door.id.clone(),
                answers: answers.get_untracked(),
                updated_at: js_sys::Date::now() as i64,
            };
            leptos::task::spawn_local(async move {
                if let Err(error) = app_store().save_draft(&draft).await {
                    save_state.set(SaveState::Failed(error));
                }
            });
        })
    };

    let supersedes = data.status.latest.as_ref().map(|r| r.id.clone());
    let save = {
        let form = form.clone();
        let door = door.clone();
        let today = today.clone();
        let floor_href = floor_href.clone();
        let campaign_id = campaign.id.clone();
        move |_| {
            let Some(chosen) = outcome.get_untracked() else {
                save_state.set(SaveState::Refused(Text::ChooseOutcome));
                return;
            };
            let chosen = match chosen {
                Outcome::ComeBack { .. } => match parse_local_datetime(&come_back_at.get_untracked()) {
                    Some(at) => Outcome::ComeBack { at },
                    None => {
                        save_state.set(SaveState::Refused(Text::ComeBackTimeRequired));
                        return;
                    }
                },
                other => other,
            };
            let Some(form) = form.clone() else { return };
            let record_answers = if chosen.has_answers() {
                let pruned = form.prune(&answers.get_untracked(), &today);
                let found = form.validate(&pruned, &today);
                if !found.is_empty() {
                    problems.set(found);
                    save_state.set(SaveState::Refused(Text::FixProblems));
                    return;
                }
                pruned
            } else {
                Answers::new()
            };
            problems.set(Vec::new());
            save_state.set(SaveState::Saving);
            let form_key = (form.form.id.as_str(), form.form.version);
            let new =
                NewRecord { supersedes: supersedes.clone(), ..NewRecord::visit(&campaign_id, &door, form_key, chosen, record_answers) };
            let navigate = navigate.clone();
            let back = format!("{floor_href}?saved={}", door.id);
            leptos::task::spawn_local(async move {
                match app_store().save_record(new).await {
                    Ok(_) => {
                        context.changed();
                        sync.after_save();
                        install.note_saved();
                        navigate(&back, Default::default());
                    }
                    Err(error) => save_state.set(SaveState::Failed(error)),
                }
            });
        }
    };

    let latest = data.status.latest.clone();
    let state = data.status.state;
    let building_name = building.map(|b| b.name).unwrap_or_default();
    view! {
        <section class="card door-sheet" id="door-sheet" data-door=door.id.clone()>
            <a class="back" href=floor_href.clone()>"‹ " {move || i18n.t(Text::Back)}</a>
            <h1>{door.label.clone()}</h1>
            <p class="muted">{move || building_name.get(i18n.lang.get()).to_string()}</p>
            <p class="door-current" data-state=crate::screens::state_class(state)>
                <span aria-hidden="true">{state_icon(state)}</span> " "
                {move || i18n.t(latest.as_ref().map(|r| outcome_text(&r.outcome)).unwrap_or(state_text(state)))}
            </p>
            {restored.then(|| view! { <p class="notice" id="draft-restored">{move || i18n.t(Text::DraftRestored)}</p> })}
            <h2>{move || i18n.t(Text::Outcome)}</h2>
            <div class="outcome-grid" role="group">
                {OUTCOMES.into_iter().map(|choice| {
                    let code = choice.code();
                    let text = outcome_text(&choice);
                    let pressed = move || (outcome.get().map(|o| o.code()) == Some(code)).to_string();
                    view! {
                        <button type="button" class="button outcome" data-outcome=code aria-pressed=pressed
                            on:click=move |_| { outcome.set(Some(choice.clone())); save_state.set(SaveState::Editing); }>
                            {move || i18n.t(text)}
                        </button>
                    }
                }).collect_view()}
            </div>
            <Show when=move || matches!(outcome.get(), Some(Outcome::ComeBack { .. }))>
                <label class="question-label" for="come-back-at">{move || i18n.t(Text::ComeBackAt)}</label>
                <input id="come-back-at" type="datetime-local" class="field"
                    on:input=move |ev| come_back_at.set(event_target_value(&ev))/>
            </Show>
            {form.clone().map(|form| {
                let today = today.clone();
                view! {
                    <Show when=move || matches!(outcome.get(), Some(Outcome::Answered))>
                        <h2>{let title = form.form.title.clone(); move || title.get(i18n.lang.get()).to_string()}</h2>
                        <Questionnaire form=form.clone() answers=answers problems=problems on_answer=on_answer today=today.clone()/>
                    </Show>
                }
            })}
            <SaveStatus state=save_state/>
            <div class="save-bar">
                <button type="button" class="button button-primary wide" id="save-record"
                    disabled=move || save_state.get() == SaveState::Saving on:click=save>
                    {move || if save_state.get() == SaveState::Saving { i18n.t(Text::Saving) } else { i18n.t(Text::Save) }}
                </button>
            </div>
            <DoorHistory history=data.history/>
            <DoorNeeds door=door.clone()/>
        </section>
    }
}

/// Every visit of the door, newest first: what was found, when, and for an
/// answered household who was listed. Earlier versions stay readable.
#[component]
fn DoorHistory(history: Vec<Record>) -> impl IntoView {
    let i18n = use_i18n();
    (!history.is_empty()).then(|| {
        view! {
            <h2>{move || i18n.t(Text::History)}</h2>
            <ul class="link-list" id="door-history">
                {history.into_iter().map(|record| {
                    let names = walkbook_core::people::register([&record]).into_iter().map(|p| p.name).collect::<Vec<_>>().join(", ");
                    let outcome = outcome_text(&record.outcome);
                    view! {
                        <li class="history-item">
                            <strong>{short_time(record.device_time)}</strong> " "
                            <span>{move || i18n.t(outcome)}</span>
                            {(!names.is_empty()).then(|| view! { <span class="muted">" · " {names}</span> })}
                        </li>
                    }
                }).collect_view()}
            </ul>
        }
    })
}

#[component]
fn SaveStatus(state: RwSignal<SaveState>) -> impl IntoView {
    let i18n = use_i18n();
    move || match state.get() {
        SaveState::Refused(text) => Some(view! { <p class="error" role="alert" id="save-problem">{i18n.t(text)}</p> }.into_any()),
        SaveState::Failed(error) => {
            let message = if error.is_quota_exceeded() {
                i18n.t(Text::QuotaFull).to_string()
            } else {
                format!("{}: {error}", i18n.t(Text::SaveFailed))
            };
            Some(view! { <p class="error" role="alert" id="save-problem">{message}</p> }.into_any())
        }
        SaveState::Editing | SaveState::Saving => None,
    }
}

/// `YYYY-MM-DDTHH:MM` from a datetime-local input, in the phone's time zone,
/// to ms since the epoch.
fn parse_local_datetime(value: &str) -> Option<i64> {
    if value.is_empty() {
        return None;
    }
    let ms = js_sys::Date::new(&value.into()).get_time();
    (!ms.is_nan()).then_some(ms as i64)
}
