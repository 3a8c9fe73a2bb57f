//! CSV exports of doors, shops, people, temperature checks, needs and the
//! audit trail of corrections, by building and range of days, as Excel reads them. Streamed: rows are written on a
//! blocking thread and sent in chunks as they are made, so a district's file
//! is never held whole in memory and starts arriving at once.

use std::collections::HashMap;
use std::io::Write;

use axum::body::{Body, Bytes};
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::IntoResponse;
use serde::Deserialize;
use tokio::sync::mpsc;
use walkbook_core::dates::{day_of_date, iso_8601, LocalTime};
use walkbook_core::form::{answer_columns, Answer};
use walkbook_core::gate::gate_entries;
use walkbook_core::people::{is_fever, register, HealthCode};
use walkbook_core::record::{latest_record, superseded_ids, Record, RecordKind};
use walkbook_core::territory::BuildingKind;

use crate::auth::Coordinator;
use crate::campaigns::{check_buildings, CampaignIndex};
use crate::error::ApiError;
use crate::AppState;

use super::needs::{need_records, need_views, volunteer_names};
use super::{campaign_records, names_of, off_the_runtime, parsed_records, picked_records, register_records};

/// The exports there are.
pub const EXPORTS: [&str; 7] = ["doors.csv", "shops.csv", "people.csv", "checks.csv", "needs.csv", "visitors.csv", "audit.csv"];

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExportQuery {
    /// Only this building.
    building: Option<String>,
    /// First day, `YYYY-MM-DD` (campaign's local days).
    from: Option<String>,
    /// Last day, inclusive.
    to: Option<String>,
}

/// `GET /api/v1/coordinator/campaigns/{campaign}/exports/{file}`: `doors.csv`
/// (each door's latest visit), `shops.csv` (the shop streets' shops, their
/// form's questions and staff), `people.csv` (the register), `checks.csv`
/// (temperature checks, corrected ones replaced), `needs.csv` (needs of
/// households in quarantine), `visitors.csv` (entries at the gates) or `audit.csv` (every
/// correction and withdrawal: what, where, who, when, why), UTF-8 with a
/// BOM, ISO 8601 times, filtered by building and by a range of days.
pub async fn export(
    State(state): State<AppState>,
    coordinator: Coordinator,
    Path((campaign_id, file)): Path<(String, String)>,
    query: Result<Query<ExportQuery>, QueryRejection>,
) -> Result<impl IntoResponse, ApiError> {
    let Query(query) = query.map_err(|rejection| ApiError::bad_request("invalid_query", rejection.body_text()))?;
    let index = coordinator.campaign(&state, &campaign_id).await?;
    let day = |date: &Option<String>, name: &str| -> Result<Option<i64>, ApiError> {
        date.as_deref()
            .map(|d| {
                day_of_date(d)
                    .ok_or_else(|| ApiError::unprocessable("invalid_query", format!("'{name}' must be a date YYYY-MM-DD, not '{d}'")))
            })
            .transpose()
    };
    let (from, to) = (day(&query.from, "from")?, day(&query.to, "to")?);
    check_buildings(&index, query.building.as_slice())?;
    if !EXPORTS.contains(&file.as_str()) {
        return Err(ApiError::not_found(format!(
            "No export '{}': doors.csv, shops.csv, people.csv, checks.csv, needs.csv, visitors.csv or audit.csv",
            crate::auth::shown_id(&file)
        )));
    }
    // Every door's latest visit is kept as records arrive: the whole
    // doors.csv reads only those; a range of days picks among the history.
    // People and checks come from answered visits only.
    let records = match file.as_str() {
        "doors.csv" | "shops.csv" if from.is_none() && to.is_none() => picked_records(&state, &campaign_id).await?,
        "doors.csv" | "shops.csv" | "audit.csv" => campaign_records(&state, &campaign_id).await?,
        "needs.csv" => need_records(&state, &campaign_id).await?,
        "visitors.csv" => gate_records(&state, &campaign_id).await?,
        _ => register_records(&state, &campaign_id).await?,
    };
    // Who made each record, by name (the audit trail's "by"): volunteers
    // and the coordinators who voided records.
    let names: HashMap<String, String> = if matches!(file.as_str(), "audit.csv" | "needs.csv" | "visitors.csv") {
        volunteer_names(&state, &campaign_id).await?
    } else {
        HashMap::new()
    };
    tracing::info!(target: "audit", coordinator = %coordinator.id, campaign = %campaign_id, %file, "export");
    let disposition = format!("attachment; filename=\"{campaign_id}-{file}\"");
    let (chunks, body) = mpsc::channel::<Bytes>(CHUNKS_IN_FLIGHT);
    let written = off_the_runtime(move || {
        let mut out = Chunks { buffer: Vec::with_capacity(CHUNK_BYTES), sink: chunks };
        write_export(&index, &file, &query, (from, to), (&records, &names), &mut out).and_then(|()| out.flush())
    });
    tokio::spawn(async move {
        if let Ok(Err(error)) = written.await {
            tracing::info!(%error, "an export stopped: the coordinator's browser left");
        }
    });
    // Fused: a body may be polled again after its end (the compression of
    // API answers does), which an unfused `unfold` answers with a panic.
    let body = Body::from_stream(futures_util::StreamExt::fuse(futures_util::stream::unfold(body, |mut body| async move {
        body.recv().await.map(|chunk| (Ok::<_, std::convert::Infallible>(chunk), body))
    })));
    Ok(([(header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()), (header::CONTENT_DISPOSITION, disposition)], body))
}

