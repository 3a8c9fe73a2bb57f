//! Volunteers: invite with a join link and its QR code, see each one's
//! phone (last sync, records today, unsent records it reported), assign
//! buildings, revoke.

use leptos::prelude::*;
use walkbook_core::console::{AssignRequest, InviteRequest, InviteResponse, VolunteerSummary};

use crate::campaign::use_console;
use crate::home::HttpProblem;
use crate::text::ConsoleText;
use walkbook_app::door_status::short_time;
use walkbook_app::http::{get_json, post_json, send, send_json, HttpError};
use walkbook_app::i18n::{use_i18n, Text};

#[component]
pub fn VolunteersSection() -> impl IntoView {
    let i18n = use_i18n();
    let console = use_console();
    let volunteers = LocalResource::new(move || {
        console.refresh.track();
        let url = console.api("/volunteers");
        async move { get_json::<Vec<VolunteerSummary>>(&url).await }
    });
    view! {
        <section class="card" id="console-volunteers">
            <h2>{move || i18n.t(ConsoleText::Volunteers)}</h2>
            <HttpProblem error=Signal::derive(move || volunteers.get().and_then(Result::err))/>
            <ul class="link-list" id="volunteer-list">
                {move || volunteers.get().and_then(Result::ok).map(|list| {
                    list.into_iter().map(|volunteer| view! { <VolunteerRow volunteer=volunteer/> }).collect_view()
                })}
            </ul>
            <InviteForm/>
        </section>
    }
}

#[component]
fn VolunteerRow(volunteer: VolunteerSummary) -> impl IntoView {
    let i18n = use_i18n();
    let console = use_console();
    let error = RwSignal::new(None::<HttpError>);
    let selected = RwSignal::new(volunteer.buildings.clone());
    let id = volunteer.id.clone();
    let revoke = {
        let url = console.api(&format!("/volunteers/{id}"));
        move |_| {
            let url = url.clone();
            leptos::task::spawn_local(async move {
                match send::<Vec<VolunteerSummary>>("DELETE", &url, "application/json", String::new()).await {
                    Ok(_) => console.changed(),
                    Err(failure) => error.set(Some(failure)),
                }
            });
        }
    };
    let assign = {
        let url = console.api(&format!("/volunteers/{id}/buildings"));
        move |_| {
            let (url, request) = (url.clone(), AssignRequest { buildings: selected.get_untracked() });
            leptos::task::spawn_local(async move {
                match send_json::<_, Vec<VolunteerSummary>>("PUT", &url, &request).await {
                    Ok(_) => console.changed(),
                    Err(failure) => error.set(Some(failure)),
                }
            });
        }
    };
    let (revoked, joined) = (volunteer.revoked, volunteer.joined);
    let state = move || {
        if revoked {
            i18n.t(ConsoleText::Revoked)
        } else if joined {
            i18n.t(Text::Joined)
        } else {
            i18n.t(ConsoleText::NotJoinedYet)
        }
    };
    let unsent = volunteer.unsent.map(|n| {
        let oldest = volunteer.oldest_unsent.map(|at| format!(" ({})", short_time(at))).unwrap_or_default();
        format!("{n}{oldest}")
    });
    // How the phone keeps its data, as it last said (nothing: an older app, or never synced).
    let flag = |value: Option<bool>| value.map_or("unknown", |v| if v { "yes" } else { "no" });
    let keeping = volunteer.installed.map(|installed| {
        let installed_text = if installed { ConsoleText::InstalledApp } else { ConsoleText::BrowserTab };
        let persisted_text = volunteer.persisted.map(|kept| if kept { ConsoleText::StorageKept } else { ConsoleText::StorageNotKept });
        view! {
            <span class="phone-keeping">
                {move || i18n.t(installed_text)}
                {persisted_text.map(|text| view! { " · " {move || i18n.t(text)} })}
            </span>
        }
    });
    let at_risk = volunteer.at_risk;
    view! {
        <li class="volunteer-item" data-volunteer=id.clone() data-revoked=volunteer.revoked.to_string()
            data-installed=flag(volunteer.installed) data-persisted=flag(volunteer.persisted) data-at-risk=at_risk.to_string()>
            <strong>{volunteer.name.clone()} " · " {state}</strong>
            <span class="muted">
                {move || i18n.t(Text::SyncLast)} " " {volunteer.last_sync.map(short_time).unwrap_or_else(|| "—".into())}
                " · " {move || i18n.t(ConsoleText::RecordsToday)} " " <span class="records-today">{volunteer.records_today}</span>
                {unsent.map(|unsent| view! { " · " {move || i18n.t(ConsoleText::Unsent)} " " <span class="unsent">{unsent}</span> })}
            </span>
            {keeping}
            <WorksWhere buildings=volunteer.buildings.clone()/>
            {at_risk.then(|| view! { <span class="badge alert" role="status">{move || i18n.t(ConsoleText::DataAtRisk)}</span> })}
            <HttpProblem error=error/>
            {(!volunteer.revoked).then(|| view! {
                <details>
                    <summary class="button">{move || i18n.t(ConsoleText::AssignBuildings)}</summary>
                    <BuildingPicker selected=selected/>
                    <button class="button button-primary" data-action="assign" on:click=assign>{move || i18n.t(Text::Save)}</button>
                </details>
                <button class="button quiet" data-action="revoke" on:click=revoke>{move || i18n.t(ConsoleText::Revoke)}</button>
            })}
        </li>
    }
}

