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

/// What the table keeps of a door: its picked record (with what the rule
/// orders by) and the ids its visits replace.
#[derive(Clone, Debug)]
struct Kept {
    record: Option<Record>,
    superseded: HashSet<String>,
}

/// Brings the status of the doors of `visits` (newly stored visits and
/// withdrawals of the index's campaign's doors, in the order stored) up to
/// date. A new visit is compared with the door's picked one; only an edit
/// or a withdrawal of the picked record itself makes the door's records be
/// read again, to pick among the rest (none left: the door is unvisited).
pub async fn update(tx: &mut sqlx::AnyConnection, postgres: bool, index: &CampaignIndex, visits: &[&Record]) -> Result<(), sqlx::Error> {
    if visits.is_empty() {
        return Ok(());
    }
    let campaign_id = index.bundle.campaign.id.as_str();
    let mut doors: Vec<&str> = visits.iter().map(|record| record.door_id.as_str()).collect();
    doors.sort_unstable();
    doors.dedup();
    let mut kept = read_kept(tx, postgres, campaign_id, &doors).await?;
    let before: Before = kept.iter().map(|(door, kept)| (door.clone(), kept.record.as_ref().map(|r| r.outcome.is_final()))).collect();
    let mut reread: HashSet<&str> = HashSet::new();
    for record in visits {
        let door = kept.entry(record.door_id.clone()).or_insert_with(|| Kept { record: None, superseded: HashSet::new() });
        if let Some(replaced) = &record.supersedes {
            door.superseded.insert(replaced.clone());
            if door.record.as_ref().is_some_and(|picked| &picked.id == replaced) {
                // The picked record is edited: the next one is among all the door's records.
                reread.insert(record.door_id.as_str());
            }
        }
        if !record.kind.is_visit() || reread.contains(record.door_id.as_str()) || door.superseded.contains(&record.id) {
            continue;
        }
        if door.record.as_ref().is_none_or(|picked| record.status_order(picked).is_gt()) {
            door.record = Some((*record).clone());
        }
    }
    if !reread.is_empty() {
        let reread: Vec<&str> = reread.into_iter().collect();
        kept.extend(recompute(tx, postgres, campaign_id, &reread).await?);
    }
    write(tx, postgres, index, &before, kept).await
}

/// Each door's status before a change: none (never visited), or whether
/// it was final.
type Before = HashMap<String, Option<bool>>;

/// What the table holds for `doors`.
async fn read_kept(
    tx: &mut sqlx::AnyConnection,
    postgres: bool,
    campaign_id: &str,
    doors: &[&str],
) -> Result<HashMap<String, Kept>, sqlx::Error> {
    let door_list = serde_json::to_string(doors).expect("ids always serialise");
    // The list of doors as the outer loop, each door by the primary key.
    let sql = if postgres {
        "SELECT s.door_id, r.body, s.superseded FROM json_array_elements_text($2::json) AS d (door) \
         JOIN door_status s ON s.campaign_id = $1 AND s.door_id = d.door JOIN records r ON r.id = s.record_id"
    } else {
        "SELECT s.door_id, r.body, s.superseded FROM json_each($2) AS d CROSS JOIN door_status s ON s.campaign_id = $1 AND s.door_id = d.value \
         JOIN records r ON r.id = s.record_id"
    };
    let rows: Vec<(String, String, String)> = sqlx::query_as(sql).bind(campaign_id).bind(&door_list).fetch_all(&mut *tx).await?;
    rows.into_iter()
        .map(|(door_id, body, superseded)| {
            let record = serde_json::from_str(&body).map_err(|e| sqlx::Error::Decode(Box::new(e)))?;
            let superseded = serde_json::from_str(&superseded).map_err(|e| sqlx::Error::Decode(Box::new(e)))?;
            Ok((door_id, Kept { record: Some(record), superseded }))
        })
        .collect()
}

