//! Temperature checks due now: every quarantined person's morning and
//! afternoon check that is due or overdue, grouped by building and floor,
//! worked from the phone's own records (offline). Recording one is a tap on
//! the person, the number, and Save. A fever or a red code is flagged here
//! at once; the server raises the alert when the record syncs. A reading
//! typed wrong is corrected the same way, with a reason: the correction
//! replaces it, and the alert it raised closes when the correction syncs.
//! Below, the people living alone or needing regular help, each with when
//! they were last seen and the day a look is owed by; one tap records it.

use leptos::prelude::*;
use walkbook_core::dates::LocalTime;
use walkbook_core::living_alone::{weekly_checks, WeeklyCheck};
use walkbook_core::people::{follow_ups, is_fever, register, CheckState, FollowUp, Half, HealthCode, Person};
use walkbook_core::record::{Record, RecordKind};
use walkbook_core::territory::Door;

use crate::campaign::use_campaign;
use crate::i18n::{floor_name, use_i18n, Text};
use crate::door_status::short_time;
use crate::screens::{event_saver, given_reason, ReasonField, StoreError};
use crate::store::{app_store, idb::IdbError};

/// The readings a phone thermometer can give; anything else is a typo.
const PLAUSIBLE_C: std::ops::RangeInclusive<f64> = 34.0..=43.0;

/// A reading as typed ("36.5", "36,5"), to one decimal as a thermometer
/// shows it; `None` if it is not a plausible one.
pub fn typed_celsius(typed: &str) -> Option<f64> {
    let celsius = typed.trim().replace(',', ".").parse::<f64>().ok().filter(|c| PLAUSIBLE_C.contains(c))?;
    Some((celsius * 10.0).round() / 10.0)
}

#[derive(Clone, PartialEq)]
struct CheckItem {
    person: Person,
    door: Door,
    follow_up: FollowUp,
}

#[derive(Clone, PartialEq, Default)]
struct ChecksData {
    /// Due, overdue, and done today; by building, floor, door, slot.
    items: Vec<CheckItem>,
    /// People whose health code is red.
    red_codes: Vec<(Person, Door)>,
    /// People owed a weekly look, those missed first.
    weekly: Vec<WeeklyItem>,
}

#[derive(Clone, PartialEq)]
struct WeeklyItem {
    person: Person,
    door: Door,
    last_seen_at: i64,
    due_by: String,
    missed: bool,
}

