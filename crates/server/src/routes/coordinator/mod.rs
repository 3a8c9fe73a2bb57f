//! The coordinator console's API, one module per resource: `session`
//! (sign-in), `campaigns` (create, territory CSV, settings), `forms` (JSON
//! and XLSForm), `volunteers` (invite with a QR code, list, revoke, assign),
//! `coverage`, `alerts` and `exports` (CSV). Every handler takes a
//! [`Coordinator`](crate::auth::Coordinator) (403 for a volunteer's session) and checks the campaign is
//! one they run.

pub mod alerts;
pub mod campaigns;
pub mod coverage;
pub mod exports;
pub mod forms;
pub mod session;
pub mod volunteers;

use walkbook_core::record::Record;

use crate::error::ApiError;
use crate::AppState;

/// Every record of the campaign, parsed off the async runtime.
async fn campaign_records(state: &AppState, campaign_id: &str) -> Result<Vec<Record>, ApiError> {
    let rows: Vec<(String,)> =
        sqlx::query_as("SELECT body FROM records WHERE campaign_id = $1 ORDER BY seq").bind(campaign_id).fetch_all(&state.db).await?;
    off_the_runtime(move || {
        rows.into_iter().map(|(body,)| serde_json::from_str(&body).map_err(|e| ApiError::Internal(format!("stored record: {e}")))).collect()
    })
    .await?
}

/// Runs CPU work over a campaign's records on a blocking thread, so that the
/// async runtime keeps answering phones (and health checks) meanwhile.
async fn off_the_runtime<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(work).await.map_err(|e| ApiError::Internal(format!("console work failed: {e}")))
}
