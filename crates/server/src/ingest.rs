//! The writer of pushed batches, with group commit: pushes that arrive
//! while a transaction is committing wait in a queue, and the next
//! transaction stores all of them. Each batch is decided exactly as if it
//! were alone (against what is stored and what the batches before it in the
//! group stored), and each push is answered only after the shared commit is
//! durable. One commit, the costly part of a small batch, then serves
//! several phones.
//!
//! Statements: a group is written in a few statements whatever its number
//! of pushes, so on PostgreSQL a campaign's lock is held for a few round
//! trips (other processes' writers of the campaign wait on it).
//! Isolation: if the database refuses a group, each of its batches is
//! written again inside its own savepoint, so a batch the database refuses
//! fails alone; the others of its group are stored.
//! Bounds: the queue holds at most [`QUEUE_BATCHES`] pushes and
//! [`QUEUE_BYTES`] bytes of records (past either a push is answered 503
//! with `Retry-After`, storing nothing), and a group stops growing at
//! [`GROUP_RECORDS`] records or [`GROUP_BYTES`] bytes. Bounded by bytes, the
//! queue rides out a database that pauses for a second or two under
//! hundreds of phones each pushing a record or two.
//! Supervision: if the writer task panics it is restarted, and
//! `/api/v1/health` answers 503 until it runs again.

use std::collections::{HashMap, HashSet};
use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use sha2::Digest;
use sqlx::Acquire;
use tokio::sync::{mpsc, oneshot, Mutex, OwnedSemaphorePermit, Semaphore};
use walkbook_core::record::{Record, RecordKind};
use walkbook_core::sync::{PushResult, PushStatus, MAX_PUSH_BYTES, MAX_PUSH_RECORDS};

use crate::auth::Session;
use crate::campaigns::{now_ms, CampaignIndex};
use crate::db::{Db, NewRecordRow};
use crate::error::ApiError;
use crate::retention::ERASED_HASH;

/// Pushes waiting for the writer, at most...
const QUEUE_BATCHES: usize = 2048;
/// ...and bytes of their records (kept as permits of a KiB each).
const QUEUE_BYTES: usize = 32 * MAX_PUSH_BYTES;
/// A group stops growing past this many records...
const GROUP_RECORDS: usize = 4 * MAX_PUSH_RECORDS;
/// ...or this many bytes of records.
const GROUP_BYTES: usize = 8 * MAX_PUSH_BYTES;
/// Pause before restarting a writer that panicked.
const RESTART_AFTER: Duration = Duration::from_secs(1);

/// One push, checked: each record with its stored form (canonical JSON and
/// its hash) or the reason it is rejected.
pub struct CheckedBatch {
    pub session: Session,
    pub index: Arc<CampaignIndex>,
    pub records: Vec<(Record, Result<StoredForm, String>)>,
}

impl StoredForm {
    /// A record as stored: its canonical JSON (at most `MAX_RECORD_BYTES`)
    /// and that JSON's SHA-256, which tells a duplicate from a conflict.
    pub fn of(record: &Record) -> Result<StoredForm, String> {
        let body = String::from_utf8(walkbook_core::sync::canonical_bytes(record)).expect("JSON is UTF-8");
        if body.len() > walkbook_core::limits::MAX_RECORD_BYTES {
            return Err(format!("the record is {} bytes (at most {})", body.len(), walkbook_core::limits::MAX_RECORD_BYTES));
        }
        let hash = format!("{:x}", sha2::Sha256::digest(body.as_bytes()));
        Ok(StoredForm { body, hash })
    }
}

impl CheckedBatch {
    fn bytes(&self) -> usize {
        self.records.iter().map(|(_, checked)| checked.as_ref().map_or(0, |stored| stored.body.len())).sum()
    }
}

pub struct StoredForm {
    pub body: String,
    pub hash: String,
}

