//! Coverage: doors visited by building and floor, doors never visited,
//! revisits due, and each volunteer's day.

use axum::extract::{Path, State};
use axum::Json;
use walkbook_core::console::{coverage_report, CoverageReport};
use walkbook_core::record::Record;

use crate::auth::Coordinator;
use crate::error::ApiError;
use crate::AppState;

use super::stored_records;
use super::volunteers::volunteer_summaries;

/// `GET /api/v1/coordinator/campaigns/{campaign}/coverage`.
pub async fn coverage(
    State(state): State<AppState>,
    coordinator: Coordinator,
    Path(campaign_id): Path<String>,
) -> Result<Json<CoverageReport>, ApiError> {
    let index = coordinator.campaign(&state, &campaign_id).await?;
    let stored = stored_records(&state, &campaign_id).await?;
    let records: Vec<Record> = stored.iter().map(|s| s.record.clone()).collect();
    let (coverage, buildings, never_visited, revisits) = coverage_report(&index.bundle, &records);
    let volunteers = volunteer_summaries(&state, &index, &stored).await?;
    Ok(Json(CoverageReport { coverage, buildings, never_visited, revisits, volunteers }))
}
