//! Gate duty: every visitor and delivery at one of the compound's gates,
//! registered offline (who, going where, why, health code, temperature) and
//! let in or turned back; today's entries at the gate below, each with a
//! tap to register the same visitor again.

use leptos::prelude::*;
use walkbook_core::dates::DAY_MS;
use walkbook_core::gate::{gate_entries, EntryProblem, VisitorEntry, MAX_VISITOR_NAME_CHARS, MAX_VISITOR_PHONE_CHARS, MAX_VISIT_PURPOSE_CHARS};
use walkbook_core::people::{is_fever, HealthCode};
use walkbook_core::record::Record;
use walkbook_core::territory::search_key;

use crate::campaign::use_campaign;
use crate::door_status::short_time;
use crate::i18n::{use_i18n, Text};
use crate::screens::checks::{phone_now, typed_celsius};
use crate::screens::{record_saver, StoreError};
use crate::store::{app_store, idb::IdbError, NewRecord};

/// An entry as today's list shows it: the record, and its door's label.
type ListedEntry = (Record, VisitorEntry, Option<String>);

/// What the form holds while the volunteer types.
#[derive(Clone, Copy)]
struct EntryForm {
    name: RwSignal<String>,
    phone: RwSignal<String>,
    building_id: RwSignal<String>,
    door_label: RwSignal<String>,
    delivery: RwSignal<bool>,
    purpose: RwSignal<String>,
    health_code: RwSignal<Option<HealthCode>>,
    temperature: RwSignal<String>,
}

impl EntryForm {
    fn new() -> EntryForm {
        EntryForm {
            name: RwSignal::new(String::new()),
            phone: RwSignal::new(String::new()),
            building_id: RwSignal::new(String::new()),
            door_label: RwSignal::new(String::new()),
            delivery: RwSignal::new(false),
            purpose: RwSignal::new(String::new()),
            health_code: RwSignal::new(None),
            temperature: RwSignal::new(String::new()),
        }
    }

    /// The same visitor again: everything but the temperature, to be taken anew.
    fn fill(self, entry: &VisitorEntry, door_label: Option<String>) {
        let again = entry.again();
        self.name.set(again.name);
        self.phone.set(again.phone);
        self.building_id.set(again.building_id.unwrap_or_default());
        self.door_label.set(door_label.unwrap_or_default());
        self.delivery.set(again.delivery);
        self.purpose.set(again.purpose);
        self.health_code.set(again.health_code);
        self.temperature.set(String::new());
    }

    fn clear(self) {
        self.fill(&empty_entry(), None);
    }
}

fn empty_entry() -> VisitorEntry {
    VisitorEntry {
        gate_id: String::new(),
        name: String::new(),
        phone: String::new(),
        building_id: None,
        door_id: None,
        delivery: false,
        purpose: String::new(),
        health_code: None,
        celsius: None,
        turned_back: false,
    }
}

fn problem_text(problem: &EntryProblem) -> Text {
    match problem {
        EntryProblem::NoName => Text::VisitorNameMissing,
        EntryProblem::BadPhone => Text::VisitorPhoneInvalid,
        EntryProblem::NotABodyTemperature(_) => Text::TemperatureInvalid,
        EntryProblem::UnknownDoor(_) => Text::DoorNotInBuilding,
        _ => Text::GateEntryInvalid,
    }
}

#[component]
pub fn GateScreen() -> impl IntoView {
    let i18n = use_i18n();
    let context = use_campaign();
    let params = leptos_router::hooks::use_params_map();
    let gate_id = move || params.with(|params| params.get("gate").unwrap_or_default());
    let gate_name = move || context.campaign.with(|c| c.as_ref()?.gate(&gate_id()).map(|gate| gate.name.get(i18n.lang.get()).to_string()));
    view! {
        {move || match gate_name() {
            None => view! { <section class="card" role="status"><p>{move || i18n.t(Text::NotFound)}</p></section> }.into_any(),
            Some(name) => {
                let gate = gate_id();
                let gate_attribute = gate.clone();
                view! {
                    <section class="card" id="gate" data-gate=gate_attribute>
                        <p class="muted">{move || i18n.t(Text::GateDuty)}</p>
                        <h1>{name}</h1>
                        <GateEntries gate_id=gate/>
                    </section>
                }.into_any()
            }
        }}
    }
}

/// The form and today's list of one gate.
#[component]
fn GateEntries(gate_id: String) -> impl IntoView {
    let context = use_campaign();
    let form = EntryForm::new();
    let today = LocalResource::new({
        let gate_id = gate_id.clone();
        move || {
            context.content_revision.track();
            let (campaign_id, gate_id) = (context.campaign_id(), gate_id.clone());
            async move { todays_entries(&campaign_id, &gate_id).await }
        }
    });
    view! {
        <VisitorForm gate_id form/>
        <TodaysEntries entries=Signal::derive(move || today.get().and_then(Result::ok).unwrap_or_default()) form/>
        <StoreError result=Signal::derive(move || today.get().and_then(Result::err))/>
    }
}