type Reply = oneshot::Sender<Result<Vec<PushResult>, ApiError>>;
/// A queued push holds its share of [`QUEUE_BYTES`] until it is answered.
type Queued = (CheckedBatch, Reply, OwnedSemaphorePermit);
type Queue = mpsc::Receiver<Queued>;

/// The queue to the writer task (cheap to clone).
#[derive(Clone)]
pub struct Ingest {
    queue: mpsc::Sender<Queued>,
    queued_kib: Arc<Semaphore>,
    writer_running: Arc<AtomicBool>,
}

impl Ingest {
    /// Starts the supervised writer task on the current Tokio runtime.
    pub fn start(db: Db) -> Ingest {
        let (queue, waiting) = mpsc::channel(QUEUE_BATCHES);
        let waiting = Arc::new(Mutex::new(waiting));
        let writer_running = Arc::new(AtomicBool::new(true));
        tokio::spawn(supervise("record writer", writer_running.clone(), move || write_groups(db.clone(), waiting.clone())));
        Ingest { queue, queued_kib: Arc::new(Semaphore::new(QUEUE_BYTES / 1024)), writer_running }
    }

    /// Whether the writer is running (health reports it).
    pub fn is_running(&self) -> bool {
        self.writer_running.load(Ordering::SeqCst)
    }

    /// Stores a batch; resolves after the commit that holds it, with a result
    /// per record in the batch's order.
    pub async fn store(&self, batch: CheckedBatch) -> Result<Vec<PushResult>, ApiError> {
        let busy = || ApiError::unavailable("The server is busy storing other phones' records: the phone will try again shortly.", 2);
        let kib = batch.bytes().div_ceil(1024).max(1) as u32;
        let permit = self.queued_kib.clone().try_acquire_many_owned(kib).map_err(|_| busy())?;
        let (reply, answer) = oneshot::channel();
        self.queue.try_send((batch, reply, permit)).map_err(|error| match error {
            mpsc::error::TrySendError::Full(_) => busy(),
            mpsc::error::TrySendError::Closed(_) => ApiError::Internal("the record writer has stopped".into()),
        })?;
        // No answer: the writer stopped in the middle of this group (and is
        // being restarted); nothing of the group was committed.
        answer.await.map_err(|_| ApiError::unavailable("The server restarted its record writer: the phone will try again.", 1))?
    }
}

/// Runs `task` until it returns, restarting it whenever it panics; `running`
/// is false while it is down.
async fn supervise<Task, Run>(name: &'static str, running: Arc<AtomicBool>, task: Task)
where
    Task: Fn() -> Run,
    Run: Future<Output = ()> + Send + 'static,
{
    loop {
        running.store(true, Ordering::SeqCst);
        let ended = tokio::spawn(task()).await;
        running.store(false, Ordering::SeqCst);
        match ended {
            Ok(()) => return,
            Err(error) => {
                tracing::error!(%error, "the {name} stopped; restarting it");
                tokio::time::sleep(RESTART_AFTER).await;
            }
        }
    }
}

async fn write_groups(db: Db, waiting: Arc<Mutex<Queue>>) {
    // Held for the writer's life; a restarted writer takes the same queue.
    let mut waiting = waiting.lock().await;
    while let Some(first) = waiting.recv().await {
        let (mut records, mut bytes) = (first.0.records.len(), first.0.bytes());
        let mut group = vec![first];
        while records < GROUP_RECORDS && bytes < GROUP_BYTES {
            let Ok(next) = waiting.try_recv() else { break };
            records += next.0.records.len();
            bytes += next.0.bytes();
            group.push(next);
        }
        // The batches' bytes count until they are answered (`permits` drops
        // at the end of this round).
        let mut permits = Vec::with_capacity(group.len());
        let (batches, replies): (Vec<CheckedBatch>, Vec<Reply>) = group
            .into_iter()
            .map(|(batch, reply, permit)| {
                permits.push(permit);
                (batch, reply)
            })
            .unzip();
        match store_group(&db, &batches).await {
            Ok(results) => {
                for (reply, result) in replies.into_iter().zip(results) {
                    let _ = reply.send(result); // a client that left is answered by its next push
                }
            }
            Err(error) => {
                let detail = error.to_string();
                for reply in replies {
                    let _ = reply.send(Err(ApiError::Internal(detail.clone())));
                }
            }
        }
    }
}

/// What the server holds under a record id: its content hash, door and
/// building (a floor's record has no door; a very old row, no building).
struct Known {
    hash: String,
    door_id: String,
    building_id: Option<String>,
}

/// One batch decided against what is known: a result per record, and the
/// records to store.
struct Decided<'a> {
    results: Vec<PushResult>,
    stored: Vec<(&'a Record, &'a StoredForm)>,
}

