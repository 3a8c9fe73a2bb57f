use axum::extract::State;
use axum::Json;
use walkbook_core::api::Health;

use crate::error::ApiError;
use crate::AppState;

/// `GET /api/v1/health`: 200 when the server, its database and its record
/// writer answer; 503 while the writer is being restarted.
pub async fn health(State(state): State<AppState>) -> Result<Json<Health>, ApiError> {
    if !state.ingest.is_running() {
        return Err(ApiError::unavailable("The record writer is restarting: pushes are not stored until it runs.", 1));
    }
    crate::db::ping(&state.db).await?;
    Ok(Json(Health { status: "ok".into(), version: env!("CARGO_PKG_VERSION").into(), database: crate::db::backend(&state.db).into() }))
}
