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

/// A stored record with who sent it.
struct Stored {
    received_from: String,
    record: Record,
}

/// Every record of the campaign, parsed off the async runtime.
async fn stored_records(state: &AppState, campaign_id: &str) -> Result<Vec<Stored>, ApiError> {
    let rows: Vec<(String, String)> = sqlx::query_as("SELECT received_from, body FROM records WHERE campaign_id = $1 ORDER BY seq")
        .bind(campaign_id)
        .fetch_all(&state.db)
        .await?;
    off_the_runtime(move || {
        rows.into_iter()
            .map(|(received_from, body)| {
                let record = serde_json::from_str(&body).map_err(|e| ApiError::Internal(format!("stored record: {e}")))?;
                Ok(Stored { received_from, record })
            })
            .collect()
    })
    .await?
}

/// Runs CPU work over a campaign's records on a blocking thread, so that the
/// async runtime keeps answering phones (and health checks) meanwhile.
async fn off_the_runtime<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(work).await.map_err(|e| ApiError::Internal(format!("console work failed: {e}")))
}