/// Today's entries at the gate on this phone's clock, newest first, with
/// their doors' labels.
async fn todays_entries(campaign_id: &str, gate_id: &str) -> Result<Vec<ListedEntry>, IdbError> {
    let store = app_store();
    let records: Vec<Record> = store.building_records(campaign_id, gate_id).await?.into_iter().map(|stored| stored.record).collect();
    let (now, offset_minutes) = phone_now();
    let start = now.day * DAY_MS - i64::from(offset_minutes) * 60_000;
    let records: Vec<&Record> = records.iter().collect();
    let mut listed = Vec::new();
    for (record, entry) in gate_entries(&records, Some(gate_id), start, start + DAY_MS) {
        let door = match &entry.door_id {
            Some(door_id) => store.door(campaign_id, door_id).await?.map(|door| door.label),
            None => None,
        };
        listed.push((record.clone(), entry.clone(), door));
    }
    Ok(listed)
}

#[component]
fn VisitorForm(gate_id: String, form: EntryForm) -> impl IntoView {
    let i18n = use_i18n();
    let context = use_campaign();
    let problem = RwSignal::new(None::<Text>);
    let save_error = RwSignal::new(None::<IdbError>);
    let save = record_saver(save_error);
    // Said before the decision, not after: a fever or a red code may not enter.
    let must_turn_back = move || {
        let fever = typed_celsius(&form.temperature.get()).is_some_and(|celsius| is_fever(celsius, context.fever_threshold()));
        fever || form.health_code.get() == Some(HealthCode::Red)
    };
    let submit = move |turned_back: bool| {
        let typed_temperature = form.temperature.get_untracked();
        let celsius = match typed_temperature.trim() {
            "" => None,
            typed => match typed_celsius(typed) {
                Some(celsius) => Some(celsius),
                None => return problem.set(Some(Text::TemperatureInvalid)),
            },
        };
        let building_id = Some(form.building_id.get_untracked()).filter(|id| !id.is_empty());
        let typed_door = form.door_label.get_untracked().trim().to_string();
        let mut entry = VisitorEntry {
            gate_id: gate_id.clone(),
            name: form.name.get_untracked().trim().to_string(),
            phone: form.phone.get_untracked().trim().to_string(),
            building_id,
            door_id: None,
            delivery: form.delivery.get_untracked(),
            purpose: form.purpose.get_untracked().trim().to_string(),
            health_code: form.health_code.get_untracked(),
            celsius,
            turned_back,
        };
        let save = save.clone();
        leptos::task::spawn_local(async move {
            let campaign_id = context.campaign_id();
            // The door typed is looked up in the building chosen, on this phone.
            let door = match (&entry.building_id, typed_door.is_empty()) {
                (_, true) => None,
                (None, false) => return problem.set(Some(Text::DoorNotInBuilding)),
                (Some(building_id), false) => {
                    let found = match app_store().find_doors(&campaign_id, &typed_door, 50).await {
                        Ok(found) => found,
                        Err(error) => return save_error.set(Some(error)),
                    };
                    let wanted = search_key(&typed_door);
                    match found.into_iter().find(|door| &door.building_id == building_id && search_key(&door.label) == wanted) {
                        Some(door) => Some(door),
                        None => return problem.set(Some(Text::DoorNotInBuilding)),
                    }
                }
            };
            entry.door_id = door.as_ref().map(|door| door.id.clone());
            let building_of_door = |door_id: &str| door.as_ref().filter(|door| door.id == door_id).map(|door| door.building_id.as_str());
            let found = context.campaign.with_untracked(|c| c.as_ref().and_then(|campaign| entry.problem(campaign, building_of_door)));
            if let Some(found) = found {
                return problem.set(Some(problem_text(&found)));
            }
            problem.set(None);
            save(NewRecord::at_gate(&campaign_id, entry), Box::new(move || form.clear()));
        });
    };
    let buildings = move || context.campaign.with(|c| c.as_ref().map(|c| c.buildings.clone()).unwrap_or_default());
    let text_field = move |id: &'static str, label: Text, value: RwSignal<String>, max: usize, kind: &'static str| {
        view! {
            <label class="question-label" for=id>{move || i18n.t(label)}</label>
            <input id=id class="field" type=kind maxlength=max.to_string() prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))/>
        }
    };
    view! {
        <div class="gate-form" id="visitor-form">
            {text_field("visitor-name", Text::VisitorName, form.name, MAX_VISITOR_NAME_CHARS, "text")}
            {text_field("visitor-phone", Text::VisitorPhone, form.phone, MAX_VISITOR_PHONE_CHARS, "tel")}
            <label class="question-label" for="visitor-building">{move || i18n.t(Text::GoingTo)}</label>
            <select id="visitor-building" class="field" prop:value=move || form.building_id.get()
                on:change=move |ev| form.building_id.set(event_target_value(&ev))>
                <option value="">{move || i18n.t(Text::StaysAtGate)}</option>
                {move || buildings().into_iter().map(|building| {
                    let selected = form.building_id.get_untracked() == building.id;
                    view! { <option value=building.id.clone() selected=selected>{building.name.get(i18n.lang.get()).to_string()}</option> }
                }).collect_view()}
            </select>
            {text_field("visitor-door", Text::VisitorDoor, form.door_label, 100, "text")}
            <label class="check-row">
                <input type="checkbox" id="visitor-delivery" prop:checked=move || form.delivery.get()
                    on:change=move |ev| form.delivery.set(event_target_checked(&ev))/>
                {move || i18n.t(Text::Delivery)}
            </label>
            {text_field("visitor-purpose", Text::VisitPurpose, form.purpose, MAX_VISIT_PURPOSE_CHARS, "text")}
            <p class="question-label">{move || i18n.t(Text::HealthCodeShown)}</p>
            <div class="choice-row" role="group" id="visitor-code">
                {[(Some(HealthCode::Green), Text::CodeGreen), (Some(HealthCode::Orange), Text::CodeOrange), (Some(HealthCode::Red), Text::RedCode), (None, Text::CodeNotShown)]
                    .into_iter()
                    .map(|(code, label)| view! {
                        <button type="button" class="button choice" data-code=code.map_or("none", HealthCode::code)
                            aria-pressed=move || (form.health_code.get() == code).to_string()
                            on:click=move |_| form.health_code.set(code)>
                            {move || i18n.t(label)}
                        </button>
                    })
                    .collect_view()}
            </div>
            <label class="question-label" for="visitor-temperature">{move || i18n.t(Text::Celsius)}</label>
            <input id="visitor-temperature" class="field reading" inputmode="decimal" prop:value=move || form.temperature.get()
                on:input=move |ev| form.temperature.set(event_target_value(&ev))/>
            {move || must_turn_back().then(|| view! { <p class="problem" id="gate-warning" role="alert">{i18n.t(Text::GateWarning)}</p> })}
            {move || problem.get().map(|text| view! { <p class="problem" id="visitor-problem" role="alert">{i18n.t(text)}</p> })}
            <div class="action-row">
                <button class="button button-primary" id="let-in" on:click={let submit = submit.clone(); move |_| submit(false)}>
                    {move || i18n.t(Text::LetIn)}
                </button>
                <button class="button" id="turn-back" on:click=move |_| submit(true)>{move || i18n.t(Text::TurnBack)}</button>
            </div>
            <StoreError result=save_error/>
        </div>
    }
}

