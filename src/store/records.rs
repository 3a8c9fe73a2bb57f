//! Records: made on this phone (`NewRecord`, saved durably with its outbox
//! entry) or pulled; read by door, floor, building or campaign with their
//! sync states settled; and the drafts of half-filled forms.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use walkbook_core::campaign::Campaign;
use walkbook_core::form::Answers;
use walkbook_core::gate::VisitorEntry;
use walkbook_core::record::{FloorClosure, Record, RecordKind};
use walkbook_core::territory::Door;
use wasm_bindgen::prelude::*;
use web_sys::{IdbKeyRange, IdbTransactionMode as Mode};

use super::idb::{self, js, key, Durability, IdbError, IdbResult};
use super::outbox::OutboxEntry;
use super::schema::{DOORS, DRAFTS, FLOOR_CLOSURES, META, OUTBOX, RECORDS};
use super::{campaign_range, Device, Store};

/// Whether the server has a record yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SyncState {
    /// Saved on this phone; in the outbox until the server answers for it
    /// (stored records keep this value: see the module's note).
    Pending,
    /// The server holds it.
    Synced,
    /// The server refused it (rejected or conflict); `sync_problem` says why.
    /// Kept, never dropped, and not sent again.
    Refused,
}

/// A record as stored: the record plus where its door is and its sync state.
/// Written flattened (one object, which the indices read); read with
/// `from_js`, not serde's flatten.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredRecord {
    #[serde(flatten)]
    pub record: Record,
    pub building_id: String,
    pub floor: i32,
    pub sync_state: SyncState,
    /// The server's reason, for a refused record.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sync_problem: Option<String>,
    /// The phone that made it, for a record another phone handed over to
    /// this one (none: made here, or pulled).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relayed_from: Option<String>,
}

/// What a stored record holds beside the record's own fields.
#[derive(Deserialize)]
struct RecordPlace {
    building_id: String,
    floor: i32,
    sync_state: SyncState,
    #[serde(default)]
    sync_problem: Option<String>,
    #[serde(default)]
    relayed_from: Option<String>,
}

impl StoredRecord {
    /// Reads a stored record: the record and its place each straight from
    /// the one object (`idb::from_js` reads only the fields a type names).
    /// A `#[serde(flatten)]` read would buffer every field first, record
    /// after record, and its code was the biggest part of reading records.
    pub fn from_js(value: JsValue) -> IdbResult<Self> {
        let RecordPlace { building_id, floor, sync_state, sync_problem, relayed_from } = idb::from_js(value.clone())?;
        Ok(StoredRecord { record: idb::from_js(value)?, building_id, floor, sync_state, sync_problem, relayed_from })
    }

    /// Every stored record of a `getAll` result.
    pub fn all_from_js(value: JsValue) -> IdbResult<Vec<Self>> {
        idb::all_read(value, Self::from_js)
    }
}

/// A half-filled door form, kept as the volunteer types; never a record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Draft {
    pub campaign_id: String,
    pub door_id: String,
    pub answers: Answers,
    pub updated_at: i64,
}

/// One floor as the floor view needs it.
pub struct FloorSnapshot {
    pub doors: Vec<Door>,
    pub records: HashMap<String, Vec<StoredRecord>>,
    pub closure: Option<FloorClosure>,
}

/// A record the volunteer has filled in, before the store gives it its
/// device, sequence number and time.
#[derive(Debug, Clone)]
pub struct NewRecord {
    pub id: String,
    pub campaign_id: String,
    /// Empty for a floor's record (a notice).
    pub door_id: String,
    pub building_id: String,
    pub floor: i32,
    pub kind: RecordKind,
    pub form_id: String,
    pub form_version: u32,
    pub outcome: walkbook_core::record::Outcome,
    pub answers: Answers,
    pub device_time: i64,
    pub supersedes: Option<String>,
    /// Why it replaces `supersedes` (a correction, a withdrawal).
    pub reason: Option<String>,
}

impl NewRecord {
    /// A door visit made now, filled in with form `(id, version)`.
    pub fn visit(
        campaign_id: &str,
        door: &Door,
        form: (&str, u32),
        outcome: walkbook_core::record::Outcome,
        answers: Answers,
    ) -> NewRecord {
        NewRecord {
            id: uuid::Uuid::now_v7().to_string(),
            campaign_id: campaign_id.to_string(),
            door_id: door.id.clone(),
            building_id: door.building_id.clone(),
            floor: door.floor,
            kind: RecordKind::Visit {},
            form_id: form.0.to_string(),
            form_version: form.1,
            outcome,
            answers,
            device_time: js_sys::Date::now() as i64,
            supersedes: None,
            reason: None,
        }
    }

