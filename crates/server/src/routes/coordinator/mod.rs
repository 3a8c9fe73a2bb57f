//! The coordinator console's API, one module per resource: `session`
//! (sign-in), `campaigns` (create, territory CSV, settings), `forms` (JSON
//! and XLSForm), `volunteers` (invite with a QR code, list, revoke, assign),
//! `coverage`, `alerts`, `needs` (of households in quarantine), `exports`
//! (CSV), `reports` (the daily report) and `print` (paper sheets). Every handler takes a
//! [`Coordinator`](crate::auth::Coordinator) (403 for a volunteer's session) and checks the campaign is
//! one they run.

pub mod alerts;
pub mod campaigns;
pub mod coverage;
pub mod exports;
pub mod forms;
pub mod needs;
pub mod print;
pub mod records;
pub mod reports;
pub mod session;
pub mod volunteers;

use std::collections::HashMap;

use walkbook_core::people::Person;
use walkbook_core::record::Record;

use crate::error::ApiError;
use crate::AppState;

/// Every record of the campaign, parsed off the async runtime.
async fn campaign_records(state: &AppState, campaign_id: &str) -> Result<Vec<Record>, ApiError> {
    parsed_records(state, "SELECT body FROM records WHERE campaign_id = $1 ORDER BY seq", campaign_id).await
}

/// The records the register and the temperature checks come from: answered
/// visits (and checks, which are answered), and households that moved. Read
/// by the outcome's index, not from every visit of the campaign.
async fn register_records(state: &AppState, campaign_id: &str) -> Result<Vec<Record>, ApiError> {
    // The records chosen by the outcome index first: asked in one query with
    // `ORDER BY seq`, SQLite walks the campaign's every record in order instead.
    let sql = "SELECT body FROM records WHERE seq IN \
               (SELECT seq FROM records WHERE campaign_id = $1 AND outcome IN ('answered', 'moved')) ORDER BY seq";
    parsed_records(state, sql, campaign_id).await
}

/// Each registered person's name by id.
fn names_of(people: &[Person]) -> HashMap<&str, &str> {
    people.iter().map(|person| (person.id.as_str(), person.name.as_str())).collect()
}

/// Each visited door's record, as the door-status rule picks it (kept in
/// `door_status` as records arrive).
async fn picked_records(state: &AppState, campaign_id: &str) -> Result<Vec<Record>, ApiError> {
    let sql = "SELECT r.body FROM door_status s JOIN records r ON r.id = s.record_id WHERE s.campaign_id = $1";
    parsed_records(state, sql, campaign_id).await
}

/// The records `sql` selects (their bodies) for the campaign, parsed off the
/// async runtime.
async fn parsed_records(state: &AppState, sql: &str, campaign_id: &str) -> Result<Vec<Record>, ApiError> {
    let rows: Vec<(String,)> = sqlx::query_as(sql).bind(campaign_id).fetch_all(&state.db).await?;
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
