//! Sessions: a random token in an HttpOnly, SameSite=Strict cookie (Secure
//! over https); the database keeps only its SHA-256. Volunteers and
//! coordinators have separate cookies and tables.

use axum::extract::FromRequestParts;
use axum::http::header::COOKIE;
use axum::http::request::Parts;
use sha2::{Digest, Sha256};

use std::sync::Arc;

use crate::campaigns::CampaignIndex;
use crate::error::ApiError;
use crate::AppState;

pub const SESSION_COOKIE: &str = "walkbook_session";

/// The volunteer a request is authorised as, and the one campaign they may
/// read and write.
#[derive(Debug, Clone)]
pub struct Session {
    pub volunteer_id: String,
    pub campaign_id: String,
}

pub fn new_token() -> String {
    format!("{}{}", uuid::Uuid::new_v4().simple(), uuid::Uuid::new_v4().simple())
}

pub fn token_hash(token: &str) -> String {
    format!("{:x}", Sha256::digest(token.as_bytes()))
}

/// `Set-Cookie` for a new session. `secure` when the server is reached over https.
pub fn session_cookie(token: &str, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age=31536000{secure}")
}

fn cookie_value<'a>(parts: &'a Parts, name: &str) -> Option<&'a str> {
    parts
        .headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|header| header.split(';'))
        .find_map(|pair| pair.trim().strip_prefix(name)?.strip_prefix('='))
}

impl FromRequestParts<AppState> for Session {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let token = cookie_value(parts, SESSION_COOKIE)
            .ok_or_else(|| ApiError::unauthorized("no_session", "Not signed in: join the campaign with the code from your coordinator."))?;
        let session = volunteer_session(state, token).await?;
        session.ok_or_else(|| ApiError::unauthorized("invalid_session", "This session is not valid any more: join again with a new code."))
    }
}

/// The volunteer session a token opens, if any (revoking deletes sessions).
async fn volunteer_session(state: &AppState, token: &str) -> Result<Option<Session>, ApiError> {
    let row: Option<(String, String)> = sqlx::query_as(
        "SELECT v.id, v.campaign_id FROM sessions s JOIN volunteers v ON v.id = s.volunteer_id \
         WHERE s.token_hash = $1 AND v.revoked_at IS NULL",
    )
    .bind(token_hash(token))
    .fetch_optional(&state.db)
    .await?;
    Ok(row.map(|(volunteer_id, campaign_id)| Session { volunteer_id, campaign_id }))
}

pub const COORDINATOR_COOKIE: &str = "walkbook_coordinator";

/// A signed-in coordinator. Every console handler takes one; a volunteer's
/// session gets 403, no session 401.
#[derive(Debug, Clone)]
pub struct Coordinator {
    pub id: String,
    pub name: String,
}

/// `Set-Cookie` for a coordinator session.
pub fn coordinator_cookie(token: &str, secure: bool) -> String {
    session_cookie(token, secure).replacen(SESSION_COOKIE, COORDINATOR_COOKIE, 1)
}

impl FromRequestParts<AppState> for Coordinator {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        if let Some(token) = cookie_value(parts, COORDINATOR_COOKIE) {
            let row: Option<(String, String)> = sqlx::query_as(
                "SELECT c.id, c.name FROM coordinator_sessions s JOIN coordinators c ON c.id = s.coordinator_id \
                 WHERE s.token_hash = $1",
            )
            .bind(token_hash(token))
            .fetch_optional(&state.db)
            .await?;
            if let Some((id, name)) = row {
                return Ok(Coordinator { id, name });
            }
        }
        match cookie_value(parts, SESSION_COOKIE) {
            Some(token) if volunteer_session(state, token).await?.is_some() => {
                Err(ApiError::forbidden("coordinators_only", "Only a coordinator can do this: sign in with your coordinator link."))
            }
            _ => Err(ApiError::unauthorized("no_coordinator_session", "Not signed in as a coordinator: open your login link.")),
        }
    }
}

impl Coordinator {
    /// The campaign, if this coordinator runs it (403 otherwise, 404 if
    /// there is none).
    pub async fn campaign(&self, state: &AppState, campaign_id: &str) -> Result<Arc<CampaignIndex>, ApiError> {
        let index = state.campaigns.get(&state.db, campaign_id).await?;
        let runs: Option<(String,)> =
            sqlx::query_as("SELECT campaign_id FROM coordinator_campaigns WHERE coordinator_id = $1 AND campaign_id = $2")
                .bind(&self.id)
                .bind(campaign_id)
                .fetch_optional(&state.db)
                .await?;
        match runs {
            Some(_) => Ok(index),
            None => Err(ApiError::forbidden("not_your_campaign", format!("You do not coordinate campaign {campaign_id}."))),
        }
    }
}
