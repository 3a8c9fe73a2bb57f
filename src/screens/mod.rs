//! One module per screen, and the small components they share.

pub mod about;
pub mod checks;
pub mod door;
pub mod find;
pub mod floor;
pub mod floor_notice;
pub mod gate;
pub mod handover;
pub mod handover_codes;
pub mod home;
pub mod install;
pub mod join;
pub mod needs;
pub mod questionnaire;
pub mod revisits;
pub mod split;
pub mod sync_panel;

use leptos::prelude::*;
use leptos_router::components::Outlet;
use walkbook_core::record::{Coverage, DoorState, RecordKind};
use walkbook_core::territory::Door;

use crate::campaign::use_campaign;
use crate::door_status::short_time;
use crate::i18n::{floor_name, use_i18n, Text};
use crate::store::idb::IdbError;
use crate::store::{app_store, NewRecord};

/// Shows `children` (a floor, a door) only in a building the volunteer is
/// assigned (`:building` of the route); elsewhere says so, with the way home.
#[component]
pub fn AssignedBuilding(children: ChildrenFn) -> impl IntoView {
    let i18n = use_i18n();
    let context = use_campaign();
    let params = leptos_router::hooks::use_params_map();
    let works_here = move || params.with(|params| context.works(&params.get("building").unwrap_or_default()));
    view! {
        <Show
            when=works_here
            fallback=move || view! {
                <section class="card" id="not-assigned" role="status">
                    <p>{move || i18n.t(Text::NotYourBuilding)}</p>
                    <a class="button wide" href="/">{move || i18n.t(Text::MyBuildings)}</a>
                </section>
            }
        >
            {children()}
        </Show>
    }
}

/// The parent of every screen that shows the campaign: its child route
/// (`Outlet`) appears once the campaign is loaded from the phone's store,
/// and while it is open (a closed one takes no more records).
#[component]
pub fn CampaignGate() -> impl IntoView {
    let i18n = use_i18n();
    let context = use_campaign();
    let closed_at = Memo::new(move |_| context.campaign.with(|c| c.as_ref().and_then(|c| c.closed_at)));
    view! {
        <Show
            when=move || context.campaign.with(|c| c.as_ref().is_some_and(|c| c.closed_at.is_none()))
            fallback=move || {
                if closed_at.get().is_some() {
                    return view! { <CampaignClosed closed_at/> }.into_any();
                }
                view! {
                    <section class="card" role="status">
                        {move || match context.load_error.get() {
                            Some(error) => format!("{}: {error}", i18n.t(Text::LoadFailed)),
                            None => i18n.t(Text::Loading).to_string(),
                        }}
                    </section>
                }
                .into_any()
            }
        >
            <Outlet/>
        </Show>
    }
}

/// A closed campaign: when it closed, that what the server has is erased
/// here, and what still waits to be sent; the way to sign out and wipe.
#[component]
fn CampaignClosed(closed_at: Memo<Option<i64>>) -> impl IntoView {
    let i18n = use_i18n();
    let sync = crate::sync::use_sync();
    let pending = move || sync.view.with(|view| view.outbox.pending);
    let closed_on = move || i18n.t(Text::CampaignClosedOn).replace("{date}", &closed_at.get().map(short_time).unwrap_or_default());
    view! {
        <section class="card" id="campaign-closed" role="status" data-unsent=pending>
            <h1>{move || i18n.t(Text::CampaignClosed)}</h1>
            <p>{closed_on}</p>
            {move || (pending() != 0).then(|| view! {
                <p class="hint" id="closed-unsent">{i18n.t(Text::CampaignClosedUnsent).replace("{n}", &pending().to_string())}</p>
            })}
            <a class="button wide" href="/about">{move || i18n.t(Text::WipeTitle)}</a>
        </section>
        <sync_panel::SyncPanel/>
    }
}

/// What a record corrects or withdraws: the record it replaces, and why.
pub type Correction = Option<(String, String)>;

/// For a component's body: a function that saves a record that is not a
/// visit (a check, a notice, a withdrawal), made now for (building, floor,
/// door, kind), correcting a record or not. The screens refresh and a sync
/// follows; a failure lands in `save_error`.
pub fn event_saver(save_error: RwSignal<Option<IdbError>>) -> impl Fn(&str, i32, &str, RecordKind, Correction) + Clone {
    let context = use_campaign();
    let save = record_saver(save_error);
    move |building_id, floor, door_id, kind, correction| {
        let Some(mut new) = context.campaign.with_untracked(|c| NewRecord::event(c.as_ref()?, building_id, floor, door_id, kind)) else {
            return;
        };
        (new.supersedes, new.reason) = correction.unzip();
        save(new, Box::new(|| ()));
    }
}

/// For a component's body: a function that saves a record and then runs
/// `saved` (which clears a form). The screens refresh and a sync follows; a
/// failure lands in `save_error`, and `saved` does not run: what was typed
/// stays on the screen.
pub fn record_saver(save_error: RwSignal<Option<IdbError>>) -> impl Fn(NewRecord, Box<dyn FnOnce()>) + Clone {
    let context = use_campaign();
    let sync = crate::sync::use_sync();
    move |new, saved| {
        leptos::task::spawn_local(async move {
            match app_store().save_record(new).await {
                Ok(_) => {
                    save_error.set(None);
                    saved();
                    context.changed();
                    sync.after_save();
                }
                Err(error) => save_error.set(Some(error)),
            }
        });
    }
}

