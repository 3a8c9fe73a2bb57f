//! Find a door by what is written on it, or a person on this phone's
//! register by name, initials or phone digits (a secretary answering "is
//! Chen registered, which door?"). Offline: the register is read from the
//! phone's records once, then searched in memory on every keystroke.

use std::collections::HashMap;
use std::rc::Rc;

use leptos::prelude::*;
use walkbook_core::find::{Found, PeopleIndex};
use walkbook_core::people::register;
use walkbook_core::record::Record;
use walkbook_core::territory::Door;

use crate::campaign::use_campaign;
use crate::i18n::{use_i18n, Text};
use crate::screens::{DoorLink, StoreError};
use crate::store::app_store;
use crate::store::idb::IdbError;

const MAX_RESULTS: usize = 30;

/// The register, ready to search, and the campaign's doors.
struct SearchableRegister {
    people: PeopleIndex,
    doors: HashMap<String, Door>,
}

async fn load_register(campaign_id: &str) -> Result<SearchableRegister, IdbError> {
    let store = app_store();
    let records: Vec<Record> = store.campaign_records(campaign_id).await?.into_iter().map(|stored| stored.record).collect();
    let people = register(&records);
    // Every door of the campaign, kept by id: one lookup per person found.
    let doors = store.campaign_doors(campaign_id).await?.into_iter().map(|door| (door.id.clone(), door)).collect();
    Ok(SearchableRegister { people: PeopleIndex::new(&people), doors })
}

#[component]
pub fn FindScreen() -> impl IntoView {
    let i18n = use_i18n();
    let context = use_campaign();
    let typed = RwSignal::new(String::new());
    let campaign_id = move || context.campaign_id();
    let door_matches = LocalResource::new(move || {
        let (campaign_id, typed) = (campaign_id(), typed.get());
        async move {
            if typed.trim().is_empty() {
                return Ok(Vec::new());
            }
            app_store().find_doors(&campaign_id, &typed, MAX_RESULTS as u32).await
        }
    });
    // Read again when records change, not on every keystroke.
    let searchable = LocalResource::new(move || {
        context.content_revision.track();
        let campaign_id = campaign_id();
        async move { load_register(&campaign_id).await.map(Rc::new) }
    });
    let people_found = move || {
        let typed = typed.get();
        searchable.get().and_then(Result::ok).map(|searchable| {
            searchable
                .people
                .find(&typed, MAX_RESULTS)
                .into_iter()
                .filter_map(|found| Some((searchable.doors.get(&found.door_id)?.clone(), found)))
                .collect::<Vec<_>>()
        })
    };
    // Doors of the volunteer's own buildings (people are only of those).
    let doors_found = move || {
        door_matches
            .get()
            .and_then(Result::ok)
            .unwrap_or_default()
            .into_iter()
            .filter(|door| context.works(&door.building_id))
            .collect::<Vec<_>>()
    };
    let error = Signal::derive(move || door_matches.get().and_then(|r| r.err()).or_else(|| searchable.get().and_then(Result::err)));
    // What was found, computed once per keystroke: people (once the register
    // is read), then doors, or that nothing matches.
    let results = move || {
        if typed.with(|typed| typed.trim().is_empty()) {
            return None;
        }
        let Some(people) = people_found() else {
            return Some(view! { <p class="hint">{move || i18n.t(Text::ReadingRegister)}</p> }.into_any());
        };
        let doors = doors_found();
        if people.is_empty() && doors.is_empty() && door_matches.get().is_some_and(|r| r.is_ok()) {
            return Some(view! { <p class="hint" id="find-nothing">{move || i18n.t(Text::NoMatches)}</p> }.into_any());
        }
        Some(
            view! {
                {(!people.is_empty()).then(|| view! {
                    <h2>{move || i18n.t(Text::FoundPeople)}</h2>
                    <ul class="link-list" id="find-people">
                        {people.into_iter().map(|(door, found)| view! { <PersonLink door found/> }).collect_view()}
                    </ul>
                })}
                {(!doors.is_empty()).then(|| view! {
                    <h2>{move || i18n.t(Text::FoundDoors)}</h2>
                    <ul class="link-list" id="find-results">
                        {doors.into_iter().map(|door| view! { <DoorLink door=door/> }).collect_view()}
                    </ul>
                })}
            }
            .into_any(),
        )
    };
    view! {
        <section class="card">
            <h1>{move || i18n.t(Text::FindDoor)}</h1>
            <input id="find-door" class="field" type="search" autocomplete="off"
                placeholder=move || i18n.t(Text::FindPlaceholder)
                data-register=move || searchable.get().and_then(Result::ok).map(|searchable| searchable.people.len())
                on:input=move |ev| typed.set(event_target_value(&ev))/>
            <StoreError result=error/>
            {results}
        </section>
    }
}

/// A person found, opening their door.
#[component]
fn PersonLink(door: Door, found: Found) -> impl IntoView {
    view! {
        <DoorLink door=door>
            <span class="found-person" data-person=found.person_id>
                <bdi>{found.name}</bdi>
                {found.phone.map(|phone| view! { " · " <bdi>{phone}</bdi> })}
            </span>
        </DoorLink>
    }
}
