//! One floor: its doors as a grid, each with its status in colour, icon and
//! text; floor up/down at the bottom, within thumb reach; closing the floor.

use std::collections::HashMap;

use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate, use_params_map, use_query_map};
use walkbook_core::needs::needs;
use walkbook_core::record::{doors_blocking_close, DoorState, FloorClosure, Record, RecordKind};
use walkbook_core::territory::Door;

use crate::campaign::use_campaign;
use crate::door_status::{short_time, status_of, DoorStatus};
use crate::i18n::{floor_name, outcome_text, use_i18n, Text};
use crate::screens::floor_notice::FloorNotice;
use crate::screens::split::preload_door_screen;
use crate::screens::needs::{FloorNeeds, OpenNeed};
use crate::screens::install::InstallOffer;
use crate::screens::{door_href, event_saver, state_class, state_icon, state_text, StoreError, Withdraw};
use crate::store::{app_store, idb::IdbError};

/// Everything the floor view shows, read in one go from the store.
#[derive(Clone, PartialEq)]
struct FloorData {
    doors: Vec<(Door, DoorStatus)>,
    closure: Option<FloorClosure>,
    /// Its doors' needs still open or in progress, oldest first.
    open_needs: Vec<OpenNeed>,
}

#[component]
pub fn FloorScreen() -> impl IntoView {
    let i18n = use_i18n();
    let context = use_campaign();
    let params = use_params_map();
    // A memo: the floor's part of the address changing does not reload the floor.
    let building_id = Memo::new(move |_| params.read().get("building").unwrap_or_default());
    let route_floor = move || params.read().get("floor").and_then(|f| f.parse::<i32>().ok()).unwrap_or(1);
    // The floor shown: the route's, or the one just stepped to, whose address
    // follows after the next paint (see `step_to`).
    let shown_floor = RwSignal::new(untrack(route_floor));
    Effect::new(move || {
        let routed = route_floor();
        if shown_floor.get_untracked() != routed {
            shown_floor.set(routed);
        }
    });
    let floor = move || shown_floor.get();
    let campaign_id = move || context.campaign_id();
    let building = move || context.campaign.with(|c| c.as_ref().and_then(|c| c.building(&building_id.get()).cloned()));

    // Floors read at the current revision of the store, so that stepping to a
    // neighbouring floor (prefetched below) shows it without waiting on IndexedDB.
    let cache = StoredValue::new(FloorCache::default());
    let data = LocalResource::new(move || {
        let revision = context.revision.get();
        let (campaign_id, building_id, floor) = (campaign_id(), building_id.get(), floor());
        async move { cache_or_load(cache, revision, &campaign_id, &building_id, floor).await }
    });
    let loaded = move || data.get().and_then(Result::ok);
    // The door sheet comes back here with ?saved=<door> once its save committed.
    let query = use_query_map();
    let saved_label = move || {
        let door_id = query.read().get("saved")?;
        loaded()?.doors.into_iter().find(|(door, _)| door.id == door_id).map(|(door, _)| door.label)
    };
    let error = Signal::derive(move || data.get().and_then(|r| r.err()));

    let floors = move || building().map(|b| b.floors).unwrap_or_default();
    let neighbour = move |step: i32| {
        let floors = floors();
        let index = floors.iter().position(|f| *f == floor())? as i32 + step;
        floors.get(usize::try_from(index).ok()?).copied()
    };
    let floor_href = move |f: i32| format!("/b/{}/f/{f}", building_id.get());
    // Floor up/down show the new floor at once and put it in the address
    // (the browser's history) only after the next paint: on a slow phone the
    // history update alone takes longer than drawing the floor. Taps in quick
    // succession make one history entry, for the floor they end on.
    let navigate = StoredValue::new_local(use_navigate());
    let path = use_location().pathname;
    let step_to = move |event: web_sys::MouseEvent, to: i32| {
        let plain_tap = event.button() == 0 && !(event.ctrl_key() || event.meta_key() || event.shift_key() || event.alt_key());
        if !plain_tap {
            return;
        }
        event.prevent_default();
        shown_floor.set(to);
        request_animation_frame(move || {
            set_timeout(
                move || {
                    // The floor screen may have been left meanwhile.
                    let (Some(shown), Some(current)) = (shown_floor.try_get_untracked(), path.try_get_untracked()) else { return };
                    let href = untrack(|| floor_href(shown));
                    if current != href {
                        navigate.try_with_value(|navigate| navigate(&href, Default::default()));
                    }
                },
                std::time::Duration::ZERO,
            )
        });
    };
    Effect::new(move || {
        if data.with(|d| matches!(d, Some(Ok(_)))) {
            let revision = context.revision.get_untracked();
            for f in [neighbour(1), neighbour(-1)].into_iter().flatten() {
                let (campaign_id, building_id) = (campaign_id(), building_id.get());
                leptos::task::spawn_local(async move {
                    // After the floor shown is drawn, not before it.
                    crate::pause(0).await;
                    // A failed prefetch costs nothing: the floor loads when shown.
                    let _ = cache_or_load(cache, revision, &campaign_id, &building_id, f).await;
                });
            }
            // A door's sheet is the next screen: its module is made ready
            // (once) after the floor is drawn. A failure is shown if the
            // sheet is opened.
            leptos::task::spawn_local(async {
                crate::pause(0).await;
                let _ = preload_door_screen().await;
            });
        }
    });
    let title = move || {
        let lang = i18n.lang.get();
        let name = building().map(|b| b.name.get(lang).to_string()).unwrap_or_default();
        format!("{name} · {}", floor_name(lang, floor()))
    };

    view! {
        <section class="card floor">
            <h1 id="floor-title">{title}</h1>
            <StoreError result=error/>
            {move || saved_label().map(|label| view! {
                <p class="notice" id="saved-notice" role="status">"✓ " {move || i18n.t(Text::Saved)} " · " {label}</p>
            })}
            // Keyed by what a tile shows: after a sync acknowledges records
            // only their tiles are redrawn, not the floor.
            <ul class="door-grid" id="door-grid">
                <For
                    each=move || loaded().map(|data| data.doors).unwrap_or_default()
                    key=|(door, status)| (door.id.clone(), status.latest.as_ref().map(|record| record.id.clone()), status.on_server)
                    children=|(door, status)| view! { <DoorTile door=door status=status/> }
                />
            </ul>
            {move || loaded().map(|data| view! { <FloorNeeds open=data.open_needs.clone()/> <FloorClosing data=data/> })}
            {move || building().map(|building| view! { <FloorNotice building=building floor=shown_floor.into()/> })}
        </section>
        <InstallOffer/>
        <nav class="floor-nav" aria-label=move || i18n.t(Text::Buildings)>
            {move || match neighbour(-1) {
                Some(f) => view! {
                    <a class="button" id="floor-down" href=floor_href(f) on:click=move |event| step_to(event, f)>"▼ " {move || i18n.t(Text::FloorDown)}</a>
                }.into_any(),
                None => view! { <span class="button button-disabled" aria-hidden="true">"▼"</span> }.into_any(),
            }}
            <a class="button" href="/">{move || i18n.t(Text::Buildings)}</a>
            {move || match neighbour(1) {
                Some(f) => view! {
                    <a class="button" id="floor-up" href=floor_href(f) on:click=move |event| step_to(event, f)>"▲ " {move || i18n.t(Text::FloorUp)}</a>
                }.into_any(),
                None => view! { <span class="button button-disabled" aria-hidden="true">"▲"</span> }.into_any(),
            }}
        </nav>
    }
}

