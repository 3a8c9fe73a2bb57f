//! Coverage: doors visited by building and floor, doors never visited,
//! revisits due, and each volunteer's day.

use axum::extract::{Path, State};
use axum::Json;
use walkbook_core::console::CoverageReport;
use walkbook_core::record::Record;

use crate::auth::Coordinator;
use crate::error::ApiError;
use crate::AppState;

use super::volunteers::volunteer_summaries;

/// `GET /api/v1/coordinator/campaigns/{campaign}/coverage`.
pub async fn coverage(
    State(state): State<AppState>,
    coordinator: Coordinator,
    Path(campaign_id): Path<String>,
) -> Result<Json<CoverageReport>, ApiError> {
    let index = coordinator.campaign(&state, &campaign_id).await?;
    // Counted by the database from the door statuses kept with the records;
    // only the floor records (notices, closures) are read whole.
    let floor_bodies: Vec<(String,)> =
        sqlx::query_as("SELECT body FROM records WHERE campaign_id = $1 AND door_id = ''").bind(&campaign_id).fetch_all(&state.db).await?;
    let floor_records: Vec<Record> = floor_bodies.iter().filter_map(|(body,)| serde_json::from_str(body).ok()).collect();
    let ((coverage, buildings, never_visited, revisits), never_visited_total, revisits_total) =
        crate::door_status::coverage(&state.db, &index, &floor_records).await?;
    let volunteers = volunteer_summaries(&state, &index).await?;
    Ok(Json(CoverageReport { coverage, buildings, never_visited, never_visited_total, revisits, revisits_total, volunteers }))
}
