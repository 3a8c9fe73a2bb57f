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

/// Fills the installed generated territory (`bench_install_territory`) with
/// `households` answered visits, one a door, of two or three people each with
/// a name and a phone number, as if pulled from other phones (one
/// transaction). Returns the number of people; person `n`'s name is
/// `bench_person_name(n)` and their phone ends in `n` as eight digits.
#[wasm_bindgen]
pub async fn bench_install_households(households: u32) -> Result<u32, JsValue> {
    use walkbook_core::form::Entry;
    use walkbook_core::people::{NAME, ROSTER};
    use walkbook_core::record::{Record, RecordKind};
    let store = app_store();
    let doors = store.campaign_doors(DEMO_CAMPAIGN_ID).await.map_err(js_error)?;
    let mut person = 0u32;
    let records: Vec<Record> = doors
        .iter()
        .take(households as usize)
        .enumerate()
        .map(|(n, door)| {
            let people: Vec<Entry> = (0..2 + n % 2)
                .map(|_| {
                    person += 1;
                    let answers = [
                        (NAME.to_string(), Answer::Text(bench_person_name(person))),
                        (walkbook_core::find::PHONE.to_string(), Answer::Text(format!("139 {person:08}"))),
                    ];
                    Entry { id: format!("person-{person}"), answers: answers.into_iter().collect() }
                })
                .collect();
            Record {
                id: format!("bench-household-{n}"),
                campaign_id: DEMO_CAMPAIGN_ID.into(),
                door_id: door.id.clone(),
                form_id: "household".into(),
                form_version: 2,
                outcome: Outcome::Answered,
                answers: [(ROSTER.to_string(), Answer::Group(people))].into_iter().collect(),
                volunteer_id: "bench-volunteer".into(),
                device_id: "bench-phone".into(),
                device_seq: n as u64 + 1,
                device_time: 1_700_000_000_000 + n as i64,
                supersedes: None,
                reason: None,
                kind: RecordKind::Visit {},
            }
        })
        .collect();
    let meta = store.sync_meta().await.map_err(js_error)?;
    store.save_pulled(DEMO_CAMPAIGN_ID, &records, &meta).await.map_err(js_error)?;
    Ok(person)
}

/// The name of the bench's person `n`: a surname of a common few and a
/// given name unique to them, in Chinese characters.
#[wasm_bindgen]
pub fn bench_person_name(n: u32) -> String {
    const SURNAMES: [char; 8] = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵'];
    const GIVEN: [char; 20] =
        ['伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟', '涛', '明', '超', '秀', '霞', '平'];
    let (given, rest) = (n as usize % 400, n as usize / 400);
    let mut name = String::from(SURNAMES[rest % SURNAMES.len()]);
    name.push(GIVEN[given / 20]);
    name.push(GIVEN[given % 20]);
    name.push_str(&(rest / SURNAMES.len()).to_string());
    name
}
