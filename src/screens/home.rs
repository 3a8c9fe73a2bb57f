//! Campaign home: overall progress, then every building the volunteer works
//! (those assigned, else all) with its own.

use std::collections::HashMap;

use leptos::prelude::*;
use walkbook_core::record::Coverage;
use walkbook_core::territory::Building;

use crate::campaign::use_campaign;
use crate::door_status::{building_coverage, statuses_by_door, DoorStatus};
use crate::i18n::{use_i18n, Text};
use crate::pwa::{use_service_worker, OfflineReadiness};
use crate::screens::checks::checks_owed;
use crate::screens::install::{InstallOffer, StorageAtRisk};
use crate::screens::split::preload_floor_screen;
use crate::screens::sync_panel::SyncPanel;
use crate::screens::{ProgressBar, StoreError};
use crate::store::app_store;

#[component]
pub fn HomeScreen() -> impl IntoView {
    let i18n = use_i18n();
    let context = use_campaign();
    let campaign_id = move || context.campaign_id();
    // Latest status of every visited door, by building.
    let coverage_by_building = LocalResource::new(move || {
        context.content_revision.track();
        let campaign_id = campaign_id();
        async move {
            let records = app_store().campaign_records(&campaign_id).await?;
            let building_of: HashMap<&str, &str> = records.iter().map(|s| (s.record.door_id.as_str(), s.building_id.as_str())).collect();
            let mut by_building: HashMap<String, Vec<DoorStatus>> = HashMap::new();
            for (door_id, status) in statuses_by_door(&records) {
                by_building.entry(building_of[door_id].to_string()).or_default().push(status);
            }
            let plain: Vec<_> = records.into_iter().map(|stored| stored.record).collect();
            Ok::<_, crate::store::idb::IdbError>((by_building, checks_owed(&plain)))
        }
    });
    // The volunteer's buildings: those assigned, else the whole campaign.
    let buildings = move || {
        context.campaign.with(|c| {
            c.as_ref()
                .map(|c| c.buildings.iter().filter(|building| context.works(&building.id)).cloned().collect::<Vec<_>>())
                .unwrap_or_default()
        })
    };
    let assigned = move || context.assigned_buildings.with(Option::is_some);
    let coverage_of = move |building: &Building| {
        let statuses = coverage_by_building.get().and_then(Result::ok).map(|(by_building, _)| by_building).unwrap_or_default();
        building_coverage(building.door_count, statuses.get(&building.id).into_iter().flatten())
    };
    let total = move || {
        let mut total = Coverage::default();
        for building in buildings() {
            total.merge(coverage_of(&building));
        }
        total
    };
    // Temperature checks due or overdue now, on the link to them.
    let checks_owed_now = move || coverage_by_building.get().and_then(Result::ok).map_or(0, |(_, owed)| owed);
    let name = move || context.campaign.with(|c| c.as_ref().map(|c| c.name.get(i18n.lang.get()).to_string()));
    // A floor is the next screen: its module is made ready once the
    // service worker is (on a first visit, from the worker's cache, and
    // not sharing the line with the first screen's download; at once on
    // later visits). A failure is shown if a floor is opened.
    let offline = use_service_worker().offline;
    Effect::new(move || {
        if offline.get() != OfflineReadiness::Preparing {
            leptos::task::spawn_local(async {
                let _ = preload_floor_screen().await;
            });
        }
    });
    view! {
        <section class="card hero">
            <h1>{name}</h1>
            <ProgressBar coverage=Signal::derive(total)/>
            <OfflineBadge/>
            <div class="action-row">
                <a class="button" href="/revisits">{move || i18n.t(Text::Revisits)}</a>
                <a class="button" href="/checks" id="checks-link" data-owed=move || checks_owed_now().to_string()>
                    {move || i18n.t(Text::ChecksTitle)}
                    {move || (checks_owed_now() > 0).then(|| view! { " " <span class="badge alert">{checks_owed_now()}</span> })}
                </a>
                <a class="button" href="/find">{move || i18n.t(Text::FindDoor)}</a>
            </div>
        </section>
        <GateLinks/>
        <StorageAtRisk/>
        <InstallOffer/>
        <StoreError result=Signal::derive(move || coverage_by_building.get().and_then(|r| r.err()))/>
        <SyncPanel/>
        <section class="card" id="buildings" data-assigned=move || assigned().to_string()>
            <h2>{move || i18n.t(if assigned() { Text::MyBuildings } else { Text::Buildings })}</h2>
            <ul class="building-list">
                {move || {
                    buildings()
                        .into_iter()
                        .map(|building| {
                            let href = format!("/b/{}/f/{}", building.id, building.floors.first().copied().unwrap_or(1));
                            let name = building.name.clone();
                            let coverage = Signal::derive(move || coverage_of(&building));
                            view! {
                                <li>
                                    <a class="building-link" href=href>
                                        <span class="building-name">{move || name.get(i18n.lang.get()).to_string()}</span>
                                        <ProgressBar coverage=coverage/>
                                    </a>
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ul>
        </section>
    }
}

/// The compound's gates, for the volunteers on gate duty (none: nothing shown).
#[component]
fn GateLinks() -> impl IntoView {
    let i18n = use_i18n();
    let context = use_campaign();
    let gates = move || context.campaign.with(|c| c.as_ref().map(|c| c.gates.clone()).unwrap_or_default());
    move || {
        let gates = gates();
        (!gates.is_empty()).then(|| view! {
            <section class="card" id="gates">
                <h2>{move || i18n.t(Text::GateDuty)}</h2>
                <div class="action-row">
                    {gates.into_iter().map(|gate| view! {
                        <a class="button" href=format!("/gate/{}", gate.id) data-gate=gate.id.clone()>
                            {move || gate.name.get(i18n.lang.get()).to_string()}
                        </a>
                    }).collect_view()}
                </div>
            </section>
        })
    }
}

/// Whether the app shell is cached, so the volunteer knows before entering a
/// building with no signal.
#[component]
fn OfflineBadge() -> impl IntoView {
    let i18n = use_i18n();
    let offline = use_service_worker().offline;
    let label = move || match offline.get() {
        OfflineReadiness::Preparing => i18n.t(Text::OfflinePreparing),
        OfflineReadiness::Ready => i18n.t(Text::OfflineReady),
        OfflineReadiness::Unsupported => i18n.t(Text::OfflineUnsupported),
    };
    let state = move || match offline.get() {
        OfflineReadiness::Preparing => "preparing",
        OfflineReadiness::Ready => "ready",
        OfflineReadiness::Unsupported => "unsupported",
    };
    view! { <p class="badge" id="offline-status" data-state=state>{label}</p> }
}
