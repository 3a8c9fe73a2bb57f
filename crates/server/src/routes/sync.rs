//! Push and pull (see `walkbook_core::sync` for the protocol).

use std::collections::HashMap;

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::Json;
use serde::Deserialize;
use walkbook_core::dates::LocalTime;
use walkbook_core::limits::{identifier_problem, is_canonical_record_id, MAX_NEED_TEXT_CHARS, MAX_PULL_PAGE_BYTES, MAX_REASON_CHARS};
use walkbook_core::record::{Outcome, Record, RecordKind};
use walkbook_core::sync::{
    OutboxReport, PullResponse, PushRequest, PushResponse, RelayedRecord, MAX_PULL_RECORDS, MAX_PUSH_BYTES, MAX_PUSH_RECORDS,
};

use crate::auth::{shown_id, Session};
use crate::campaigns::{now_ms, Assignments, CampaignIndex};
use crate::error::ApiError;
use crate::ingest::{CheckedBatch, StoredForm};
use crate::json::JsonBody;
use crate::AppState;

/// `POST /api/v1/sync/push`. The whole batch is written in one transaction
/// (shared with pushes arriving at the same time, see `ingest`) and
/// answered after it committed (SQLite WAL, synchronous=FULL: durable).
pub async fn push(
    State(state): State<AppState>,
    session: Session,
    body: Result<JsonBody<PushRequest>, ApiError>,
) -> Result<Json<PushResponse>, ApiError> {
    let JsonBody(request) = body.map_err(|error| match error {
        ApiError::Client { code: "payload_too_large", .. } => ApiError::payload_too_large(format!(
            "A push carries at most {MAX_PUSH_RECORDS} records and {MAX_PUSH_BYTES} bytes: send smaller batches."
        )),
        other => other,
    })?;
    let count = request.records.len() + request.relayed.len();
    if count > MAX_PUSH_RECORDS {
        return Err(ApiError::payload_too_large(format!(
            "A push carries at most {MAX_PUSH_RECORDS} records and {MAX_PUSH_BYTES} bytes; this one has {count} records."
        )));
    }
    let PushRequest { device_id, records, relayed, public_key, outbox } = request;
    if let Some(problem) = identifier_problem("device id", &device_id) {
        return Err(ApiError::unprocessable("invalid_device_id", format!("This push cannot be read: {problem}.")));
    }
    let session_device = bind_device(&state, &session, &device_id).await?;
    let now = now_ms();
    if let Some(public_key) = &public_key {
        crate::device_keys::register(&state.db, &session, &session_device, public_key, now).await?;
    }
    let index = state.campaigns.get(&state.db, &session.campaign_id).await?;
    let assignments = Assignments::of(&state.db, &session.volunteer_id).await?;
    let sender = Sender {
        campaign_id: &session.campaign_id,
        device_id: &session_device,
        may_sign_as: &|volunteer_id| session.may_sign_as(volunteer_id),
        assignments: &assignments,
        now,
    };
    // Validate and hash everything before touching the database.
    let mut records: Vec<(Record, Result<StoredForm, String>)> = records
        .into_iter()
        .map(|record| {
            let checked = check_record(&record, &sender, &index).and_then(|()| StoredForm::of(&record));
            (record, checked)
        })
        .collect();
    records.extend(check_relayed(&state, &session, &session_device, relayed, &index, now).await?);
    state.phones.note(&session.volunteer_id, outbox);
    let results = state.ingest.store(CheckedBatch { session, index, records }).await?;
    Ok(Json(PushResponse { results }))
}

/// The phone this session pushes from: the one it joined on, or for a
/// session opened by an older app (which did not say), the one of its first
/// push, from then on.
async fn bind_device(state: &AppState, session: &Session, device_id: &str) -> Result<String, ApiError> {
    if let Some(bound) = &session.device_id {
        return Ok(bound.clone());
    }
    sqlx::query("UPDATE sessions SET device_id = $1 WHERE token_hash = $2 AND device_id IS NULL")
        .bind(device_id)
        .bind(&session.token_hash)
        .execute(&state.db)
        .await?;
    let (bound,): (Option<String>,) =
        sqlx::query_as("SELECT device_id FROM sessions WHERE token_hash = $1").bind(&session.token_hash).fetch_one(&state.db).await?;
    Ok(bound.unwrap_or_else(|| device_id.to_string()))
}

