//! Measurements the bench command drives from headless Chromium through
//! `window.wasmBindings` (Trunk exposes the app's exports there). Compiled
//! only with the `bench` feature: the shipped app has none of this.

use std::collections::BTreeMap;

use walkbook_core::campaign::CampaignBundle;
use walkbook_core::demo::{demo_campaign, DEMO_CAMPAIGN_ID};
use walkbook_core::form::Answer;
use walkbook_core::labels::Labels;
use walkbook_core::record::Outcome;
use walkbook_core::territory::{summarise_floors, Building, BuildingKind, Door};
use wasm_bindgen::prelude::*;

use crate::store::{app_store, NewRecord, Store};

fn now() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map(|p| p.now()).unwrap_or_default()
}

fn js_error(error: impl std::fmt::Display) -> JsValue {
    JsValue::from_str(&error.to_string())
}

/// Saves `count` answered records one after another, each awaited until its
/// strict-durability transaction completed; returns each save's milliseconds.
#[wasm_bindgen]
pub async fn bench_save_latency(count: u32) -> Result<Vec<f64>, JsValue> {
    let store = Store::new(&format!("walkbook-bench-saves-{}", js_sys::Math::random()));
    let bundle = demo_campaign();
    store.save_bundle(&bundle).await.map_err(js_error)?;
    store.device().await.map_err(js_error)?;
    let answers: BTreeMap<String, Answer> = [
        ("household_size", Answer::Number(3.0)),
        ("tenure", Answer::Text("tenant".into())),
        ("returned", Answer::Bool(false)),
        ("health_code", Answer::Text("green".into())),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    let mut timings = Vec::with_capacity(count as usize);
    for i in 0..count {
        let door = bundle.doors[i as usize % bundle.doors.len()].clone();
        let record = NewRecord::visit(DEMO_CAMPAIGN_ID, &door, ("household", 1), Outcome::Answered, answers.clone());
        let started = now();
        store.save_record(record).await.map_err(js_error)?;
        timings.push(now() - started);
    }
    store.close();
    Ok(timings)
}

/// Replaces the app's campaign with the demo's forms over a generated
/// territory of `buildings` x `floors` x `doors_per_floor` doors, as the app
/// store holds it; the page reloads into it.
#[wasm_bindgen]
pub async fn bench_install_territory(buildings: u32, floors: i32, doors_per_floor: u32) -> Result<u32, JsValue> {
    let mut bundle: CampaignBundle = demo_campaign();
    bundle.doors.clear();
    bundle.campaign.buildings = (1..=buildings)
        .map(|b| Building {
            id: format!("gen-{b:03}"),
            name: Labels::same(&format!("Generated {b}")),
            kind: BuildingKind::Residential,
            form_id: "household".into(),
            floors: vec![],
            door_count: 0,
        })
        .collect();
    for b in 1..=buildings {
        for floor in 1..=floors {
            for d in 1..=doors_per_floor {
                bundle.doors.push(Door {
                    id: format!("gen-{b:03}-{floor:02}{d:02}"),
                    building_id: format!("gen-{b:03}"),
                    entrance: None,
                    floor,
                    label: format!("{b}-{floor}{d:02}"),
                    position: d,
                });
            }
        }
    }
    summarise_floors(&mut bundle.campaign.buildings, &bundle.doors);
    let store = app_store();
    store.save_bundle(&bundle).await.map_err(js_error)?;
    Ok(bundle.doors.len() as u32)
}

/// Saves `count` not-home records to the app's store, each through the real
/// save path, leaving them pending in the outbox for the sync bench.
#[wasm_bindgen]
pub async fn bench_make_pending(count: u32) -> Result<u32, JsValue> {
    let store = app_store();
    store.device().await.map_err(js_error)?;
    let doors = demo_campaign().doors;
    for i in 0..count {
        let door = &doors[i as usize % doors.len()];
        let record = NewRecord::visit(DEMO_CAMPAIGN_ID, door, ("household", 1), Outcome::NotHome, BTreeMap::new());
        store.save_record(record).await.map_err(js_error)?;
    }
    Ok(count)
}