/// The entries at the campaign's gates, and the withdrawals among which are
/// those of entries.
async fn gate_records(state: &AppState, campaign_id: &str) -> Result<Vec<Record>, ApiError> {
    let sql = "SELECT body FROM records WHERE campaign_id = $1 AND kind IN ('visitor', 'void') ORDER BY seq";
    parsed_records(state, sql, campaign_id).await
}

/// An export is sent in chunks of about this size...
const CHUNK_BYTES: usize = 64 * 1024;
/// ...with at most this many made and not yet sent.
const CHUNKS_IN_FLIGHT: usize = 4;

/// Where an export is written: chunks handed to the response as they fill.
/// Fails when the response is gone (the browser left), which stops the work.
struct Chunks {
    buffer: Vec<u8>,
    sink: mpsc::Sender<Bytes>,
}

impl Write for Chunks {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.buffer.extend_from_slice(bytes);
        if self.buffer.len() >= CHUNK_BYTES {
            self.flush()?;
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if self.buffer.is_empty() {
            return Ok(());
        }
        let chunk = Bytes::from(std::mem::replace(&mut self.buffer, Vec::with_capacity(CHUNK_BYTES)));
        self.sink.blocking_send(chunk).map_err(|_| std::io::Error::from(std::io::ErrorKind::BrokenPipe))
    }
}

