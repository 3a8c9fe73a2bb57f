//! The coordinator console: sign-in, campaign setup (create, territory CSV,
//! forms, settings), volunteers (invite with a QR code, list, revoke,
//! assign), coverage, alerts and CSV exports. Every handler takes a
//! [`Coordinator`] (403 for a volunteer's session) and checks the campaign is
//! one they run.

use std::collections::HashMap;

use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{AppendHeaders, IntoResponse};
use axum::Json;
use serde::Deserialize;
use walkbook_core::campaign::{Campaign, CampaignBundle, Settings};
use walkbook_core::console::{
    coverage_report, AlertView, AssignRequest, CampaignChanged, CampaignSummary, CoordinatorView, CoverageReport, CreateCampaign, DoorRef,
    InviteRequest, InviteResponse, LoginRequest, SettingsUpdate, VolunteerSummary,
};
use walkbook_core::dates::{day_of_date, iso_8601, LocalTime};
use walkbook_core::form::{answer_columns, Answer};
use walkbook_core::people::{follow_ups, is_fever, register, CheckState, Half};
use walkbook_core::record::{latest_record, Record, RecordKind};
use walkbook_core::sync::OutboxReport;

use crate::auth::{expired_cookie, session_cookie, Coordinator, COORDINATOR_COOKIE, COORDINATOR_SESSION};
use crate::campaigns::{check_buildings, invite, now_ms, set_assignments, store_campaign, CampaignIndex};
use crate::config::ClientAddr;
use crate::error::ApiError;
use crate::json::{JsonBody, TextBody};
use crate::AppState;

/// `POST /api/v1/coordinator/login`: a one-time login code for a session cookie.
/// Throttled per address like joining.
pub async fn login(
    State(state): State<AppState>,
    ClientAddr(client): ClientAddr,
    JsonBody(request): JsonBody<LoginRequest>,
) -> Result<impl IntoResponse, ApiError> {
    state.sign_ins.admit(client)?;
    let (id, name, token) = crate::coordinators::login(&state.db, &request.code).await.inspect_err(|_| {
        tracing::warn!(target: "audit", %client, "coordinator login refused");
    })?;
    tracing::info!(target: "audit", %client, coordinator = %id, "coordinator signed in");
    let cookie = session_cookie(COORDINATOR_COOKIE, &token, COORDINATOR_SESSION, state.config.https());
    Ok((AppendHeaders([(header::SET_COOKIE, cookie)]), Json(CoordinatorView { id, name })))
}

/// `POST /api/v1/coordinator/logout`: ends this console session.
pub async fn logout(State(state): State<AppState>, coordinator: Coordinator) -> Result<impl IntoResponse, ApiError> {
    sqlx::query("DELETE FROM coordinator_sessions WHERE token_hash = $1").bind(&coordinator.token_hash).execute(&state.db).await?;
    tracing::info!(target: "audit", coordinator = %coordinator.id, "coordinator signed out");
    Ok((
        AppendHeaders([(header::SET_COOKIE, expired_cookie(COORDINATOR_COOKIE, state.config.https()))]),
        axum::http::StatusCode::NO_CONTENT,
    ))
}

/// `GET /api/v1/coordinator/me`.
pub async fn me(coordinator: Coordinator) -> Json<CoordinatorView> {
    Json(CoordinatorView { id: coordinator.id, name: coordinator.name })
}

/// `GET /api/v1/coordinator/campaigns`: the campaigns this coordinator runs.
pub async fn list_campaigns(State(state): State<AppState>, coordinator: Coordinator) -> Result<Json<Vec<CampaignSummary>>, ApiError> {
    let ids: Vec<(String,)> =
        sqlx::query_as("SELECT campaign_id FROM coordinator_campaigns WHERE coordinator_id = $1 ORDER BY campaign_id")
            .bind(&coordinator.id)
            .fetch_all(&state.db)
            .await?;
    let mut summaries = Vec::new();
    for (id,) in ids {
        summaries.push(summary(&*state.campaigns.get(&state.db, &id).await?));
    }
    Ok(Json(summaries))
}

