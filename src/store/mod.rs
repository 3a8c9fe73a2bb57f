//! The phone's database: one IndexedDB database, versioned, with upgrade code
//! for every version from the first.
//!
//! | store            | key                     | indices                                   |
//! |------------------|-------------------------|-------------------------------------------|
//! | `campaigns`      | `id`                    |                                           |
//! | `doors`          | `[campaign_id, id]`     | `by_floor` [campaign, building, floor], `by_search` [campaign, search_key] |
//! | `records`        | `id`                    | `by_door` [campaign, door], `by_building` [campaign, building], `by_sync` sync_state |
//! | `meta`           | `key`                   |                                           |
//! | `drafts` (v2)    | `[campaign_id, door_id]`|                                           |
//! | `floor_closures` (v2) | `id`               | `by_floor` [campaign, building, floor]    |
//!
//! (`floor_closures` is what the floor view reads of `floor_closed` records,
//! written with each such record, saved or pulled.)
//! | `outbox` (v3)    | `seq` (device sequence) |                                           |
//!
//! A record is saved in one readwrite transaction with durability "strict"
//! (record, its outbox entry, device sequence, and the door's draft removed
//! together); callers learn it is saved only when that transaction has
//! completed.
//!
//! The outbox holds this phone's records the server has not answered for,
//! keyed by device sequence, each with its push JSON made once at save time.
//! The server's answer for a batch deletes the batch's key range in one
//! request (new records always take higher sequence numbers, so the range
//! holds only the batch), instead of rewriting every record. So a stored
//! record's `sync_state` is written once (Pending at save, Synced when
//! pulled, Refused with the server's reason) and a Pending record whose
//! sequence is no longer in the outbox is on the server: the reading
//! functions here report it as Synced (`settle_sync_states`).

pub mod idb;

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use serde::{Deserialize, Serialize};
use walkbook_core::campaign::{Campaign, CampaignBundle};
use walkbook_core::form::Answers;
use walkbook_core::record::{FloorClosure, Record, RecordKind};
use walkbook_core::sync::canonical_bytes;
use walkbook_core::territory::{search_key, Door};
use wasm_bindgen::prelude::*;
use web_sys::{IdbDatabase, IdbKeyRange, IdbTransactionMode as Mode};

use idb::{js, key, Durability, IdbError, IdbResult};

pub const DATABASE_NAME: &str = "walkbook";
/// The schema version this build writes. Every older version upgrades.
pub const SCHEMA_VERSION: u32 = 3;

const CAMPAIGNS: &str = "campaigns";
const DOORS: &str = "doors";
const RECORDS: &str = "records";
const META: &str = "meta";
const DRAFTS: &str = "drafts";
const FLOOR_CLOSURES: &str = "floor_closures";
const OUTBOX: &str = "outbox";

/// Why a pending record is refused when the server holds other contents
/// under its id (what the server answers a push of it, too).
const PULLED_CONFLICT: &str = "another record with this id is already stored; the first one is kept";

/// A door as stored: the door plus what its indices need.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct StoredDoor {
    campaign_id: String,
    search_key: String,
    #[serde(flatten)]
    door: Door,
}

/// A record waiting for the server's answer, as the outbox holds it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutboxEntry {
    /// The record's device sequence: the outbox's key.
    pub seq: u64,
    pub id: String,
    pub device_time: i64,
    /// The record as the push request carries it (JSON, made at save time).
    pub json: String,
}

impl OutboxEntry {
    fn of(record: &Record) -> IdbResult<OutboxEntry> {
        OutboxEntry::of_serialised(record, &idb::to_js(record)?)
    }

    /// With `record_js`, the record already serialised.
    fn of_serialised(record: &Record, record_js: &JsValue) -> IdbResult<OutboxEntry> {
        let json = js_sys::JSON::stringify(record_js).map_err(IdbError::from_js)?;
        Ok(OutboxEntry { seq: record.device_seq, id: record.id.clone(), device_time: record.device_time, json: json.into() })
    }
}

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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredRecord {
    #[serde(flatten)]
    pub record: Record,
    pub building_id: String,
    pub floor: i32,
    pub sync_state: SyncState,
    /// The server's reason, for a refused record.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sync_problem: Option<String>,
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

/// This phone's identity and record counter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Device {
    key: String,
    pub device_id: String,
    pub volunteer_id: String,
    /// The sequence number the next record gets.
    pub next_seq: u64,
}