/// Writes the CSV `file` of `records` to `out`, filtered by the query's
/// building and days. CPU work on up to a campaign's whole history: run off
/// the async runtime.
fn write_export(
    index: &CampaignIndex,
    file: &str,
    query: &ExportQuery,
    (from, to): (Option<i64>, Option<i64>),
    (records, names): (&[Record], &HashMap<String, String>),
    out: &mut impl Write,
) -> std::io::Result<()> {
    let offset = index.bundle.campaign.settings.utc_offset_minutes;
    let in_range = |day: i64| from.is_none_or(|f| day >= f) && to.is_none_or(|t| day <= t);
    let in_building = |building_id: &str| query.building.as_deref().is_none_or(|b| b == building_id);
    let doors: HashMap<&str, &walkbook_core::territory::Door> = index.bundle.doors.iter().map(|d| (d.id.as_str(), d)).collect();
    let building_name = |id: &str| {
        index.bundle.campaign.building(id).map(|b| b.name.get(walkbook_core::lang::Lang::ZhHans).to_string()).unwrap_or_default()
    };
    let mut csv = Csv::new(out)?;
    match file {
        "doors.csv" | "shops.csv" => {
            // shops.csv: the streets of shops only, with each repeat group
            // of their form (a shop's staff) as a column of its entries.
            let shops = file == "shops.csv";
            let in_scope: std::collections::HashSet<&str> = index
                .bundle
                .campaign
                .buildings
                .iter()
                .filter(|b| in_building(&b.id) && (!shops || b.kind == BuildingKind::Street))
                .map(|b| b.id.as_str())
                .collect();
            let forms: Vec<&walkbook_core::form::Form> = {
                let form_ids: std::collections::HashSet<&str> = index
                    .bundle
                    .campaign
                    .buildings
                    .iter()
                    .filter(|b| in_scope.contains(b.id.as_str()))
                    .map(|b| b.form_id.as_str())
                    .collect();
                index.bundle.campaign.forms.iter().filter(|f| form_ids.contains(f.id.as_str())).collect()
            };
            let answers = answer_columns(forms.iter().copied(), None);
            let groups: Vec<(String, Vec<String>)> = if shops { repeat_groups(&forms) } else { Vec::new() };
            let group_headers: Vec<String> = groups.iter().map(|(group, inner)| format!("{group} ({})", inner.join(" / "))).collect();
            let mut header =
                vec!["building", "entrance", "floor", "door", "door_id", "status", "outcome", "visited_at", "volunteer", "record_id"];
            header.extend(answers.iter().map(String::as_str));
            header.extend(group_headers.iter().map(String::as_str));
            csv.row(&header)?;
            let mut by_door: HashMap<&str, Vec<&Record>> = HashMap::new();
            for record in records.iter().filter(|r| in_range(LocalTime::at(r.device_time, offset).day)) {
                by_door.entry(record.door_id.as_str()).or_default().push(record);
            }
            for door in index.bundle.doors.iter().filter(|d| in_scope.contains(d.building_id.as_str())) {
                let latest = latest_record(by_door.get(door.id.as_str()).into_iter().flatten().copied());
                let state = match walkbook_core::record::door_state(latest) {
                    walkbook_core::record::DoorState::Unvisited => "unvisited",
                    walkbook_core::record::DoorState::Revisit => "revisit",
                    walkbook_core::record::DoorState::Final => "final",
                };
                let mut row = vec![
                    building_name(&door.building_id),
                    door.entrance.clone().unwrap_or_default(),
                    door.floor.to_string(),
                    door.label.clone(),
                    door.id.clone(),
                    state.to_string(),
                    latest.map_or("", |r| r.outcome.code()).to_string(),
                    latest.map(|r| iso_8601(r.device_time, offset)).unwrap_or_default(),
                    latest.map_or("", |r| r.volunteer_id.as_str()).to_string(),
                    latest.map_or("", |r| r.id.as_str()).to_string(),
                ];
                row.extend(answers.iter().map(|id| latest.and_then(|r| r.answers.get(id)).map(Answer::cell).unwrap_or_default()));
                row.extend(groups.iter().map(|(group, inner)| match latest.and_then(|r| r.answers.get(group)) {
                    Some(Answer::Group(entries)) => entries_cell(entries, inner),
                    _ => String::new(),
                }));
                csv.row(&row.iter().map(String::as_str).collect::<Vec<_>>())?;
            }
        }
        "people.csv" => {
            // The register's usual fields first (stable for the street office's sheets), then whatever else the forms ask of a person.
            let mut fields: Vec<String> =
                ["name", "relation", "age_band", "tenure", "phone", "returned_from", "returned_on", "health_code", "quarantine_until"]
                    .map(String::from)
                    .to_vec();
            for field in answer_columns(&index.bundle.campaign.forms, Some(walkbook_core::people::ROSTER)) {
                if !fields.contains(&field) {
                    fields.push(field);
                }
            }
            let mut header = vec!["building", "floor", "door", "person_id"];
            header.extend(fields.iter().map(String::as_str));
            header.push("registered_at");
            csv.row(&header)?;
            for person in register(records) {
                let Some(door) = doors.get(person.door_id.as_str()) else { continue };
                if !in_building(&door.building_id) || !in_range(LocalTime::at(person.registered_at, offset).day) {
                    continue;
                }
                let mut row = vec![building_name(&door.building_id), door.floor.to_string(), door.label.clone(), person.id.clone()];
                row.extend(fields.iter().map(|field| person.answers.get(field).map(Answer::cell).unwrap_or_default()));
                row.push(iso_8601(person.registered_at, offset));
                csv.row(&row.iter().map(String::as_str).collect::<Vec<_>>())?;
            }
        }
        "checks.csv" => {
            csv.row(&[
                "building",
                "floor",
                "door",
                "person_id",
                "name",
                "date",
                "half",
                "celsius",
                "fever",
                "recorded_at",
                "volunteer",
                "record_id",
            ])?;
            let people = register(records);
            let names = names_of(&people);
            let threshold = index.bundle.campaign.settings.fever_threshold_c;
            let corrected =
                superseded_ids(records.iter().filter(|r| r.kind.is_void() || matches!(r.kind, RecordKind::TemperatureCheck { .. })));
            for record in records.iter().filter(|r| !corrected.contains(r.id.as_str())) {
                let RecordKind::TemperatureCheck { person_id, slot, celsius } = &record.kind else { continue };
                let Some(door) = doors.get(record.door_id.as_str()) else { continue };
                if !in_building(&door.building_id) || !in_range(day_of_date(&slot.date).unwrap_or(0)) {
                    continue;
                }
                let name = names.get(person_id.as_str()).copied().unwrap_or_default();
                csv.row(&[
                    &building_name(&door.building_id),
                    &door.floor.to_string(),
                    &door.label,
                    person_id,
                    name,
                    &slot.date,
                    slot.half.code(),
                    &format!("{celsius:.1}"),
                    if is_fever(*celsius, threshold) { "yes" } else { "no" },
                    &iso_8601(record.device_time, offset),
                    &record.volunteer_id,
                    &record.id,
                ])?;
            }
        }
        "audit.csv" => {
            csv.row(&["corrected_at", "building", "floor", "door", "kind", "change", "replaced_record", "record_id", "by", "reason"])?;
            let by_id: HashMap<&str, &Record> = records.iter().map(|r| (r.id.as_str(), r)).collect();
            for record in records.iter().filter(|r| r.reason.is_some() && in_range(LocalTime::at(r.device_time, offset).day)) {
                let Some(replaced) = record.supersedes.as_deref() else { continue };
                // A door's record by its door; a floor's by its landing.
                let (building_id, floor, door) = match (doors.get(record.door_id.as_str()), record.kind.floor()) {
                    (Some(door), _) => (door.building_id.clone(), door.floor, door.label.clone()),
                    (None, Some((building_id, floor))) => (building_id.to_string(), floor, String::new()),
                    (None, None) => continue,
                };
                if !in_building(&building_id) {
                    continue;
                }
                // What was changed: the replaced record's kind (a withdrawal
                // names the notice or closure it withdrew).
                let kind = by_id.get(replaced).map_or(record.kind.code(), |r| r.kind.code());
                let change = if matches!(record.kind, RecordKind::Void { .. }) { "withdrawn" } else { "corrected" };
                csv.row(&[
                    &iso_8601(record.device_time, offset),
                    &building_name(&building_id),
                    &floor.to_string(),
                    &door,
                    kind,
                    change,
                    replaced,
                    &record.id,
                    names.get(&record.volunteer_id).unwrap_or(&record.volunteer_id),
                    record.reason.as_deref().unwrap_or_default(),
                ])?;
            }
        }
        "needs.csv" => {
            csv.row(&[
                "raised_at", "building", "floor", "door", "door_id", "person", "need", "details", "status", "raised_by", "changed_at",
                "changed_by", "need_id",
            ])?;
            for need in need_views(index, records, names) {
                if !in_building(&need.building_id) || !in_range(LocalTime::at(need.raised_at, offset).day) {
                    continue;
                }
                csv.row(&[
                    &iso_8601(need.raised_at, offset),
                    &building_name(&need.building_id),
                    &need.floor.to_string(),
                    &need.door_label,
                    &need.door_id,
                    need.person_name.as_deref().unwrap_or_default(),
                    need.kind.code(),
                    &need.details,
                    need.status.code(),
                    &need.raised_by,
                    &iso_8601(need.changed_at, offset),
                    need.changed_by.as_deref().unwrap_or_default(),
                    &need.need_id,
                ])?;
            }
        }
        "visitors.csv" => {
            csv.row(&[
                "entered_at", "gate", "name", "phone", "building", "door", "delivery", "purpose", "health_code", "temperature", "fever",
                "turned_back", "registered_by", "entry_id",
            ])?;
            let records: Vec<&Record> = records.iter().collect();
            let threshold = index.bundle.campaign.settings.fever_threshold_c;
            let yes_no = |yes: bool| if yes { "yes" } else { "no" };
            // Oldest first, as a gate's paper register reads.
            for (record, entry) in gate_entries(&records, None, i64::MIN, i64::MAX).into_iter().rev() {
                let building = entry.building_id.as_deref().unwrap_or_default();
                if query.building.is_some() && !in_building(building) || !in_range(LocalTime::at(record.device_time, offset).day) {
                    continue;
                }
                let gate = index.bundle.campaign.gate(&entry.gate_id).map_or(entry.gate_id.as_str(), |gate| gate.name.get(walkbook_core::lang::Lang::ZhHans));
                let door = entry.door_id.as_deref().and_then(|id| doors.get(id)).map_or("", |door| door.label.as_str());
                csv.row(&[
                    &iso_8601(record.device_time, offset),
                    gate,
                    &entry.name,
                    &entry.phone,
                    &building_name(building),
                    door,
                    yes_no(entry.delivery),
                    &entry.purpose,
                    entry.health_code.map_or("", HealthCode::code),
                    &entry.celsius.map(|celsius| format!("{celsius:.1}")).unwrap_or_default(),
                    yes_no(entry.has_fever(threshold)),
                    yes_no(entry.turned_back),
                    names.get(&record.volunteer_id).unwrap_or(&record.volunteer_id),
                    &record.id,
                ])?;
            }
        }
        _ => unreachable!("the handler checked the file is one of EXPORTS"),
    }
    Ok(())
}

