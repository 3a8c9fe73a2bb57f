//! Records another phone handed over to this one (see
//! `walkbook_core::handover`): stored as relayed (in `records`, with the
//! phone they came from, and in `relayed` with their maker's signature,
//! as the push carries them) until the server answers for them.

use walkbook_core::handover::HandoverPackage;
use walkbook_core::sync::RelayedRecord;
use walkbook_core::territory::Door;
use wasm_bindgen::prelude::*;
use web_sys::IdbTransactionMode as Mode;

use super::idb::{self, js, key, Durability, IdbError, IdbResult};
use super::records::{keep_floor_closures, StoredRecord, SyncState};
use super::schema::{DOORS, FLOOR_CLOSURES, RECORDS, RELAYED};
use super::{OutboxEntry, Store};

/// A relayed record waiting for the server, as `relayed` holds it: an
/// outbox entry whose JSON is the `RelayedRecord` the push carries.
pub type RelayedEntry = OutboxEntry;

/// What an import did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Imported {
    /// Records new to this phone, now waiting to be sent.
    pub added: usize,
    /// Records this phone already had (an import repeated, or records it
    /// pulled): left as they were.
    pub already_here: usize,
}

impl Store {
    /// Stores the records of `package` (checked and verified) as relayed, in
    /// one transaction with durability "strict": those this phone has under
    /// their id are left as they are.
    pub async fn import_relayed(&self, campaign_id: &str, package: &HandoverPackage) -> IdbResult<Imported> {
        let db = self.db().await?;
        let tx = idb::transaction(&db, &[RECORDS, RELAYED, DOORS, FLOOR_CLOSURES], Mode::Readwrite, Durability::Strict)?;
        let (records, relayed, doors) = (js(tx.object_store(RECORDS))?, js(tx.object_store(RELAYED))?, js(tx.object_store(DOORS))?);
        let mut imported = Imported { added: 0, already_here: 0 };
        for relayed_record in &package.records {
            let record = &relayed_record.record;
            if !idb::request(js(records.get(&record.id.as_str().into()))?).await?.is_undefined() {
                imported.already_here += 1;
                continue;
            }
            // Placed as a pulled record is: by its floor or gate, else its door
            // (one this phone's territory lacks is still sent).
            let (building_id, floor) = match record.kind.place() {
                Some((building_id, floor)) => (building_id.to_string(), floor),
                None => {
                    let door = idb::request(js(doors.get(&key(&[campaign_id.into(), record.door_id.as_str().into()])))?).await?;
                    if door.is_undefined() {
                        (String::new(), 0)
                    } else {
                        let door: Door = idb::from_js(door)?;
                        (door.building_id, door.floor)
                    }
                }
            };
            keep_floor_closures(&tx, record)?;
            let stored = StoredRecord {
                record: record.clone(),
                building_id,
                floor,
                sync_state: SyncState::Pending,
                sync_problem: None,
                relayed_from: Some(package.device_id.clone()),
            };
            js(records.put(&idb::to_js(&stored)?))?;
            js(relayed.put(&idb::to_js(&entry_of(relayed_record)?)?))?;
            imported.added += 1;
        }
        idb::committed(&tx).await?;
        Ok(imported)
    }

    /// Every relayed record waiting for the server, oldest first.
    pub async fn relayed_entries(&self) -> IdbResult<Vec<RelayedEntry>> {
        let db = self.db().await?;
        let tx = idb::transaction(&db, &[RELAYED], Mode::Readonly, Durability::Relaxed)?;
        let index = js(js(tx.object_store(RELAYED))?.index("by_time"))?;
        idb::all_from_js(idb::request(js(index.get_all())?).await?)
    }

    /// Records the server's answer for `batch` in one transaction: each is
    /// marked sent, or refused with the reason (`refused`: id and reason),
    /// and leaves `relayed`.
    pub async fn acknowledge_relayed(&self, batch: &[RelayedEntry], refused: &[(String, String)]) -> IdbResult<()> {
        let db = self.db().await?;
        let tx = idb::transaction(&db, &[RECORDS, RELAYED], Mode::Readwrite, Durability::Strict)?;
        let (records, relayed) = (js(tx.object_store(RECORDS))?, js(tx.object_store(RELAYED))?);
        for entry in batch {
            let value = idb::request(js(records.get(&entry.id.as_str().into()))?).await?;
            if !value.is_undefined() {
                let mut stored = StoredRecord::from_js(value)?;
                match refused.iter().find(|(id, _)| *id == entry.id) {
                    Some((_, reason)) => (stored.sync_state, stored.sync_problem) = (SyncState::Refused, Some(reason.clone())),
                    None => (stored.sync_state, stored.sync_problem) = (SyncState::Synced, None),
                }
                js(records.put(&idb::to_js(&stored)?))?;
            }
            js(relayed.delete(&entry.id.as_str().into()))?;
        }
        idb::committed(&tx).await
    }
}

fn entry_of(relayed: &RelayedRecord) -> IdbResult<RelayedEntry> {
    let json = js_sys::JSON::stringify(&idb::to_js(relayed)?).map_err(IdbError::from_js)?;
    let record = &relayed.record;
    Ok(OutboxEntry { seq: record.device_seq, id: record.id.clone(), device_time: record.device_time, json: json.into() })
}

/// Starts reading, in `tx`, the count and oldest time of the relayed
/// records waiting; returns what resolves to them. (The requests are made
/// now, so that the caller can make them with its own before awaiting any.)
pub(super) fn start_relayed_waiting(
    tx: &web_sys::IdbTransaction,
) -> IdbResult<impl std::future::Future<Output = IdbResult<(u32, Option<i64>)>>> {
    let relayed = js(tx.object_store(RELAYED))?;
    let count = js(relayed.count())?;
    let oldest = js(js(relayed.index("by_time"))?.get_all_with_key_and_limit(&JsValue::NULL, 1))?;
    Ok(async move {
        let count = idb::request(count).await?.as_f64().unwrap_or(0.0) as u32;
        let oldest: Vec<RelayedEntry> = idb::all_from_js(idb::request(oldest).await?)?;
        Ok((count, oldest.first().map(|entry| entry.device_time)))
    })
}
