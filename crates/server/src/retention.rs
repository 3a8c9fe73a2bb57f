//! Retention: a coordinator closes a campaign, and `retention_days` later
//! the server erases its personal data (names, phone numbers, free text),
//! keeping counts, door statuses and dates.
//!
//! Closing and erasing each bump the campaign's revision, so phones learn
//! them on their next pull (a phone erases a closed campaign's records
//! itself, keeping what it has not yet sent). Once erased, the campaign
//! stores no more records: the record writer reads the erasure inside its
//! own transaction, under the campaign's lock that erasing takes too, so no
//! push can slip a record in after it. An erasure interrupted half way is
//! finished by the next pass: records still to erase keep a content hash.

use std::time::Duration;

use walkbook_core::campaign::{Campaign, CampaignBundle};
use walkbook_core::dates::LocalTime;
use walkbook_core::form::erase_personal_answers;
use walkbook_core::record::{Record, RecordKind};

use crate::campaigns::now_ms;
use crate::db::Db;
use crate::error::ApiError;

/// The content hash of a record whose personal data is erased. A phone
/// pushing it again (an answer it never got) is told `duplicate`; the hash
/// of the original is not kept, as it would let a guessed name be checked.
pub const ERASED_HASH: &str = "";

/// What free text outside the answers becomes once erased (a correction's
/// or a void's reason, a need's details, the note of its update): it may
/// name a resident.
pub const ERASED_TEXT: &str = "(erased)";

/// Records erased per transaction.
const ERASED_AT_A_TIME: i64 = 2000;

/// How often a running server looks for campaigns due for erasure.
const PASS_EVERY: Duration = Duration::from_secs(3600);

/// Closes a campaign at `now`: no new volunteers, no changes to its
/// territory or forms; phones erase what they hold of it once sent.
pub async fn close(db: &Db, campaign_id: &str, now: i64) -> Result<Campaign, ApiError> {
    let mut tx = crate::db::begin_write(db).await?;
    let campaign = rewrite(&mut tx, campaign_id, |campaign| match campaign.closed_at {
        Some(closed_at) => Err(ApiError::conflict(
            "campaign_closed",
            format!("Campaign {campaign_id} was already closed on {}.", day_of(campaign, closed_at)),
        )),
        None => {
            campaign.closed_at = Some(now);
            Ok(())
        }
    })
    .await?;
    tx.commit().await?;
    tracing::info!(target: "audit", campaign = %campaign_id, "campaign closed");
    Ok(campaign)
}

/// What erasing a campaign's personal data changed.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Erased {
    /// Records looked at (each now holds no hash of its original contents).
    pub records: u64,
    /// Of those, records whose answers lost a personal field, or whose
    /// reason was erased.
    pub redacted: u64,
}

/// Erases the personal data of a closed campaign now, whatever its
/// retention period; finishes an erasure left half done. Refuses an open
/// campaign.
pub async fn erase_personal_data(db: &Db, campaign_id: &str, now: i64) -> Result<Erased, ApiError> {
    let mut tx = crate::db::begin_records_write(db, &[campaign_id]).await?;
    let campaign = rewrite(&mut tx, campaign_id, |campaign| {
        if campaign.closed_at.is_none() {
            return Err(ApiError::conflict(
                "campaign_open",
                format!("Campaign {campaign_id} is open: close it before erasing its personal data."),
            ));
        }
        campaign.personal_data_erased_at.get_or_insert(now);
        Ok(())
    })
    .await?;
    tx.commit().await?;
    let erased = erase_records(db, &campaign).await?;
    tracing::info!(target: "audit", campaign = %campaign_id, records = erased.records, redacted = erased.redacted, "personal data erased");
    Ok(erased)
}

/// Erases every campaign whose retention period has ended by `now`, and
/// finishes any erasure left half done.
pub async fn erase_due(db: &Db, now: i64) -> Result<(), ApiError> {
    let closed: Vec<(String, String, Option<i64>)> =
        sqlx::query_as("SELECT id, bundle, erased_at FROM campaigns WHERE closed_at IS NOT NULL").fetch_all(db).await?;
    for (campaign_id, bundle, erased_at) in closed {
        let due = match erased_at {
            Some(_) => unfinished(db, &campaign_id).await?,
            None => parse(&campaign_id, &bundle)?.campaign.erase_personal_data_at().is_some_and(|at| at <= now),
        };
        if due {
            erase_personal_data(db, &campaign_id, now).await?;
        }
    }
    Ok(())
}

/// Runs `erase_due` at start and then every hour, for as long as the
/// server runs. A failed pass is logged and tried again at the next.
pub async fn keep_erasing(db: Db) {
    let mut passes = tokio::time::interval(PASS_EVERY);
    loop {
        passes.tick().await;
        if let Err(error) = erase_due(&db, now_ms()).await {
            tracing::error!(%error, "the retention pass failed; it runs again in an hour");
        }
    }
}