/// The repeat groups `forms` ask (newest version first), each with the ids
/// of its questions in order.
fn repeat_groups(forms: &[&walkbook_core::form::Form]) -> Vec<(String, Vec<String>)> {
    let mut groups: Vec<(String, Vec<String>)> = Vec::new();
    for form in forms {
        for question in form.questions.iter().filter(|q| matches!(q.kind, walkbook_core::form::QuestionKind::Repeat { .. })) {
            if !groups.iter().any(|(id, _)| id == &question.id) {
                groups.push((question.id.clone(), answer_columns(forms.iter().copied(), Some(&question.id))));
            }
        }
    }
    groups
}

/// A repeat group's entries in one cell: each entry's answers in question
/// order joined by " / ", entries by "; " (e.g. "Li / green; Wang / red").
fn entries_cell(entries: &[walkbook_core::form::Entry], questions: &[String]) -> String {
    entries
        .iter()
        .map(|entry| questions.iter().map(|q| entry.answers.get(q).map(Answer::cell).unwrap_or_default()).collect::<Vec<_>>().join(" / "))
        .collect::<Vec<_>>()
        .join("; ")
}

/// CSV as Excel reads it: a UTF-8 BOM (so Chinese shows), CRLF, quotes
/// where a value needs them.
struct Csv<'a, W: Write>(&'a mut W);

