//! The database: its name, the version this build writes, its stores, and
//! the upgrade from every older version.

use gloo_events::EventListener;
use wasm_bindgen::prelude::*;
use web_sys::IdbDatabase;

use super::idb::{self, js, IdbError, IdbResult};
use super::outbox::OutboxEntry;
use super::records::{StoredRecord, SyncState};

pub const DATABASE_NAME: &str = "walkbook";
/// The schema version this build writes. Every older version upgrades.
pub const SCHEMA_VERSION: u32 = 4;

pub(super) const CAMPAIGNS: &str = "campaigns";
pub(super) const DOORS: &str = "doors";
pub(super) const RECORDS: &str = "records";
pub(super) const META: &str = "meta";
pub(super) const DRAFTS: &str = "drafts";
pub(super) const FLOOR_CLOSURES: &str = "floor_closures";
pub(super) const OUTBOX: &str = "outbox";
pub(super) const RELAYED: &str = "relayed";

/// Schema 3: the records a version-2 phone had not sent (marked Pending
/// then) become the new outbox's entries, within the upgrade transaction.
fn fill_outbox(tx: &web_sys::IdbTransaction, outbox: web_sys::IdbObjectStore) -> IdbResult<()> {
    let index = js(js(tx.object_store(RECORDS))?.index("by_sync"))?;
    let request = js(index.get_all_with_key(&idb::to_js(&SyncState::Pending)?))?;
    let read = request.clone();
    let aborting = tx.clone();
    EventListener::once(&request, "success", move |_| {
        let added = js(read.result()).and_then(StoredRecord::all_from_js).and_then(|pending| {
            pending.iter().try_for_each(|stored| js(outbox.add(&idb::to_js(&OutboxEntry::of(&stored.record)?)?)).map(drop))
        });
        if let Err(error) = added {
            web_sys::console::error_1(&format!("IndexedDB upgrade: the outbox was not filled: {error}").into());
            let _ = aborting.abort();
        }
    })
    .forget();
    Ok(())
}

/// The browser's IndexedDB.
pub(super) fn factory() -> IdbResult<web_sys::IdbFactory> {
    js(web_sys::window().ok_or_else(|| IdbError::new("Error", "no window"))?.indexed_db())?
        .ok_or_else(|| IdbError::new("NotSupportedError", "this browser has no IndexedDB"))
}

/// Opens the database at `version`, running the upgrade of every version
/// between the stored one and `version`.
pub async fn open(name: &str, version: u32) -> IdbResult<IdbDatabase> {
    let request = js(factory()?.open_with_u32(name, version))?;
    let upgrading = request.clone();
    let on_upgrade = EventListener::new(&request, "upgradeneeded", move |event| {
        let Some(event) = event.dyn_ref::<web_sys::IdbVersionChangeEvent>() else { return };
        let db: IdbDatabase = upgrading.result().expect("result is set during upgradeneeded").unchecked_into();
        let from = event.old_version() as u32;
        let to = event.new_version().unwrap_or(version as f64) as u32;
        let Some(tx) = upgrading.transaction() else { return };
        if let Err(error) = upgrade(&db, &tx, from, to) {
            web_sys::console::error_1(&format!("IndexedDB upgrade {from} -> {to} failed: {error}").into());
            // Aborting the upgrade leaves the database at its old version.
            let _ = tx.abort();
        }
    });
    let result = idb::request(request.clone().into()).await;
    drop(on_upgrade);
    Ok(result?.unchecked_into())
}

/// Schema changes, one block per version, in the upgrade transaction `tx`.
/// Never edit a released block: add the next version instead.
fn upgrade(db: &IdbDatabase, tx: &web_sys::IdbTransaction, from: u32, to: u32) -> IdbResult<()> {
    let params = |key_path: JsValue| {
        let params = web_sys::IdbObjectStoreParameters::new();
        params.set_key_path(&key_path);
        params
    };
    let path = |parts: &[&str]| -> JsValue { parts.iter().map(|p| JsValue::from_str(p)).collect::<js_sys::Array>().into() };
    for version in from + 1..=to {
        match version {
            1 => {
                js(db.create_object_store_with_optional_parameters(CAMPAIGNS, &params("id".into())))?;
                let doors = js(db.create_object_store_with_optional_parameters(DOORS, &params(path(&["campaign_id", "id"]))))?;
                js(doors.create_index_with_str_sequence("by_floor", &path(&["campaign_id", "building_id", "floor"])))?;
                js(doors.create_index_with_str_sequence("by_search", &path(&["campaign_id", "search_key"])))?;
                let records = js(db.create_object_store_with_optional_parameters(RECORDS, &params("id".into())))?;
                js(records.create_index_with_str_sequence("by_door", &path(&["campaign_id", "door_id"])))?;
                js(records.create_index_with_str_sequence("by_building", &path(&["campaign_id", "building_id"])))?;
                js(records.create_index_with_str("by_sync", "sync_state"))?;
                js(db.create_object_store_with_optional_parameters(META, &params("key".into())))?;
            }
            2 => {
                js(db.create_object_store_with_optional_parameters(DRAFTS, &params(path(&["campaign_id", "door_id"]))))?;
                let closures = js(db.create_object_store_with_optional_parameters(FLOOR_CLOSURES, &params("id".into())))?;
                js(closures.create_index_with_str_sequence("by_floor", &path(&["campaign_id", "building_id", "floor"])))?;
            }
            3 => {
                let outbox = js(db.create_object_store_with_optional_parameters(OUTBOX, &params("seq".into())))?;
                fill_outbox(tx, outbox)?;
            }
            4 => {
                let relayed = js(db.create_object_store_with_optional_parameters(RELAYED, &params("id".into())))?;
                js(relayed.create_index_with_str("by_time", "device_time"))?;
            }
            other => return Err(IdbError::new("VersionError", format!("no upgrade to schema version {other}"))),
        }
    }
    Ok(())
}