/// Who made the records of a push: what each must agree with. For the
/// pushing phone's own records, its session; for relayed ones, the phone
/// that made them, as it registered.
struct Sender<'a> {
    campaign_id: &'a str,
    /// The phone that made the records.
    device_id: &'a str,
    /// Whether its records may name a volunteer.
    may_sign_as: &'a (dyn Fn(&str) -> bool + Sync),
    /// The buildings that phone's volunteer works.
    assignments: &'a Assignments,
    now: i64,
}

/// Checks records another phone made and handed over to this one: each
/// must carry its maker's signature (see `device_keys`), then passes the
/// same checks as if that phone pushed it.
async fn check_relayed(
    state: &AppState,
    session: &Session,
    session_device: &str,
    relayed: Vec<RelayedRecord>,
    index: &CampaignIndex,
    now: i64,
) -> Result<Vec<(Record, Result<StoredForm, String>)>, ApiError> {
    if relayed.is_empty() {
        return Ok(Vec::new());
    }
    let makers: Vec<&str> = relayed.iter().map(|relayed| relayed.record.device_id.as_str()).collect();
    let keys = crate::device_keys::keys_of(&state.db, &session.campaign_id, &makers).await?;
    let mut assignments: HashMap<&str, Assignments> = HashMap::new();
    for key in keys.values() {
        if !assignments.contains_key(key.volunteer_id()) {
            assignments.insert(key.volunteer_id(), Assignments::of(&state.db, key.volunteer_id()).await?);
        }
    }
    Ok(relayed
        .into_iter()
        .map(|RelayedRecord { record, signature }| {
            let checked = (|| {
                if record.device_id == session_device {
                    return Err("this phone's own records are pushed as records, not relayed".to_string());
                }
                let maker = shown_id(&record.device_id);
                let Some(key) = keys.get(&record.device_id) else {
                    return Err(format!("phone '{maker}' registered no key in this campaign: its records cannot be relayed"));
                };
                if !key.signed(&record, &signature) {
                    return Err(format!("the signature does not match: the record was altered, or was not made on phone '{maker}'"));
                }
                let sender = Sender {
                    campaign_id: &session.campaign_id,
                    device_id: &record.device_id,
                    may_sign_as: &|volunteer_id| key.may_sign_as(volunteer_id),
                    assignments: &assignments[key.volunteer_id()],
                    now,
                };
                check_record(&record, &sender, index)
            })()
            .and_then(|()| StoredForm::of(&record));
            (record, checked)
        })
        .collect())
}

/// A record's device time may be at most this far ahead of the server's
/// clock (time zones are in the phone's display, not in the stored time;
/// this is for a phone whose clock is set wrong).
const MAX_AHEAD_MS: i64 = 24 * 3_600_000;
/// ...and no earlier than 2020-01-01 (a phone whose clock was reset).
const EARLIEST_MS: i64 = 1_577_836_800_000;
/// Times up to the year 9999 are shown as dates in a refusal.
const MAX_SHOWN_MS: i64 = 253_402_300_799_000;