/// `erased`: the campaigns whose personal data is erased, which store no
/// more records (a record they hold is still a duplicate).
fn decide<'a>(batch: &'a CheckedBatch, known: &HashMap<String, Known>, erased: &HashSet<String>) -> Decided<'a> {
    let campaign_erased = erased.contains(&batch.session.campaign_id);
    // What this batch stores, for later copies within it.
    let mut added: HashMap<&str, (&str, &str, Option<&str>)> = HashMap::new();
    let mut decided = Decided { results: Vec::with_capacity(batch.records.len()), stored: Vec::new() };
    for (record, checked) in &batch.records {
        let lookup = |id: &str| -> Option<(&str, &str, Option<&str>)> {
            added.get(id).copied().or_else(|| known.get(id).map(|k| (k.hash.as_str(), k.door_id.as_str(), k.building_id.as_deref())))
        };
        let building_id = batch.index.building_of(record);
        let (status, reason) = match checked {
            Err(reason) => (PushStatus::Rejected, Some(reason.clone())),
            Ok(stored) => match lookup(&record.id) {
                Some((hash, _, _)) if hash == stored.hash || hash == ERASED_HASH => (PushStatus::Duplicate, None),
                Some(_) => (PushStatus::Conflict, Some("another record with this id is already stored; the first one is kept".into())),
                None if campaign_erased => {
                    (PushStatus::Rejected, Some("the campaign is closed and its personal data erased: it stores no more records".into()))
                }
                None => match (need_of_another_door(record, &lookup), record.supersedes.as_deref().and_then(lookup)) {
                    (Some(reason), _) => (PushStatus::Rejected, Some(reason)),
                    // An edit replaces a record of its own door only, and a
                    // floor's record one of its own building. (A target not
                    // yet stored can only ever hide a record of this door or
                    // landing: statuses are decided per door, a floor's
                    // records per landing. It may be in a push still on its
                    // way: the phone has two in flight.)
                    (None, Some((_, door_id, _))) if door_id != record.door_id => {
                        (PushStatus::Rejected, Some(format!("it replaces a record of door '{door_id}', not of door '{}'", record.door_id)))
                    }
                    (None, Some((_, _, Some(building)))) if Some(building) != building_id => {
                        (PushStatus::Rejected, Some(format!("it replaces a record of building '{building}', not of this one")))
                    }
                    _ => {
                        added.insert(&record.id, (&stored.hash, &record.door_id, building_id));
                        decided.stored.push((record, stored));
                        (PushStatus::Stored, None)
                    }
                },
            },
        };
        decided.results.push(PushResult { id: record.id.clone(), status, reason });
    }
    decided
}

/// Why an update of a need cannot be stored: the need was raised at
/// another door. (A need not yet stored may be in a push still on its way.)
fn need_of_another_door<'a>(record: &Record, lookup: &impl Fn(&str) -> Option<(&'a str, &'a str, Option<&'a str>)>) -> Option<String> {
    let RecordKind::NeedUpdate { need_id, .. } = &record.kind else { return None };
    let (_, door_id, _) = lookup(need_id)?;
    (door_id != record.door_id).then(|| format!("it updates a need of door '{door_id}', not of door '{}'", record.door_id))
}

