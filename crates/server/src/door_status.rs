//! Each visited door's status, kept as records arrive: the record the
//! door-status rule picks (`record::latest_record` in crates/core, the same
//! function the phones use), its outcome, and the door's landing. Updated in
//! the transaction that stores a door's records, from all of that door's
//! records, so it is never out of step with them. Coverage is counted from
//! it by the database, in time proportional to the answer, not to the
//! campaign's history.

use std::collections::{HashMap, HashSet};

use walkbook_core::console::{coverage_of, doors_in_order, CoverageParts, DoorRef, LandingCount, RevisitDue};
use walkbook_core::limits::MAX_COVERAGE_LIST;
use walkbook_core::record::{latest_record, Outcome, Record};

use crate::campaigns::CampaignIndex;
use crate::db::Db;

/// Recomputes the status of `doors` of the index's campaign from their records.
pub async fn update(tx: &mut sqlx::AnyConnection, postgres: bool, index: &CampaignIndex, doors: &[&str]) -> Result<(), sqlx::Error> {
    if doors.is_empty() {
        return Ok(());
    }
    let campaign_id = index.bundle.campaign.id.as_str();
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
        .iter()
        .filter_map(|(door_id, records)| {
            let door = index.door(door_id)?;
            let latest = latest_record(records.iter().map(|(_, record)| record))?;
            let seq = records.iter().find(|(_, record)| record.id == latest.id).map(|(seq, _)| *seq)?;
            let outcome = serde_json::to_string(&latest.outcome).expect("an outcome always serialises");
            let come_back_at = match latest.outcome {
                Outcome::ComeBack { at } => Some(at),
                _ => None,
            };
            Some(serde_json::json!([
                door_id,
                door.building_id,
                door.floor,
                seq,
                outcome,
                i64::from(latest.outcome.is_final()),
                come_back_at
            ]))
        })
        .collect();
    if statuses.is_empty() {
        return Ok(());
    }
    let sql = if postgres {
        "INSERT INTO door_status (campaign_id, door_id, building_id, floor, record_seq, outcome, is_final, come_back_at) \
         SELECT $1, r->>0, r->>1, (r->>2)::bigint, (r->>3)::bigint, r->>4, (r->>5)::bigint, (r->>6)::bigint \
         FROM json_array_elements($2::json) AS rows (r) \
         ON CONFLICT (campaign_id, door_id) DO UPDATE SET record_seq = excluded.record_seq, outcome = excluded.outcome, \
         is_final = excluded.is_final, come_back_at = excluded.come_back_at"
    } else {
        "INSERT INTO door_status (campaign_id, door_id, building_id, floor, record_seq, outcome, is_final, come_back_at) \
         SELECT $1, json_extract(value, '$[0]'), json_extract(value, '$[1]'), json_extract(value, '$[2]'), json_extract(value, '$[3]'), \
         json_extract(value, '$[4]'), json_extract(value, '$[5]'), json_extract(value, '$[6]') FROM json_each($2) WHERE true \
         ON CONFLICT (campaign_id, door_id) DO UPDATE SET record_seq = excluded.record_seq, outcome = excluded.outcome, \
         is_final = excluded.is_final, come_back_at = excluded.come_back_at"
    };
    let statuses = serde_json::to_string(&statuses).expect("rows always serialise");
    sqlx::query(sql).bind(campaign_id).bind(statuses).execute(&mut *tx).await.map(|_| ())
}