/// Floors already read, valid for one revision of the store.
#[derive(Default)]
struct FloorCache {
    revision: u64,
    floors: HashMap<(String, i32), FloorData>,
}

async fn cache_or_load(
    cache: StoredValue<FloorCache>,
    revision: u64,
    campaign_id: &str,
    building_id: &str,
    floor: i32,
) -> Result<FloorData, IdbError> {
    let key = (building_id.to_string(), floor);
    let hit = cache.with_value(|c| (c.revision == revision).then(|| c.floors.get(&key).cloned()).flatten());
    if let Some(hit) = hit {
        return Ok(hit);
    }
    let fresh = load_floor(campaign_id, building_id, floor).await?;
    cache.update_value(|c| {
        if c.revision != revision {
            *c = FloorCache { revision, floors: HashMap::new() };
        }
        c.floors.insert(key, fresh.clone());
    });
    Ok(fresh)
}

async fn load_floor(campaign_id: &str, building_id: &str, floor: i32) -> Result<FloorData, IdbError> {
    let mut snapshot = app_store().floor_snapshot(campaign_id, building_id, floor).await?;
    let mut open_needs = Vec::new();
    let doors = snapshot
        .doors
        .into_iter()
        .map(|door| {
            let stored = snapshot.records.remove(&door.id).unwrap_or_default();
            let records: Vec<&Record> = stored.iter().map(|stored| &stored.record).collect();
            for need in needs(&records).into_iter().filter(|need| need.status.is_pending()) {
                open_needs.push((need.id().to_string(), door.clone(), need.kind, need.status, need.raised.device_time));
            }
            (door, status_of(&stored))
        })
        .collect();
    open_needs.sort_by_key(|(.., raised_at)| *raised_at);
    Ok(FloorData { doors, closure: snapshot.closure, open_needs })
}

/// A door's tile, built as one piece of markup in the volunteer's language
/// (rebuilt when it changes): a floor switch draws a floor's tiles at once,
/// and one `innerHTML` per tile is much quicker on a slow phone than a DOM
/// call per element, attribute and text. Every text in it is escaped.
#[component]
fn DoorTile(door: Door, status: DoorStatus) -> impl IntoView {
    let i18n = use_i18n();
    view! { <li inner_html=move || tile_markup(&door, &status, |text| i18n.t(text))/> }
}