/// What this phone knows of its sync: the joined volunteer and campaign, the
/// pull cursor, and when a sync last succeeded.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SyncMeta {
    pub joined: Option<Joined>,
    pub cursor: i64,
    pub last_success: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Joined {
    pub volunteer_id: String,
    pub volunteer_name: String,
    pub campaign_id: String,
}

#[derive(Serialize, Deserialize)]
struct StoredSyncMeta {
    key: String,
    #[serde(flatten)]
    meta: SyncMeta,
}

/// The outbox at a glance.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OutboxSummary {
    pub pending: u32,
    /// Device time of the oldest unsent record.
    pub oldest_pending: Option<i64>,
    pub refused: Vec<StoredRecord>,
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
        })
    }
}

/// A connection to the phone's database, reopened when the browser closes it
/// (another tab upgrading the schema, storage cleared, a crash of the IndexedDB
/// backend).
#[derive(Clone)]
pub struct Store {
    name: Rc<str>,
    connection: Rc<RefCell<Option<IdbDatabase>>>,
}

thread_local! {
    static APP_STORE: Store = Store::new(DATABASE_NAME);
}

/// The app's database (tests open their own, by name).
pub fn app_store() -> Store {
    APP_STORE.with(Clone::clone)
}

impl Store {
    pub fn new(name: &str) -> Store {
        Store { name: name.into(), connection: Rc::new(RefCell::new(None)) }
    }

    /// The open connection, opening (and upgrading) the database if needed.
    pub async fn db(&self) -> IdbResult<IdbDatabase> {
        if let Some(db) = self.connection.borrow().clone() {
            return Ok(db);
        }
        let db = open(&self.name, SCHEMA_VERSION).await?;
        self.watch(&db);
        *self.connection.borrow_mut() = Some(db.clone());
        Ok(db)
    }

    /// Forget the connection when it closes, so the next call reopens it.
    /// On "versionchange" (a newer tab wants to upgrade) close ours so the
    /// upgrade is not blocked; this tab reopens on its next operation.
    fn watch(&self, db: &IdbDatabase) {
        let connection = self.connection.clone();
        let watched = db.clone();
        let on_version_change = Closure::<dyn FnMut()>::new(move || {
            watched.close();
            connection.borrow_mut().take();
        });
        db.set_onversionchange(Some(on_version_change.as_ref().unchecked_ref()));
        on_version_change.forget();
        let connection = self.connection.clone();
        let on_close = Closure::<dyn FnMut()>::new(move || {
            connection.borrow_mut().take();
        });
        db.set_onclose(Some(on_close.as_ref().unchecked_ref()));
        on_close.forget();
    }

    /// Closes the connection (tests use this to reopen).
    pub fn close(&self) {
        if let Some(db) = self.connection.borrow_mut().take() {
            db.close();
        }
    }

    /// The value stored under `key` in `store`, if any, in a readonly
    /// transaction of its own.
    async fn get<T: serde::de::DeserializeOwned>(&self, store: &str, key: &JsValue) -> IdbResult<Option<T>> {
        let db = self.db().await?;
        let tx = idb::transaction(&db, &[store], Mode::Readonly, Durability::Relaxed)?;
        let value = idb::request(js(js(tx.object_store(store))?.get(key))?).await?;
        if value.is_undefined() {
            Ok(None)
        } else {
            idb::from_js(value).map(Some)
        }
    }

    pub async fn campaign(&self, campaign_id: &str) -> IdbResult<Option<Campaign>> {
        self.get(CAMPAIGNS, &campaign_id.into()).await
    }

    /// Stores a campaign and its doors in one transaction (a replace: doors
    /// the bundle no longer has are removed with it).
    pub async fn save_bundle(&self, bundle: &CampaignBundle) -> IdbResult<()> {
        let db = self.db().await?;
        let tx = idb::transaction(&db, &[CAMPAIGNS, DOORS], Mode::Readwrite, Durability::Strict)?;
        let campaign_id = bundle.campaign.id.as_str();
        js(js(tx.object_store(CAMPAIGNS))?.put(&idb::to_js(&bundle.campaign)?))?;
        let doors = js(tx.object_store(DOORS))?;
        let everything_of_campaign = campaign_range(campaign_id)?;
        js(doors.delete(&everything_of_campaign))?;
        for door in &bundle.doors {
            let stored = StoredDoor { campaign_id: campaign_id.to_string(), search_key: search_key(&door.label), door: door.clone() };
            js(doors.put(&idb::to_js(&stored)?))?;
        }
        idb::committed(&tx).await
    }