/// The coverage page's parts for the index's campaign, counted by the
/// database: visited and final doors per landing, the first
/// [`MAX_COVERAGE_LIST`] revisits (appointments soonest first) and doors
/// never visited, with the totals. `floor_records` are the notices and
/// closures.
pub async fn coverage(db: &Db, index: &CampaignIndex, floor_records: &[Record]) -> Result<(CoverageParts, u32, u32), sqlx::Error> {
    let campaign_id = index.bundle.campaign.id.as_str();
    let rows: Vec<(String, i64, i64, i64)> = sqlx::query_as(
        "SELECT building_id, floor, COUNT(*), CAST(SUM(is_final) AS BIGINT) FROM door_status WHERE campaign_id = $1 GROUP BY building_id, floor",
    )
    .bind(campaign_id)
    .fetch_all(db)
    .await?;
    let counts: HashMap<(&str, i32), LandingCount> = rows
        .iter()
        .map(|(building, floor, visited, final_)| {
            ((building.as_str(), *floor as i32), LandingCount { visited: *visited as u32, final_: *final_ as u32 })
        })
        .collect();
    let (total, buildings) = coverage_of(&index.bundle, &counts, floor_records);

    let revisit_rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT door_id, outcome FROM door_status WHERE campaign_id = $1 AND is_final = 0 \
         ORDER BY CASE WHEN come_back_at IS NULL THEN 1 ELSE 0 END, come_back_at, door_id LIMIT $2",
    )
    .bind(campaign_id)
    .bind(MAX_COVERAGE_LIST as i64)
    .fetch_all(db)
    .await?;
    let mut revisits = Vec::new();
    for (door_id, outcome) in revisit_rows {
        let Some(door) = index.door(&door_id) else { continue };
        let outcome: Outcome = serde_json::from_str(&outcome).map_err(|e| sqlx::Error::Decode(Box::new(e)))?;
        revisits.push(RevisitDue {
            door: DoorRef { id: door.id.clone(), label: door.label.clone(), building_id: door.building_id.clone(), floor: door.floor },
            outcome,
        });
    }

    // Doors never visited, in the page's order: only the landings with one
    // are read, and only until the list is full.
    let mut never_visited = Vec::new();
    for (building, floor, doors) in doors_in_order(&index.bundle) {
        if never_visited.len() >= MAX_COVERAGE_LIST {
            break;
        }
        let visited_here = counts.get(&(building.id.as_str(), floor)).map_or(0, |count| count.visited as usize);
        if visited_here >= doors.len() {
            continue;
        }
        let visited: Vec<(String,)> =
            sqlx::query_as("SELECT door_id FROM door_status WHERE campaign_id = $1 AND building_id = $2 AND floor = $3")
                .bind(campaign_id)
                .bind(&building.id)
                .bind(i64::from(floor))
                .fetch_all(db)
                .await?;
        let visited: HashSet<&str> = visited.iter().map(|(door,)| door.as_str()).collect();
        never_visited.extend(
            doors
                .iter()
                .filter(|door| !visited.contains(door.id.as_str()))
                .take(MAX_COVERAGE_LIST - never_visited.len())
                .map(|door| DoorRef { id: door.id.clone(), label: door.label.clone(), building_id: building.id.clone(), floor }),
        );
    }
    let never_visited_total = total.doors - total.visited;
    let revisits_total = total.visited - total.final_;
    Ok(((total, buildings, never_visited, revisits), never_visited_total, revisits_total))
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
        let Some((bundle,)): Option<(String,)> =
            sqlx::query_as("SELECT bundle FROM campaigns WHERE id = $1").bind(&campaign_id).fetch_optional(db).await?
        else {
            continue;
        };
        let index = CampaignIndex::new(serde_json::from_str(&bundle).map_err(|e| sqlx::Error::Decode(Box::new(e)))?);
        let doors: Vec<(String,)> = sqlx::query_as("SELECT DISTINCT door_id FROM records WHERE campaign_id = $1 AND door_id <> ''")
            .bind(&campaign_id)
            .fetch_all(db)
            .await?;
        for chunk in doors.chunks(1000) {
            let chunk: Vec<&str> = chunk.iter().map(|(door,)| door.as_str()).collect();
            let mut tx = crate::db::begin_write(db).await?;
            update(&mut *tx, postgres, &index, &chunk).await?;
            tx.commit().await?;
        }
    }
    Ok(())
}
