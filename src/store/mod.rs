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
//! | `relayed` (v4)   | `id` (record id)        | `by_time` device_time                     |
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

//!
//! Records another phone handed over (see `walkbook_core::handover`) wait
//! in `relayed`, with their maker's signature, until the server answers for
//! them; they are in `records` too (with `relayed_from`), where their sync
//! state is written when the answer comes (they are not this phone's
//! sequence, so the outbox says nothing of them).
//!
//! By concern: `schema` (the database, its version and every upgrade),
//! `meta` (this phone's identity and sync state), `territory` (campaign and
//! doors), `records` (saving and reading records, drafts), `outbox` (what
//! waits for the server, and its answers), `pulled` (merging what a pull
//! brought), `relayed` (records handed over by another phone), `keys`
//! (this phone's signing key). Each adds its operations to `Store`.

pub mod idb;
pub mod keys;
mod meta;
mod outbox;
mod pulled;
mod records;
mod relayed;
mod schema;
mod territory;

use std::cell::RefCell;
use std::rc::Rc;

use gloo_events::EventListener;
use wasm_bindgen::prelude::*;
use web_sys::{IdbDatabase, IdbKeyRange, IdbTransactionMode as Mode};

use idb::{js, key, Durability, IdbResult};
pub use meta::{Device, Joined, SyncMeta};
pub use outbox::{OutboxEntry, OutboxSummary};
pub use records::{Draft, FloorSnapshot, NewRecord, StoredRecord, SyncState};
pub use relayed::{Imported, RelayedEntry};
pub use schema::{open, DATABASE_NAME, SCHEMA_VERSION};

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
        let db = schema::open(&self.name, SCHEMA_VERSION).await?;
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
        EventListener::new(db, "versionchange", move |_| {
            watched.close();
            connection.borrow_mut().take();
        })
        .forget();
        let connection = self.connection.clone();
        EventListener::new(db, "close", move |_| {
            connection.borrow_mut().take();
        })
        .forget();
    }

    /// Deletes the whole database, every campaign's records and people with
    /// it (a volunteer leaving). Resolves once the browser has deleted it.
    pub async fn delete_everything(&self) -> IdbResult<()> {
        self.close();
        idb::request(js(schema::factory()?.delete_database(&self.name))?.into()).await.map(drop)
    }

    /// Closes the connection (tests use this to reopen).
    pub fn close(&self) {
        if let Some(db) = self.connection.borrow_mut().take() {
            db.close();
        }
    }

    /// The value stored under `key` in `store`, if any, in a readonly
    /// transaction of its own.
    pub(super) async fn get<T: serde::de::DeserializeOwned>(&self, store: &str, key: &JsValue) -> IdbResult<Option<T>> {
        let db = self.db().await?;
        let tx = idb::transaction(&db, &[store], Mode::Readonly, Durability::Relaxed)?;
        let value = idb::request(js(js(tx.object_store(store))?.get(key))?).await?;
        if value.is_undefined() {
            Ok(None)
        } else {
            idb::from_js(value).map(Some)
        }
    }
}

/// Every key `[campaign_id, ...]` of one campaign in a compound index.
pub(super) fn campaign_range(campaign_id: &str) -> IdbResult<IdbKeyRange> {
    // An empty array sorts after every string and number in IndexedDB's key order.
    js(IdbKeyRange::bound(&key(&[campaign_id.into()]), &key(&[campaign_id.into(), js_sys::Array::new().into()])))
}
