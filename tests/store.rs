//! The phone's store against the real IndexedDB of headless Chromium
//! (wasm-bindgen-test). Each test uses its own database.

#![cfg(target_arch = "wasm32")]

use serde::Serialize;
use walkbook_app::store::{open, Draft, NewRecord, OutboxEntry, Store, SyncState, SCHEMA_VERSION};
use walkbook_core::demo::demo_campaign;
use walkbook_core::form::{Answer, Answers};
use walkbook_core::record::Outcome;
use walkbook_core::territory::Door;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn unique_name(test: &str) -> String {
    format!("walkbook-test-{test}-{}", js_sys::Math::random())
}

fn new_record(door: &Door, outcome: Outcome) -> NewRecord {
    let answers = Answers::from([("household_size".to_string(), Answer::Number(3.0))]);
    NewRecord::visit("demo-xingfu", door, ("household", 1), outcome, answers)
}

/// The first entries of the outbox, oldest first.
async fn outbox(store: &Store) -> Vec<OutboxEntry> {
    store.start_outbox_read(None, 10).await.unwrap().await.unwrap()
}

async fn seeded_store(test: &str) -> Store {
    let store = Store::new(&unique_name(test));
    store.save_bundle(&demo_campaign()).await.expect("bundle saved");
    store.device().await.expect("device created");
    store
}

#[wasm_bindgen_test]
async fn one_floor_loads_through_the_index_in_landing_order() {
    let store = seeded_store("floor").await;
    let doors = store.floor_snapshot("demo-xingfu", "ht-tower", 12).await.unwrap().doors;
    let labels: Vec<&str> = doors.iter().map(|d| d.label.as_str()).collect();
    assert_eq!(labels, ["T-1201", "T-1202", "T-1203", "T-1204", "T-1205", "T-1206", "T-1207", "T-1208"]);
    let walkup = store.floor_snapshot("demo-xingfu", "xfl-03", 4).await.unwrap().doors;
    assert_eq!(walkup.len(), 4, "2 entrances x 2 doors");
    assert!(walkup.iter().all(|d| d.building_id == "xfl-03" && d.floor == 4));
    assert!(store.floor_snapshot("demo-xingfu", "ht-tower", 31).await.unwrap().doors.is_empty());
}

#[wasm_bindgen_test]
async fn a_saved_record_is_found_by_door_and_takes_the_next_sequence_number() {
    let store = seeded_store("save").await;
    let doors = store.floor_snapshot("demo-xingfu", "ht-tower", 3).await.unwrap().doors;
    store
        .save_draft(&Draft { campaign_id: "demo-xingfu".into(), door_id: doors[0].id.clone(), answers: Answers::new(), updated_at: 1 })
        .await
        .unwrap();
    let first = store.save_record(new_record(&doors[0], Outcome::Answered)).await.unwrap();
    let second = store.save_record(new_record(&doors[1], Outcome::NotHome)).await.unwrap();
    assert_eq!(second.record.device_seq, first.record.device_seq + 1);
    assert_eq!(first.sync_state, SyncState::Pending);

    let ids = [doors[0].id.as_str(), doors[1].id.as_str(), doors[2].id.as_str()];
    let by_door = store.records_of_doors("demo-xingfu", &ids).await.unwrap();
    assert_eq!(by_door[ids[0]], vec![first.clone()]);
    assert_eq!(by_door[ids[1]], vec![second]);
    assert!(by_door[ids[2]].is_empty());
    let floor = store.floor_snapshot("demo-xingfu", "ht-tower", 3).await.unwrap();
    assert_eq!(floor.records[ids[0]], vec![first.clone()], "the floor view reads the same records");
    assert!(floor.closure.is_none());
    assert_eq!(store.draft("demo-xingfu", ids[0]).await.unwrap(), None, "saving removes the door's draft");
    assert_eq!(store.campaign_records("demo-xingfu").await.unwrap().len(), 2);
}

#[wasm_bindgen_test]
async fn records_and_drafts_survive_reopening_the_database() {
    let name = unique_name("reopen");
    let store = Store::new(&name);
    store.save_bundle(&demo_campaign()).await.unwrap();
    let device = store.device().await.unwrap();
    let door = store.door("demo-xingfu", "hp-05").await.unwrap().expect("shop 5 exists");
    let saved = store.save_record(new_record(&door, Outcome::Refused)).await.unwrap();
    let draft = Draft {
        campaign_id: "demo-xingfu".into(),
        door_id: "hp-06".into(),
        answers: Answers::from([("notes".to_string(), Answer::Text("half typed".into()))]),
        updated_at: 5,
    };
    store.save_draft(&draft).await.unwrap();
    store.close();

    let reopened = Store::new(&name);
    let device_after = reopened.device().await.unwrap();
    assert_eq!(device_after.device_id, device.device_id, "the phone keeps its identity");
    assert_eq!(device_after.next_seq, device.next_seq + 1, "and its record counter");
    let records = reopened.records_of_doors("demo-xingfu", &["hp-05"]).await.unwrap();
    assert_eq!(records["hp-05"], vec![saved]);
    assert_eq!(reopened.draft("demo-xingfu", "hp-06").await.unwrap(), Some(draft));
}

