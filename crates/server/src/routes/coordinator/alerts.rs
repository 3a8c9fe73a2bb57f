//! Alerts: fever readings, red codes and overdue temperature checks, and
//! marking them handled.

use axum::extract::{Path, State};
use axum::Json;
use walkbook_core::console::{AlertView, DoorRef};
use walkbook_core::dates::LocalTime;
use walkbook_core::people::{overdue_checks, register};

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
    let name_of = |person_id: &str| names.get(person_id).map_or_else(String::new, |name| name.to_string());
    let mut alerts: Vec<AlertView> = crate::alerts::list(&state.db, &campaign_id)
        .await?
        .into_iter()
        .map(|alert| AlertView {
            id: alert.id.to_string(),
            door: door_ref(&index, &alert.door_id),
            person_name: name_of(&alert.person_id),
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
    alerts.sort_by(|a, b| b.at.cmp(&a.at).then_with(|| a.id.cmp(&b.id)));
    Ok(Json(alerts))
}

/// `POST /api/v1/coordinator/campaigns/{campaign}/alerts/{alert}/handled`.
pub async fn handle_alert(
    State(state): State<AppState>,
    coordinator: Coordinator,
    Path((campaign_id, alert_id)): Path<(String, String)>,
) -> Result<Json<Vec<AlertView>>, ApiError> {
    coordinator.campaign(&state, &campaign_id).await?;
    let handled = if alert_id.starts_with("overdue:") {
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
