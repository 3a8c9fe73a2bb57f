//! Merging what a pull brought: other phones' records placed by their doors
//! (a floor's by its floor, a gate's entries under the gate),
//! this phone's own settled (or refused, when the server holds other
//! contents under the id), and the new cursor, in one transaction.

use walkbook_core::record::Record;
use walkbook_core::sync::canonical_bytes;
use walkbook_core::territory::Door;
use web_sys::IdbTransactionMode as Mode;

use super::idb::{self, js, key, Durability, IdbResult};
use super::meta::StoredSyncMeta;
use super::records::{keep_floor_closures, StoredRecord, SyncState};
use super::schema::{DOORS, FLOOR_CLOSURES, META, OUTBOX, RECORDS, RELAYED};
use super::{Store, SyncMeta};

/// Why a pending record is refused when the server holds other contents
/// under its id (what the server answers a push of it, too).
const PULLED_CONFLICT: &str = "another record with this id is already stored; the first one is kept";

impl Store {
    /// Stores records pulled from the server (other devices' and this one's)
    /// and the new cursor, in one transaction. A record already here is
    /// marked synced; a new one is placed by its door.
    pub async fn save_pulled(&self, campaign_id: &str, pulled: &[Record], meta: &SyncMeta) -> IdbResult<()> {
        let db = self.db().await?;
        let tx = idb::transaction(&db, &[RECORDS, OUTBOX, RELAYED, DOORS, META, FLOOR_CLOSURES], Mode::Readwrite, Durability::Strict)?;
        let records = js(tx.object_store(RECORDS))?;
        let doors = js(tx.object_store(DOORS))?;
        for record in pulled {
            let existing = idb::request(js(records.get(&record.id.as_str().into()))?).await?;
            let stored = if existing.is_undefined() {
                keep_floor_closures(&tx, record)?;
                let (building_id, floor) = match record.kind.place() {
                    Some((building_id, floor)) => (building_id.to_string(), floor),
                    None => {
                        let door_key = key(&[campaign_id.into(), record.door_id.as_str().into()]);
                        let door = idb::request(js(doors.get(&door_key))?).await?;
                        if door.is_undefined() {
                            continue; // a door this phone's territory does not have
                        }
                        let door: Door = idb::from_js(door)?;
                        (door.building_id, door.floor)
                    }
                };
                StoredRecord { record: record.clone(), building_id, floor, sync_state: SyncState::Synced, sync_problem: None, relayed_from: None }
            } else {
                let mut stored = StoredRecord::from_js(existing)?;
                // Only an unacknowledged record changes: a refused one keeps
                // its reason (the server's copy under that id is another).
                if stored.sync_state != SyncState::Pending {
                    continue;
                }
                // This phone's own record (or one it relays), still waiting: the server has it,
                // if it holds these very contents. Other contents under the
                // same id are a conflict: the phone's copy is kept and shown
                // refused, and the server's first one stays.
                if canonical_bytes(&stored.record) == canonical_bytes(record) {
                    stored.sync_state = SyncState::Synced;
                    stored.sync_problem = None;
                } else {
                    stored.sync_state = SyncState::Refused;
                    stored.sync_problem = Some(PULLED_CONFLICT.to_string());
                }
                match &stored.relayed_from {
                    Some(_) => js(js(tx.object_store(RELAYED))?.delete(&stored.record.id.as_str().into()))?,
                    None => js(js(tx.object_store(OUTBOX))?.delete(&(stored.record.device_seq as f64).into()))?,
                };
                stored
            };
            js(records.put(&idb::to_js(&stored)?))?;
        }
        let stored_meta = StoredSyncMeta { key: "sync".into(), meta: meta.clone() };
        js(js(tx.object_store(META))?.put(&idb::to_js(&stored_meta)?))?;
        idb::committed(&tx).await
    }
}