/// Stores the batches in one transaction: all of them together, in a few
/// statements whatever their number (so a campaign's lock is held for a few
/// round trips, not a few per push); if the database refuses that, each
/// batch again in a savepoint of its own, so a batch it refuses fails alone.
/// Each batch's results, or the error that failed it alone.
async fn store_group(db: &Db, batches: &[CheckedBatch]) -> Result<Vec<Result<Vec<PushResult>, ApiError>>, sqlx::Error> {
    let postgres = crate::db::is_postgres(db);
    let campaigns: Vec<&str> = batches.iter().map(|batch| batch.session.campaign_id.as_str()).collect();
    let mut tx = crate::db::begin_records_write(db, &campaigns).await?;
    let mut known = stored_under_ids(&mut tx, postgres, batches).await?;
    let erased = erased_campaigns(&mut tx, postgres, &campaigns).await?;
    let received_at = now_ms();
    let decided: Vec<Decided> = batches.iter().map(|batch| decide_and_remember(batch, &mut known, &erased)).collect();
    let together: Vec<(&CheckedBatch, &Decided)> = batches.iter().zip(&decided).collect();
    let mut savepoint = tx.begin().await?;
    let results = match write_batches(&mut savepoint, postgres, &together, received_at).await {
        Ok(()) => {
            savepoint.commit().await?;
            decided.into_iter().map(|decided| Ok(decided.results)).collect()
        }
        Err(error) => {
            savepoint.rollback().await?;
            tracing::warn!(%error, pushes = batches.len(), "a group of pushes failed in the database; storing its pushes one by one");
            // Rolled back: what is stored is again what it was before the group.
            let known = stored_under_ids(&mut tx, postgres, batches).await?;
            store_one_by_one(&mut tx, postgres, batches, known, &erased, received_at).await?
        }
    };
    tx.commit().await?;
    Ok(results)
}

/// What is stored under the batches' record ids and the ids they replace:
/// one query.
async fn stored_under_ids(
    tx: &mut sqlx::AnyConnection,
    postgres: bool,
    batches: &[CheckedBatch],
) -> Result<HashMap<String, Known>, sqlx::Error> {
    let ids: Vec<&str> = batches
        .iter()
        .flat_map(|batch| &batch.records)
        .filter(|(_, checked)| checked.is_ok())
        .flat_map(|(record, _)| std::iter::once(record.id.as_str()).chain(record.supersedes.as_deref()).chain(updated_need(record)))
        .collect();
    let rows = crate::db::stored_records(tx, postgres, &ids).await?;
    Ok(rows.into_iter().map(|(id, hash, door_id, building_id)| (id, Known { hash, door_id, building_id })).collect())
}

/// The need a record updates, if it is a need's update.
fn updated_need(record: &Record) -> Option<&str> {
    match &record.kind {
        RecordKind::NeedUpdate { need_id, .. } => Some(need_id),
        _ => None,
    }
}