#[component]
pub fn ChecksScreen() -> impl IntoView {
    let i18n = use_i18n();
    let context = use_campaign();
    let data = LocalResource::new(move || {
        context.content_revision.track();
        let campaign_id = context.campaign_id();
        async move { load_checks(&campaign_id).await }
    });
    let loaded = move || data.get().and_then(Result::ok).unwrap_or_default();
    view! {
        <section class="card checks" id="checks">
            <h1>{move || i18n.t(Text::ChecksTitle)}</h1>
            <StoreError result=Signal::derive(move || data.get().and_then(|r| r.err()))/>
            {move || {
                let red_codes = loaded().red_codes;
                (!red_codes.is_empty()).then(|| view! {
                    <ul class="alert-list" id="red-codes" role="alert">
                        {red_codes.into_iter().map(|(person, door)| view! {
                            <li class="badge alert">{move || i18n.t(Text::RedCode)} " · " {person.name.clone()} " · " {door.label.clone()}</li>
                        }).collect_view()}
                    </ul>
                })
            }}
            {move || {
                let items = loaded().items;
                if data.get().is_some() && items.is_empty() {
                    return view! { <p class="hint" id="no-checks">{move || i18n.t(Text::ChecksNone)}</p> }.into_any();
                }
                let mut place = None;
                view! {
                    <ul class="check-list" id="check-list">
                        {items.into_iter().map(|item| {
                            let here = (item.door.building_id.clone(), item.door.floor);
                            let heading = (place.as_ref() != Some(&here)).then(|| {
                                let (building_id, floor) = here.clone();
                                view! {
                                    <li class="check-place">
                                        {move || context.building_name(&building_id, i18n.lang.get()).unwrap_or_default()}
                                        " · " {move || floor_name(i18n.lang.get(), floor)}
                                    </li>
                                }
                            });
                            place = Some(here);
                            view! { {heading} <CheckRow item=item/> }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
        {move || {
            let weekly = loaded().weekly;
            (!weekly.is_empty()).then(|| view! {
                <section class="card" id="weekly-checks">
                    <h2>{move || i18n.t(Text::WeeklyChecks)}</h2>
                    <ul class="check-list">{weekly.into_iter().map(|item| view! { <WeeklyRow item/> }).collect_view()}</ul>
                </section>
            })
        }}
    }
}

/// A person owed a weekly look: last seen, owed by, and "Seen: all well".
#[component]
fn WeeklyRow(item: WeeklyItem) -> impl IntoView {
    let i18n = use_i18n();
    let save_error = RwSignal::new(None::<IdbError>);
    let save_event = event_saver(save_error);
    let WeeklyItem { person, door, last_seen_at, due_by, missed } = item;
    let person_id = person.id.clone();
    let seen = move |_| {
        let kind = RecordKind::WeeklyCheck { person_id: person_id.clone(), note: String::new() };
        save_event(&door.building_id, door.floor, &door.id, kind, None);
    };
    view! {
        <li class="weekly-check" data-person=person.id.clone() data-missed=missed.to_string()>
            <strong>{person.name.clone()} " · " {door.label.clone()}</strong>
            <span class=if missed { "problem" } else { "muted" }>
                {move || i18n.t(Text::LastSeen)} " " {short_time(last_seen_at)} " · "
                {move || i18n.t(if missed { Text::WeeklyMissed } else { Text::WeeklyDueBy })} " " {due_by.clone()}
            </span>
            <button class="button weekly-seen" on:click=seen>{move || i18n.t(Text::SeenAllWell)}</button>
            <StoreError result=save_error/>
        </li>
    }
}

#[component]
fn CheckRow(item: CheckItem) -> impl IntoView {
    let i18n = use_i18n();
    let context = use_campaign();
    let threshold = untrack(|| context.fever_threshold());
    let CheckItem { person, door, follow_up } = item;
    let open = RwSignal::new(false);
    let typed = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<Text>);
    let reason = RwSignal::new(String::new());
    let reason_missing = RwSignal::new(false);
    let save_error = RwSignal::new(None::<IdbError>);
    let state = follow_up.state;
    let fever = follow_up.celsius.is_some_and(|c| is_fever(c, threshold));
    let half_text = match follow_up.slot.half {
        Half::Morning => Text::Morning,
        Half::Afternoon => Text::Afternoon,
    };
    let state_text = match state {
        CheckState::Due | CheckState::Upcoming => Text::CheckDue,
        CheckState::Overdue => Text::CheckOverdue,
        CheckState::Done => Text::CheckDone,
    };
    let slot_key = format!("{}-{}", follow_up.slot.date, if follow_up.slot.half == Half::Morning { "am" } else { "pm" });
    let input_id = format!("reading-{}-{slot_key}", person.id);
    let save_record = crate::screens::event_saver(save_error);
    let save = {
        let (person, door, slot, corrected) = (person.clone(), door.clone(), follow_up.slot.clone(), follow_up.reading_id.clone());
        move |_| {
            let Some(celsius) = typed_celsius(&typed.get_untracked()) else {
                problem.set(Some(Text::TemperatureInvalid));
                return;
            };
            problem.set(None);
            // A done check is corrected: the new reading replaces it, with why.
            let correction = match &corrected {
                Some(reading_id) => match given_reason(reason, reason_missing) {
                    Some(why) => Some((reading_id.clone(), why)),
                    None => return,
                },
                None => None,
            };
            let kind = RecordKind::TemperatureCheck { person_id: person.id.clone(), slot: slot.clone(), celsius };
            save_record(&door.building_id, door.floor, &door.id, kind, correction);
        }
    };
    let state_class = match state {
        CheckState::Done if fever => "fever",
        CheckState::Done => "done",
        CheckState::Overdue => "overdue",
        CheckState::Due | CheckState::Upcoming => "due",
    };
    view! {
        <li class="check-item" data-person=person.id.clone() data-slot=slot_key data-state=state_class>
            <button type="button" class="check-open" on:click=move |_| open.set(true)>
                <strong>{person.name.clone()}</strong>
                <span>{door.label.clone()} " · " {follow_up.slot.date.clone()} " " {move || i18n.t(half_text)}</span>
                <span class="check-state">
                    {move || i18n.t(state_text)}
                    {follow_up.celsius.map(|c| format!(" · {c:.1} °C"))}
                </span>
            </button>
            {fever.then(|| view! {
                <p class="error" role="alert">"🌡 " {move || i18n.t(Text::Fever)} " — " {move || i18n.t(Text::FeverHelp)}</p>
            })}
            <Show when=move || open.get()>
                <div class="reading-row">
                    <label class="visually-hidden" for=input_id.clone()>{move || i18n.t(Text::Celsius)}</label>
                    <input id=input_id.clone() class="field reading" type="number" inputmode="decimal" step="0.1"
                        min="34" max="43" autofocus placeholder=move || i18n.t(Text::Celsius)
                        on:input=move |ev| typed.set(event_target_value(&ev))/>
                    <button type="button" class="button button-primary save-reading" on:click=save.clone()>
                        {move || i18n.t(Text::Save)}
                    </button>
                </div>
                {move || problem.get().map(|text| view! { <p class="problem" role="alert">{i18n.t(text)}</p> })}
                {(state == CheckState::Done).then(|| view! { <ReasonField id=format!("{input_id}-reason") reason missing=reason_missing/> })}
            </Show>
            <StoreError result=save_error/>
        </li>
    }
}

/// Now on this phone's clock, and its UTC offset (minutes east).
pub fn phone_now() -> (LocalTime, i32) {
    let offset_minutes = -(js_sys::Date::new_0().get_timezone_offset() as i32);
    (LocalTime::at(js_sys::Date::now() as i64, offset_minutes), offset_minutes)
}

/// How many checks are due or overdue now (temperature checks, and weekly
/// looks missed), for the home screen's link.
pub fn checks_owed(records: &[Record]) -> usize {
    let (now, offset_minutes) = phone_now();
    let people = register(records);
    let temperatures = people
        .iter()
        .flat_map(|person| follow_ups(person, records, now, offset_minutes))
        .filter(|follow_up| matches!(follow_up.state, CheckState::Due | CheckState::Overdue))
        .count();
    temperatures + weekly_checks(&people, records, now, offset_minutes).iter().filter(|check| check.missed).count()
}

async fn load_checks(campaign_id: &str) -> Result<ChecksData, IdbError> {
    let store = app_store();
    let records: Vec<Record> = store.campaign_records(campaign_id).await?.into_iter().map(|stored| stored.record).collect();
    let (now, offset_minutes) = phone_now();
    let today = now.date();
    let mut data = ChecksData::default();
    let people = register(&records);
    for person in people.iter().cloned() {
        let Some(door) = store.door(campaign_id, &person.door_id).await? else { continue };
        if person.health_code == Some(HealthCode::Red) {
            data.red_codes.push((person.clone(), door.clone()));
        }
        for follow_up in follow_ups(&person, &records, now, offset_minutes) {
            let shown = match follow_up.state {
                CheckState::Due | CheckState::Overdue => true,
                CheckState::Done => follow_up.slot.date == today,
                CheckState::Upcoming => false,
            };
            if shown {
                data.items.push(CheckItem { person: person.clone(), door: door.clone(), follow_up });
            }
        }
    }
    for check in weekly_checks(&people, &records, now, offset_minutes) {
        let Some(door) = store.door(campaign_id, &check.person.door_id).await? else { continue };
        let WeeklyCheck { person, last_seen_at, due_by, missed } = check;
        data.weekly.push(WeeklyItem { person: person.clone(), door, last_seen_at, due_by, missed });
    }
    data.weekly.sort_by_key(|item| (!item.missed, item.due_by.clone()));
    data.items.sort_by(|a, b| {
        (&a.door.building_id, a.door.floor, &a.door.label, &a.follow_up.slot).cmp(&(
            &b.door.building_id,
            b.door.floor,
            &b.door.label,
            &b.follow_up.slot,
        ))
    });
    Ok(data)
}