/// Why a record cannot be stored, in words a coordinator can act on.
fn check_record(record: &Record, sender: &Sender, index: &CampaignIndex) -> Result<(), String> {
    if !is_canonical_record_id(&record.id) {
        return Err(format!("the id '{}' is not a lowercase UUID with hyphens", shown_id(&record.id)));
    }
    if record.campaign_id != sender.campaign_id {
        return Err(format!("the record belongs to campaign '{}', not to yours", shown_id(&record.campaign_id)));
    }
    if record.device_id != sender.device_id {
        return Err("the record was made on another phone than the one signed in".into());
    }
    if !(sender.may_sign_as)(&record.volunteer_id) {
        return Err(format!("the record names volunteer '{}', not the one signed in on this phone", shown_id(&record.volunteer_id)));
    }
    if record.device_time > sender.now + MAX_AHEAD_MS || record.device_time < EARLIEST_MS {
        let shown = if (0..=MAX_SHOWN_MS).contains(&record.device_time) {
            walkbook_core::dates::iso_8601(record.device_time, 0)
        } else {
            format!("{} ms", record.device_time)
        };
        return Err(format!("the record is dated {shown}, which the server cannot accept: check the phone's date and time"));
    }
    if let Some(replaced) = &record.supersedes {
        if !is_canonical_record_id(replaced) {
            return Err(format!("it replaces '{}', which is not a record id", shown_id(replaced)));
        }
    }
    if let Some(reason) = &record.reason {
        if record.supersedes.is_none() {
            return Err("only a record that replaces another gives a reason".into());
        }
        if reason.trim().is_empty() || reason.chars().count() > MAX_REASON_CHARS {
            return Err(format!("a reason is 1 to {MAX_REASON_CHARS} characters"));
        }
    }
    // A gate's records (entries, and withdrawals of them) are filled in with
    // no form: they name none ("" and version 0).
    let at_gate = matches!(record.kind, RecordKind::Visitor(_))
        || record.kind.place().is_some_and(|(place, _)| index.bundle.campaign.gate(place).is_some());
    if at_gate {
        return check_gate_record(record, index);
    }
    let Some(form) = index.forms.get(&(record.form_id.clone(), record.form_version)) else {
        return Err(format!("there is no form '{}' version {} in this campaign", shown_id(&record.form_id), record.form_version));
    };
    match &record.kind {
        RecordKind::Visit {} | RecordKind::Visitor(_) => {}
        RecordKind::FloorNotice { building_id, floor, .. }
        | RecordKind::FloorClosed { building_id, floor }
        | RecordKind::Void { building_id, floor } => {
            if let RecordKind::FloorNotice { notice_id, .. } = &record.kind {
                if !notice_id.is_empty() && !index.bundle.campaign.notices.iter().any(|notice| &notice.id == notice_id) {
                    return Err(format!("the campaign names no notice '{}'", shown_id(notice_id)));
                }
            }
            if matches!(record.kind, RecordKind::Void { .. }) && (record.supersedes.is_none() || record.reason.is_none()) {
                return Err("a withdrawal names the record it withdraws and why".into());
            }
            let known = index.bundle.campaign.building(building_id).is_some_and(|b| b.floors.contains(floor));
            if !known {
                return Err(format!("there is no floor {floor} in building '{}'", shown_id(building_id)));
            }
            if !sender.assignments.covers(building_id) {
                return Err(format!("building '{building_id}' is not one of the buildings assigned to this volunteer"));
            }
            return if record.door_id.is_empty() && record.answers.is_empty() {
                Ok(())
            } else {
                Err("a floor's record (notice, closure, withdrawal) names no door and carries no answers".into())
            };
        }
        RecordKind::Need { person_id, details, .. } => {
            if let Some(problem) = person_id.as_deref().and_then(|id| identifier_problem("person id", id)) {
                return Err(format!("a need names a person: {problem}"));
            }
            if details.chars().count() > MAX_NEED_TEXT_CHARS {
                return Err(format!("a need's details are at most {MAX_NEED_TEXT_CHARS} characters"));
            }
            if record.outcome != Outcome::Answered || !record.answers.is_empty() {
                return Err("a need is 'answered' and carries no answers".into());
            }
        }
        RecordKind::NeedUpdate { need_id, note, .. } => {
            if !is_canonical_record_id(need_id) {
                return Err(format!("it updates need '{}', which is not a record id", shown_id(need_id)));
            }
            if note.chars().count() > MAX_NEED_TEXT_CHARS {
                return Err(format!("a need's note is at most {MAX_NEED_TEXT_CHARS} characters"));
            }
            if record.outcome != Outcome::Answered || !record.answers.is_empty() {
                return Err("a need's update is 'answered' and carries no answers".into());
            }
        }
        RecordKind::WeeklyCheck { person_id, note } => {
            if let Some(problem) = identifier_problem("person id", person_id) {
                return Err(format!("a weekly check names a person: {problem}"));
            }
            if note.chars().count() > MAX_NEED_TEXT_CHARS {
                return Err(format!("a weekly check's note is at most {MAX_NEED_TEXT_CHARS} characters"));
            }
            if record.outcome != Outcome::Answered || !record.answers.is_empty() {
                return Err("a weekly check is 'answered' and carries no answers".into());
            }
        }
        RecordKind::TemperatureCheck { person_id, slot, celsius } => {
            if let Some(problem) = identifier_problem("person id", person_id) {
                return Err(format!("a temperature check names a person: {problem}"));
            }
            if walkbook_core::dates::day_of_date(&slot.date).is_none() {
                return Err("a temperature check names a date (YYYY-MM-DD)".into());
            }
            if !(30.0..=45.0).contains(celsius) {
                return Err(format!("{celsius} °C is not a body temperature (30 to 45)"));
            }
            if record.outcome != Outcome::Answered || !record.answers.is_empty() {
                return Err("a temperature check is 'answered' and carries no answers".into());
            }
        }
    }
    let Some(building_id) = index.doors.get(&record.door_id) else {
        return Err(format!("there is no door '{}' in this campaign", shown_id(&record.door_id)));
    };
    if !sender.assignments.covers(building_id) {
        return Err(format!("building '{building_id}' is not one of the buildings assigned to this volunteer"));
    }
    if !record.outcome.has_answers() || !record.kind.is_visit() {
        return if record.answers.is_empty() { Ok(()) } else { Err("only an answered visit carries answers".into()) };
    }
    // "Today" for constraints is the latest calendar day anywhere on Earth at
    // the record's device time (UTC+14), so a phone's local date is never
    // ahead of it.
    let today = LocalTime::at(record.device_time, 14 * 60).date();
    match form.validate(&record.answers, &today).first() {
        None => Ok(()),
        Some(problem) => Err(format!("answer '{}': {}", problem.question_id, problem.kind.message(walkbook_core::lang::Lang::En))),
    }
}