/// Of `campaigns`, those whose personal data is erased (read under their
/// locks, which erasing takes too: see `retention`).
async fn erased_campaigns(tx: &mut sqlx::AnyConnection, postgres: bool, campaigns: &[&str]) -> Result<HashSet<String>, sqlx::Error> {
    let sql = format!("SELECT id FROM campaigns WHERE erased_at IS NOT NULL AND id IN ({})", crate::db::strings_of(postgres, 1));
    let rows: Vec<(String,)> = sqlx::query_as(&sql).bind(crate::db::json_list(campaigns)).fetch_all(tx).await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

/// The batches each in a savepoint of its own, decided against what the
/// batches before it that were stored hold.
async fn store_one_by_one(
    tx: &mut sqlx::AnyConnection,
    postgres: bool,
    batches: &[CheckedBatch],
    mut known: HashMap<String, Known>,
    erased: &HashSet<String>,
    received_at: i64,
) -> Result<Vec<Result<Vec<PushResult>, ApiError>>, sqlx::Error> {
    let mut results = Vec::with_capacity(batches.len());
    for batch in batches {
        let decided = decide(batch, &known, erased);
        let mut savepoint = tx.begin().await?;
        match write_batches(&mut savepoint, postgres, &[(batch, &decided)], received_at).await {
            Ok(()) => {
                savepoint.commit().await?;
                remember(batch, &decided, &mut known);
                results.push(Ok(decided.results));
            }
            Err(error) => {
                savepoint.rollback().await?;
                tracing::error!(%error, volunteer = %batch.session.volunteer_id, "a push failed in the database; its group is stored without it");
                results.push(Err(ApiError::Internal(format!("database: {error}"))));
            }
        }
    }
    Ok(results)
}

/// Decides a batch, and adds what it stores to `known` for the batches
/// after it.
fn decide_and_remember<'a>(batch: &'a CheckedBatch, known: &mut HashMap<String, Known>, erased: &HashSet<String>) -> Decided<'a> {
    let decided = decide(batch, known, erased);
    remember(batch, &decided, known);
    decided
}

/// Adds what a batch stores to `known`.
fn remember(batch: &CheckedBatch, decided: &Decided, known: &mut HashMap<String, Known>) {
    for (record, stored) in &decided.stored {
        let building_id = batch.index.building_of(record).map(str::to_string);
        known.insert(record.id.clone(), Known { hash: stored.hash.clone(), door_id: record.door_id.clone(), building_id });
    }
}

