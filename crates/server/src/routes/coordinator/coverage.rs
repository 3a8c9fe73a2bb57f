//! Coverage: doors visited by building and floor, doors never visited,
//! revisits due, and each volunteer's day.

use axum::extract::{Path, State};
use axum::Json;
use walkbook_core::console::{coverage_of, CoverageReport};
use walkbook_core::record::Record;

use crate::auth::Coordinator;
use crate::error::ApiError;
use crate::AppState;

use super::off_the_runtime;
use super::volunteers::volunteer_summaries;

/// `GET /api/v1/coordinator/campaigns/{campaign}/coverage`.
pub async fn coverage(
    State(state): State<AppState>,
    coordinator: Coordinator,
    Path(campaign_id): Path<String>,
) -> Result<Json<CoverageReport>, ApiError> {
    let index = coordinator.campaign(&state, &campaign_id).await?;
    // Each visited door's status as kept with its records, and the floor
    // records (notices, closures): not the campaign's whole history.
    let latest = crate::door_status::read(&state.db, &campaign_id).await?;
    let floor_bodies: Vec<(String,)> =
        sqlx::query_as("SELECT body FROM records WHERE campaign_id = $1 AND door_id = ''").bind(&campaign_id).fetch_all(&state.db).await?;
    let (coverage, buildings, never_visited, revisits) = off_the_runtime({
        let index = index.clone();
        move || {
            let floor_records: Vec<Record> = floor_bodies.iter().filter_map(|(body,)| serde_json::from_str(body).ok()).collect();
            coverage_of(&index.bundle, &latest, &floor_records)
        }
    })
    .await?;
    let volunteers = volunteer_summaries(&state, &index).await?;
    Ok(Json(CoverageReport { coverage, buildings, never_visited, revisits, volunteers }))
}
