use axum::extract::State;
use axum::http::{header, HeaderMap};
use axum::response::{AppendHeaders, IntoResponse};
use axum::Json;
use walkbook_core::sync::{JoinRequest, JoinResponse};

use crate::auth::{new_token, session_cookie, token_hash};
use crate::campaigns::now_ms;
use crate::error::ApiError;
use crate::AppState;

/// `POST /api/v1/join`: exchanges a one-time join code for a session cookie
/// and the volunteer's campaign.
pub async fn join(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Result<Json<JoinRequest>, axum::extract::rejection::JsonRejection>,
) -> Result<impl IntoResponse, ApiError> {
    let Json(request) = body?;
    let code = request.code.trim().to_ascii_uppercase();
    let mut tx = crate::db::begin_write(&state.db).await?;
    let row: Option<(String, String, String, i64, Option<i64>)> = sqlx::query_as(
        "SELECT v.id, v.name, v.campaign_id, j.expires_at, j.used_at \
         FROM join_codes j JOIN volunteers v ON v.id = j.volunteer_id WHERE j.code = $1 AND v.revoked_at IS NULL",
    )
    .bind(&code)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((volunteer_id, volunteer_name, campaign_id, expires_at, used_at)) = row else {
        return Err(ApiError::bad_request("unknown_join_code", "This join code does not exist: check it with your coordinator."));
    };
    if used_at.is_some() {
        return Err(ApiError::bad_request("join_code_used", "This join code was already used: ask your coordinator for a new one."));
    }
    if expires_at <= now_ms() {
        return Err(ApiError::bad_request("join_code_expired", "This join code has expired: ask your coordinator for a new one."));
    }
    let token = new_token();
    sqlx::query("UPDATE join_codes SET used_at = $1 WHERE code = $2").bind(now_ms()).bind(&code).execute(&mut *tx).await?;
    sqlx::query("INSERT INTO sessions (token_hash, volunteer_id, created_at) VALUES ($1, $2, $3)")
        .bind(token_hash(&token))
        .bind(&volunteer_id)
        .bind(now_ms())
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    let index = state.campaigns.get(&state.db, &campaign_id).await?;
    let secure = headers.get("x-forwarded-proto").is_some_and(|p| p.as_bytes() == b"https");
    Ok((
        AppendHeaders([(header::SET_COOKIE, session_cookie(&token, secure))]),
        Json(JoinResponse { volunteer_id, volunteer_name, bundle: index.bundle.clone() }),
    ))
}