/// Today's entries, newest first; "Again" fills the form with the visitor.
#[component]
fn TodaysEntries(entries: Signal<Vec<ListedEntry>>, form: EntryForm) -> impl IntoView {
    let i18n = use_i18n();
    let context = use_campaign();
    view! {
        <h2>{move || i18n.t(Text::TodayAtGate)} " " <span class="badge" id="gate-count">{move || entries.with(Vec::len)}</span></h2>
        {move || entries.with(Vec::is_empty).then(|| view! { <p class="hint" id="no-visitors">{i18n.t(Text::NoVisitorsYet)}</p> })}
        <ul class="link-list" id="gate-today">
            {move || entries.get().into_iter().map(|(record, entry, door)| {
                let alert = entry.has_fever(context.fever_threshold()) || entry.has_red_code();
                let going_to = entry.building_id.as_deref().and_then(|id| context.building_name(id, i18n.lang.get()));
                let place = [going_to, door.clone()].into_iter().flatten().collect::<Vec<_>>().join(" ");
                let reading = entry.celsius.map(|celsius| format!(" · {celsius:.1} °C")).unwrap_or_default();
                let (code, name) = (entry.health_code, entry.name.clone());
                let (turned_back, delivery) = (entry.turned_back, entry.delivery);
                view! {
                    <li class="gate-entry" data-entry=record.id.clone() data-turned-back=turned_back.to_string() data-alert=alert.to_string()>
                        <strong>{short_time(record.device_time)} " · " {name}</strong>
                        <span class="muted">
                            {place} {delivery.then(|| view! { " · " {move || i18n.t(Text::Delivery)} })}
                            {code.map(|code| view! { " · " <span data-code=code.code()>{move || i18n.t(match code {
                                HealthCode::Green => Text::CodeGreen,
                                HealthCode::Orange => Text::CodeOrange,
                                HealthCode::Red => Text::RedCode,
                            })}</span> })}
                            {reading}
                            {turned_back.then(|| view! { " · " <span class="problem">{move || i18n.t(Text::TurnBack)}</span> })}
                        </span>
                        <button class="button enter-again" on:click=move |_| form.fill(&entry, door.clone())>{move || i18n.t(Text::EnterAgain)}</button>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}
