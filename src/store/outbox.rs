//! The outbox: this phone's records the server has not answered for, keyed by
//! device sequence, each with its push JSON made once at save time; read in
//! order, and cleared by the server's answers a batch's range at a time.

use serde::{Deserialize, Serialize};
use walkbook_core::record::Record;
use wasm_bindgen::prelude::*;
use web_sys::{IdbKeyRange, IdbTransactionMode as Mode};

use super::idb::{self, js, Durability, IdbError, IdbResult};
use super::records::{settled, StoredRecord, SyncState};
use super::schema::{OUTBOX, RECORDS, RELAYED};
use super::Store;

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
    pub(super) fn of(record: &Record) -> IdbResult<OutboxEntry> {
        OutboxEntry::of_serialised(record, &idb::to_js(record)?)
    }

    /// With `record_js`, the record already serialised.
    pub(super) fn of_serialised(record: &Record, record_js: &JsValue) -> IdbResult<OutboxEntry> {
        let json = js_sys::JSON::stringify(record_js).map_err(IdbError::from_js)?;
        Ok(OutboxEntry { seq: record.device_seq, id: record.id.clone(), device_time: record.device_time, json: json.into() })
    }
}

/// The outbox at a glance.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OutboxSummary {
    pub pending: u32,
    /// Of `pending`, the records other phones handed over.
    pub relayed: u32,
    /// Device time of the oldest unsent record.
    pub oldest_pending: Option<i64>,
    pub refused: Vec<StoredRecord>,
}

impl Store {
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
    /// first entry (the oldest), and the refused records. Records relayed
    /// for another phone count as waiting too.
    pub async fn outbox_summary(&self) -> IdbResult<OutboxSummary> {
        let db = self.db().await?;
        let tx = idb::transaction(&db, &[RECORDS, OUTBOX, RELAYED], Mode::Readonly, Durability::Relaxed)?;
        let outbox = js(tx.object_store(OUTBOX))?;
        let count_request = js(outbox.count())?;
        let oldest_request = js(outbox.get_all_with_key_and_limit(&JsValue::NULL, 1))?;
        let refused_request = js(js(js(tx.object_store(RECORDS))?.index("by_sync"))?.get_all_with_key(&idb::to_js(&SyncState::Refused)?))?;
        // Every request is made before the first is awaited: once none is
        // pending, the transaction may end before this code runs again.
        let relayed = super::relayed::start_relayed_waiting(&tx)?;
        let pending = idb::request(count_request).await?.as_f64().unwrap_or(0.0) as u32;
        let oldest: Vec<OutboxEntry> = idb::all_from_js(idb::request(oldest_request).await?)?;
        let refused = StoredRecord::all_from_js(idb::request(refused_request).await?)?;
        let (relayed, oldest_relayed) = relayed.await?;
        let oldest_pending = oldest.first().map(|entry| entry.device_time).into_iter().chain(oldest_relayed).min();
        Ok(OutboxSummary { pending: pending + relayed, relayed, oldest_pending, refused })
    }

    /// Every record made here that the server does not hold: pending and
    /// refused, oldest first (what the volunteer hands over to another
    /// phone).
    pub async fn unsent_records(&self) -> IdbResult<Vec<StoredRecord>> {
        let db = self.db().await?;
        let tx = idb::transaction(&db, &[RECORDS, OUTBOX], Mode::Readonly, Durability::Relaxed)?;
        let index = js(js(tx.object_store(RECORDS))?.index("by_sync"))?;
        let pending = js(index.get_all_with_key(&idb::to_js(&SyncState::Pending)?))?;
        let refused = js(index.get_all_with_key(&idb::to_js(&SyncState::Refused)?))?;
        let mut unsent = StoredRecord::all_from_js(idb::request(pending).await?)?;
        unsent.extend(StoredRecord::all_from_js(idb::request(refused).await?)?);
        let mut unsent = settled(&tx, unsent).await?;
        unsent.retain(|stored| stored.sync_state != SyncState::Synced && stored.relayed_from.is_none());
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
            let mut stored = StoredRecord::from_js(idb::request(read).await?)?;
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
}
