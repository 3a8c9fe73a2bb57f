//! Coverage: doors visited by building and floor, doors never visited,
//! revisits due, and each volunteer's day.

use axum::extract::{Path, State};
use axum::Json;
use walkbook_core::console::{coverage_report, CoverageReport};

use crate::auth::Coordinator;
use crate::error::ApiError;
use crate::AppState;

use super::volunteers::volunteer_summaries;
use super::{off_the_runtime, stored_records};

/// `GET /api/v1/coordinator/campaigns/{campaign}/coverage`.
pub async fn coverage(
    State(state): State<AppState>,
    coordinator: Coordinator,
    Path(campaign_id): Path<String>,
) -> Result<Json<CoverageReport>, ApiError> {
    let index = coordinator.campaign(&state, &campaign_id).await?;
    let stored = stored_records(&state, &campaign_id).await?;
    let (stored, (coverage, buildings, never_visited, revisits)) = off_the_runtime({
        let index = index.clone();
        move || {
            let report = coverage_report(&index.bundle, stored.iter().map(|s| &s.record));
            (stored, report)
        }
    })
    .await?;
    let volunteers = volunteer_summaries(&state, &index, &stored).await?;
    Ok(Json(CoverageReport { coverage, buildings, never_visited, revisits, volunteers }))
}
