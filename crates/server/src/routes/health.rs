use axum::extract::State;
use axum::Json;
use walkbook_core::api::Health;

use crate::error::ApiError;
use crate::AppState;

/// `GET /api/v1/health`: 200 when the server and its database answer.
pub async fn health(State(state): State<AppState>) -> Result<Json<Health>, ApiError> {
    crate::db::ping(&state.db).await?;
    Ok(Json(Health { status: "ok".into(), version: env!("CARGO_PKG_VERSION").into(), database: crate::db::backend(&state.db).into() }))
}
