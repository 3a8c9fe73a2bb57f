//! Alerts that arriving records raise (when first stored, see `ingest`):
//! fever readings and red health codes, at doors and at the gates, for the
//! coordinator to handle. A gate's alert names no door and no person: its
//! record is the visitor's entry.

use serde::Serialize;
use walkbook_core::lang::Lang;
use walkbook_core::people::{is_fever, register, roster, Half, HealthCode};
use walkbook_core::record::{Record, RecordKind};

use crate::campaigns::CampaignIndex;
use crate::db::Db;

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Alert {
    pub id: i64,
    /// `fever` or `red_code`.
    pub kind: String,
    pub record_id: String,
    pub door_id: String,
    pub person_id: String,
    pub detail: String,
    /// When the server received the record, ms since the epoch.
    pub raised_at: i64,
    pub handled_by: Option<String>,
    pub handled_at: Option<i64>,
}

/// A campaign's alerts, newest first.
pub async fn list(db: &Db, campaign_id: &str) -> Result<Vec<Alert>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, kind, record_id, door_id, person_id, detail, raised_at, handled_by, handled_at \
         FROM alerts WHERE campaign_id = $1 AND held = 0 ORDER BY raised_at DESC, id DESC",
    )
    .bind(campaign_id)
    .fetch_all(db)
    .await
}

/// An alert a newly stored record raises.
pub struct NewAlert<'a> {
    pub record: &'a Record,
    /// `fever` or `red_code`.
    pub kind: &'static str,
    pub person_id: String,
    pub detail: String,
}

/// The alerts a newly stored record raises: a fever reading (at or above
/// the campaign's threshold), and each person it lists with a red code.
pub fn raised_by<'a>(record: &'a Record, index: &CampaignIndex) -> Vec<NewAlert<'a>> {
    let threshold = index.bundle.campaign.settings.fever_threshold_c;
    let alert = |kind, person_id: String, detail| NewAlert { record, kind, person_id, detail };
    match &record.kind {
        RecordKind::TemperatureCheck { person_id, slot, celsius } if is_fever(*celsius, threshold) => {
            let half = match slot.half {
                Half::Morning => "morning",
                Half::Afternoon => "afternoon",
            };
            vec![alert("fever", person_id.clone(), format!("{celsius:.1} °C ({} {half}, threshold {threshold:.1} °C)", slot.date))]
        }
        RecordKind::Visit {} => register([record])
            .into_iter()
            .filter(|person| person.health_code == Some(HealthCode::Red))
            .map(|person| alert("red_code", person.id, "red health code".to_string()))
            .collect(),
        RecordKind::Visitor(entry) => {
            // The gate's name, not the visitor's: alert details hold no names.
            let gate = index.bundle.campaign.gate(&entry.gate_id).map_or(entry.gate_id.as_str(), |gate| gate.name.get(Lang::En));
            let turned_back = if entry.turned_back { ", turned back" } else { ", let in" };
            let mut alerts = Vec::new();
            if let Some(celsius) = entry.celsius.filter(|_| entry.has_fever(threshold)) {
                alerts.push(alert("fever", String::new(), format!("{gate}: {celsius:.1} °C (threshold {threshold:.1} °C){turned_back}")));
            }
            if entry.has_red_code() {
                alerts.push(alert("red_code", String::new(), format!("{gate}: red health code{turned_back}")));
            }
            alerts
        }
        _ => Vec::new(),
    }
}

/// Stores an alert in the transaction that stores its record. A fever
/// reading for a person the door's households do not name is stored held:
/// invented person ids raise nothing until a household names them.
pub async fn insert(tx: &mut sqlx::AnyConnection, alert: &NewAlert<'_>, raised_at: i64) -> Result<(), sqlx::Error> {
    let is_reading = matches!(alert.record.kind, RecordKind::TemperatureCheck { .. });
    let held = is_reading && !is_registered(&mut *tx, alert.record, &alert.person_id).await?;
    sqlx::query(
        "INSERT INTO alerts (campaign_id, kind, record_id, door_id, person_id, detail, raised_at, held) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING",
    )
    .bind(&alert.record.campaign_id)
    .bind(alert.kind)
    .bind(&alert.record.id)
    .bind(&alert.record.door_id)
    .bind(&alert.person_id)
    .bind(&alert.detail)
    .bind(raised_at)
    .bind(i32::from(held))
    .execute(tx)
    .await
    .map(drop)
}

/// Whether a stored household record of the reading's door lists the person.
async fn is_registered(tx: &mut sqlx::AnyConnection, reading: &Record, person_id: &str) -> Result<bool, sqlx::Error> {
    let bodies: Vec<(String,)> = sqlx::query_as("SELECT body FROM records WHERE campaign_id = $1 AND door_id = $2")
        .bind(&reading.campaign_id)
        .bind(&reading.door_id)
        .fetch_all(tx)
        .await?;
    Ok(bodies
        .iter()
        .filter_map(|(body,)| serde_json::from_str::<Record>(body).ok())
        .any(|record| record.kind.is_visit() && roster(&record).any(|(id, _)| id == person_id)))
}

/// Who the console says handled an alert that closed by itself: the
/// record that raised it was corrected or withdrawn.
pub const CLOSED_BY_CORRECTION: &str = "a correction";

/// Closes the open alerts raised by the records that `records` (just
/// stored) supersede, each in its own campaign: the reading or household
/// they were about was corrected. A correction that still warrants an alert
/// raises its own.
pub async fn close_replaced(tx: &mut sqlx::AnyConnection, postgres: bool, records: &[&Record], at: i64) -> Result<(), sqlx::Error> {
    let ids: Vec<&str> = records.iter().filter_map(|record| record.supersedes.as_deref()).collect();
    if ids.is_empty() {
        return Ok(());
    }
    let in_campaign: Vec<String> =
        records.iter().filter_map(|record| Some(format!("{}/{}", record.campaign_id, record.supersedes.as_deref()?))).collect();
    // By record id through the index, then each in its own campaign.
    sqlx::query(&format!(
        "UPDATE alerts SET handled_by = $1, handled_at = $2 WHERE handled_at IS NULL AND record_id IN ({}) \
         AND campaign_id || '/' || record_id IN ({})",
        crate::db::strings_of(postgres, 3),
        crate::db::strings_of(postgres, 4)
    ))
    .bind(CLOSED_BY_CORRECTION)
    .bind(at)
    .bind(crate::db::json_list(&ids))
    .bind(crate::db::json_list(&in_campaign))
    .execute(tx)
    .await
    .map(drop)
}

/// Raises the held fever alerts of the people `households` list (records
/// just stored): their household has arrived.
pub async fn release_held(tx: &mut sqlx::AnyConnection, postgres: bool, households: &[&Record], at: i64) -> Result<(), sqlx::Error> {
    let listed: Vec<String> =
        households.iter().flat_map(|record| roster(record).map(move |(person, _)| format!("{}/{person}", record.door_id))).collect();
    let Some(campaign_id) = households.first().map(|record| &record.campaign_id) else { return Ok(()) };
    if listed.is_empty() {
        return Ok(());
    }
    sqlx::query(&format!(
        "UPDATE alerts SET held = 0, raised_at = $1 WHERE campaign_id = $2 AND held = 1 AND door_id || '/' || person_id IN ({})",
        crate::db::strings_of(postgres, 3)
    ))
    .bind(at)
    .bind(campaign_id)
    .bind(crate::db::json_list(&listed))
    .execute(tx)
    .await
    .map(drop)
}
