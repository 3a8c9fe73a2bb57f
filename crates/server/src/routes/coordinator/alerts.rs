//! Alerts: fever readings, red codes (at doors and at the gates), overdue
//! temperature checks, missed weekly checks of people living alone and
//! phones whose unsent records are at risk, and marking them handled.

use axum::extract::{Path, State};
use axum::Json;
use walkbook_core::console::{AlertView, DoorRef};
use walkbook_core::dates::{iso_8601, LocalTime, DAY_MS};
use walkbook_core::living_alone::weekly_checks;
use std::collections::HashMap;

use walkbook_core::people::{overdue_checks, register};
use walkbook_core::record::{Record, RecordKind};
use walkbook_core::sync::LastContact;

use crate::auth::Coordinator;
use crate::campaigns::{now_ms, CampaignIndex};
use crate::error::ApiError;
use crate::AppState;

use super::{names_of, register_records};

fn door_ref(index: &CampaignIndex, door_id: &str) -> Option<DoorRef> {
    index.bundle.doors.iter().find(|d| d.id == door_id).map(|d| DoorRef {
        id: d.id.clone(),
        label: d.label.clone(),
        building_id: d.building_id.clone(),
        floor: d.floor,
    })
}

/// `GET /api/v1/coordinator/campaigns/{campaign}/alerts`: fever readings and
/// red codes as they arrived, and checks overdue now, newest first.
pub async fn list_alerts(
    State(state): State<AppState>,
    coordinator: Coordinator,
    Path(campaign_id): Path<String>,
) -> Result<Json<Vec<AlertView>>, ApiError> {
    let index = coordinator.campaign(&state, &campaign_id).await?;
    let records = register_records(&state, &campaign_id).await?;
    let people = register(&records);
    let names = names_of(&people);
    let stored = crate::alerts::list(&state.db, &campaign_id).await?;
    let visitors = visitor_names(&state, &campaign_id, &stored).await?;
    let name_of = |alert: &crate::alerts::Alert| match visitors.get(&alert.record_id) {
        Some(visitor) => visitor.clone(),
        None => names.get(alert.person_id.as_str()).map_or_else(String::new, |name| name.to_string()),
    };
    let mut alerts: Vec<AlertView> = stored
        .into_iter()
        .map(|alert| AlertView {
            id: alert.id.to_string(),
            door: door_ref(&index, &alert.door_id),
            person_name: name_of(&alert),
            kind: alert.kind,
            person_id: alert.person_id,
            detail: alert.detail,
            at: alert.raised_at,
            handled_by: alert.handled_by,
            handled_at: alert.handled_at,
        })
        .collect();
    let handled: Vec<(String, String, i64)> =
        sqlx::query_as("SELECT alert_id, handled_by, handled_at FROM overdue_handled WHERE campaign_id = $1")
            .bind(&campaign_id)
            .fetch_all(&state.db)
            .await?;
    let offset = index.bundle.campaign.settings.utc_offset_minutes;
    for overdue in overdue_checks(&people, &records, LocalTime::at(now_ms(), offset), offset) {
        let (person, slot) = (overdue.person, &overdue.slot);
        let id = format!("overdue:{}:{}:{}", person.id, slot.date, slot.half.code());
        let handled = handled.iter().find(|(alert_id, _, _)| *alert_id == id);
        alerts.push(AlertView {
            id,
            kind: "overdue".into(),
            door: door_ref(&index, &person.door_id),
            person_id: person.id.clone(),
            person_name: person.name.clone(),
            detail: format!("{} {} check not recorded", slot.date, slot.half.code()),
            // An overdue check counts from the end of its window.
            at: slot.closes_at(offset),
            handled_by: handled.map(|(_, by, _)| by.clone()),
            handled_at: handled.map(|(_, _, at)| *at),
        });
    }
    // People living alone not seen for a week: one alert per missed look,
    // until someone goes (then the next is owed a week later).
    for missed in weekly_checks(&people, &records, LocalTime::at(now_ms(), offset), offset).into_iter().filter(|check| check.missed) {
        let person = missed.person;
        let id = format!("weekly:{}:{}", person.id, missed.due_by);
        let handled = handled.iter().find(|(alert_id, _, _)| *alert_id == id);
        let due_by_end = walkbook_core::dates::day_of_date(&missed.due_by).map_or(0, |day| (day + 1) * DAY_MS - i64::from(offset) * 60_000);
        alerts.push(AlertView {
            id,
            kind: "weekly_check_missed".into(),
            door: door_ref(&index, &person.door_id),
            person_id: person.id.clone(),
            person_name: person.name.clone(),
            detail: format!("not seen since {}: a weekly check was owed by {}", LocalTime::at(missed.last_seen_at, offset).date(), missed.due_by),
            at: due_by_end,
            handled_by: handled.map(|(_, by, _)| by.clone()),
            handled_at: handled.map(|(_, _, at)| *at),
        });
    }
    alerts.extend(data_at_risk(&state, &index).await?);
    alerts.sort_by(|a, b| b.at.cmp(&a.at).then_with(|| a.id.cmp(&b.id)));
    Ok(Json(alerts))
}