fn summary(index: &CampaignIndex) -> CampaignSummary {
    let campaign = &index.bundle.campaign;
    CampaignSummary {
        id: campaign.id.clone(),
        name: campaign.name.clone(),
        revision: campaign.revision,
        buildings: campaign.buildings.len() as u32,
        doors: index.bundle.doors.len() as u32,
    }
}

pub(crate) fn changed(revision: u64, bundle: &CampaignBundle) -> Json<CampaignChanged> {
    Json(CampaignChanged { revision, buildings: bundle.campaign.buildings.len() as u32, doors: bundle.doors.len() as u32 })
}

/// `POST /api/v1/coordinator/campaigns`: a new campaign with the standard
/// household and shop forms, run by this coordinator. Territory comes next.
pub async fn create_campaign(
    State(state): State<AppState>,
    coordinator: Coordinator,
    JsonBody(request): JsonBody<CreateCampaign>,
) -> Result<Json<CampaignChanged>, ApiError> {
    let valid_id = !request.id.is_empty()
        && request.id.len() <= 40
        && request.id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if !valid_id {
        return Err(ApiError::unprocessable("invalid_campaign_id", "A campaign id is 1 to 40 lowercase letters, digits and dashes."));
    }
    if request.name.0.values().all(|name| name.trim().is_empty()) {
        return Err(ApiError::unprocessable("invalid_campaign", "The campaign needs a name."));
    }
    let exists: Option<(String,)> =
        sqlx::query_as("SELECT id FROM campaigns WHERE id = $1").bind(&request.id).fetch_optional(&state.db).await?;
    if exists.is_some() {
        return Err(ApiError::conflict("campaign_exists", format!("There is already a campaign '{}'.", request.id)));
    }
    let mut household = walkbook_core::demo::household_roster_form();
    household.version = 1;
    let defaults = Settings::default();
    let bundle = CampaignBundle {
        campaign: Campaign {
            id: request.id.clone(),
            revision: 0,
            name: request.name,
            languages: request.languages.unwrap_or_else(|| walkbook_core::lang::Lang::ALL.to_vec()),
            settings: Settings {
                fever_threshold_c: check_threshold(request.fever_threshold_c)?.unwrap_or(defaults.fever_threshold_c),
                ..defaults
            },
            forms: vec![household, walkbook_core::demo::shop_form()],
            buildings: Vec::new(),
        },
        doors: Vec::new(),
    };
    let revision = store_campaign(&state.db, &bundle).await?;
    let mut conn = state.db.acquire().await?;
    crate::coordinators::grant(&mut conn, &coordinator.id, &request.id).await?;
    Ok(changed(revision, &bundle))
}

fn check_threshold(threshold: Option<f64>) -> Result<Option<f64>, ApiError> {
    match threshold {
        Some(t) if !(35.0..=40.0).contains(&t) => {
            Err(ApiError::unprocessable("invalid_threshold", format!("A fever threshold of {t} °C is not plausible (35 to 40).")))
        }
        other => Ok(other),
    }
}

/// `GET /api/v1/coordinator/campaigns/{campaign}`: the whole campaign.
pub async fn get_campaign(
    State(state): State<AppState>,
    coordinator: Coordinator,
    Path(campaign_id): Path<String>,
) -> Result<Json<CampaignBundle>, ApiError> {
    Ok(Json(coordinator.campaign(&state, &campaign_id).await?.bundle.clone()))
}

/// `PUT /api/v1/coordinator/campaigns/{campaign}/territory`: the territory
/// from CSV (see `walkbook_core::territory_csv`), replacing the current one.
/// A bad file changes nothing; its errors name line and column.
pub async fn put_territory(
    State(state): State<AppState>,
    coordinator: Coordinator,
    Path(campaign_id): Path<String>,
    TextBody(body): TextBody,
) -> Result<Json<CampaignChanged>, ApiError> {
    let index = coordinator.campaign(&state, &campaign_id).await?;
    let form_id = index.bundle.campaign.current_form("household").map_or("household", |f| f.id.as_str()).to_string();
    let (buildings, doors) = walkbook_core::territory_csv::import(&body, &form_id).map_err(|errors| {
        let lines: Vec<String> = errors.iter().map(ToString::to_string).collect();
        ApiError::unprocessable("invalid_csv", format!("Nothing was imported. {}.", lines.join("; ")))
    })?;
    let mut bundle = index.bundle.clone();
    bundle.campaign.buildings = buildings;
    bundle.doors = doors;
    let revision = store_campaign(&state.db, &bundle).await?;
    Ok(changed(revision, &bundle))
}