#[wasm_bindgen_test]
async fn an_older_schema_upgrades_and_keeps_its_data() {
    let name = unique_name("upgrade");
    // A phone that ran a build with schema version 1 and saved a record.
    let old = open(&name, 1).await.unwrap();
    assert_eq!(old.object_store_names().length(), 4);
    let tx = old.transaction_with_str_and_mode("records", web_sys::IdbTransactionMode::Readwrite).unwrap();
    let record = serde_json::json!({
        "id": "0190a0b0-0000-7000-8000-000000000001", "campaign_id": "demo-xingfu", "door_id": "hp-01",
        "form_id": "shop", "form_version": 1, "outcome": {"kind": "vacant"}, "answers": {},
        "volunteer_id": "v", "device_id": "d", "device_seq": 1, "device_time": 1000,
        "building_id": "hp-street", "floor": 1, "sync_state": "pending"
    });
    let value = record.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).unwrap();
    tx.object_store("records").unwrap().put(&value).unwrap();
    let done = js_sys::Promise::new(&mut |resolve, _| tx.set_oncomplete(Some(&resolve)));
    JsFuture::from(done).await.unwrap();
    old.close();

    let store = Store::new(&name);
    let db = store.db().await.unwrap();
    assert_eq!(db.version() as u32, SCHEMA_VERSION);
    assert!(db.object_store_names().contains("drafts"));
    assert!(db.object_store_names().contains("floor_closures"));
    let records = store.records_of_doors("demo-xingfu", &["hp-01"]).await.unwrap();
    assert_eq!(records["hp-01"].len(), 1);
    assert_eq!(records["hp-01"][0].record.outcome, Outcome::Vacant);
    // Schema 3: the record it had not sent waits in the outbox.
    let outbox = outbox(&store).await;
    assert_eq!(outbox.len(), 1);
    assert_eq!((outbox[0].seq, outbox[0].id.as_str()), (1, "0190a0b0-0000-7000-8000-000000000001"));
    let pushed: serde_json::Value = serde_json::from_str(&outbox[0].json).unwrap();
    assert_eq!(pushed["outcome"], serde_json::json!({"kind": "vacant"}));
    assert!(pushed.get("sync_state").is_none(), "the push JSON is the record, without the phone's own fields");
    let summary = store.outbox_summary().await.unwrap();
    assert_eq!((summary.pending, summary.oldest_pending), (1, Some(1000)));
    assert_eq!(records["hp-01"][0].sync_state, SyncState::Pending);
}

#[wasm_bindgen_test]
async fn an_answered_batch_leaves_the_outbox_and_refused_records_keep_their_reason() {
    let store = seeded_store("acknowledge").await;
    let doors = store.floor_snapshot("demo-xingfu", "ht-tower", 5).await.unwrap().doors;
    let mut saved = Vec::new();
    for door in &doors[..3] {
        saved.push(store.save_record(new_record(door, Outcome::NotHome)).await.unwrap());
    }
    let batch = outbox(&store).await;
    assert_eq!(
        batch.iter().map(|entry| entry.id.as_str()).collect::<Vec<_>>(),
        saved.iter().map(|s| s.record.id.as_str()).collect::<Vec<_>>()
    );
    // A record saved while the batch is on the wire is not part of its answer.
    let later = store.save_record(new_record(&doors[3], Outcome::Vacant)).await.unwrap();
    let refused = vec![(saved[1].record.id.clone(), "there is no door 'x' in this campaign".to_string())];
    store.start_acknowledge(&batch, &refused).await.unwrap().await.unwrap();

    let summary = store.outbox_summary().await.unwrap();
    assert_eq!(summary.pending, 1, "only the later record still waits");
    assert_eq!(summary.oldest_pending, Some(later.record.device_time));
    assert_eq!(summary.refused.len(), 1);
    assert_eq!(summary.refused[0].sync_problem.as_deref(), Some("there is no door 'x' in this campaign"));
    let floor = store.floor_snapshot("demo-xingfu", "ht-tower", 5).await.unwrap();
    let state = |door: &Door| floor.records[&door.id][0].sync_state;
    assert_eq!(
        [state(&doors[0]), state(&doors[1]), state(&doors[2]), state(&doors[3])],
        [SyncState::Synced, SyncState::Refused, SyncState::Synced, SyncState::Pending]
    );
    let unsent: Vec<String> = store.unsent_records().await.unwrap().into_iter().map(|s| s.record.id).collect();
    assert_eq!(unsent, [saved[1].record.id.clone(), later.record.id.clone()]);
    assert_eq!(outbox(&store).await.len(), 1);
}