fn tile_markup(door: &Door, status: &DoorStatus, t: impl Fn(Text) -> &'static str) -> String {
    let state = status.state;
    let words = t(status.latest.as_ref().map_or(state_text(state), |record| outcome_text(&record.outcome)));
    let mut markup = format!(
        r#"<a class="door-tile" href="{href}" data-state="{state}" data-door="{id}"><span class="door-label">{label}</span><span class="door-status"><span aria-hidden="true">{icon}</span> {words}</span>"#,
        href = escaped(&door_href(&door.building_id, door.floor, &door.id)),
        state = state_class(state),
        id = escaped(&door.id),
        label = escaped(&door.label),
        icon = state_icon(state),
        words = escaped(words),
    );
    if status.latest.is_some() {
        let (on_server, relayed) = (status.on_server, status.relayed);
        let (mark, sync_words) = match (on_server, relayed) {
            (true, _) => ("☁ ", Text::OnServer),
            (false, true) => ("⇡ ", Text::FromAnotherPhone),
            (false, false) => ("⇡ ", Text::NotYetSent),
        };
        markup.push_str(&format!(
            r#"<span class="door-sync" data-synced="{on_server}" data-relayed="{relayed}">{mark}{}</span>"#,
            escaped(t(sync_words))
        ));
    }
    markup.push_str("</a>");
    markup
}

/// `text` safe inside an element or a quoted attribute (labels and ids come
/// from a coordinator's CSV).
fn escaped(text: &str) -> String {
    let mut safe = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => safe.push_str("&amp;"),
            '<' => safe.push_str("&lt;"),
            '>' => safe.push_str("&gt;"),
            '"' => safe.push_str("&quot;"),
            '\'' => safe.push_str("&#39;"),
            other => safe.push(other),
        }
    }
    safe
}

/// Close the floor when every door is final; otherwise say which are open.
#[component]
fn FloorClosing(data: FloorData) -> impl IntoView {
    let i18n = use_i18n();
    let open_labels: Vec<String> = {
        let blocking = doors_blocking_close(data.doors.iter().map(|(d, s)| (d.id.as_str(), s.state)));
        data.doors.iter().filter(|(d, _)| blocking.contains(&d.id.as_str())).map(|(d, _)| d.label.clone()).collect()
    };
    let first_door = data.doors.first().map(|(door, _)| door.clone());
    let save_error = RwSignal::new(None::<IdbError>);
    let save_event = event_saver(save_error);
    // A record like a notice: synced, so the coordinator sees the floor closed.
    let close_floor = move |_| {
        let Some(door) = first_door.as_ref() else { return };
        let kind = RecordKind::FloorClosed { building_id: door.building_id.clone(), floor: door.floor };
        save_event(&door.building_id, door.floor, "", kind, None);
    };
    let all_final = data.doors.iter().all(|(_, s)| s.state == DoorState::Final) && !data.doors.is_empty();
    view! {
        <div class="floor-closing">
            {match (&data.closure, all_final) {
                (Some(closure), _) => {
                    let at = short_time(closure.device_time);
                    let FloorClosure { id, building_id, floor, .. } = closure.clone();
                    view! {
                        <p class="floor-closed" id="floor-closed">"✓ " {move || i18n.t(Text::FloorClosed)} " · " {at.clone()}</p>
                        <Withdraw id="reopen-floor" record_id=id building_id floor label=Text::ReopenFloor/>
                    }.into_any()
                }
                (None, true) => view! {
                    <button class="button button-primary wide" id="close-floor" on:click=close_floor>
                        {move || i18n.t(Text::CloseFloor)}
                    </button>
                }.into_any(),
                (None, false) => view! {
                    <p class="hint" id="floor-open-doors">
                        {move || i18n.t(Text::FloorStillOpen)} " " {open_labels.join(", ")}
                    </p>
                }.into_any(),
            }}
            <StoreError result=save_error/>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use wasm_bindgen_test::wasm_bindgen_test;

    use super::*;

    #[wasm_bindgen_test]
    fn a_tile_shows_what_a_coordinator_typed_as_text_never_as_markup() {
        let door = Door {
            id: "d\"1".into(),
            building_id: "b&1".into(),
            entrance: None,
            floor: 3,
            label: "<img src=x onerror=alert(1)> & 'A'".into(),
            position: 1,
        };
        let markup = tile_markup(&door, &status_of(&[]), |_| "<Unvisited>");
        assert!(!markup.contains("<img"), "{markup}");
        assert!(markup.contains(r#"<span class="door-label">&lt;img src=x onerror=alert(1)&gt; &amp; &#39;A&#39;</span>"#), "{markup}");
        assert!(markup.contains(r#"href="/b/b&amp;1/f/3/d/d&quot;1""#), "{markup}");
        assert!(markup.contains(r#"data-door="d&quot;1""#), "{markup}");
        assert!(markup.contains(r#"data-state="unvisited""#), "{markup}");
        assert!(markup.contains("&lt;Unvisited&gt;</span>"), "{markup}");
        assert!(!markup.contains("door-sync"), "no record, so nothing to send: {markup}");
    }
}