/// A cell a spreadsheet would run as a formula: one starting with = + - @,
/// tab or carriage return, also after leading spaces. A plain number
/// (`-3`, `+4.5`) stays a number.
fn is_formula_like(value: &str) -> bool {
    let start = value.trim_start_matches(' ');
    start.starts_with(['\t', '\r']) || (start.starts_with(['=', '+', '-', '@']) && start.parse::<f64>().is_err())
}

impl<'a, W: Write> Csv<'a, W> {
    fn new(out: &'a mut W) -> std::io::Result<Csv<'a, W>> {
        out.write_all("\u{feff}".as_bytes())?;
        Ok(Csv(out))
    }

    fn row(&mut self, values: &[&str]) -> std::io::Result<()> {
        let cells: Vec<String> = values
            .iter()
            .map(|value| {
                let value = if is_formula_like(value) { format!("'{value}") } else { value.to_string() };
                if value.contains([',', '"', '\n', '\r']) {
                    format!("\"{}\"", value.replace('"', "\"\""))
                } else {
                    value
                }
            })
            .collect();
        self.0.write_all(cells.join(",").as_bytes())?;
        self.0.write_all(b"\r\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_a_spreadsheet_would_run_are_neutralised() {
        let mut out = Vec::new();
        Csv::new(&mut out)
            .and_then(|mut csv| {
                csv.row(&[
                    "=1+1",
                    "+cmd",
                    "-2+3",
                    "@SUM(A1)",
                    "\t=HYPERLINK(\"x\")",
                    "\r=1",
                    "  =1",
                    " \t@x",
                    "-3",
                    "+4.5",
                    "Chen",
                    "3-402",
                ])
            })
            .unwrap();
        let line = String::from_utf8(out).unwrap();
        let cells: Vec<&str> = line.trim_start_matches('\u{feff}').trim_end().split(',').collect();
        assert_eq!(cells[..4], ["'=1+1", "'+cmd", "'-2+3", "'@SUM(A1)"]);
        assert!(cells[4].starts_with("\"'\t=HYPERLINK("), "{line:?}");
        assert_eq!(cells[5], "\"'\r=1\"");
        assert_eq!(cells[6..8], ["'  =1", "' \t@x"]);
        assert_eq!(cells[8..], ["-3", "+4.5", "Chen", "3-402"]);
    }
}
