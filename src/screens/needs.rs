//! Needs of households in quarantine, on the door sheet: the door's needs
//! with their status (any volunteer moves one to "in progress" and "done"),
//! and raising one: what, for whom, details. The floor view lists its doors'
//! open needs (see `FloorNeeds`).

use leptos::prelude::*;
use walkbook_core::needs::{needs, NeedKind, NeedStatus};
use walkbook_core::people::register;
use walkbook_core::record::{Record, RecordKind};
use walkbook_core::territory::Door;

use crate::campaign::use_campaign;
use crate::door_status::short_time;
use crate::i18n::{use_i18n, Text};
use crate::screens::{door_href, event_saver, StoreError};
use crate::store::{app_store, idb::IdbError};

/// A need as the floor view lists it: (need id, door, kind, status, raised at).
pub type OpenNeed = (String, Door, NeedKind, NeedStatus, i64);

pub fn need_text(kind: NeedKind) -> Text {
    match kind {
        NeedKind::Groceries => Text::NeedGroceries,
        NeedKind::Medicine => Text::NeedMedicine,
        NeedKind::Parcel => Text::NeedParcel,
        NeedKind::Garbage => Text::NeedGarbage,
        NeedKind::Repair => Text::NeedRepair,
        NeedKind::Other => Text::NeedOther,
    }
}

pub fn status_text(status: NeedStatus) -> Text {
    match status {
        NeedStatus::Open => Text::NeedOpen,
        NeedStatus::InProgress => Text::NeedInProgress,
        NeedStatus::Done => Text::NeedDone,
    }
}

/// The needs of `door`, newest state of each, and the form to raise one.
#[component]
pub fn DoorNeeds(door: Door) -> impl IntoView {
    let i18n = use_i18n();
    let context = use_campaign();
    let door_id = door.id.clone();
    let records = LocalResource::new(move || {
        context.content_revision.track();
        let (campaign_id, door_id) = (context.campaign_id(), door_id.clone());
        async move {
            let mut by_door = app_store().records_of_doors(&campaign_id, &[door_id.as_str()]).await?;
            let stored = by_door.remove(&door_id).unwrap_or_default();
            Ok::<_, IdbError>(stored.into_iter().map(|stored| stored.record).collect::<Vec<Record>>())
        }
    });
    let records = move || records.get().and_then(Result::ok).unwrap_or_default();
    let save_error = RwSignal::new(None::<IdbError>);
    let save_event = event_saver(save_error);
    let (building_id, floor, door_id) = (door.building_id.clone(), door.floor, door.id.clone());
    let save = move |kind: RecordKind| save_event(&building_id, floor, &door_id, kind, None);

    let chosen_kind = RwSignal::new(None::<NeedKind>);
    let person = RwSignal::new(String::new());
    let details = RwSignal::new(String::new());
    let kind_missing = RwSignal::new(false);
    let raise = {
        let save = save.clone();
        move |_| {
            let Some(need) = chosen_kind.get_untracked() else {
                kind_missing.set(true);
                return;
            };
            let person_id = Some(person.get_untracked()).filter(|id| !id.is_empty());
            save(RecordKind::Need { person_id, need, details: details.get_untracked().trim().to_string() });
            chosen_kind.set(None);
            kind_missing.set(false);
        }
    };
    view! {
        <section class="door-needs" id="door-needs">
            <h2>{move || i18n.t(Text::Needs)}</h2>
            <ul class="link-list" id="need-list">
                {move || {
                    let records = records();
                    let records: Vec<&Record> = records.iter().collect();
                    let people = register(records.iter().copied());
                    needs(&records).into_iter().rev().map(|need| {
                        let (need_id, status) = (need.id().to_string(), need.status);
                        let who = need.person_id.and_then(|id| people.iter().find(|p| p.id == id)).map(|p| p.name.clone());
                        let details = need.details.to_string();
                        let moves = [NeedStatus::InProgress, NeedStatus::Done].into_iter().filter(move |next| *next > status);
                        let save = save.clone();
                        view! {
                            <li class="need-item" data-need=need_id.clone() data-kind=need.kind.code() data-status=status.code()>
                                <strong>{move || i18n.t(need_text(need.kind))}</strong> " · " {move || i18n.t(status_text(status))}
                                " · " {short_time(need.changed_at())}
                                <span class="muted">{who.map(|name| format!(" · {name}"))} {(!details.is_empty()).then(|| format!(" · {details}"))}</span>
                                <div class="action-row">
                                    {moves.map(|next| {
                                        let (save, need_id) = (save.clone(), need_id.clone());
                                        view! {
                                            <button class="button" data-action=next.code() on:click=move |_| {
                                                save(RecordKind::NeedUpdate { need_id: need_id.clone(), status: next, note: String::new() })
                                            }>{move || i18n.t(status_text(next))}</button>
                                        }
                                    }).collect_view()}
                                </div>
                            </li>
                        }
                    }).collect_view()
                }}
            </ul>
            <h3>{move || i18n.t(Text::RaiseNeed)}</h3>
            <div class="choice-row" role="group" id="need-kinds">
                {NeedKind::ALL.into_iter().map(|kind| view! {
                    <button type="button" class="button choice" data-need-kind=kind.code()
                        aria-pressed=move || (chosen_kind.get() == Some(kind)).to_string()
                        on:click=move |_| chosen_kind.set(Some(kind))>
                        {move || i18n.t(need_text(kind))}
                    </button>
                }).collect_view()}
            </div>
            {move || kind_missing.get().then(|| view! { <p class="problem" role="alert">{i18n.t(Text::ChooseNeed)}</p> })}
            <label class="question-label" for="need-person">{move || i18n.t(Text::NeedFor)}</label>
            <select id="need-person" class="field" on:change=move |ev| person.set(event_target_value(&ev))>
                <option value="">{move || i18n.t(Text::WholeHousehold)}</option>
                {move || register(&records()).into_iter().map(|p| view! { <option value=p.id>{p.name}</option> }).collect_view()}
            </select>
            <label class="question-label" for="need-details">{move || i18n.t(Text::NeedDetails)}</label>
            <textarea id="need-details" class="field" rows="2" maxlength="500" prop:value=details
                on:input=move |ev| details.set(event_target_value(&ev))></textarea>
            <button type="button" class="button wide" id="raise-need" on:click=raise>{move || i18n.t(Text::RaiseNeed)}</button>
            <StoreError result=save_error/>
        </section>
    }
}

/// The floor's open needs (open or in progress), oldest first, each opening
/// its door.
#[component]
pub fn FloorNeeds(open: Vec<OpenNeed>) -> impl IntoView {
    let i18n = use_i18n();
    (!open.is_empty()).then(|| {
        view! {
            <h2>{move || i18n.t(Text::OpenNeedsHere)}</h2>
            <ul class="link-list" id="floor-needs">
                {open.into_iter().map(|(need_id, door, kind, status, raised_at)| view! {
                    <li class="need-item" data-need=need_id data-door=door.id.clone() data-status=status.code()>
                        <a class="list-link" href=door_href(&door.building_id, door.floor, &door.id)>
                            <strong>{door.label.clone()}</strong> " · " {move || i18n.t(need_text(kind))} " · "
                            {move || i18n.t(status_text(status))} " · " {short_time(raised_at)}
                        </a>
                    </li>
                }).collect_view()}
            </ul>
        }
    })
}
