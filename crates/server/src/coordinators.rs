//! Coordinators in the database: added from the command line with a
//! one-time login link, signed in with a session cookie, each running the
//! campaigns listed for them.

use crate::auth::{new_token, token_hash};
use crate::campaigns::now_ms;
use crate::db::Db;
use crate::error::ApiError;

/// How long a login link works.
const LOGIN_VALID_MS: i64 = 7 * 86_400_000;

/// Adds a coordinator running `campaigns`; returns (id, one-time login code).
pub async fn add_coordinator(db: &Db, name: &str, campaigns: &[String]) -> Result<(String, String), ApiError> {
    let id = format!("coord-{}", &uuid::Uuid::new_v4().simple().to_string()[..12]);
    let mut tx = crate::db::begin_write(db).await?;
    sqlx::query("INSERT INTO coordinators (id, name, created_at) VALUES ($1, $2, $3)")
        .bind(&id)
        .bind(name)
        .bind(now_ms())
        .execute(&mut *tx)
        .await?;
    for campaign in campaigns {
        let exists: Option<(String,)> =
            sqlx::query_as("SELECT id FROM campaigns WHERE id = $1").bind(campaign).fetch_optional(&mut *tx).await?;
        if exists.is_none() {
            return Err(ApiError::not_found(format!("No campaign {campaign}")));
        }
        grant(&mut tx, &id, campaign).await?;
    }
    let code = new_login_code(&mut tx, &id).await?;
    tx.commit().await?;
    Ok((id, code))
}

async fn new_login_code(tx: &mut sqlx::AnyConnection, coordinator_id: &str) -> Result<String, ApiError> {
    let code = new_token();
    sqlx::query("INSERT INTO coordinator_logins (code, coordinator_id, expires_at) VALUES ($1, $2, $3)")
        .bind(token_hash(&code))
        .bind(coordinator_id)
        .bind(now_ms() + LOGIN_VALID_MS)
        .execute(&mut *tx)
        .await?;
    Ok(code)
}

/// Lets a coordinator run a campaign.
pub async fn grant(tx: &mut sqlx::AnyConnection, coordinator_id: &str, campaign_id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO coordinator_campaigns (coordinator_id, campaign_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
        .bind(coordinator_id)
        .bind(campaign_id)
        .execute(&mut *tx)
        .await
        .map(|_| ())
}

/// Exchanges a login code (single use, 7 days) for a session token.
/// Returns (coordinator id, name, token).
pub async fn login(db: &Db, code: &str) -> Result<(String, String, String), ApiError> {
    let mut tx = crate::db::begin_write(db).await?;
    let row: Option<(String, String, i64, Option<i64>)> = sqlx::query_as(
        "SELECT c.id, c.name, l.expires_at, l.used_at FROM coordinator_logins l \
         JOIN coordinators c ON c.id = l.coordinator_id WHERE l.code = $1",
    )
    .bind(token_hash(code.trim()))
    .fetch_optional(&mut *tx)
    .await?;
    let Some((id, name, expires_at, used_at)) = row else {
        return Err(ApiError::bad_request("unknown_login_code", "This login link is not valid: ask for a new one."));
    };
    if used_at.is_some() {
        return Err(ApiError::bad_request("login_code_used", "This login link was already used: ask for a new one."));
    }
    if expires_at <= now_ms() {
        return Err(ApiError::bad_request("login_code_expired", "This login link has expired: ask for a new one."));
    }
    sqlx::query("UPDATE coordinator_logins SET used_at = $1 WHERE code = $2")
        .bind(now_ms())
        .bind(token_hash(code.trim()))
        .execute(&mut *tx)
        .await?;
    let token = new_token();
    sqlx::query("INSERT INTO coordinator_sessions (token_hash, coordinator_id, created_at) VALUES ($1, $2, $3)")
        .bind(token_hash(&token))
        .bind(&id)
        .bind(now_ms())
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok((id, name, token))
}
