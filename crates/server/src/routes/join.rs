use axum::extract::State;
use axum::http::header;
use axum::response::{AppendHeaders, IntoResponse};
use axum::Json;
use walkbook_core::limits::identifier_problem;
use walkbook_core::sync::{JoinRequest, JoinResponse};

use crate::auth::{expired_cookie, new_token, session_cookie, token_hash, Session, SESSION_COOKIE, VOLUNTEER_SESSION};
use crate::campaigns::{join_code_hash, now_ms, Assignments};
use crate::config::ClientAddr;
use crate::error::ApiError;
use crate::json::JsonBody;
use crate::AppState;

/// `POST /api/v1/join`: exchanges a one-time join code for a session cookie
/// and the volunteer's campaign. Throttled per address; an unknown, used
/// and expired code get one answer, so codes cannot be probed.
pub async fn join(
    State(state): State<AppState>,
    ClientAddr(client): ClientAddr,
    JsonBody(request): JsonBody<JoinRequest>,
) -> Result<impl IntoResponse, ApiError> {
    state.sign_ins.admit(client)?;
    for (what, value) in [("device id", &request.device_id), ("volunteer id", &request.local_volunteer_id)] {
        if let Some(problem) = value.as_deref().and_then(|value| identifier_problem(what, value)) {
            return Err(ApiError::unprocessable("invalid_join", format!("This phone's {what} cannot be used: {problem}.")));
        }
    }
    // A key that is not one is refused before the code is used up.
    if let Some(problem) = request.public_key.as_deref().and_then(|key| crate::device_keys::parse_public_key(key).err()) {
        return Err(ApiError::unprocessable("invalid_public_key", format!("This phone's key cannot be used: {problem}.")));
    }
    let hash = join_code_hash(&request.code);
    let unusable = || {
        tracing::warn!(target: "audit", %client, "join refused: code unknown, used or expired");
        ApiError::unauthorized(
            "join_code_unusable",
            "This join code cannot be used: it is mistyped, already used or expired. Check it, or ask your coordinator for a new one.",
        )
    };
    // Looked up before taking the write lock: a wrong code costs one read.
    let row: Option<(String, String, String, i64)> = sqlx::query_as(
        "SELECT v.id, v.name, v.campaign_id, j.expires_at FROM join_codes j JOIN volunteers v ON v.id = j.volunteer_id \
         WHERE j.code = $1 AND j.used_at IS NULL AND v.revoked_at IS NULL",
    )
    .bind(&hash)
    .fetch_optional(&state.db)
    .await?;
    let Some((volunteer_id, volunteer_name, campaign_id, expires_at)) = row else { return Err(unusable()) };
    if expires_at <= now_ms() {
        return Err(unusable());
    }
    let index = state.campaigns.get(&state.db, &campaign_id).await?;
    if let Some(closed_at) = index.bundle.campaign.closed_at {
        let day = crate::retention::day_of(&index.bundle.campaign, closed_at);
        return Err(ApiError::conflict("campaign_closed", format!("This campaign was closed on {day}: there is nothing more to record.")));
    }
    // A phone keeps the identity its records had before it joined, but may
    // never take over a volunteer's: an id the server gave out is not bound
    // (records still naming it are refused with the reason).
    let mut local_volunteer_id = request.local_volunteer_id.filter(|local| *local != volunteer_id);
    if let Some(local) = &local_volunteer_id {
        let taken: Option<(String,)> =
            sqlx::query_as("SELECT id FROM volunteers WHERE id = $1").bind(local).fetch_optional(&state.db).await?;
        if taken.is_some() {
            local_volunteer_id = None;
        }
    }
    let token = new_token();
    let mut tx = crate::db::begin_write(&state.db).await?;
    // Used once: of two phones joining with one code at once, one wins.
    let claimed = sqlx::query("UPDATE join_codes SET used_at = $1 WHERE code = $2 AND used_at IS NULL")
        .bind(now_ms())
        .bind(&hash)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if claimed != 1 {
        return Err(unusable());
    }
    sqlx::query(
        "INSERT INTO sessions (token_hash, volunteer_id, created_at, last_used_at, device_id, local_volunteer_id) \
         VALUES ($1, $2, $3, $3, $4, $5)",
    )
    .bind(token_hash(&token))
    .bind(&volunteer_id)
    .bind(now_ms())
    .bind(&request.device_id)
    .bind(&local_volunteer_id)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    if let (Some(device_id), Some(public_key)) = (&request.device_id, &request.public_key) {
        let session = Session {
            volunteer_id: volunteer_id.clone(),
            campaign_id: campaign_id.clone(),
            device_id: Some(device_id.clone()),
            local_volunteer_id: local_volunteer_id.clone(),
            token_hash: String::new(),
        };
        crate::device_keys::register(&state.db, &session, device_id, public_key, now_ms()).await?;
    }
    tracing::info!(target: "audit", %client, volunteer = %volunteer_id, campaign = %campaign_id, "volunteer joined");
    let assigned_buildings = Assignments::of(&state.db, &volunteer_id).await?.told(&index);
    Ok((
        AppendHeaders([(header::SET_COOKIE, session_cookie(SESSION_COOKIE, &token, VOLUNTEER_SESSION, state.config.https()))]),
        Json(JoinResponse { volunteer_id, volunteer_name, bundle: index.bundle.clone(), assigned_buildings }),
    ))
}

/// `POST /api/v1/sign-out`: ends the phone's session (a volunteer leaving,
/// whose phone then wipes what it holds). Its cookie stops working at once;
/// records it pushed stay. The phone calls it only with nothing unsent.
pub async fn sign_out(State(state): State<AppState>, session: crate::auth::Session) -> Result<impl IntoResponse, ApiError> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(&session.token_hash).execute(&state.db).await?;
    tracing::info!(target: "audit", volunteer = %session.volunteer_id, "volunteer signed out and wiped their phone");
    Ok((AppendHeaders([(header::SET_COOKIE, expired_cookie(SESSION_COOKIE, state.config.https()))]), axum::http::StatusCode::NO_CONTENT))
}