    /// A record that is not a visit (a temperature check, a floor notice),
    /// made now: `answered`, no answers, under the building's current form.
    /// `None` if the campaign has no such building or form.
    pub fn event(campaign: &Campaign, building_id: &str, floor: i32, door_id: &str, kind: RecordKind) -> Option<NewRecord> {
        let form = campaign.current_form(&campaign.building(building_id)?.form_id)?;
        Some(NewRecord {
            id: uuid::Uuid::now_v7().to_string(),
            campaign_id: campaign.id.clone(),
            door_id: door_id.to_string(),
            building_id: building_id.to_string(),
            floor,
            kind,
            form_id: form.id.clone(),
            form_version: form.version,
            outcome: walkbook_core::record::Outcome::Answered,
            answers: Answers::new(),
            device_time: js_sys::Date::now() as i64,
            supersedes: None,
            reason: None,
        })
    }

    /// An entry at a gate made now: filed under the gate (floor 0), naming
    /// no door and no form (see `walkbook_core::gate`).
    pub fn at_gate(campaign_id: &str, entry: VisitorEntry) -> NewRecord {
        NewRecord {
            id: uuid::Uuid::now_v7().to_string(),
            campaign_id: campaign_id.to_string(),
            door_id: String::new(),
            building_id: entry.gate_id.clone(),
            floor: 0,
            kind: RecordKind::Visitor(entry),
            form_id: String::new(),
            form_version: 0,
            outcome: walkbook_core::record::Outcome::Answered,
            answers: Answers::new(),
            device_time: js_sys::Date::now() as i64,
            supersedes: None,
            reason: None,
        }
    }
}

impl Store {
    /// Everything the floor view shows, read in one readonly transaction:
    /// the floor's doors through `by_floor`, their records through `by_door`,
    /// and the floor's latest closure. Nothing else of the territory is read.
    pub async fn floor_snapshot(&self, campaign_id: &str, building_id: &str, floor: i32) -> IdbResult<FloorSnapshot> {
        let db = self.db().await?;
        let tx = idb::transaction(&db, &[DOORS, RECORDS, FLOOR_CLOSURES, OUTBOX], Mode::Readonly, Durability::Relaxed)?;
        let floor_key = key(&[campaign_id.into(), building_id.into(), floor.into()]);
        let doors_request = js(js(js(tx.object_store(DOORS))?.index("by_floor"))?.get_all_with_key(&floor_key))?;
        let closures_request = js(js(js(tx.object_store(FLOOR_CLOSURES))?.index("by_floor"))?.get_all_with_key(&floor_key))?;
        let mut doors: Vec<Door> = idb::all_from_js(idb::request(doors_request).await?)?;
        doors.sort_by(|a, b| (&a.entrance, a.position).cmp(&(&b.entrance, b.position)));
        let by_door = js(js(tx.object_store(RECORDS))?.index("by_door"))?;
        let record_requests = doors
            .iter()
            .map(|door| js(by_door.get_all_with_key(&key(&[campaign_id.into(), door.id.as_str().into()]))))
            .collect::<IdbResult<Vec<_>>>()?;
        let mut closures: Vec<FloorClosure> = idb::all_from_js(idb::request(closures_request).await?)?;
        closures.sort_by_key(|c| c.device_time);
        let mut records = HashMap::new();
        for (door, request) in doors.iter().zip(record_requests) {
            records.insert(door.id.clone(), StoredRecord::all_from_js(idb::request(request).await?)?);
        }
        settle_sync_states(&tx, records.values_mut().flatten()).await?;
        Ok(FloorSnapshot { doors, records, closure: closures.pop() })
    }

    /// Every record of the given doors, grouped by door id.
    pub async fn records_of_doors(&self, campaign_id: &str, door_ids: &[&str]) -> IdbResult<HashMap<String, Vec<StoredRecord>>> {
        let db = self.db().await?;
        let tx = idb::transaction(&db, &[RECORDS, OUTBOX], Mode::Readonly, Durability::Relaxed)?;
        let index = js(js(tx.object_store(RECORDS))?.index("by_door"))?;
        // All requests go out at once; the transaction answers them in order.
        let requests = door_ids
            .iter()
            .map(|door_id| js(index.get_all_with_key(&key(&[campaign_id.into(), (*door_id).into()]))))
            .collect::<IdbResult<Vec<_>>>()?;
        let mut grouped = HashMap::new();
        for (door_id, request) in door_ids.iter().zip(requests) {
            let records = StoredRecord::all_from_js(idb::request(request).await?)?;
            grouped.insert(door_id.to_string(), records);
        }
        settle_sync_states(&tx, grouped.values_mut().flatten()).await?;
        Ok(grouped)
    }