#[wasm_bindgen_test]
async fn a_pulled_record_settles_a_pending_one_only_with_the_same_contents() {
    let store = seeded_store("pulled-same-id").await;
    let doors = store.floor_snapshot("demo-xingfu", "ht-tower", 6).await.unwrap().doors;
    let same = store.save_record(new_record(&doors[0], Outcome::NotHome)).await.unwrap();
    let differs = store.save_record(new_record(&doors[1], Outcome::NotHome)).await.unwrap();
    let mut other_contents = differs.record.clone();
    other_contents.outcome = Outcome::Vacant;
    let meta = store.sync_meta().await.unwrap();
    store.save_pulled("demo-xingfu", &[same.record.clone(), other_contents], &meta).await.unwrap();

    let floor = store.floor_snapshot("demo-xingfu", "ht-tower", 6).await.unwrap();
    let kept = |door: &Door| floor.records[&door.id][0].clone();
    assert_eq!(kept(&doors[0]).sync_state, SyncState::Synced);
    let conflict = kept(&doors[1]);
    assert_eq!(conflict.sync_state, SyncState::Refused, "other contents under the id: a conflict, not a sync");
    assert_eq!(conflict.record, differs.record, "the phone's own copy is kept");
    assert!(conflict.sync_problem.unwrap().contains("the first one is kept"));
    assert!(outbox(&store).await.is_empty());
    assert_eq!(store.outbox_summary().await.unwrap().refused.len(), 1);
}

#[wasm_bindgen_test]
async fn another_tab_deleting_the_database_is_not_blocked_and_the_store_reopens() {
    let name = unique_name("versionchange");
    let store = Store::new(&name);
    store.save_bundle(&demo_campaign()).await.unwrap();
    // Another tab (here: this page) deletes the database; our open connection
    // must close on "versionchange" instead of blocking it.
    let factory = web_sys::window().unwrap().indexed_db().unwrap().unwrap();
    let request = factory.delete_database(&name).unwrap();
    let deleted = js_sys::Promise::new(&mut |resolve, reject| {
        request.set_onsuccess(Some(&resolve));
        request.set_onblocked(Some(&reject));
    });
    JsFuture::from(deleted).await.expect("delete was not blocked by our connection");
    // The store reopens by itself: a fresh, empty database at the current schema.
    assert_eq!(store.campaign("demo-xingfu").await.unwrap(), None);
    let db = store.db().await.unwrap();
    assert_eq!(db.version() as u32, SCHEMA_VERSION);
}

#[wasm_bindgen(inline_js = r#"
// Counts the store's puts, and how many had been made each time a chain of
// timers ran (the page's chances to run anything else) until `restore`.
export function watch_puts() {
  const put = IDBObjectStore.prototype.put;
  const watch = { puts: 0, seenByTimers: [] };
  watch.restore = () => { IDBObjectStore.prototype.put = put; clearTimeout(watch.timer); };
  IDBObjectStore.prototype.put = function (...args) { watch.puts += 1; return put.apply(this, args); };
  const tick = () => { watch.seenByTimers.push(watch.puts); watch.timer = setTimeout(tick, 0); };
  watch.timer = setTimeout(tick, 0);
  return watch;
}
"#)]
extern "C" {
    fn watch_puts() -> JsValue;
}

#[wasm_bindgen_test]
async fn a_big_campaign_is_stored_in_one_transaction_with_the_page_running_between_slices() {
    let store = Store::new(&unique_name("big-bundle"));
    let mut bundle = demo_campaign();
    let tower = bundle.doors[0].clone();
    bundle.doors = (0..20_000)
        .map(|n| Door { id: format!("big-{n}"), label: format!("B-{n}"), floor: 1 + n / 100, position: (n % 100) as u32, ..tower.clone() })
        .collect();
    let watch = watch_puts();
    let saved = store.save_bundle(&bundle).await;
    let field = |name: &str| js_sys::Reflect::get(&watch, &name.into()).unwrap().as_f64().unwrap();
    let restore: js_sys::Function = js_sys::Reflect::get(&watch, &"restore".into()).unwrap().into();
    restore.call0(&watch).unwrap();
    saved.unwrap();
    let all_puts = field("puts");
    assert_eq!(all_puts, 20_001.0, "the campaign and each door");
    let seen_by_timers: Vec<f64> =
        js_sys::Array::from(&js_sys::Reflect::get(&watch, &"seenByTimers".into()).unwrap()).iter().filter_map(|n| n.as_f64()).collect();
    assert!(
        seen_by_timers.iter().any(|&puts| puts > 1.0 && puts < all_puts),
        "timers ran while the doors were written, not only before or after them ({} ticks, from {:?} to {:?} puts)",
        seen_by_timers.len(),
        seen_by_timers.first(),
        seen_by_timers.last()
    );
    assert_eq!(store.campaign_doors("demo-xingfu").await.unwrap().len(), 20_000);
}