/// The rule over all of each door's records.
async fn recompute(
    tx: &mut sqlx::AnyConnection,
    postgres: bool,
    campaign_id: &str,
    doors: &[&str],
) -> Result<HashMap<String, Kept>, sqlx::Error> {
    let door_list = serde_json::to_string(doors).expect("ids always serialise");
    // Door by door through the index on (campaign, door): SQLite's CROSS
    // JOIN keeps the list of doors as the outer loop.
    let sql = if postgres {
        "SELECT r.door_id, r.body FROM json_array_elements_text($2::json) AS d (door) JOIN records r ON r.campaign_id = $1 AND r.door_id = d.door"
    } else {
        "SELECT r.door_id, r.body FROM json_each($2) AS d CROSS JOIN records r ON r.campaign_id = $1 AND r.door_id = d.value"
    };
    let rows: Vec<(String, String)> = sqlx::query_as(sql).bind(campaign_id).bind(&door_list).fetch_all(&mut *tx).await?;
    let mut by_door: HashMap<String, Vec<Record>> = HashMap::new();
    for (door_id, body) in rows {
        let record: Record = serde_json::from_str(&body).map_err(|e| sqlx::Error::Decode(Box::new(e)))?;
        if record.kind.is_visit() || record.kind.is_void() {
            by_door.entry(door_id).or_default().push(record);
        }
    }
    Ok(by_door
        .into_iter()
        .map(|(door_id, records)| {
            let superseded = records.iter().filter_map(|record| record.supersedes.clone()).collect();
            let record = latest_record(&records).cloned();
            (door_id, Kept { record, superseded })
        })
        .collect())
}

/// Writes the doors' statuses, and moves their landings' counts by how each
/// door changed from `before`.
async fn write(
    tx: &mut sqlx::AnyConnection,
    postgres: bool,
    index: &CampaignIndex,
    before: &Before,
    kept: HashMap<String, Kept>,
) -> Result<(), sqlx::Error> {
    move_landing_counts(tx, postgres, index, before, &kept).await?;
    // A door whose every visit was withdrawn is unvisited again.
    let unvisited: Vec<&str> = kept
        .iter()
        .filter(|(door_id, kept)| kept.record.is_none() && before.get(*door_id).is_some_and(Option::is_some))
        .map(|(door_id, _)| door_id.as_str())
        .collect();
    if !unvisited.is_empty() {
        let sql = format!("DELETE FROM door_status WHERE campaign_id = $1 AND door_id IN ({})", crate::db::strings_of(postgres, 2));
        sqlx::query(&sql).bind(index.bundle.campaign.id.as_str()).bind(crate::db::json_list(&unvisited)).execute(&mut *tx).await?;
    }
    let rows: Vec<serde_json::Value> = kept
        .iter()
        .filter_map(|(door_id, kept)| {
            let door = index.door(door_id)?;
            let latest = kept.record.as_ref()?;
            let outcome = serde_json::to_string(&latest.outcome).expect("an outcome always serialises");
            let come_back_at = match latest.outcome {
                Outcome::ComeBack { at } => Some(at),
                _ => None,
            };
            let mut superseded: Vec<&String> = kept.superseded.iter().collect();
            superseded.sort_unstable();
            let superseded = serde_json::to_string(&superseded).expect("ids always serialise");
            Some(serde_json::json!([
                door_id,
                door.building_id,
                door.floor,
                latest.id,
                latest.device_time,
                latest.device_id,
                latest.device_seq,
                superseded,
                outcome,
                i64::from(latest.outcome.is_final()),
                come_back_at
            ]))
        })
        .collect();
    if rows.is_empty() {
        return Ok(());
    }
    let columns = "campaign_id, door_id, building_id, floor, record_id, device_time, device_id, device_seq, superseded, outcome, is_final, come_back_at";
    let update = "ON CONFLICT (campaign_id, door_id) DO UPDATE SET record_id = excluded.record_id, device_time = excluded.device_time, \
                  device_id = excluded.device_id, device_seq = excluded.device_seq, superseded = excluded.superseded, \
                  outcome = excluded.outcome, is_final = excluded.is_final, come_back_at = excluded.come_back_at";
    let sql = if postgres {
        format!(
            "INSERT INTO door_status ({columns}) SELECT $1, r->>0, r->>1, (r->>2)::bigint, r->>3, (r->>4)::bigint, r->>5, (r->>6)::bigint, \
             r->>7, r->>8, (r->>9)::bigint, (r->>10)::bigint FROM json_array_elements($2::json) AS rows (r) {update}"
        )
    } else {
        let values: Vec<String> = (0..11).map(|i| format!("json_extract(value, '$[{i}]')")).collect();
        format!("INSERT INTO door_status ({columns}) SELECT $1, {} FROM json_each($2) WHERE true {update}", values.join(", "))
    };
    let rows = serde_json::to_string(&rows).expect("rows always serialise");
    sqlx::query(&sql).bind(index.bundle.campaign.id.as_str()).bind(rows).execute(&mut *tx).await.map(|_| ())
}

