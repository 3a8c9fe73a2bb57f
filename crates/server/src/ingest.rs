//! The writer of pushed batches, with group commit: pushes that arrive
//! while a transaction is committing wait in a queue, and the next
//! transaction stores all of them. Each batch is decided exactly as if it
//! were alone (against what is stored and what the batches before it in the
//! group stored), and each push is answered only after the shared commit is
//! durable. One commit, the costly part of a small batch, then serves
//! several phones. If the transaction fails, every push of the group gets
//! the error and none of it is stored; phones push again.

use std::collections::HashMap;
use std::sync::Arc;

use tokio::sync::{mpsc, oneshot};
use walkbook_core::record::Record;
use walkbook_core::sync::{OutboxReport, PushResult, PushStatus};

use crate::auth::Session;
use crate::campaigns::{now_ms, CampaignIndex};
use crate::db::{Db, NewRecordRow};
use crate::error::ApiError;

/// At most this many records go into one transaction (a group stops
/// growing past it), so a commit never waits on an unbounded queue.
const GROUP_RECORDS: usize = 4 * walkbook_core::sync::MAX_PUSH_RECORDS;

/// One push, checked: each record with its stored form (canonical JSON and
/// its hash) or the reason it is rejected.
pub struct CheckedBatch {
    pub session: Session,
    pub index: Arc<CampaignIndex>,
    pub outbox: Option<OutboxReport>,
    pub records: Vec<(Record, Result<StoredForm, String>)>,
}

pub struct StoredForm {
    pub body: String,
    pub hash: String,
}

type Reply = oneshot::Sender<Result<Vec<PushResult>, ApiError>>;

/// The queue to the writer task (cheap to clone).
#[derive(Clone)]
pub struct Ingest {
    queue: mpsc::UnboundedSender<(CheckedBatch, Reply)>,
}

impl Ingest {
    /// Starts the writer task on the current Tokio runtime.
    pub fn start(db: Db) -> Ingest {
        let (queue, waiting) = mpsc::unbounded_channel();
        tokio::spawn(write_groups(db, waiting));
        Ingest { queue }
    }

    /// Stores a batch; resolves after the commit that holds it, with a result
    /// per record in the batch's order.
    pub async fn store(&self, batch: CheckedBatch) -> Result<Vec<PushResult>, ApiError> {
        let (reply, answer) = oneshot::channel();
        let stopped = || ApiError::Internal("the record writer has stopped".into());
        self.queue.send((batch, reply)).map_err(|_| stopped())?;
        answer.await.map_err(|_| stopped())?
    }
}

async fn write_groups(db: Db, mut waiting: mpsc::UnboundedReceiver<(CheckedBatch, Reply)>) {
    while let Some(first) = waiting.recv().await {
        let mut records = first.0.records.len();
        let mut group = vec![first];
        while records < GROUP_RECORDS {
            let Ok(next) = waiting.try_recv() else { break };
            records += next.0.records.len();
            group.push(next);
        }
        let (batches, replies): (Vec<CheckedBatch>, Vec<Reply>) = group.into_iter().unzip();
        match store_group(&db, &batches).await {
            Ok(results) => {
                for (reply, results) in replies.into_iter().zip(results) {
                    let _ = reply.send(Ok(results)); // a client that left is answered by its next push
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

/// Stores the batches in one transaction, in order; their results.
async fn store_group(db: &Db, batches: &[CheckedBatch]) -> Result<Vec<Vec<PushResult>>, sqlx::Error> {
    let postgres = crate::db::is_postgres(db);
    let mut tx = crate::db::begin_write(db).await?;
    // Hashes of the records already stored under these ids: one query.
    let ids: Vec<&str> = batches
        .iter()
        .flat_map(|batch| &batch.records)
        .filter(|(_, checked)| checked.is_ok())
        .map(|(record, _)| record.id.as_str())
        .collect();
    let mut known: HashMap<String, String> = crate::db::stored_hashes(&mut tx, postgres, &ids).await?.into_iter().collect();
    let received_at = now_ms();
    let mut results = Vec::with_capacity(batches.len());
    let mut rows = Vec::new();
    let mut alerts = Vec::new();
    for batch in batches {
        let mut batch_results = Vec::with_capacity(batch.records.len());
        for (record, checked) in &batch.records {
            let (status, reason) = match checked {
                Err(reason) => (PushStatus::Rejected, Some(reason.clone())),
                Ok(stored) => match known.get(&record.id) {
                    Some(hash) if *hash == stored.hash => (PushStatus::Duplicate, None),
                    Some(_) => (PushStatus::Conflict, Some("another record with this id is already stored; the first one is kept".into())),
                    None => {
                        // Later copies of this id (this batch or the group's next) compare against this one.
                        known.insert(record.id.clone(), stored.hash.clone());
                        rows.push(NewRecordRow {
                            id: &record.id,
                            campaign_id: &record.campaign_id,
                            door_id: &record.door_id,
                            device_id: &record.device_id,
                            device_seq: record.device_seq as i64,
                            received_from: &batch.session.volunteer_id,
                            content_hash: &stored.hash,
                            body: &stored.body,
                            received_at,
                        });
                        alerts.extend(crate::alerts::raised_by(record, &batch.index));
                        (PushStatus::Stored, None)
                    }
                },
            };
            batch_results.push(PushResult { id: record.id.clone(), status, reason });
        }
        results.push(batch_results);
    }
    if !rows.is_empty() {
        crate::db::insert_records(&mut tx, postgres, &rows).await?;
    }
    for alert in &alerts {
        crate::alerts::insert(&mut tx, alert, received_at).await?;
    }
    for batch in batches {
        crate::routes::sync::report_outbox(&mut tx, &batch.session, batch.outbox).await?;
    }
    tx.commit().await?;
    Ok(results)
}
