//! What each volunteer's phone last said of itself with a push or a pull
//! (its outbox, whether it runs installed, whether its storage is kept) and
//! when it was last seen: what the coordinator's volunteers list shows.
//!
//! Every push and pull says it. Writing it each time would make every pull
//! a database write, serialised with the records being stored (on SQLite
//! one writer at a time). So reports are kept in memory, newest over older,
//! and written together: every [`FLUSH_EVERY`], and before the volunteers
//! list reads them. A server that dies loses at most that much "last seen";
//! records are never part of it.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use walkbook_core::sync::OutboxReport;

use crate::campaigns::now_ms;
use crate::db::Db;

pub const FLUSH_EVERY: Duration = Duration::from_secs(5);

/// One phone's latest word, merged: what a later report leaves out (an
/// older app says nothing of installing) keeps what was said before.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Seen {
    at: i64,
    outbox: Option<OutboxReport>,
}

impl Seen {
    fn merged_with_newer(self, newer: Seen) -> Seen {
        let outbox = match (self.outbox, newer.outbox) {
            (Some(old), Some(new)) => {
                Some(OutboxReport { installed: new.installed.or(old.installed), persisted: new.persisted.or(old.persisted), ..new })
            }
            (old, new) => new.or(old),
        };
        Seen { at: newer.at.max(self.at), outbox }
    }
}

/// Reports not yet written, by volunteer.
#[derive(Default)]
pub struct PhoneReports {
    unwritten: Mutex<HashMap<String, Seen>>,
    /// Held while a flush writes: a reader's flush waits for one in flight
    /// (the periodic one) to commit, instead of finding nothing left to
    /// write and reading the reports from before it.
    writing: tokio::sync::Mutex<()>,
}

impl PhoneReports {
    /// Keeps what `volunteer_id`'s phone said now; written at the next flush.
    pub fn note(&self, volunteer_id: &str, outbox: Option<OutboxReport>) {
        let seen = Seen { at: now_ms(), outbox };
        let mut unwritten = self.unwritten.lock().expect("no panic holds this lock");
        let merged = match unwritten.get(volunteer_id) {
            Some(earlier) => earlier.merged_with_newer(seen),
            None => seen,
        };
        unwritten.insert(volunteer_id.to_string(), merged);
    }

    /// Writes every report kept so far, in one transaction. On failure they
    /// are kept again (under any newer ones) for the next flush.
    pub async fn flush(&self, db: &Db) -> Result<(), sqlx::Error> {
        let _writing = self.writing.lock().await;
        let taken = std::mem::take(&mut *self.unwritten.lock().expect("no panic holds this lock"));
        if taken.is_empty() {
            return Ok(());
        }
        let written = write(db, &taken).await;
        if written.is_err() {
            let mut unwritten = self.unwritten.lock().expect("no panic holds this lock");
            for (volunteer_id, older) in taken {
                let merged = match unwritten.get(&volunteer_id) {
                    Some(newer) => older.merged_with_newer(*newer),
                    None => older,
                };
                unwritten.insert(volunteer_id, merged);
            }
        }
        written
    }

    /// Flushes `every` (normally [`FLUSH_EVERY`]) for as long as the server runs.
    pub fn keep_flushing(self: &Arc<Self>, db: Db, every: Duration) {
        let reports = Arc::downgrade(self);
        tokio::spawn(async move {
            let mut every = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
            every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                every.tick().await;
                let Some(reports) = reports.upgrade() else { return };
                if let Err(error) = reports.flush(&db).await {
                    tracing::warn!(%error, "phone reports not written; kept for the next try");
                }
            }
        });
    }
}

/// Writes every report in one statement (no lock held but the rows'): a
/// report never replaces a newer one another server process wrote.
async fn write(db: &Db, reports: &HashMap<String, Seen>) -> Result<(), sqlx::Error> {
    let flag = |value: Option<bool>| value.map(i64::from);
    let rows: Vec<serde_json::Value> = reports
        .iter()
        .map(|(volunteer_id, seen)| {
            let outbox = seen.outbox;
            serde_json::json!([
                volunteer_id,
                seen.at,
                outbox.map(|report| i64::from(report.pending)),
                outbox.and_then(|report| report.oldest_pending),
                flag(outbox.and_then(|report| report.installed)),
                flag(outbox.and_then(|report| report.persisted)),
            ])
        })
        .collect();
    let reported = if crate::db::is_postgres(db) {
        "SELECT r->>0 AS id, (r->>1)::bigint AS at, (r->>2)::bigint AS pending, (r->>3)::bigint AS oldest, \
         (r->>4)::bigint AS installed, (r->>5)::bigint AS persisted FROM json_array_elements($1::json) AS rows (r)"
    } else {
        "SELECT json_extract(value, '$[0]') AS id, json_extract(value, '$[1]') AS at, json_extract(value, '$[2]') AS pending, \
         json_extract(value, '$[3]') AS oldest, json_extract(value, '$[4]') AS installed, json_extract(value, '$[5]') AS persisted \
         FROM json_each($1)"
    };
    // A report without an outbox (an older app) leaves what was known.
    let sql = format!(
        "UPDATE volunteers AS v SET last_seen_at = r.at, unsent_count = COALESCE(r.pending, v.unsent_count), \
         oldest_unsent_at = CASE WHEN r.pending IS NULL THEN v.oldest_unsent_at ELSE r.oldest END, \
         installed = COALESCE(r.installed, v.installed), persisted = COALESCE(r.persisted, v.persisted) \
         FROM ({reported}) AS r WHERE v.id = r.id AND (v.last_seen_at IS NULL OR v.last_seen_at <= r.at)"
    );
    let rows = serde_json::to_string(&rows).expect("rows always serialise");
    sqlx::query(&sql).bind(rows).execute(db).await.map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(pending: u32, installed: Option<bool>) -> Option<OutboxReport> {
        Some(OutboxReport { pending, oldest_pending: None, installed, persisted: None })
    }

    #[test]
    fn a_newer_report_wins_but_what_it_leaves_out_stays() {
        let older = Seen { at: 1, outbox: report(3, Some(false)) };
        let newer = Seen { at: 2, outbox: report(0, None) };
        let merged = older.merged_with_newer(newer);
        assert_eq!(merged.at, 2);
        assert_eq!(merged.outbox, report(0, Some(false)));
        let silent = Seen { at: 3, outbox: None };
        assert_eq!(merged.merged_with_newer(silent).outbox, report(0, Some(false)));
    }
}