/// `PATCH /api/v1/coordinator/campaigns/{campaign}/settings`.
pub async fn patch_settings(
    State(state): State<AppState>,
    coordinator: Coordinator,
    Path(campaign_id): Path<String>,
    JsonBody(update): JsonBody<SettingsUpdate>,
) -> Result<Json<CampaignChanged>, ApiError> {
    let index = coordinator.campaign(&state, &campaign_id).await?;
    let mut bundle = index.bundle.clone();
    if let Some(threshold) = check_threshold(update.fever_threshold_c)? {
        bundle.campaign.settings.fever_threshold_c = threshold;
    }
    if let Some(languages) = update.languages {
        if languages.is_empty() {
            return Err(ApiError::unprocessable("invalid_languages", "A campaign needs at least one language."));
        }
        bundle.campaign.languages = languages;
    }
    if let Some(name) = update.name {
        bundle.campaign.name = name;
    }
    let revision = store_campaign(&state.db, &bundle).await?;
    Ok(changed(revision, &bundle))
}

/// `GET /api/v1/coordinator/campaigns/{campaign}/volunteers`.
pub async fn list_volunteers(
    State(state): State<AppState>,
    coordinator: Coordinator,
    Path(campaign_id): Path<String>,
) -> Result<Json<Vec<VolunteerSummary>>, ApiError> {
    let index = coordinator.campaign(&state, &campaign_id).await?;
    let records = stored_records(&state, &campaign_id).await?;
    Ok(Json(volunteer_summaries(&state, &index, &records).await?))
}

async fn volunteer_summaries(state: &AppState, index: &CampaignIndex, records: &[Stored]) -> Result<Vec<VolunteerSummary>, ApiError> {
    // What phones said since the last batch was written, first.
    state.phones.flush(&state.db).await?;
    let campaign = &index.bundle.campaign;
    let offset = campaign.settings.utc_offset_minutes;
    let today = LocalTime::at(now_ms(), offset).day;
    let mut today_by_volunteer: HashMap<&str, u32> = HashMap::new();
    for stored in records.iter().filter(|s| LocalTime::at(s.record.device_time, offset).day == today) {
        *today_by_volunteer.entry(stored.received_from.as_str()).or_default() += 1;
    }
    type Row = (String, String, Option<i64>, Option<i64>, Option<i64>, Option<i64>, Option<i64>, Option<i64>, i64);
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT v.id, v.name, v.revoked_at, v.last_seen_at, v.unsent_count, v.oldest_unsent_at, v.installed, v.persisted, \
         CASE WHEN EXISTS (SELECT 1 FROM join_codes j WHERE j.volunteer_id = v.id AND j.used_at IS NOT NULL) THEN 1 ELSE 0 END \
         FROM volunteers v WHERE v.campaign_id = $1 ORDER BY v.created_at, v.id",
    )
    .bind(&campaign.id)
    .fetch_all(&state.db)
    .await?;
    let assignments: Vec<(String, String)> = sqlx::query_as(
        "SELECT a.volunteer_id, a.building_id FROM assignments a JOIN volunteers v ON v.id = a.volunteer_id \
         WHERE v.campaign_id = $1 ORDER BY a.building_id",
    )
    .bind(&campaign.id)
    .fetch_all(&state.db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name, revoked_at, last_seen_at, unsent, oldest, installed, persisted, joined)| {
            let (installed, persisted) = (installed.map(|flag| flag != 0), persisted.map(|flag| flag != 0));
            VolunteerSummary {
                buildings: assignments.iter().filter(|(v, _)| *v == id).map(|(_, b)| b.clone()).collect(),
                records_today: today_by_volunteer.get(id.as_str()).copied().unwrap_or(0),
                id,
                name,
                joined: joined != 0,
                revoked: revoked_at.is_some(),
                last_sync: last_seen_at,
                unsent: unsent.map(|n| n as u32),
                oldest_unsent: oldest,
                at_risk: OutboxReport { pending: unsent.unwrap_or(0) as u32, oldest_pending: oldest, installed, persisted }.at_risk(),
                installed,
                persisted,
            }
        })
        .collect())
}