/// Where a volunteer works: their assigned buildings' names, or all.
#[component]
fn WorksWhere(buildings: Vec<String>) -> impl IntoView {
    let i18n = use_i18n();
    let console = use_console();
    let names = move || {
        if buildings.is_empty() {
            return i18n.t(ConsoleText::AllBuildings).to_string();
        }
        let campaign = console.bundle.get().map(|b| b.campaign);
        let name_of = |id: &String| {
            campaign.as_ref().and_then(|c| c.building(id)).map_or_else(|| id.clone(), |b| b.name.get(i18n.lang.get()).to_string())
        };
        buildings.iter().map(name_of).collect::<Vec<_>>().join(", ")
    };
    view! { <span class="works-where">{move || i18n.t(Text::Buildings)} ": " {names}</span> }
}

/// Check boxes for the campaign's buildings; none checked: all buildings.
#[component]
fn BuildingPicker(selected: RwSignal<Vec<String>>) -> impl IntoView {
    let i18n = use_i18n();
    let console = use_console();
    let buildings = move || console.bundle.get().map(|b| b.campaign.buildings).unwrap_or_default();
    view! {
        <p class="hint">{move || i18n.t(ConsoleText::AllBuildings)} ": —"</p>
        <div class="building-picker">
            {move || buildings().into_iter().map(|building| {
                let id = building.id.clone();
                let checked = {
                    let id = id.clone();
                    move || selected.with(|s| s.contains(&id))
                };
                let toggle = move |_| selected.update(|s| if s.contains(&id) { s.retain(|b| *b != id) } else { s.push(id.clone()) });
                view! {
                    <label class="check-row">
                        <input type="checkbox" data-building=building.id.clone() prop:checked=checked on:change=toggle/>
                        " " {let name = building.name.clone(); move || name.get(i18n.lang.get()).to_string()}
                    </label>
                }
            }).collect_view()}
        </div>
    }
}

#[component]
fn InviteForm() -> impl IntoView {
    let i18n = use_i18n();
    let console = use_console();
    let name = RwSignal::new(String::new());
    let valid_days = RwSignal::new(7u32);
    let buildings = RwSignal::new(Vec::<String>::new());
    let invitation = RwSignal::new(None::<InviteResponse>);
    let error = RwSignal::new(None::<HttpError>);
    let invite = move |_| {
        let request =
            InviteRequest { name: name.get_untracked(), buildings: buildings.get_untracked(), valid_days: valid_days.get_untracked() };
        let url = console.api("/volunteers");
        leptos::task::spawn_local(async move {
            match post_json::<_, InviteResponse>(&url, &request).await {
                Ok(response) => {
                    error.set(None);
                    invitation.set(Some(response));
                    console.changed();
                }
                Err(failure) => error.set(Some(failure)),
            }
        });
    };
    view! {
        <h3>{move || i18n.t(ConsoleText::Invite)}</h3>
        <label class="question-label" for="invite-name">{move || i18n.t(ConsoleText::VolunteerName)}</label>
        <input id="invite-name" class="field" on:input=move |ev| name.set(event_target_value(&ev))/>
        <label class="question-label" for="invite-days">{move || i18n.t(ConsoleText::ValidDays)}</label>
        <input id="invite-days" class="field" type="number" inputmode="numeric" min="1" max="60" prop:value=move || valid_days.get().to_string()
            on:input=move |ev| valid_days.set(event_target_value(&ev).parse().unwrap_or(0))/>
        <details>
            <summary class="button">{move || i18n.t(ConsoleText::AssignBuildings)}</summary>
            <BuildingPicker selected=buildings/>
        </details>
        <HttpProblem error=error/>
        <button class="button button-primary wide" id="invite-volunteer" on:click=invite>{move || i18n.t(ConsoleText::Invite)}</button>
        {move || invitation.get().map(|invitation| view! {
            <div class="invitation" id="invitation">
                <p>{move || i18n.t(ConsoleText::JoinLink)} ": " <a id="invitation-link" rel="external" href=invitation.link.clone()>{invitation.link.clone()}</a></p>
                // The server's SVG: paths only, no script or style.
                <div class="qr" inner_html=invitation.qr_svg.clone()></div>
            </div>
        })}
    }
}