async fn unfinished(db: &Db, campaign_id: &str) -> Result<bool, sqlx::Error> {
    let left: Option<(i64,)> = sqlx::query_as("SELECT seq FROM records WHERE campaign_id = $1 AND content_hash <> $2 LIMIT 1")
        .bind(campaign_id)
        .bind(ERASED_HASH)
        .fetch_optional(db)
        .await?;
    Ok(left.is_some())
}

/// Redacts the campaign's records that still hold their contents, a few
/// thousand per transaction.
async fn erase_records(db: &Db, campaign: &Campaign) -> Result<Erased, ApiError> {
    let mut erased = Erased::default();
    loop {
        let mut tx = crate::db::begin_records_write(db, &[campaign.id.as_str()]).await?;
        let rows: Vec<(i64, String)> =
            sqlx::query_as("SELECT seq, body FROM records WHERE campaign_id = $1 AND content_hash <> $2 ORDER BY seq LIMIT $3")
                .bind(&campaign.id)
                .bind(ERASED_HASH)
                .bind(ERASED_AT_A_TIME)
                .fetch_all(&mut *tx)
                .await?;
        if rows.is_empty() {
            return Ok(erased);
        }
        for (seq, body) in rows {
            let mut record: Record =
                serde_json::from_str(&body).map_err(|e| ApiError::Internal(format!("stored record {seq} is unreadable: {e}")))?;
            let questions = campaign
                .forms
                .iter()
                .find(|form| form.id == record.form_id && form.version == record.form_version)
                .map_or(&[][..], |form| form.questions.as_slice());
            let before = record.clone();
            erase_personal_answers(questions, &mut record.answers);
            if record.reason.is_some() {
                record.reason = Some(ERASED_TEXT.into());
            }
            let texts: Vec<&mut String> = match &mut record.kind {
                RecordKind::Need { details, .. } => vec![details],
                RecordKind::NeedUpdate { note, .. } | RecordKind::WeeklyCheck { note, .. } => vec![note],
                RecordKind::Visitor(entry) => vec![&mut entry.name, &mut entry.phone, &mut entry.purpose],
                _ => Vec::new(),
            };
            for text in texts.into_iter().filter(|text| !text.is_empty()) {
                *text = ERASED_TEXT.into();
            }
            let body = if record == before {
                body
            } else {
                erased.redacted += 1;
                serde_json::to_string(&record).expect("a record always serialises")
            };
            sqlx::query("UPDATE records SET body = $1, content_hash = $2 WHERE seq = $3")
                .bind(body)
                .bind(ERASED_HASH)
                .bind(seq)
                .execute(&mut *tx)
                .await?;
            erased.records += 1;
        }
        tx.commit().await?;
    }
}

/// Changes a stored campaign (`change` may refuse), as its next revision,
/// keeping the columns the hourly pass reads in step. Returns the campaign
/// as stored.
async fn rewrite(
    tx: &mut sqlx::AnyConnection,
    campaign_id: &str,
    change: impl FnOnce(&mut Campaign) -> Result<(), ApiError>,
) -> Result<Campaign, ApiError> {
    let stored: Option<(String, i64)> =
        sqlx::query_as("SELECT bundle, revision FROM campaigns WHERE id = $1").bind(campaign_id).fetch_optional(&mut *tx).await?;
    let (bundle, revision) = stored.ok_or_else(|| ApiError::not_found(format!("No campaign {campaign_id}")))?;
    let mut bundle = parse(campaign_id, &bundle)?;
    change(&mut bundle.campaign)?;
    bundle.campaign.revision = revision as u64 + 1;
    sqlx::query("UPDATE campaigns SET bundle = $1, revision = $2, closed_at = $3, erased_at = $4 WHERE id = $5")
        .bind(serde_json::to_string(&bundle).expect("a bundle always serialises"))
        .bind(revision + 1)
        .bind(bundle.campaign.closed_at)
        .bind(bundle.campaign.personal_data_erased_at)
        .bind(campaign_id)
        .execute(&mut *tx)
        .await?;
    Ok(bundle.campaign)
}

fn parse(campaign_id: &str, bundle: &str) -> Result<CampaignBundle, ApiError> {
    serde_json::from_str(bundle).map_err(|e| ApiError::Internal(format!("stored campaign {campaign_id} is unreadable: {e}")))
}

/// A time as the campaign's local date, for messages.
pub fn day_of(campaign: &Campaign, at: i64) -> String {
    LocalTime::at(at, campaign.settings.utc_offset_minutes).date().to_string()
}
