//! Sessions: a random token in an HttpOnly, SameSite=Strict cookie (Secure
//! when the public URL is https); the database keeps only its SHA-256.
//! Volunteers and coordinators have separate cookies and tables, and
//! different lifetimes: a session ends after a while unused and after a
//! while in all, whichever comes first.

use axum::extract::FromRequestParts;
use axum::http::header::COOKIE;
use axum::http::request::Parts;
use sha2::{Digest, Sha256};

use std::sync::Arc;

use crate::campaigns::{now_ms, CampaignIndex};
use crate::error::ApiError;
use crate::AppState;

const HOUR_MS: i64 = 3_600_000;
const DAY_MS: i64 = 24 * HOUR_MS;

/// How long a session lasts: unused, and in all.
#[derive(Debug, Clone, Copy)]
pub struct Lifetime {
    pub idle_ms: i64,
    pub total_ms: i64,
}

/// A volunteer works for weeks from one phone, often offline for days.
pub const VOLUNTEER_SESSION: Lifetime = Lifetime { idle_ms: 30 * DAY_MS, total_ms: 180 * DAY_MS };
/// A coordinator's console can change a campaign and export personal data.
pub const COORDINATOR_SESSION: Lifetime = Lifetime { idle_ms: 12 * HOUR_MS, total_ms: 7 * DAY_MS };

/// `last_used_at` is written at most this often per session, so reading
/// does not turn every request into a write.
const TOUCH_EVERY_MS: i64 = 5 * 60_000;

pub const SESSION_COOKIE: &str = "walkbook_session";
pub const COORDINATOR_COOKIE: &str = "walkbook_coordinator";

/// The volunteer a request is authorised as, and the one campaign they may
/// read and write.
#[derive(Debug, Clone)]
pub struct Session {
    pub volunteer_id: String,
    pub campaign_id: String,
    /// The phone this session belongs to; `None` until the first push of a
    /// session opened by a phone that did not say (an older app).
    pub device_id: Option<String>,
    /// The volunteer id the phone put on records made before it joined.
    pub local_volunteer_id: Option<String>,
    pub token_hash: String,
}

impl Session {
    /// Whether a record naming `volunteer_id` may come from this session.
    pub fn may_sign_as(&self, volunteer_id: &str) -> bool {
        volunteer_id == self.volunteer_id || self.local_volunteer_id.as_deref() == Some(volunteer_id)
    }
}

pub fn new_token() -> String {
    format!("{}{}", uuid::Uuid::new_v4().simple(), uuid::Uuid::new_v4().simple())
}

pub fn token_hash(token: &str) -> String {
    format!("{:x}", Sha256::digest(token.as_bytes()))
}

/// `Set-Cookie` for a new session of cookie `name`, living as long as the
/// session can.
pub fn session_cookie(name: &str, token: &str, lifetime: Lifetime, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{name}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age={}{secure}", lifetime.total_ms / 1000)
}

/// `Set-Cookie` that makes the browser forget cookie `name`.
pub fn expired_cookie(name: &str, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{name}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0{secure}")
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

/// Whether a session created at `created_at` and last used at `last_used_at`
/// is still open at `now`.
fn is_live(lifetime: Lifetime, created_at: i64, last_used_at: Option<i64>, now: i64) -> bool {
    now - created_at < lifetime.total_ms && now - last_used_at.unwrap_or(created_at) < lifetime.idle_ms
}

/// Looking a session up: found and open, found but ended, or not there.
enum Lookup<T> {
    Live(T),
    Expired,
    Missing,
}

impl FromRequestParts<AppState> for Session {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let token = cookie_value(parts, SESSION_COOKIE)
            .ok_or_else(|| ApiError::unauthorized("no_session", "Not signed in: join the campaign with the code from your coordinator."))?;
        match volunteer_session(state, token).await? {
            Lookup::Live(session) => Ok(session),
            Lookup::Expired => Err(ApiError::unauthorized(
                "session_expired",
                "This phone's session has ended: join again with a new code from your coordinator. Records on the phone are kept.",
            )),
            Lookup::Missing => {
                Err(ApiError::unauthorized("invalid_session", "This session is not valid any more: join again with a new code."))
            }
        }
    }
}

/// The volunteer session a token opens (revoking deletes sessions).
async fn volunteer_session(state: &AppState, token: &str) -> Result<Lookup<Session>, ApiError> {
    type Row = (String, String, Option<String>, Option<String>, i64, Option<i64>);
    let hash = token_hash(token);
    let row: Option<Row> = sqlx::query_as(
        "SELECT v.id, v.campaign_id, s.device_id, s.local_volunteer_id, s.created_at, s.last_used_at \
         FROM sessions s JOIN volunteers v ON v.id = s.volunteer_id WHERE s.token_hash = $1 AND v.revoked_at IS NULL",
    )
    .bind(&hash)
    .fetch_optional(&state.db)
    .await?;
    let Some((volunteer_id, campaign_id, device_id, local_volunteer_id, created_at, last_used_at)) = row else {
        return Ok(Lookup::Missing);
    };
    if !touch(state, "sessions", &hash, VOLUNTEER_SESSION, created_at, last_used_at).await? {
        return Ok(Lookup::Expired);
    }
    Ok(Lookup::Live(Session { volunteer_id, campaign_id, device_id, local_volunteer_id, token_hash: hash }))
}

