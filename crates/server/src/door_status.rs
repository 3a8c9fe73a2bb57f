//! Each visited door's status, kept as records arrive: the record the
//! door-status rule picks (`record::latest_record` in crates/core, the same
//! function the phones use) and its outcome. Updated in the transaction that
//! stores a door's records, from all of that door's records, so it is never
//! out of step with them; coverage reads it, one row per visited door,
//! instead of parsing every record of the campaign.

use std::collections::HashMap;

use walkbook_core::record::{latest_record, Outcome, Record};

use crate::db::Db;

/// Recomputes the status of `doors` of `campaign_id` from their records.
pub async fn update(tx: &mut sqlx::AnyConnection, postgres: bool, campaign_id: &str, doors: &[&str]) -> Result<(), sqlx::Error> {
    if doors.is_empty() {
        return Ok(());
    }
    let door_list = serde_json::to_string(doors).expect("ids always serialise");
    let sql = if postgres {
        "SELECT seq, door_id, body FROM records WHERE campaign_id = $1 AND door_id IN (SELECT json_array_elements_text($2::json))"
    } else {
        "SELECT seq, door_id, body FROM records WHERE campaign_id = $1 AND door_id IN (SELECT value FROM json_each($2))"
    };
    let rows: Vec<(i64, String, String)> = sqlx::query_as(sql).bind(campaign_id).bind(&door_list).fetch_all(&mut *tx).await?;
    let mut by_door: HashMap<&str, Vec<(i64, Record)>> = HashMap::new();
    for (seq, door_id, body) in &rows {
        let record: Record = serde_json::from_str(body).map_err(|e| sqlx::Error::Decode(Box::new(e)))?;
        by_door.entry(door_id.as_str()).or_default().push((*seq, record));
    }
    let statuses: Vec<serde_json::Value> = by_door
        .values()
        .filter_map(|records| {
            let latest = latest_record(records.iter().map(|(_, record)| record))?;
            let seq = records.iter().find(|(_, record)| record.id == latest.id).map(|(seq, _)| *seq)?;
            let outcome = serde_json::to_string(&latest.outcome).expect("an outcome always serialises");
            Some(serde_json::json!([latest.door_id, seq, outcome, i64::from(latest.outcome.is_final())]))
        })
        .collect();
    if statuses.is_empty() {
        return Ok(());
    }
    let sql = if postgres {
        "INSERT INTO door_status (campaign_id, door_id, record_seq, outcome, is_final) \
         SELECT $1, r->>0, (r->>1)::bigint, r->>2, (r->>3)::bigint FROM json_array_elements($2::json) AS rows (r) \
         ON CONFLICT (campaign_id, door_id) DO UPDATE SET record_seq = excluded.record_seq, outcome = excluded.outcome, is_final = excluded.is_final"
    } else {
        "INSERT INTO door_status (campaign_id, door_id, record_seq, outcome, is_final) \
         SELECT $1, json_extract(value, '$[0]'), json_extract(value, '$[1]'), json_extract(value, '$[2]'), json_extract(value, '$[3]') \
         FROM json_each($2) WHERE true \
         ON CONFLICT (campaign_id, door_id) DO UPDATE SET record_seq = excluded.record_seq, outcome = excluded.outcome, is_final = excluded.is_final"
    };
    let statuses = serde_json::to_string(&statuses).expect("rows always serialise");
    sqlx::query(sql).bind(campaign_id).bind(statuses).execute(&mut *tx).await.map(|_| ())
}

/// Each visited door's picked outcome.
pub async fn read(db: &Db, campaign_id: &str) -> Result<HashMap<String, Outcome>, sqlx::Error> {
    let rows: Vec<(String, String)> =
        sqlx::query_as("SELECT door_id, outcome FROM door_status WHERE campaign_id = $1").bind(campaign_id).fetch_all(db).await?;
    rows.into_iter()
        .map(|(door_id, outcome)| Ok((door_id, serde_json::from_str(&outcome).map_err(|e| sqlx::Error::Decode(Box::new(e)))?)))
        .collect()
}

/// Fills the table for campaigns whose records were stored before it
/// existed (see migration 0009), a thousand doors at a time.
pub async fn fill(db: &Db) -> Result<(), sqlx::Error> {
    let postgres = crate::db::is_postgres(db);
    let campaigns: Vec<(String,)> = sqlx::query_as(
        "SELECT DISTINCT campaign_id FROM records r \
         WHERE door_id <> '' AND NOT EXISTS (SELECT 1 FROM door_status s WHERE s.campaign_id = r.campaign_id)",
    )
    .fetch_all(db)
    .await?;
    for (campaign_id,) in campaigns {
        let doors: Vec<(String,)> = sqlx::query_as("SELECT DISTINCT door_id FROM records WHERE campaign_id = $1 AND door_id <> ''")
            .bind(&campaign_id)
            .fetch_all(db)
            .await?;
        for chunk in doors.chunks(1000) {
            let chunk: Vec<&str> = chunk.iter().map(|(door,)| door.as_str()).collect();
            let mut tx = crate::db::begin_write(db).await?;
            update(&mut *tx, postgres, &campaign_id, &chunk).await?;
            tx.commit().await?;
        }
    }
    Ok(())
}