/// `POST /api/v1/coordinator/campaigns/{campaign}/volunteers`: an invitation
/// with a join link and its QR code.
pub async fn invite_volunteer(
    State(state): State<AppState>,
    coordinator: Coordinator,
    Path(campaign_id): Path<String>,
    JsonBody(request): JsonBody<InviteRequest>,
) -> Result<Json<InviteResponse>, ApiError> {
    coordinator.campaign(&state, &campaign_id).await?;
    if request.name.trim().is_empty() {
        return Err(ApiError::unprocessable("invalid_name", "The volunteer needs a name."));
    }
    if !(1..=60).contains(&request.valid_days) {
        return Err(ApiError::unprocessable("invalid_valid_days", "An invitation is valid for 1 to 60 days."));
    }
    let valid_ms = i64::from(request.valid_days) * 86_400_000;
    let (volunteer_id, code) = invite(&state.db, &state.campaigns, &campaign_id, request.name.trim(), &request.buildings, valid_ms).await?;
    // From the configured public URL: a request's Host header is the client's to write.
    let link = state.config.link(&format!("/join#code={code}"));
    let qr_svg = qrcode::QrCode::new(link.as_bytes())
        .map_err(|e| ApiError::Internal(format!("QR code: {e}")))?
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(240, 240)
        .build();
    Ok(Json(InviteResponse { volunteer_id, code, link, expires_at: now_ms() + valid_ms, qr_svg }))
}

async fn campaign_volunteer(state: &AppState, campaign_id: &str, volunteer_id: &str) -> Result<(), ApiError> {
    let found: Option<(String,)> = sqlx::query_as("SELECT id FROM volunteers WHERE id = $1 AND campaign_id = $2")
        .bind(volunteer_id)
        .bind(campaign_id)
        .fetch_optional(&state.db)
        .await?;
    found.map(|_| ()).ok_or_else(|| ApiError::not_found(format!("No volunteer {volunteer_id} in {campaign_id}")))
}

