//! CSV exports of doors, people and temperature checks, by building and
//! range of days, as Excel reads them.

use std::collections::HashMap;

use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::IntoResponse;
use serde::Deserialize;
use walkbook_core::dates::{day_of_date, iso_8601, LocalTime};
use walkbook_core::form::{answer_columns, Answer};
use walkbook_core::people::{is_fever, register, Half};
use walkbook_core::record::{latest_record, Record, RecordKind};

use crate::auth::Coordinator;
use crate::campaigns::{check_buildings, CampaignIndex};
use crate::error::ApiError;
use crate::AppState;

use super::{campaign_records, off_the_runtime};

/// The exports there are.
pub const EXPORTS: [&str; 3] = ["doors.csv", "people.csv", "checks.csv"];

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
/// (each door's latest visit), `people.csv` (the register) or `checks.csv`
/// (temperature checks), UTF-8 with a BOM, ISO 8601 times, filtered by
/// building and by a range of days.
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
        return Err(ApiError::not_found(format!("No export '{}': doors.csv, people.csv or checks.csv", crate::auth::shown_id(&file))));
    }
    let records = campaign_records(&state, &campaign_id).await?;
    let csv = off_the_runtime({
        let file = file.clone();
        move || write_export(&index, &file, &query, (from, to), &records)
    })
    .await?;
    tracing::info!(target: "audit", coordinator = %coordinator.id, campaign = %campaign_id, %file, "export");
    let disposition = format!("attachment; filename=\"{campaign_id}-{file}\"");
    Ok(([(header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()), (header::CONTENT_DISPOSITION, disposition)], csv))
}

/// The CSV `file` of `records`, filtered by the query's building and days.
/// CPU work on a campaign's whole history: run off the async runtime.
fn write_export(
    index: &CampaignIndex,
    file: &str,
    query: &ExportQuery,
    (from, to): (Option<i64>, Option<i64>),
    records: &[Record],
) -> String {
    let offset = index.bundle.campaign.settings.utc_offset_minutes;
    let in_range = |day: i64| from.is_none_or(|f| day >= f) && to.is_none_or(|t| day <= t);
    let in_building = |building_id: &str| query.building.as_deref().is_none_or(|b| b == building_id);
    let doors: HashMap<&str, &walkbook_core::territory::Door> = index.bundle.doors.iter().map(|d| (d.id.as_str(), d)).collect();
    let building_name = |id: &str| {
        index.bundle.campaign.building(id).map(|b| b.name.get(walkbook_core::lang::Lang::ZhHans).to_string()).unwrap_or_default()
    };
    let mut csv = Csv::new();
    match file {
        "doors.csv" => {
            let form_ids: std::collections::HashSet<&str> =
                index.bundle.campaign.buildings.iter().filter(|b| in_building(&b.id)).map(|b| b.form_id.as_str()).collect();
            let answers = answer_columns(index.bundle.campaign.forms.iter().filter(|f| form_ids.contains(f.id.as_str())), None);
            let mut header =
                vec!["building", "entrance", "floor", "door", "door_id", "status", "outcome", "visited_at", "volunteer", "record_id"];
            header.extend(answers.iter().map(String::as_str));
            csv.row(&header);
            let mut by_door: HashMap<&str, Vec<&Record>> = HashMap::new();
            for record in records.iter().filter(|r| in_range(LocalTime::at(r.device_time, offset).day)) {
                by_door.entry(record.door_id.as_str()).or_default().push(record);
            }
            for door in index.bundle.doors.iter().filter(|d| in_building(&d.building_id)) {
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
                csv.row(&row.iter().map(String::as_str).collect::<Vec<_>>());
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
            csv.row(&header);
            for person in register(records) {
                let Some(door) = doors.get(person.door_id.as_str()) else { continue };
                if !in_building(&door.building_id) || !in_range(LocalTime::at(person.registered_at, offset).day) {
                    continue;
                }
                let mut row = vec![building_name(&door.building_id), door.floor.to_string(), door.label.clone(), person.id.clone()];
                row.extend(fields.iter().map(|field| person.answers.get(field).map(Answer::cell).unwrap_or_default()));
                row.push(iso_8601(person.registered_at, offset));
                csv.row(&row.iter().map(String::as_str).collect::<Vec<_>>());
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
            ]);
            let people = register(records);
            let threshold = index.bundle.campaign.settings.fever_threshold_c;
            for record in records {
                let RecordKind::TemperatureCheck { person_id, slot, celsius } = &record.kind else { continue };
                let Some(door) = doors.get(record.door_id.as_str()) else { continue };
                if !in_building(&door.building_id) || !in_range(day_of_date(&slot.date).unwrap_or(0)) {
                    continue;
                }
                let name = people.iter().find(|p| p.id == *person_id).map(|p| p.name.clone()).unwrap_or_default();
                csv.row(&[
                    &building_name(&door.building_id),
                    &door.floor.to_string(),
                    &door.label,
                    person_id,
                    &name,
                    &slot.date,
                    if slot.half == Half::Morning { "morning" } else { "afternoon" },
                    &format!("{celsius:.1}"),
                    if is_fever(*celsius, threshold) { "yes" } else { "no" },
                    &iso_8601(record.device_time, offset),
                    &record.volunteer_id,
                    &record.id,
                ]);
            }
        }
        _ => unreachable!("the handler checked the file is one of EXPORTS"),
    }
    csv.finish()
}

/// CSV as Excel reads it: a UTF-8 BOM (so Chinese shows), CRLF, quotes
/// where a value needs them.
struct Csv(String);

/// A cell a spreadsheet would run as a formula: one starting with = + - @,
/// tab or carriage return, also after leading spaces. A plain number
/// (`-3`, `+4.5`) stays a number.
fn is_formula_like(value: &str) -> bool {
    let start = value.trim_start_matches(' ');
    start.starts_with(['\t', '\r']) || (start.starts_with(['=', '+', '-', '@']) && start.parse::<f64>().is_err())
}

impl Csv {
    fn new() -> Csv {
        Csv("\u{feff}".to_string())
    }

    fn row(&mut self, values: &[&str]) {
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
        self.0.push_str(&cells.join(","));
        self.0.push_str("\r\n");
    }

    fn finish(self) -> String {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_a_spreadsheet_would_run_are_neutralised() {
        let mut csv = Csv::new();
        csv.row(&["=1+1", "+cmd", "-2+3", "@SUM(A1)", "\t=HYPERLINK(\"x\")", "\r=1", "  =1", " \t@x", "-3", "+4.5", "Chen", "3-402"]);
        let line = csv.finish();
        let cells: Vec<&str> = line.trim_start_matches('\u{feff}').trim_end().split(',').collect();
        assert_eq!(cells[..4], ["'=1+1", "'+cmd", "'-2+3", "'@SUM(A1)"]);
        assert!(cells[4].starts_with("\"'\t=HYPERLINK("), "{line:?}");
        assert_eq!(cells[5], "\"'\r=1\"");
        assert_eq!(cells[6..8], ["'  =1", "' \t@x"]);
        assert_eq!(cells[8..], ["-3", "+4.5", "Chen", "3-402"]);
    }
}