/// "Why?" for a correction or a withdrawal: a text field, and a problem
/// once Save was tapped with it empty. Its text is in `reason`.
#[component]
pub fn ReasonField(id: String, reason: RwSignal<String>, missing: RwSignal<bool>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <label class="question-label" for=id.clone()>{move || i18n.t(Text::CorrectionReason)}</label>
        <textarea id=id class="field" rows="2" maxlength="500" on:input=move |ev| reason.set(event_target_value(&ev))></textarea>
        {move || missing.get().then(|| view! { <p class="problem" role="alert">{i18n.t(Text::ReasonMissing)}</p> })}
    }
}

/// The reason typed, or `None` (and the field says so) when there is none.
pub fn given_reason(reason: RwSignal<String>, missing: RwSignal<bool>) -> Option<String> {
    let reason = reason.get_untracked().trim().to_string();
    missing.set(reason.is_empty());
    (!reason.is_empty()).then_some(reason)
}

/// Withdraws a floor's record made by mistake (a notice not posted, a floor
/// closed too early): the first tap asks why, the second saves the
/// withdrawal. `id` names the button; its reason field is `{id}-reason`.
#[component]
pub fn Withdraw(#[prop(into)] id: String, record_id: String, building_id: String, floor: i32, label: Text) -> impl IntoView {
    let i18n = use_i18n();
    let asking = RwSignal::new(false);
    let reason = RwSignal::new(String::new());
    let missing = RwSignal::new(false);
    let save_error = RwSignal::new(None::<IdbError>);
    let save_event = event_saver(save_error);
    let withdraw = move |_| {
        if !asking.get_untracked() {
            asking.set(true);
            return;
        }
        let Some(why) = given_reason(reason, missing) else { return };
        let kind = RecordKind::Void { building_id: building_id.clone(), floor };
        save_event(&building_id, floor, "", kind, Some((record_id.clone(), why)));
    };
    view! {
        {let reason_id = format!("{id}-reason"); move || asking.get().then(|| view! { <ReasonField id=reason_id.clone() reason missing/> })}
        <button class="button wide" id=id on:click=withdraw>{move || i18n.t(label)}</button>
        <StoreError result=save_error/>
    }
}

/// Done / visited / open counts with a bar; the numbers are text, so the bar
/// is never the only carrier of the information.
#[component]
pub fn ProgressBar(#[prop(into)] coverage: Signal<Coverage>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="progress">
            <div class="progress-track" aria-hidden="true">
                <progress max=move || coverage.get().doors.max(1) value=move || coverage.get().final_></progress>
            </div>
            <p class="progress-text">
                <span class="progress-done">
                    {move || i18n.t(Text::Done)} " " {move || coverage.get().final_} " / " {move || coverage.get().doors}
                </span>
                " · "
                <span>{move || i18n.t(Text::StillOpen)} " " {move || coverage.get().still_open()}</span>
            </p>
        </div>
    }
}

/// A failed read or write of the phone's store, said plainly.
#[component]
pub fn StoreError(#[prop(into)] result: Signal<Option<IdbError>>) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        result.get().map(|error| {
            let message = if error.is_quota_exceeded() {
                i18n.t(Text::QuotaFull).to_string()
            } else {
                format!("{}: {error}", i18n.t(Text::LoadFailed))
            };
            view! { <p class="error" role="alert">{message}</p> }
        })
    }
}

pub fn state_icon(state: DoorState) -> &'static str {
    match state {
        DoorState::Unvisited => "○",
        DoorState::Revisit => "↻",
        DoorState::Final => "✓",
    }
}

pub fn state_text(state: DoorState) -> Text {
    match state {
        DoorState::Unvisited => Text::StatusUnvisited,
        DoorState::Revisit => Text::StatusRevisit,
        DoorState::Final => Text::StatusFinal,
    }
}

pub fn state_class(state: DoorState) -> &'static str {
    match state {
        DoorState::Unvisited => "unvisited",
        DoorState::Revisit => "revisit",
        DoorState::Final => "final",
    }
}

/// Where a door's sheet is.
pub fn door_href(building_id: &str, floor: i32, door_id: &str) -> String {
    format!("/b/{building_id}/f/{floor}/d/{door_id}")
}

/// A door as a list entry (label, building, floor, then `children`); opens
/// its door sheet.
#[component]
pub fn DoorLink(door: Door, #[prop(optional)] children: Option<Children>) -> impl IntoView {
    let i18n = use_i18n();
    let context = use_campaign();
    let floor = door.floor;
    let building_id = door.building_id.clone();
    view! {
        <li>
            <a class="list-link" href=door_href(&door.building_id, floor, &door.id) data-door=door.id.clone()>
                <strong>{door.label.clone()}</strong>
                <span>
                    {move || context.building_name(&building_id, i18n.lang.get()).unwrap_or_default()}
                    " · " {move || floor_name(i18n.lang.get(), floor)}
                </span>
                {children.map(|children| children())}
            </a>
        </li>
    }
}
