//! Alerts that arriving records raise (see `routes::sync::push`): fever
//! readings and red health codes, for the coordinator to handle.

use serde::Serialize;

use crate::db::Db;

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Alert {
    pub id: i64,
    /// `fever` or `red_code`.
    pub kind: String,
    pub record_id: String,
    pub door_id: String,
    pub person_id: String,
    pub detail: String,
    /// When the server received the record, ms since the epoch.
    pub raised_at: i64,
    pub handled_by: Option<String>,
    pub handled_at: Option<i64>,
}

/// A campaign's alerts, newest first.
pub async fn list(db: &Db, campaign_id: &str) -> Result<Vec<Alert>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, kind, record_id, door_id, person_id, detail, raised_at, handled_by, handled_at \
         FROM alerts WHERE campaign_id = $1 ORDER BY raised_at DESC, id DESC",
    )
    .bind(campaign_id)
    .fetch_all(db)
    .await
}
