//! Needs of households in quarantine, for the coordinator: each need with
//! its door, person, status and when it was raised, oldest first (the
//! longest waiting on top), filtered by status.

use std::collections::HashMap;

use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::Json;
use serde::Deserialize;
use walkbook_core::console::NeedView;
use walkbook_core::needs::{needs, NeedStatus};
use walkbook_core::people::register;
use walkbook_core::record::Record;

use crate::auth::Coordinator;
use crate::campaigns::CampaignIndex;
use crate::error::ApiError;
use crate::AppState;

use super::{names_of, off_the_runtime, parsed_records};

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NeedsQuery {
    /// Only the needs with this status.
    status: Option<NeedStatus>,
}

/// `GET /api/v1/coordinator/campaigns/{campaign}/needs[?status=open]`.
pub async fn list_needs(
    State(state): State<AppState>,
    coordinator: Coordinator,
    Path(campaign_id): Path<String>,
    query: Result<Query<NeedsQuery>, QueryRejection>,
) -> Result<Json<Vec<NeedView>>, ApiError> {
    let Query(query) = query.map_err(|rejection| ApiError::bad_request("invalid_query", rejection.body_text()))?;
    let index = coordinator.campaign(&state, &campaign_id).await?;
    let records = need_records(&state, &campaign_id).await?;
    let names = volunteer_names(&state, &campaign_id).await?;
    let views = off_the_runtime(move || need_views(&index, &records, &names)).await?;
    Ok(Json(views.into_iter().filter(|view| query.status.is_none_or(|status| view.status == status)).collect()))
}

/// The records the needs come from: the needs, their updates, the voids
/// that may withdraw them (by the kind's index), and the households that
/// name the people they are for.
pub async fn need_records(state: &AppState, campaign_id: &str) -> Result<Vec<Record>, ApiError> {
    let sql = "SELECT body FROM records WHERE seq IN \
               (SELECT seq FROM records WHERE campaign_id = $1 AND kind IN ('need', 'need_update', 'void') \
                UNION SELECT seq FROM records WHERE campaign_id = $1 AND outcome IN ('answered', 'moved')) ORDER BY seq";
    parsed_records(state, sql, campaign_id).await
}

/// Each volunteer's name (and the coordinators' console identities') by id.
pub async fn volunteer_names(state: &AppState, campaign_id: &str) -> Result<HashMap<String, String>, ApiError> {
    Ok(sqlx::query_as("SELECT id, name FROM volunteers WHERE campaign_id = $1").bind(campaign_id).fetch_all(&state.db).await?.into_iter().collect())
}

/// Every need of `records` as the console and `needs.csv` show it, oldest first.
pub fn need_views(index: &CampaignIndex, records: &[Record], names: &HashMap<String, String>) -> Vec<NeedView> {
    let people = register(records);
    // By id once: the register is a campaign's thousands of people.
    let people_names = names_of(&people);
    let person_name = |id: &str| people_names.get(id).map(|name| name.to_string());
    let doors: HashMap<&str, &walkbook_core::territory::Door> = index.bundle.doors.iter().map(|door| (door.id.as_str(), door)).collect();
    let name_of = |volunteer_id: &str| names.get(volunteer_id).cloned().unwrap_or_else(|| volunteer_id.to_string());
    needs(&records.iter().collect::<Vec<_>>())
        .into_iter()
        .filter_map(|need| {
            let door = doors.get(need.raised.door_id.as_str())?;
            Some(NeedView {
                need_id: need.id().to_string(),
                door_id: door.id.clone(),
                door_label: door.label.clone(),
                building_id: door.building_id.clone(),
                floor: door.floor,
                person_name: need.person_id.and_then(person_name),
                kind: need.kind,
                details: need.details.to_string(),
                status: need.status,
                raised_at: need.raised.device_time,
                raised_by: name_of(&need.raised.volunteer_id),
                changed_at: need.changed_at(),
                changed_by: need.updated.map(|update| name_of(&update.volunteer_id)),
            })
        })
        .collect()
}