/// The visitors that gates' alerts are about, by their entry's record id
/// (an alert holds no names; an erased campaign's entries name nobody).
async fn visitor_names(state: &AppState, campaign_id: &str, alerts: &[crate::alerts::Alert]) -> Result<HashMap<String, String>, ApiError> {
    let entries: Vec<&str> = alerts.iter().filter(|alert| alert.door_id.is_empty()).map(|alert| alert.record_id.as_str()).collect();
    if entries.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<(String, String)> = sqlx::query_as(&format!(
        "SELECT id, body FROM records WHERE campaign_id = $1 AND kind = 'visitor' AND id IN ({})",
        crate::db::strings_of(crate::db::is_postgres(&state.db), 2)
    ))
    .bind(campaign_id)
    .bind(crate::db::json_list(&entries))
    .fetch_all(&state.db)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, body)| match serde_json::from_str::<Record>(&body).ok()?.kind {
            RecordKind::Visitor(entry) => Some((id, entry.name)),
            _ => None,
        })
        .collect())
}

/// One alert per volunteer whose phone's unsent records are at risk (see
/// `LastContact::at_risk_since`), as their phone last reported; it goes when
/// the phone reports them sent. Revoked volunteers' phones cannot send.
async fn data_at_risk(state: &AppState, index: &CampaignIndex) -> Result<Vec<AlertView>, ApiError> {
    state.phones.flush(&state.db).await?;
    let settings = &index.bundle.campaign.settings;
    let rows: Vec<(String, String, Option<i64>, Option<i64>, Option<i64>)> = sqlx::query_as(
        "SELECT id, name, last_seen_at, unsent_count, oldest_unsent_at FROM volunteers \
         WHERE campaign_id = $1 AND revoked_at IS NULL AND unsent_count > 0",
    )
    .bind(&index.bundle.campaign.id)
    .fetch_all(&state.db)
    .await?;
    let handled: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT alert_id, handled_by, handled_at FROM overdue_handled WHERE campaign_id = $1 AND alert_id LIKE 'data_at_risk:%'",
    )
    .bind(&index.bundle.campaign.id)
    .fetch_all(&state.db)
    .await?;
    let now = now_ms();
    let shown = |at: Option<i64>| at.map_or_else(|| "never".to_string(), |at| iso_8601(at, settings.utc_offset_minutes));
    Ok(rows
        .into_iter()
        .filter_map(|(volunteer_id, name, seen_at, unsent, oldest_unsent_at)| {
            let contact = LastContact { seen_at, unsent: unsent.unwrap_or(0) as u32, oldest_unsent_at };
            let since = contact.at_risk_since(now, settings.at_risk_hours)?;
            let id = format!("data_at_risk:{volunteer_id}:{since}");
            let handled = handled.iter().find(|(alert_id, _, _)| *alert_id == id);
            Some(AlertView {
                kind: "data_at_risk".into(),
                door: None,
                person_name: name,
                detail: format!(
                    "{} unsent, the oldest made {}; phone last in touch {}",
                    contact.unsent,
                    shown(oldest_unsent_at),
                    shown(seen_at)
                ),
                at: since,
                handled_by: handled.map(|(_, by, _)| by.clone()),
                handled_at: handled.map(|(_, _, at)| *at),
                person_id: volunteer_id,
                id,
            })
        })
        .collect())
}

/// `POST /api/v1/coordinator/campaigns/{campaign}/alerts/{alert}/handled`.
pub async fn handle_alert(
    State(state): State<AppState>,
    coordinator: Coordinator,
    Path((campaign_id, alert_id)): Path<(String, String)>,
) -> Result<Json<Vec<AlertView>>, ApiError> {
    coordinator.campaign(&state, &campaign_id).await?;
    // Alerts computed when read are marked handled by their id.
    let handled = if ["overdue:", "weekly:", "data_at_risk:"].iter().any(|computed| alert_id.starts_with(computed)) {
        sqlx::query(
            "INSERT INTO overdue_handled (campaign_id, alert_id, handled_by, handled_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
        )
        .bind(&campaign_id)
        .bind(&alert_id)
        .bind(&coordinator.name)
        .bind(now_ms())
        .execute(&state.db)
        .await?;
        true
    } else {
        let id: i64 = alert_id.parse().map_err(|_| ApiError::not_found(format!("No alert {alert_id}")))?;
        let updated = sqlx::query(
            "UPDATE alerts SET handled_by = COALESCE(handled_by, $1), handled_at = COALESCE(handled_at, $2) \
             WHERE id = $3 AND campaign_id = $4",
        )
        .bind(&coordinator.name)
        .bind(now_ms())
        .bind(id)
        .bind(&campaign_id)
        .execute(&state.db)
        .await?;
        updated.rows_affected() == 1
    };
    if !handled {
        return Err(ApiError::not_found(format!("No alert {alert_id}")));
    }
    list_alerts(State(state), coordinator, Path(campaign_id)).await
}