/// Why a gate's record (an entry, or a withdrawal of one) cannot be
/// stored. Any volunteer of the campaign may take gate duty: assignments to
/// buildings do not restrict it.
fn check_gate_record(record: &Record, index: &CampaignIndex) -> Result<(), String> {
    if !record.form_id.is_empty() || record.form_version != 0 {
        return Err("a gate's record names no form (form_id \"\", form_version 0)".into());
    }
    if !record.door_id.is_empty() || !record.answers.is_empty() || record.outcome != Outcome::Answered {
        return Err("a gate's record names no door, is 'answered' and carries no answers".into());
    }
    match &record.kind {
        RecordKind::Visitor(entry) => match entry.problem(&index.bundle.campaign, |door_id| index.doors.get(door_id).map(String::as_str)) {
            Some(problem) => Err(problem.message()),
            None if record.supersedes.is_some() => Err("a gate's entry replaces no other record".into()),
            None => Ok(()),
        },
        RecordKind::Void { floor: 0, .. } if record.supersedes.is_some() && record.reason.is_some() => Ok(()),
        _ => Err("at a gate, a record is a visitor's entry or the withdrawal of one (floor 0, with the record and why)".into()),
    }
}

/// The largest whole number a phone's JavaScript holds exactly (2^53 - 1):
/// no cursor, revision or time a phone sends is larger.
const MAX_SAFE_INTEGER: i64 = 9_007_199_254_740_991;

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PullQuery {
    /// Where the last pull ended (0: from the start).
    #[serde(default)]
    #[schemars(range(min = 0, max = MAX_SAFE_INTEGER))]
    cursor: i64,
    /// Records in one page, at most 1,000 (the page also stops at 2 MB).
    #[schemars(range(min = 1, max = 1000))]
    limit: Option<u32>,
    /// The pulling device: its own records are skipped (it has them), though
    /// the cursor moves past them.
    #[schemars(length(max = 100))]
    device_id: Option<String>,
    /// The revision of the campaign the phone holds: a newer one is sent.
    #[serde(default)]
    #[schemars(range(max = MAX_SAFE_INTEGER))]
    campaign_revision: u64,
    /// The phone's outbox (see `OutboxReport`).
    #[schemars(range(max = 4_294_967_295u32))]
    pending: Option<u32>,
    #[schemars(range(min = 0, max = MAX_SAFE_INTEGER))]
    oldest_pending: Option<i64>,
    /// The app runs installed, not in a browser tab.
    installed: Option<bool>,
    /// The browser granted persistent storage.
    persisted: Option<bool>,
}

impl PullQuery {
    /// What is out of the documented range, if anything.
    fn problem(&self) -> Option<String> {
        if !(0..=MAX_SAFE_INTEGER).contains(&self.cursor) {
            return Some(format!("cursor must be 0 to {MAX_SAFE_INTEGER}"));
        }
        if self.limit.is_some_and(|limit| !(1..=MAX_PULL_RECORDS).contains(&limit)) {
            return Some(format!("limit must be 1 to {MAX_PULL_RECORDS}"));
        }
        if self.device_id.as_ref().is_some_and(|id| id.chars().count() > walkbook_core::limits::MAX_ID_CHARS) {
            return Some(format!("device_id has more than {} characters", walkbook_core::limits::MAX_ID_CHARS));
        }
        if self.campaign_revision > MAX_SAFE_INTEGER as u64 {
            return Some(format!("campaign_revision must be at most {MAX_SAFE_INTEGER}"));
        }
        if self.oldest_pending.is_some_and(|time| !(0..=MAX_SAFE_INTEGER).contains(&time)) {
            return Some(format!("oldest_pending must be 0 to {MAX_SAFE_INTEGER}"));
        }
        None
    }
}

