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
/// Returns (coordinator id, name, token). An unknown, used or expired code
/// gets one answer (401: the credential does not open a session); the code
/// is looked up before any write lock.
pub async fn login(db: &Db, code: &str) -> Result<(String, String, String), ApiError> {
    let unusable = || {
        ApiError::unauthorized(
            "login_code_unusable",
            "This login link cannot be used: it is mistyped, already used or expired. Ask for a new one.",
        )
    };
    let hash = token_hash(code.trim());
    let row: Option<(String, String, i64)> = sqlx::query_as(
        "SELECT c.id, c.name, l.expires_at FROM coordinator_logins l JOIN coordinators c ON c.id = l.coordinator_id \
         WHERE l.code = $1 AND l.used_at IS NULL AND c.removed_at IS NULL",
    )
    .bind(&hash)
    .fetch_optional(db)
    .await?;
    let Some((id, name, expires_at)) = row else { return Err(unusable()) };
    if expires_at <= now_ms() {
        return Err(unusable());
    }
    let mut tx = crate::db::begin_write(db).await?;
    let claimed = sqlx::query("UPDATE coordinator_logins SET used_at = $1 WHERE code = $2 AND used_at IS NULL")
        .bind(now_ms())
        .bind(&hash)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if claimed != 1 {
        return Err(unusable());
    }
    let token = new_token();
    sqlx::query("INSERT INTO coordinator_sessions (token_hash, coordinator_id, created_at, last_used_at) VALUES ($1, $2, $3, $3)")
        .bind(token_hash(&token))
        .bind(&id)
        .bind(now_ms())
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok((id, name, token))
}

/// Removes a coordinator: their sessions and login links end at once and
/// they run no campaign any more; their name stays on what they handled.
/// Returns their name.
pub async fn remove_coordinator(db: &Db, coordinator_id: &str) -> Result<String, ApiError> {
    let mut tx = crate::db::begin_write(db).await?;
    let name: Option<(String,)> = sqlx::query_as("SELECT name FROM coordinators WHERE id = $1 AND removed_at IS NULL")
        .bind(coordinator_id)
        .fetch_optional(&mut *tx)
        .await?;
    let Some((name,)) = name else {
        return Err(ApiError::not_found(format!("No coordinator {coordinator_id}")));
    };
    sqlx::query("UPDATE coordinators SET removed_at = $1 WHERE id = $2").bind(now_ms()).bind(coordinator_id).execute(&mut *tx).await?;
    for table in ["coordinator_sessions", "coordinator_logins", "coordinator_campaigns"] {
        sqlx::query(&format!("DELETE FROM {table} WHERE coordinator_id = $1")).bind(coordinator_id).execute(&mut *tx).await?;
    }
    tx.commit().await?;
    tracing::info!(target: "audit", coordinator = %coordinator_id, "coordinator removed");
    Ok(name)
}