    /// Everything the floor view shows, read in one readonly transaction:
    /// the floor's doors through `by_floor`, their records through `by_door`,
    /// and the floor's latest closure. Nothing else of the territory is read.
    pub async fn floor_snapshot(&self, campaign_id: &str, building_id: &str, floor: i32) -> IdbResult<FloorSnapshot> {
        let db = self.db().await?;
        let tx = idb::transaction(&db, &[DOORS, RECORDS, FLOOR_CLOSURES, OUTBOX], Mode::Readonly, Durability::Relaxed)?;
        let floor_key = key(&[campaign_id.into(), building_id.into(), floor.into()]);
        let doors_request = js(js(js(tx.object_store(DOORS))?.index("by_floor"))?.get_all_with_key(&floor_key))?;
        let closures_request = js(js(js(tx.object_store(FLOOR_CLOSURES))?.index("by_floor"))?.get_all_with_key(&floor_key))?;
        let mut doors: Vec<Door> =
            idb::all_from_js::<StoredDoor>(idb::request(doors_request).await?)?.into_iter().map(|s| s.door).collect();
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
            records.insert(door.id.clone(), idb::all_from_js::<StoredRecord>(idb::request(request).await?)?);
        }
        settle_sync_states(&tx, records.values_mut().flatten()).await?;
        Ok(FloorSnapshot { doors, records, closure: closures.pop() })
    }

    pub async fn door(&self, campaign_id: &str, door_id: &str) -> IdbResult<Option<Door>> {
        let stored: Option<StoredDoor> = self.get(DOORS, &key(&[campaign_id.into(), door_id.into()])).await?;
        Ok(stored.map(|stored| stored.door))
    }

    /// Doors whose label starts with what the volunteer typed (normalised by
    /// `search_key`), at most `limit`.
    pub async fn find_doors(&self, campaign_id: &str, typed: &str, limit: u32) -> IdbResult<Vec<Door>> {
        let prefix = search_key(typed);
        let db = self.db().await?;
        let tx = idb::transaction(&db, &[DOORS], Mode::Readonly, Durability::Relaxed)?;
        let index = js(js(tx.object_store(DOORS))?.index("by_search"))?;
        let range = js(IdbKeyRange::bound(
            &key(&[campaign_id.into(), prefix.as_str().into()]),
            &key(&[campaign_id.into(), format!("{prefix}\u{ffff}").into()]),
        ))?;
        let value = idb::request(js(index.get_all_with_key_and_limit(&range, limit))?).await?;
        Ok(idb::all_from_js::<StoredDoor>(value)?.into_iter().map(|stored| stored.door).collect())
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
            let records: Vec<StoredRecord> = idb::all_from_js(idb::request(request).await?)?;
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
        settled(&tx, idb::all_from_js(value)?).await
    }

    /// Every record of one building (its doors', and its floors' notices).
    pub async fn building_records(&self, campaign_id: &str, building_id: &str) -> IdbResult<Vec<StoredRecord>> {
        let db = self.db().await?;
        let tx = idb::transaction(&db, &[RECORDS, OUTBOX], Mode::Readonly, Durability::Relaxed)?;
        let index = js(js(tx.object_store(RECORDS))?.index("by_building"))?;
        let value = idb::request(js(index.get_all_with_key(&key(&[campaign_id.into(), building_id.into()])))?).await?;
        settled(&tx, idb::all_from_js(value)?).await
    }

    /// This phone's identity, created on first use.
    pub async fn device(&self) -> IdbResult<Device> {
        let db = self.db().await?;
        let tx = idb::transaction(&db, &[META], Mode::Readwrite, Durability::Strict)?;
        let meta = js(tx.object_store(META))?;
        let value = idb::request(js(meta.get(&"device".into()))?).await?;
        if !value.is_undefined() {
            return idb::from_js(value);
        }
        let device_id = uuid::Uuid::new_v4().to_string();
        let device = Device { key: "device".into(), volunteer_id: format!("volunteer-{}", &device_id[..8]), device_id, next_seq: 1 };
        js(meta.put(&idb::to_js(&device)?))?;
        idb::committed(&tx).await?;
        Ok(device)
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
                kind: new.kind,
            },
            building_id: new.building_id,
            floor: new.floor,
            sync_state: SyncState::Pending,
            sync_problem: None,
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
        if let Some(closure) = FloorClosure::of(&stored.record) {
            js(js(tx.object_store(FLOOR_CLOSURES))?.put(&idb::to_js(&closure)?))?;
        }
        js(meta.put(&idb::to_js(&device)?))?;
        js(js(tx.object_store(DRAFTS))?.delete(&key(&[new.campaign_id.into(), new.door_id.into()])))?;
        idb::committed(&tx).await?;
        Ok(stored)
    }

    pub async fn sync_meta(&self) -> IdbResult<SyncMeta> {
        let stored: Option<StoredSyncMeta> = self.get(META, &"sync".into()).await?;
        Ok(stored.map(|stored| stored.meta).unwrap_or_default())
    }

    pub async fn save_sync_meta(&self, meta: &SyncMeta) -> IdbResult<()> {
        let db = self.db().await?;
        let tx = idb::transaction(&db, &[META], Mode::Readwrite, Durability::Strict)?;
        let stored = StoredSyncMeta { key: "sync".into(), meta: meta.clone() };
        js(js(tx.object_store(META))?.put(&idb::to_js(&stored)?))?;
        idb::committed(&tx).await
    }

    /// After joining: the campaign the server sent, the volunteer on this
    /// phone from now on, and the sync state starting over, in one transaction.
    pub async fn save_joined(&self, bundle: &CampaignBundle, joined: Joined) -> IdbResult<()> {
        self.save_bundle(bundle).await?;
        let db = self.db().await?;
        let tx = idb::transaction(&db, &[META], Mode::Readwrite, Durability::Strict)?;
        let meta = js(tx.object_store(META))?;
        let device_value = idb::request(js(meta.get(&"device".into()))?).await?;
        if !device_value.is_undefined() {
            let mut device: Device = idb::from_js(device_value)?;
            device.volunteer_id = joined.volunteer_id.clone();
            js(meta.put(&idb::to_js(&device)?))?;
        }
        let sync = StoredSyncMeta { key: "sync".into(), meta: SyncMeta { joined: Some(joined), cursor: 0, last_success: None } };
        js(meta.put(&idb::to_js(&sync)?))?;
        idb::committed(&tx).await
    }

    /// Starts reading the oldest entries of the outbox after sequence
    /// `after` (from the start if `None`), at most `limit`, in sequence
    /// order, and returns what resolves to them: the caller can send what
    /// it read before while this read runs.
    pub async fn start_outbox_read(
        &self,
        after: Option<u64>,
        limit: u32,
    ) -> IdbResult<impl std::future::Future<Output = IdbResult<Vec<OutboxEntry>>>> {
        let db = self.db().await?;
        let tx = idb::transaction(&db, &[OUTBOX], Mode::Readonly, Durability::Relaxed)?;
        let range: JsValue = match after {
            Some(seq) => js(IdbKeyRange::lower_bound_with_open(&(seq as f64).into(), true))?.into(),
            None => JsValue::NULL,
        };
        let read = js(js(tx.object_store(OUTBOX))?.get_all_with_key_and_limit(&range, limit))?;
        Ok(async move { idb::all_from_js(idb::request(read).await?) })
    }

    /// The outbox at a glance, without reading every entry: a count, the
    /// first entry (the oldest), and the refused records.
    pub async fn outbox_summary(&self) -> IdbResult<OutboxSummary> {
        let db = self.db().await?;
        let tx = idb::transaction(&db, &[RECORDS, OUTBOX], Mode::Readonly, Durability::Relaxed)?;
        let outbox = js(tx.object_store(OUTBOX))?;
        let count_request = js(outbox.count())?;
        let oldest_request = js(outbox.get_all_with_key_and_limit(&JsValue::NULL, 1))?;
        let refused_request = js(js(js(tx.object_store(RECORDS))?.index("by_sync"))?.get_all_with_key(&idb::to_js(&SyncState::Refused)?))?;
        let pending = idb::request(count_request).await?.as_f64().unwrap_or(0.0) as u32;
        let oldest: Vec<OutboxEntry> = idb::all_from_js(idb::request(oldest_request).await?)?;
        let refused: Vec<StoredRecord> = idb::all_from_js(idb::request(refused_request).await?)?;
        Ok(OutboxSummary { pending, oldest_pending: oldest.first().map(|entry| entry.device_time), refused })
    }

    /// Every record the server does not hold: pending and refused, oldest
    /// first (for a copy the volunteer can save and hand over).
    pub async fn unsent_records(&self) -> IdbResult<Vec<StoredRecord>> {
        let db = self.db().await?;
        let tx = idb::transaction(&db, &[RECORDS, OUTBOX], Mode::Readonly, Durability::Relaxed)?;
        let index = js(js(tx.object_store(RECORDS))?.index("by_sync"))?;
        let pending = js(index.get_all_with_key(&idb::to_js(&SyncState::Pending)?))?;
        let refused = js(index.get_all_with_key(&idb::to_js(&SyncState::Refused)?))?;
        let mut unsent: Vec<StoredRecord> = idb::all_from_js(idb::request(pending).await?)?;
        unsent.extend(idb::all_from_js::<StoredRecord>(idb::request(refused).await?)?);
        let mut unsent = settled(&tx, unsent).await?;
        unsent.retain(|stored| stored.sync_state != SyncState::Synced);
        unsent.sort_by_key(|stored| stored.record.device_time);
        Ok(unsent)
    }

    /// Starts recording the server's answer for `batch` (consecutive entries
    /// read by `start_outbox_read`) in one transaction: records it refused are
    /// marked with the reason (`refused`: id and reason), and the batch's
    /// range leaves the outbox. Returns what resolves once that committed,
    /// so the caller can send the next batch meanwhile.
    pub async fn start_acknowledge(
        &self,
        batch: &[OutboxEntry],
        refused: &[(String, String)],
    ) -> IdbResult<impl std::future::Future<Output = IdbResult<()>>> {
        let db = self.db().await?;
        let tx = idb::transaction(&db, &[RECORDS, OUTBOX], Mode::Readwrite, Durability::Strict)?;
        let records = js(tx.object_store(RECORDS))?;
        let reads = refused.iter().map(|(id, _)| js(records.get(&id.as_str().into()))).collect::<IdbResult<Vec<_>>>()?;
        for (read, (_, reason)) in reads.into_iter().zip(refused) {
            let mut stored: StoredRecord = idb::from_js(idb::request(read).await?)?;
            stored.sync_state = SyncState::Refused;
            stored.sync_problem = Some(reason.clone());
            js(records.put(&idb::to_js(&stored)?))?;
        }
        if let (Some(first), Some(last)) = (batch.first(), batch.last()) {
            let range = js(IdbKeyRange::bound(&(first.seq as f64).into(), &(last.seq as f64).into()))?;
            js(js(tx.object_store(OUTBOX))?.delete(&range))?;
        }
        Ok(idb::when_committed(tx))
    }

    /// Stores records pulled from the server (other devices' and this one's)
    /// and the new cursor, in one transaction. A record already here is
    /// marked synced; a new one is placed by its door.
    pub async fn save_pulled(&self, campaign_id: &str, pulled: &[Record], meta: &SyncMeta) -> IdbResult<()> {
        let db = self.db().await?;
        let tx = idb::transaction(&db, &[RECORDS, OUTBOX, DOORS, META, FLOOR_CLOSURES], Mode::Readwrite, Durability::Strict)?;
        let records = js(tx.object_store(RECORDS))?;
        let doors = js(tx.object_store(DOORS))?;
        for record in pulled {
            let existing = idb::request(js(records.get(&record.id.as_str().into()))?).await?;
            let stored = if existing.is_undefined() {
                if let Some(closure) = FloorClosure::of(record) {
                    js(js(tx.object_store(FLOOR_CLOSURES))?.put(&idb::to_js(&closure)?))?;
                }
                let (building_id, floor) = match record.kind.floor() {
                    Some((building_id, floor)) => (building_id.to_string(), floor),
                    None => {
                        let door_key = key(&[campaign_id.into(), record.door_id.as_str().into()]);
                        let door = idb::request(js(doors.get(&door_key))?).await?;
                        if door.is_undefined() {
                            continue; // a door this phone's territory does not have
                        }
                        let door: StoredDoor = idb::from_js(door)?;
                        (door.door.building_id, door.door.floor)
                    }
                };
                StoredRecord { record: record.clone(), building_id, floor, sync_state: SyncState::Synced, sync_problem: None }
            } else {
                let mut stored: StoredRecord = idb::from_js(existing)?;
                // Only an unacknowledged record changes: a refused one keeps
                // its reason (the server's copy under that id is another).
                if stored.sync_state != SyncState::Pending {
                    continue;
                }
                // This phone's own record, still waiting: the server has it,
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
                js(js(tx.object_store(OUTBOX))?.delete(&(stored.record.device_seq as f64).into()))?;
                stored
            };
            js(records.put(&idb::to_js(&stored)?))?;
        }
        let stored_meta = StoredSyncMeta { key: "sync".into(), meta: meta.clone() };
        js(js(tx.object_store(META))?.put(&idb::to_js(&stored_meta)?))?;
        idb::committed(&tx).await
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

/// Reports this phone's Pending records that the outbox no longer holds as
/// Synced: the server answered for them (see the module's note). Reads the
/// outbox's keys within the records' sequence range, in `tx`.
async fn settle_sync_states<'a>(tx: &web_sys::IdbTransaction, records: impl Iterator<Item = &'a mut StoredRecord>) -> IdbResult<()> {
    let mut pending: Vec<&mut StoredRecord> = records.filter(|stored| stored.sync_state == SyncState::Pending).collect();
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
async fn settled(tx: &web_sys::IdbTransaction, mut records: Vec<StoredRecord>) -> IdbResult<Vec<StoredRecord>> {
    settle_sync_states(tx, records.iter_mut()).await?;
    Ok(records)
}

/// Schema 3: the records a version-2 phone had not sent (marked Pending
/// then) become the new outbox's entries, within the upgrade transaction.
fn fill_outbox(tx: &web_sys::IdbTransaction, outbox: web_sys::IdbObjectStore) -> IdbResult<()> {
    let index = js(js(tx.object_store(RECORDS))?.index("by_sync"))?;
    let request = js(index.get_all_with_key(&idb::to_js(&SyncState::Pending)?))?;
    let read = request.clone();
    let aborting = tx.clone();
    let on_read = Closure::once_into_js(move || {
        let added = js(read.result()).and_then(idb::all_from_js::<StoredRecord>).and_then(|pending| {
            pending.iter().try_for_each(|stored| js(outbox.add(&idb::to_js(&OutboxEntry::of(&stored.record)?)?)).map(drop))
        });
        if let Err(error) = added {
            web_sys::console::error_1(&format!("IndexedDB upgrade: the outbox was not filled: {error}").into());
            let _ = aborting.abort();
        }
    });
    request.set_onsuccess(Some(on_read.unchecked_ref()));
    Ok(())
}

/// Every key `[campaign_id, ...]` of one campaign in a compound index.
fn campaign_range(campaign_id: &str) -> IdbResult<IdbKeyRange> {
    // An empty array sorts after every string and number in IndexedDB's key order.
    js(IdbKeyRange::bound(&key(&[campaign_id.into()]), &key(&[campaign_id.into(), js_sys::Array::new().into()])))
}

/// Opens the database at `version`, running the upgrade of every version
/// between the stored one and `version`.
pub async fn open(name: &str, version: u32) -> IdbResult<IdbDatabase> {
    let factory = js(web_sys::window().ok_or_else(|| IdbError::new("Error", "no window"))?.indexed_db())?
        .ok_or_else(|| IdbError::new("NotSupportedError", "this browser has no IndexedDB"))?;
    let request = js(factory.open_with_u32(name, version))?;
    let upgrading = request.clone();
    let on_upgrade = Closure::<dyn FnMut(web_sys::IdbVersionChangeEvent)>::new(move |event: web_sys::IdbVersionChangeEvent| {
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
    request.set_onupgradeneeded(Some(on_upgrade.as_ref().unchecked_ref()));
    let result = idb::request(request.clone().into()).await;
    request.set_onupgradeneeded(None);
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
            other => return Err(IdbError::new("VersionError", format!("no upgrade to schema version {other}"))),
        }
    }
    Ok(())
}