/// The batches' new records, what they change of their doors' statuses and
/// their volunteers' days, and the alerts they raise: a statement or two
/// per kind of change and campaign, however many batches.
async fn write_batches(
    tx: &mut sqlx::AnyConnection,
    postgres: bool,
    batches: &[(&CheckedBatch, &Decided<'_>)],
    received_at: i64,
) -> Result<(), sqlx::Error> {
    let rows: Vec<NewRecordRow> = batches
        .iter()
        .flat_map(|(batch, decided)| {
            decided.stored.iter().map(move |(record, stored)| NewRecordRow {
                id: &record.id,
                campaign_id: &record.campaign_id,
                door_id: &record.door_id,
                device_id: &record.device_id,
                device_seq: record.device_seq as i64,
                received_from: &batch.session.volunteer_id,
                content_hash: &stored.hash,
                body: &stored.body,
                received_at,
                building_id: batch.index.building_of(record),
                outcome: record.outcome.code(),
                kind: record.kind.code(),
            })
        })
        .collect();
    if rows.is_empty() {
        return Ok(());
    }
    crate::db::insert_records(&mut *tx, postgres, &rows).await?;
    count_volunteer_days(&mut *tx, postgres, batches, received_at).await?;
    // Per campaign, with its newest index (batches later in the queue were
    // checked later): the visited doors' statuses move with their visits and
    // withdrawals, in this transaction, and held alerts of the households
    // that arrived are raised.
    let mut by_campaign: Vec<(&CampaignIndex, Vec<&Record>)> = Vec::new();
    for (batch, decided) in batches {
        let visits = decided.stored.iter().map(|(record, _)| *record).filter(|record| record.kind.is_visit() || record.kind.is_void());
        match by_campaign.iter_mut().find(|(index, _)| index.bundle.campaign.id == batch.session.campaign_id) {
            Some((index, campaign_visits)) => {
                *index = &batch.index;
                campaign_visits.extend(visits);
            }
            None => by_campaign.push((&batch.index, visits.collect())),
        }
    }
    for (index, visits) in &by_campaign {
        let at_doors: Vec<&Record> = visits.iter().copied().filter(|record| !record.door_id.is_empty()).collect();
        crate::door_status::update(&mut *tx, postgres, index, &at_doors).await?;
    }
    for (batch, decided) in batches {
        for (record, _) in &decided.stored {
            for alert in crate::alerts::raised_by(record, &batch.index) {
                crate::alerts::insert(&mut *tx, &alert, received_at).await?;
            }
        }
    }
    for (_, visits) in &by_campaign {
        crate::alerts::release_held(&mut *tx, postgres, visits, received_at).await?;
    }
    let stored: Vec<&Record> = batches.iter().flat_map(|(_, decided)| &decided.stored).map(|(record, _)| *record).collect();
    crate::alerts::close_replaced(&mut *tx, postgres, &stored, received_at).await?;
    Ok(())
}

/// Adds the batches' new records to their volunteers' counts of the day
/// (the campaign's local day), in one statement.
async fn count_volunteer_days(
    tx: &mut sqlx::AnyConnection,
    postgres: bool,
    batches: &[(&CheckedBatch, &Decided<'_>)],
    received_at: i64,
) -> Result<(), sqlx::Error> {
    // One row per (campaign, volunteer, day): a statement may not update a
    // row twice. A record counts for the volunteer who made it, who is not
    // the one who sent it when another phone relayed it.
    let mut counts: HashMap<(&str, &str, i64), i64> = HashMap::new();
    for (batch, decided) in batches.iter().filter(|(_, decided)| !decided.stored.is_empty()) {
        let offset = batch.index.bundle.campaign.settings.utc_offset_minutes;
        let day = walkbook_core::dates::LocalTime::at(received_at, offset).day;
        for (record, _) in &decided.stored {
            *counts.entry((&batch.session.campaign_id, &record.volunteer_id, day)).or_default() += 1;
        }
    }
    let rows: Vec<serde_json::Value> =
        counts.into_iter().map(|((campaign, volunteer, day), records)| serde_json::json!([campaign, volunteer, day, records])).collect();
    let upsert = "ON CONFLICT (campaign_id, volunteer_id, day) DO UPDATE SET records = volunteer_days.records + excluded.records";
    let sql = if postgres {
        format!(
            "INSERT INTO volunteer_days (campaign_id, volunteer_id, day, records) \
             SELECT r->>0, r->>1, (r->>2)::bigint, (r->>3)::bigint FROM json_array_elements($1::json) AS rows (r) {upsert}"
        )
    } else {
        format!(
            "INSERT INTO volunteer_days (campaign_id, volunteer_id, day, records) \
             SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'), json_extract(value, '$[2]'), json_extract(value, '$[3]') \
             FROM json_each($1) WHERE true {upsert}"
        )
    };
    sqlx::query(&sql).bind(serde_json::to_string(&rows).expect("rows always serialise")).execute(tx).await.map(drop)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;

    #[tokio::test]
    async fn a_writer_that_panics_is_restarted_and_reported_down_meanwhile() {
        let running = Arc::new(AtomicBool::new(false));
        let runs = Arc::new(AtomicUsize::new(0));
        let (seen_down, saw) = tokio::sync::watch::channel(false);
        let task = {
            let (running, runs) = (running.clone(), runs.clone());
            move || {
                let (running, runs, seen_down) = (running.clone(), runs.clone(), seen_down.clone());
                async move {
                    if runs.fetch_add(1, Ordering::SeqCst) == 0 {
                        panic!("a writer bug");
                    }
                    // Restarted: it is running again; it was down before.
                    assert!(running.load(Ordering::SeqCst));
                    let _ = seen_down.send(true);
                }
            }
        };
        let supervisor = tokio::spawn(supervise("test writer", running.clone(), task));
        tokio::time::sleep(RESTART_AFTER / 2).await;
        assert!(!running.load(Ordering::SeqCst), "down between the panic and the restart");
        supervisor.await.unwrap();
        assert_eq!(runs.load(Ordering::SeqCst), 2);
        assert!(*saw.borrow());
    }
}