    /// Every record of a campaign (coverage of buildings and the campaign).
    pub async fn campaign_records(&self, campaign_id: &str) -> IdbResult<Vec<StoredRecord>> {
        let db = self.db().await?;
        let tx = idb::transaction(&db, &[RECORDS, OUTBOX], Mode::Readonly, Durability::Relaxed)?;
        let index = js(js(tx.object_store(RECORDS))?.index("by_building"))?;
        let value = idb::request(js(index.get_all_with_key(&campaign_range(campaign_id)?.into()))?).await?;
        settled(&tx, StoredRecord::all_from_js(value)?).await
    }

    /// Erases what this phone holds of a closed campaign: every record the
    /// server has, and the drafts. Records not yet sent (or refused) stay,
    /// for the volunteer to send or save; a later call erases them once
    /// sent. Returns how many records it erased.
    pub async fn erase_sent(&self, campaign_id: &str) -> IdbResult<usize> {
        let db = self.db().await?;
        let tx = idb::transaction(&db, &[RECORDS, OUTBOX, DRAFTS], Mode::Readwrite, Durability::Strict)?;
        let records = js(tx.object_store(RECORDS))?;
        let held = idb::request(js(js(records.index("by_building"))?.get_all_with_key(&campaign_range(campaign_id)?.into()))?).await?;
        let sent: Vec<StoredRecord> =
            settled(&tx, StoredRecord::all_from_js(held)?).await?.into_iter().filter(|stored| stored.sync_state == SyncState::Synced).collect();
        for stored in &sent {
            js(records.delete(&stored.record.id.as_str().into()))?;
        }
        js(js(tx.object_store(DRAFTS))?.delete(&campaign_range(campaign_id)?.into()))?;
        idb::committed(&tx).await?;
        Ok(sent.len())
    }

    /// Every record of one building (its doors', and its floors' notices).
    pub async fn building_records(&self, campaign_id: &str, building_id: &str) -> IdbResult<Vec<StoredRecord>> {
        let db = self.db().await?;
        let tx = idb::transaction(&db, &[RECORDS, OUTBOX], Mode::Readonly, Durability::Relaxed)?;
        let index = js(js(tx.object_store(RECORDS))?.index("by_building"))?;
        let value = idb::request(js(index.get_all_with_key(&key(&[campaign_id.into(), building_id.into()])))?).await?;
        settled(&tx, StoredRecord::all_from_js(value)?).await
    }

    /// Saves a record durably: the device's next sequence number is taken, the
    /// record written and the door's draft removed in one readwrite
    /// transaction with durability "strict". Returns once it has committed;
    /// on any error nothing of it was written.
    pub async fn save_record(&self, new: NewRecord) -> IdbResult<StoredRecord> {
        let db = self.db().await?;
        let tx = idb::transaction(&db, &[RECORDS, OUTBOX, META, DRAFTS, FLOOR_CLOSURES], Mode::Readwrite, Durability::Strict)?;
        let meta = js(tx.object_store(META))?;
        let device_value = idb::request(js(meta.get(&"device".into()))?).await?;
        if device_value.is_undefined() {
            // The device is created before any save; its absence means the
            // database was wiped under us.
            tx.abort().ok();
            return Err(IdbError::new("NotFoundError", "this phone's identity is missing: the database was cleared"));
        }
        let mut device: Device = idb::from_js(device_value)?;
        let stored = StoredRecord {
            record: Record {
                id: new.id,
                campaign_id: new.campaign_id.clone(),
                door_id: new.door_id.clone(),
                form_id: new.form_id,
                form_version: new.form_version,
                outcome: new.outcome,
                answers: new.answers,
                volunteer_id: device.volunteer_id.clone(),
                device_id: device.device_id.clone(),
                device_seq: device.next_seq,
                device_time: new.device_time,
                supersedes: new.supersedes,
                reason: new.reason,
                kind: new.kind,
            },
            building_id: new.building_id,
            floor: new.floor,
            sync_state: SyncState::Pending,
            sync_problem: None,
            relayed_from: None,
        };
        device.next_seq += 1;
        // Serialised once (saving is on the path of a tap): the record's JSON
        // is its outbox entry's, and the record with the phone's own fields
        // of `StoredRecord` added is what `records` holds.
        let record_js = idb::to_js(&stored.record)?;
        let entry = OutboxEntry::of_serialised(&stored.record, &record_js)?;
        let phone_fields = [
            ("building_id", JsValue::from_str(&stored.building_id)),
            ("floor", JsValue::from(stored.floor)),
            ("sync_state", idb::to_js(&stored.sync_state)?),
        ];
        for (field, value) in phone_fields {
            js(js_sys::Reflect::set(&record_js, &field.into(), &value))?;
        }
        js(js(tx.object_store(RECORDS))?.add(&record_js))?;
        js(js(tx.object_store(OUTBOX))?.add(&idb::to_js(&entry)?))?;
        keep_floor_closures(&tx, &stored.record)?;
        js(meta.put(&idb::to_js(&device)?))?;
        js(js(tx.object_store(DRAFTS))?.delete(&key(&[new.campaign_id.into(), new.door_id.into()])))?;
        idb::committed(&tx).await?;
        Ok(stored)
    }