async fn move_landing_counts(
    tx: &mut sqlx::AnyConnection,
    postgres: bool,
    index: &CampaignIndex,
    before: &Before,
    kept: &HashMap<String, Kept>,
) -> Result<(), sqlx::Error> {
    let mut moves: HashMap<(&str, i32), (i64, i64)> = HashMap::new();
    for (door_id, kept) in kept {
        let Some(door) = index.door(door_id) else { continue };
        let was = before.get(door_id).copied().flatten();
        let is = kept.record.as_ref().map(|record| record.outcome.is_final());
        let count = |status: Option<bool>| (i64::from(status.is_some()), i64::from(status == Some(true)));
        let ((visited_was, final_was), (visited_is, final_is)) = (count(was), count(is));
        if (visited_was, final_was) != (visited_is, final_is) {
            let landing = moves.entry((door.building_id.as_str(), door.floor)).or_default();
            landing.0 += visited_is - visited_was;
            landing.1 += final_is - final_was;
        }
    }
    if moves.is_empty() {
        return Ok(());
    }
    let rows: Vec<serde_json::Value> =
        moves.iter().map(|((building, floor), (visited, final_))| serde_json::json!([building, floor, visited, final_])).collect();
    let sql = if postgres {
        "INSERT INTO landing_counts (campaign_id, building_id, floor, visited_doors, final_doors) \
         SELECT $1, r->>0, (r->>1)::bigint, (r->>2)::bigint, (r->>3)::bigint FROM json_array_elements($2::json) AS rows (r) \
         ON CONFLICT (campaign_id, building_id, floor) DO UPDATE SET visited_doors = landing_counts.visited_doors + excluded.visited_doors, \
         final_doors = landing_counts.final_doors + excluded.final_doors"
    } else {
        "INSERT INTO landing_counts (campaign_id, building_id, floor, visited_doors, final_doors) \
         SELECT $1, json_extract(value, '$[0]'), json_extract(value, '$[1]'), json_extract(value, '$[2]'), json_extract(value, '$[3]') \
         FROM json_each($2) WHERE true \
         ON CONFLICT (campaign_id, building_id, floor) DO UPDATE SET visited_doors = landing_counts.visited_doors + excluded.visited_doors, \
         final_doors = landing_counts.final_doors + excluded.final_doors"
    };
    let rows = serde_json::to_string(&rows).expect("rows always serialise");
    sqlx::query(sql).bind(index.bundle.campaign.id.as_str()).bind(rows).execute(&mut *tx).await.map(|_| ())
}

/// The coverage page's parts for the index's campaign, counted by the
/// database: visited and final doors per landing, the first
/// [`MAX_COVERAGE_LIST`] revisits (appointments soonest first) and doors
/// never visited, with the totals. `floor_records` are the notices and
/// closures.
pub async fn coverage(db: &Db, index: &CampaignIndex, floor_records: &[Record]) -> Result<(CoverageParts, u32, u32), sqlx::Error> {
    let campaign_id = index.bundle.campaign.id.as_str();
    let rows: Vec<(String, i64, i64, i64)> = sqlx::query_as(
        "SELECT building_id, floor, visited_doors, final_doors FROM landing_counts WHERE campaign_id = $1 AND visited_doors > 0",
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

    // Appointments soonest first, then the others by door: each list read
    // in the index's order.
    let mut revisit_rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT door_id, outcome FROM door_status WHERE campaign_id = $1 AND is_final = 0 AND come_back_at IS NOT NULL \
         ORDER BY come_back_at, door_id LIMIT $2",
    )
    .bind(campaign_id)
    .bind(MAX_COVERAGE_LIST as i64)
    .fetch_all(db)
    .await?;
    if revisit_rows.len() < MAX_COVERAGE_LIST {
        revisit_rows.extend(
            sqlx::query_as::<_, (String, String)>(
                "SELECT door_id, outcome FROM door_status WHERE campaign_id = $1 AND is_final = 0 AND come_back_at IS NULL \
                 ORDER BY door_id LIMIT $2",
            )
            .bind(campaign_id)
            .bind((MAX_COVERAGE_LIST - revisit_rows.len()) as i64)
            .fetch_all(db)
            .await?,
        );
    }
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
        // Counted again from nothing, as the statuses are.
        sqlx::query("DELETE FROM landing_counts WHERE campaign_id = $1").bind(&campaign_id).execute(db).await?;
        for chunk in doors.chunks(1000) {
            let chunk: Vec<&str> = chunk.iter().map(|(door,)| door.as_str()).collect();
            let mut tx = crate::db::begin_write(db).await?;
            let kept = recompute(&mut tx, postgres, &campaign_id, &chunk).await?;
            write(&mut tx, postgres, &index, &Before::new(), kept).await?;
            tx.commit().await?;
        }
    }
    Ok(())
}