/// `DELETE /api/v1/coordinator/campaigns/{campaign}/volunteers/{volunteer}`:
/// revokes: their sessions end (their phone gets 401 and keeps its unsent
/// records), unused codes stop working.
pub async fn revoke_volunteer(
    State(state): State<AppState>,
    coordinator: Coordinator,
    Path((campaign_id, volunteer_id)): Path<(String, String)>,
) -> Result<Json<Vec<VolunteerSummary>>, ApiError> {
    let index = coordinator.campaign(&state, &campaign_id).await?;
    campaign_volunteer(&state, &campaign_id, &volunteer_id).await?;
    let mut tx = crate::db::begin_write(&state.db).await?;
    sqlx::query("UPDATE volunteers SET revoked_at = COALESCE(revoked_at, $1) WHERE id = $2")
        .bind(now_ms())
        .bind(&volunteer_id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM sessions WHERE volunteer_id = $1").bind(&volunteer_id).execute(&mut *tx).await?;
    tx.commit().await?;
    tracing::info!(target: "audit", coordinator = %coordinator.id, volunteer = %volunteer_id, campaign = %campaign_id, "volunteer revoked");
    let records = stored_records(&state, &campaign_id).await?;
    Ok(Json(volunteer_summaries(&state, &index, &records).await?))
}

/// `PUT /api/v1/coordinator/campaigns/{campaign}/volunteers/{volunteer}/buildings`.
pub async fn assign_buildings(
    State(state): State<AppState>,
    coordinator: Coordinator,
    Path((campaign_id, volunteer_id)): Path<(String, String)>,
    JsonBody(request): JsonBody<AssignRequest>,
) -> Result<Json<Vec<VolunteerSummary>>, ApiError> {
    let index = coordinator.campaign(&state, &campaign_id).await?;
    campaign_volunteer(&state, &campaign_id, &volunteer_id).await?;
    check_buildings(&index, &request.buildings)?;
    let mut tx = crate::db::begin_write(&state.db).await?;
    set_assignments(&mut tx, &volunteer_id, &request.buildings).await?;
    tx.commit().await?;
    let records = stored_records(&state, &campaign_id).await?;
    Ok(Json(volunteer_summaries(&state, &index, &records).await?))
}

/// A stored record with who sent it.
struct Stored {
    received_from: String,
    record: Record,
}

async fn stored_records(state: &AppState, campaign_id: &str) -> Result<Vec<Stored>, ApiError> {
    let rows: Vec<(String, String)> = sqlx::query_as("SELECT received_from, body FROM records WHERE campaign_id = $1 ORDER BY seq")
        .bind(campaign_id)
        .fetch_all(&state.db)
        .await?;
    rows.into_iter()
        .map(|(received_from, body)| {
            let record = serde_json::from_str(&body).map_err(|e| ApiError::Internal(format!("stored record: {e}")))?;
            Ok(Stored { received_from, record })
        })
        .collect()
}

/// `GET /api/v1/coordinator/campaigns/{campaign}/coverage`.
pub async fn coverage(
    State(state): State<AppState>,
    coordinator: Coordinator,
    Path(campaign_id): Path<String>,
) -> Result<Json<CoverageReport>, ApiError> {
    let index = coordinator.campaign(&state, &campaign_id).await?;
    let stored = stored_records(&state, &campaign_id).await?;
    let records: Vec<Record> = stored.iter().map(|s| s.record.clone()).collect();
    let (coverage, buildings, never_visited, revisits) = coverage_report(&index.bundle, &records);
    let volunteers = volunteer_summaries(&state, &index, &stored).await?;
    Ok(Json(CoverageReport { coverage, buildings, never_visited, revisits, volunteers }))
}

fn door_ref(index: &CampaignIndex, door_id: &str) -> Option<DoorRef> {
    index.bundle.doors.iter().find(|d| d.id == door_id).map(|d| DoorRef {
        id: d.id.clone(),
        label: d.label.clone(),
        building_id: d.building_id.clone(),
        floor: d.floor,
    })
}

/// `GET /api/v1/coordinator/campaigns/{campaign}/alerts`: fever readings and
/// red codes as they arrived, and checks overdue now, newest first.
pub async fn list_alerts(
    State(state): State<AppState>,
    coordinator: Coordinator,
    Path(campaign_id): Path<String>,
) -> Result<Json<Vec<AlertView>>, ApiError> {
    let index = coordinator.campaign(&state, &campaign_id).await?;
    let records: Vec<Record> = stored_records(&state, &campaign_id).await?.into_iter().map(|s| s.record).collect();
    let people = register(&records);
    let name_of = |person_id: &str| people.iter().find(|p| p.id == person_id).map(|p| p.name.clone()).unwrap_or_default();
    let mut alerts: Vec<AlertView> = crate::alerts::list(&state.db, &campaign_id)
        .await?
        .into_iter()
        .map(|alert| AlertView {
            id: alert.id.to_string(),
            door: door_ref(&index, &alert.door_id),
            person_name: name_of(&alert.person_id),
            kind: alert.kind,
            person_id: alert.person_id,
            detail: alert.detail,
            at: alert.raised_at,
            handled_by: alert.handled_by,
            handled_at: alert.handled_at,
        })
        .collect();
    let handled: Vec<(String, String, i64)> =
        sqlx::query_as("SELECT alert_id, handled_by, handled_at FROM overdue_handled WHERE campaign_id = $1")
            .bind(&campaign_id)
            .fetch_all(&state.db)
            .await?;
    let offset = index.bundle.campaign.settings.utc_offset_minutes;
    let now = LocalTime::at(now_ms(), offset);
    for person in &people {
        for follow_up in follow_ups(person, &records, now, offset).into_iter().filter(|f| f.state == CheckState::Overdue) {
            let half = match follow_up.slot.half {
                Half::Morning => "morning",
                Half::Afternoon => "afternoon",
            };
            let id = format!("overdue:{}:{}:{half}", person.id, follow_up.slot.date);
            let handled = handled.iter().find(|(alert_id, _, _)| *alert_id == id);
            // An overdue check counts from the end of its window.
            let closes = day_of_date(&follow_up.slot.date).unwrap_or(0) * 86_400_000 + i64::from(follow_up.slot.half.window().1) * 60_000
                - i64::from(offset) * 60_000;
            alerts.push(AlertView {
                id,
                kind: "overdue".into(),
                door: door_ref(&index, &person.door_id),
                person_id: person.id.clone(),
                person_name: person.name.clone(),
                detail: format!("{} {half} check not recorded", follow_up.slot.date),
                at: closes,
                handled_by: handled.map(|(_, by, _)| by.clone()),
                handled_at: handled.map(|(_, _, at)| *at),
            });
        }
    }
    alerts.sort_by(|a, b| b.at.cmp(&a.at).then_with(|| a.id.cmp(&b.id)));
    Ok(Json(alerts))
}

/// `POST /api/v1/coordinator/campaigns/{campaign}/alerts/{alert}/handled`.
pub async fn handle_alert(
    State(state): State<AppState>,
    coordinator: Coordinator,
    Path((campaign_id, alert_id)): Path<(String, String)>,
) -> Result<Json<Vec<AlertView>>, ApiError> {
    coordinator.campaign(&state, &campaign_id).await?;
    let handled = if alert_id.starts_with("overdue:") {
        sqlx::query(
            "INSERT INTO overdue_handled (campaign_id, alert_id, handled_by, handled_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
        )
        .bind(&campaign_id)
        .bind(&alert_id)
        .bind(&coordinator.name)
        .bind(now_ms())
        .execute(&state.db)
        .await?;
        true
    } else {
        let id: i64 = alert_id.parse().map_err(|_| ApiError::not_found(format!("No alert {alert_id}")))?;
        let updated = sqlx::query(
            "UPDATE alerts SET handled_by = COALESCE(handled_by, $1), handled_at = COALESCE(handled_at, $2) \
             WHERE id = $3 AND campaign_id = $4",
        )
        .bind(&coordinator.name)
        .bind(now_ms())
        .bind(id)
        .bind(&campaign_id)
        .execute(&state.db)
        .await?;
        updated.rows_affected() == 1
    };
    if !handled {
        return Err(ApiError::not_found(format!("No alert {alert_id}")));
    }
    list_alerts(State(state), coordinator, Path(campaign_id)).await
}

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
    let offset = index.bundle.campaign.settings.utc_offset_minutes;
    let in_range = |day: i64| from.is_none_or(|f| day >= f) && to.is_none_or(|t| day <= t);
    let in_building = |building_id: &str| query.building.as_deref().is_none_or(|b| b == building_id);
    let records: Vec<Record> = stored_records(&state, &campaign_id).await?.into_iter().map(|s| s.record).collect();
    let doors: HashMap<&str, &walkbook_core::territory::Door> = index.bundle.doors.iter().map(|d| (d.id.as_str(), d)).collect();
    let building_name = |id: &str| {
        index.bundle.campaign.building(id).map(|b| b.name.get(walkbook_core::lang::Lang::ZhHans).to_string()).unwrap_or_default()
    };
    let mut csv = Csv::new();
    match file.as_str() {
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
            for person in register(&records) {
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
            let people = register(&records);
            let threshold = index.bundle.campaign.settings.fever_threshold_c;
            for record in &records {
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
        other => {
            return Err(ApiError::not_found(format!("No export '{}': doors.csv, people.csv or checks.csv", crate::auth::shown_id(other))))
        }
    }
    tracing::info!(target: "audit", coordinator = %coordinator.id, campaign = %campaign_id, %file, "export");
    let disposition = format!("attachment; filename=\"{campaign_id}-{file}\"");
    Ok(([(header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()), (header::CONTENT_DISPOSITION, disposition)], csv.finish()))
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