    pub async fn draft(&self, campaign_id: &str, door_id: &str) -> IdbResult<Option<Draft>> {
        self.get(DRAFTS, &key(&[campaign_id.into(), door_id.into()])).await
    }

    /// Keeps a half-filled form. Committed before returning, so a killed tab
    /// keeps what was typed up to the last change.
    pub async fn save_draft(&self, draft: &Draft) -> IdbResult<()> {
        let db = self.db().await?;
        let tx = idb::transaction(&db, &[DRAFTS], Mode::Readwrite, Durability::Relaxed)?;
        js(js(tx.object_store(DRAFTS))?.put(&idb::to_js(draft)?))?;
        idb::committed(&tx).await
    }
}

/// Keeps the floor closures the floor view reads in step with `record`,
/// being saved in `tx`: a closure adds one, a withdrawal removes the one it
/// withdraws.
pub(super) fn keep_floor_closures(tx: &web_sys::IdbTransaction, record: &Record) -> IdbResult<()> {
    let closures = js(tx.object_store(FLOOR_CLOSURES))?;
    if let Some(closure) = FloorClosure::of(record) {
        js(closures.put(&idb::to_js(&closure)?))?;
    }
    if let (RecordKind::Void { .. }, Some(withdrawn)) = (&record.kind, &record.supersedes) {
        js(closures.delete(&withdrawn.as_str().into()))?;
    }
    Ok(())
}

/// Reports this phone's Pending records that the outbox no longer holds as
/// Synced: the server answered for them (see the module's note). Reads the
/// outbox's keys within the records' sequence range, in `tx`.
pub(super) async fn settle_sync_states<'a>(
    tx: &web_sys::IdbTransaction,
    records: impl Iterator<Item = &'a mut StoredRecord>,
) -> IdbResult<()> {
    // (A relayed record's state is written when the server answers: its
    // sequence is another phone's.)
    let mut pending: Vec<&mut StoredRecord> =
        records.filter(|stored| stored.sync_state == SyncState::Pending && stored.relayed_from.is_none()).collect();
    let seqs = pending.iter().map(|stored| stored.record.device_seq);
    let (Some(low), Some(high)) = (seqs.clone().min(), seqs.max()) else { return Ok(()) };
    let range = js(IdbKeyRange::bound(&(low as f64).into(), &(high as f64).into()))?;
    let keys = idb::request(js(js(tx.object_store(OUTBOX))?.get_all_keys_with_key(&range))?).await?;
    let waiting: std::collections::HashSet<u64> =
        js_sys::Array::from(&keys).iter().filter_map(|key| key.as_f64()).map(|key| key as u64).collect();
    for stored in pending.iter_mut().filter(|stored| !waiting.contains(&stored.record.device_seq)) {
        stored.sync_state = SyncState::Synced;
    }
    Ok(())
}

/// `records` with their sync states settled (`settle_sync_states`).
pub(super) async fn settled(tx: &web_sys::IdbTransaction, mut records: Vec<StoredRecord>) -> IdbResult<Vec<StoredRecord>> {
    settle_sync_states(tx, records.iter_mut()).await?;
    Ok(records)
}
