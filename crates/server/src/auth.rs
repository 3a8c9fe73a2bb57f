//! Volunteers' sessions: a random token in an HttpOnly, SameSite=Strict
//! cookie (Secure over https); the database keeps only its SHA-256.

use axum::extract::FromRequestParts;
use axum::http::header::COOKIE;
use axum::http::request::Parts;
use sha2::{Digest, Sha256};

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

fn cookie_token(parts: &Parts) -> Option<&str> {
    parts
        .headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|header| header.split(';'))
        .find_map(|pair| pair.trim().strip_prefix(SESSION_COOKIE)?.strip_prefix('='))
}

impl FromRequestParts<AppState> for Session {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let token = cookie_token(parts).ok_or_else(|| {
            ApiError::unauthorized("no_session", "Not signed in: join the campaign with the code from your coordinator.")
        })?;
        let row: Option<(String, String)> = sqlx::query_as(
            "SELECT v.id, v.campaign_id FROM sessions s JOIN volunteers v ON v.id = s.volunteer_id WHERE s.token_hash = ?",
        )
        .bind(token_hash(token))
        .fetch_optional(&state.db)
        .await?;
        let (volunteer_id, campaign_id) = row.ok_or_else(|| {
            ApiError::unauthorized("invalid_session", "This session is not valid any more: join again with a new code.")
        })?;
        Ok(Session { volunteer_id, campaign_id })
    }
}