/// Whether the session is still open; if so, records that it was used now
/// (at most every few minutes).
async fn touch(
    state: &AppState,
    table: &str,
    hash: &str,
    lifetime: Lifetime,
    created_at: i64,
    last_used_at: Option<i64>,
) -> Result<bool, ApiError> {
    let now = now_ms();
    if !is_live(lifetime, created_at, last_used_at, now) {
        return Ok(false);
    }
    if now - last_used_at.unwrap_or(created_at) > TOUCH_EVERY_MS {
        sqlx::query(&format!("UPDATE {table} SET last_used_at = $1 WHERE token_hash = $2")).bind(now).bind(hash).execute(&state.db).await?;
    }
    Ok(true)
}

/// A signed-in coordinator. Every console handler takes one; a volunteer's
/// session gets 403, no session 401.
#[derive(Debug, Clone)]
pub struct Coordinator {
    pub id: String,
    pub name: String,
    pub token_hash: String,
}

impl FromRequestParts<AppState> for Coordinator {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        if let Some(token) = cookie_value(parts, COORDINATOR_COOKIE) {
            let hash = token_hash(token);
            let row: Option<(String, String, i64, Option<i64>)> = sqlx::query_as(
                "SELECT c.id, c.name, s.created_at, s.last_used_at FROM coordinator_sessions s \
                 JOIN coordinators c ON c.id = s.coordinator_id WHERE s.token_hash = $1 AND c.removed_at IS NULL",
            )
            .bind(&hash)
            .fetch_optional(&state.db)
            .await?;
            if let Some((id, name, created_at, last_used_at)) = row {
                if touch(state, "coordinator_sessions", &hash, COORDINATOR_SESSION, created_at, last_used_at).await? {
                    return Ok(Coordinator { id, name, token_hash: hash });
                }
                return Err(ApiError::unauthorized("session_expired", "Your console session has ended: open a new login link."));
            }
        }
        match cookie_value(parts, SESSION_COOKIE) {
            Some(token) if matches!(volunteer_session(state, token).await?, Lookup::Live(_)) => {
                Err(ApiError::forbidden("coordinators_only", "Only a coordinator can do this: sign in with your coordinator link."))
            }
            _ => Err(ApiError::unauthorized("no_coordinator_session", "Not signed in as a coordinator: open your login link.")),
        }
    }
}

impl Coordinator {
    /// The campaign, if this coordinator runs it. A campaign that does not
    /// exist and one run by others get the same answer, so ids cannot be
    /// probed.
    pub async fn campaign(&self, state: &AppState, campaign_id: &str) -> Result<Arc<CampaignIndex>, ApiError> {
        let runs: Option<(String,)> =
            sqlx::query_as("SELECT campaign_id FROM coordinator_campaigns WHERE coordinator_id = $1 AND campaign_id = $2")
                .bind(&self.id)
                .bind(campaign_id)
                .fetch_optional(&state.db)
                .await?;
        match runs {
            Some(_) => state.campaigns.get(&state.db, campaign_id).await,
            None => Err(ApiError::not_found(format!("You coordinate no campaign '{}'.", shown_id(campaign_id)))),
        }
    }
}

/// An id from a request as it may be echoed in a message: bounded.
pub fn shown_id(id: &str) -> String {
    id.chars().take(walkbook_core::limits::MAX_ID_CHARS).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sessions_end_unused_and_in_all() {
        let day = DAY_MS;
        let created = 1_000 * day;
        assert!(is_live(VOLUNTEER_SESSION, created, None, created + 29 * day));
        assert!(!is_live(VOLUNTEER_SESSION, created, None, created + 30 * day), "30 days unused");
        assert!(is_live(VOLUNTEER_SESSION, created, Some(created + 170 * day), created + 179 * day));
        assert!(!is_live(VOLUNTEER_SESSION, created, Some(created + 179 * day), created + 180 * day), "180 days in all");
        assert!(!is_live(COORDINATOR_SESSION, created, None, created + 13 * HOUR_MS), "12 hours unused");
        assert!(!is_live(COORDINATOR_SESSION, created, Some(created + 7 * day - HOUR_MS), created + 7 * day), "7 days in all");
    }

    #[test]
    fn cookies_live_as_long_as_their_session_and_are_secure_over_https() {
        let cookie = session_cookie(SESSION_COOKIE, "t", VOLUNTEER_SESSION, true);
        assert_eq!(cookie, "walkbook_session=t; Path=/; HttpOnly; SameSite=Strict; Max-Age=15552000; Secure");
        assert!(session_cookie(COORDINATOR_COOKIE, "t", COORDINATOR_SESSION, false).ends_with("Max-Age=604800"));
    }
}
