//! A coordinator's session: sign in with a one-time login code, sign out,
//! who is signed in.

use axum::extract::State;
use axum::http::header;
use axum::response::{AppendHeaders, IntoResponse};
use axum::Json;
use walkbook_core::console::{CoordinatorView, LoginRequest};

use crate::auth::{expired_cookie, session_cookie, Coordinator, COORDINATOR_COOKIE, COORDINATOR_SESSION};
use crate::config::ClientAddr;
use crate::error::ApiError;
use crate::json::JsonBody;
use crate::AppState;

/// `POST /api/v1/coordinator/login`: a one-time login code for a session cookie.
/// Throttled per address like joining.
pub async fn login(
    State(state): State<AppState>,
    ClientAddr(client): ClientAddr,
    JsonBody(request): JsonBody<LoginRequest>,
) -> Result<impl IntoResponse, ApiError> {
    state.sign_ins.admit(client)?;
    let (id, name, token) = crate::coordinators::login(&state.db, &request.code).await.inspect_err(|_| {
        tracing::warn!(target: "audit", %client, "coordinator login refused");
    })?;
    tracing::info!(target: "audit", %client, coordinator = %id, "coordinator signed in");
    let cookie = session_cookie(COORDINATOR_COOKIE, &token, COORDINATOR_SESSION, state.config.https());
    Ok((AppendHeaders([(header::SET_COOKIE, cookie)]), Json(CoordinatorView { id, name })))
}

/// `POST /api/v1/coordinator/logout`: ends this console session.
pub async fn logout(State(state): State<AppState>, coordinator: Coordinator) -> Result<impl IntoResponse, ApiError> {
    sqlx::query("DELETE FROM coordinator_sessions WHERE token_hash = $1").bind(&coordinator.token_hash).execute(&state.db).await?;
    tracing::info!(target: "audit", coordinator = %coordinator.id, "coordinator signed out");
    Ok((
        AppendHeaders([(header::SET_COOKIE, expired_cookie(COORDINATOR_COOKIE, state.config.https()))]),
        axum::http::StatusCode::NO_CONTENT,
    ))
}

/// `GET /api/v1/coordinator/me`.
pub async fn me(coordinator: Coordinator) -> Json<CoordinatorView> {
    Json(CoordinatorView { id: coordinator.id, name: coordinator.name })
}