/// `GET /api/v1/sync/pull?cursor=N[&limit=M][&campaign_revision=R]`: the
/// campaign's records received after `cursor`, oldest first (only those of
/// the volunteer's buildings, if assigned any), and the campaign itself when
/// its revision is newer than `R`. A closed campaign's pull carries no
/// records.
pub async fn pull(
    State(state): State<AppState>,
    session: Session,
    query: Result<Query<PullQuery>, QueryRejection>,
) -> Result<Json<PullResponse>, ApiError> {
    let Query(query) = query.map_err(|rejection| ApiError::bad_request("invalid_query", rejection.body_text()))?;
    if let Some(problem) = query.problem() {
        return Err(ApiError::bad_request("invalid_query", format!("The query cannot be used: {problem}.")));
    }
    let limit = query.limit.unwrap_or(MAX_PULL_RECORDS);
    let index = state.campaigns.get(&state.db, &session.campaign_id).await?;
    let campaign = (index.bundle.campaign.revision > query.campaign_revision).then(|| index.bundle.clone());
    let outbox = query.pending.map(|pending| OutboxReport {
        pending,
        oldest_pending: query.oldest_pending,
        installed: query.installed,
        persisted: query.persisted,
    });
    state.phones.note(&session.volunteer_id, outbox);
    // The newest record now bounds the page, so that a record committed
    // meanwhile is left for the next pull, not passed over by the cursor.
    let (newest,): (Option<i64>,) =
        sqlx::query_as("SELECT MAX(seq) FROM records WHERE campaign_id = $1").bind(&session.campaign_id).fetch_one(&state.db).await?;
    let newest = newest.unwrap_or(0).max(query.cursor);
    // A closed campaign's records are no longer handed out: phones erase
    // them (the cursor still moves on, so a phone has nothing to wait for).
    let assigned_buildings = Assignments::of(&state.db, &session.volunteer_id).await?.told(&index);
    if index.bundle.campaign.closed_at.is_some() {
        return Ok(Json(PullResponse { records: Vec::new(), cursor: newest, more: false, campaign, assigned_buildings }));
    }
    // The pulling device's own records are not counted against the page:
    // after a large push the cursor passes them in one request. A volunteer
    // assigned to buildings gets only their records (and so people), and
    // every gate's (anyone may take gate duty), chosen by the index on each
    // record's building: a page is never filled with others' records and
    // then emptied.
    let gate_ids: Vec<&str> = index.bundle.campaign.gates.iter().map(|gate| gate.id.as_str()).collect();
    let rows: Vec<(i64, String)> = sqlx::query_as(&format!(
        "SELECT seq, body FROM records \
         WHERE campaign_id = $1 AND seq > $2 AND seq <= $3 AND device_id <> $4 \
         AND (NOT EXISTS (SELECT 1 FROM assignments WHERE volunteer_id = $5) \
              OR building_id IN (SELECT building_id FROM assignments WHERE volunteer_id = $6) \
              OR building_id IN ({})) \
         ORDER BY seq LIMIT $7",
        crate::db::strings_of(crate::db::is_postgres(&state.db), 8)
    ))
    .bind(&session.campaign_id)
    .bind(query.cursor)
    .bind(newest)
    .bind(query.device_id.as_deref().unwrap_or(""))
    .bind(&session.volunteer_id)
    .bind(&session.volunteer_id)
    .bind(i64::from(limit) + 1)
    .bind(crate::db::json_list(&gate_ids))
    .fetch_all(&state.db)
    .await?;
    let mut more = rows.len() > limit as usize;
    let mut cursor = query.cursor;
    let mut records = Vec::new();
    let mut bytes = 0;
    for (seq, body) in rows.iter().take(limit as usize) {
        // The page ends before a record that would take it past its bytes
        // (one record always fits: records are at most MAX_RECORD_BYTES).
        if !records.is_empty() && bytes + body.len() > MAX_PULL_PAGE_BYTES {
            more = true;
            break;
        }
        let record: Record = serde_json::from_str(body).map_err(|e| ApiError::Internal(format!("stored record: {e}")))?;
        cursor = *seq;
        bytes += body.len();
        records.push(record);
    }
    if !more {
        cursor = newest;
    }
    Ok(Json(PullResponse { records, cursor, more, campaign, assigned_buildings }))
}
