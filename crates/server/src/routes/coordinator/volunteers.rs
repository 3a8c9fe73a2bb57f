//! A campaign's volunteers: the list (with what each phone last said of
//! itself), invitations with a QR code, revocation, assigned buildings.

use std::collections::HashMap;

use axum::extract::{Path, State};
use axum::Json;
use walkbook_core::console::{AssignRequest, InviteRequest, InviteResponse, VolunteerSummary};
use walkbook_core::dates::LocalTime;
use walkbook_core::sync::OutboxReport;

use crate::auth::Coordinator;
use crate::campaigns::{check_buildings, invite, now_ms, set_assignments, CampaignIndex};
use crate::error::ApiError;
use crate::json::JsonBody;
use crate::AppState;

/// `GET /api/v1/coordinator/campaigns/{campaign}/volunteers`.
pub async fn list_volunteers(
    State(state): State<AppState>,
    coordinator: Coordinator,
    Path(campaign_id): Path<String>,
) -> Result<Json<Vec<VolunteerSummary>>, ApiError> {
    let index = coordinator.campaign(&state, &campaign_id).await?;
    Ok(Json(volunteer_summaries(&state, &index).await?))
}

pub(super) async fn volunteer_summaries(state: &AppState, index: &CampaignIndex) -> Result<Vec<VolunteerSummary>, ApiError> {
    // What phones said since the last batch was written, first.
    state.phones.flush(&state.db).await?;
    let campaign = &index.bundle.campaign;
    // Today's records by who made them, counted as they were stored.
    let today = LocalTime::at(now_ms(), campaign.settings.utc_offset_minutes).day;
    let today: Vec<(String, i64)> = sqlx::query_as("SELECT volunteer_id, records FROM volunteer_days WHERE campaign_id = $1 AND day = $2")
        .bind(&campaign.id)
        .bind(today)
        .fetch_all(&state.db)
        .await?;
    let today_by_volunteer: HashMap<&str, u32> = today.iter().map(|(volunteer, count)| (volunteer.as_str(), *count as u32)).collect();
    type Row = (String, String, Option<i64>, Option<i64>, Option<i64>, Option<i64>, Option<i64>, Option<i64>, i64);
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT v.id, v.name, v.revoked_at, v.last_seen_at, v.unsent_count, v.oldest_unsent_at, v.installed, v.persisted, \
         CASE WHEN EXISTS (SELECT 1 FROM join_codes j WHERE j.volunteer_id = v.id AND j.used_at IS NOT NULL) THEN 1 ELSE 0 END \
         FROM volunteers v WHERE v.campaign_id = $1 AND v.console = 0 ORDER BY v.created_at, v.id",
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
    let found: Option<(String,)> = sqlx::query_as("SELECT id FROM volunteers WHERE id = $1 AND campaign_id = $2 AND console = 0")
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
    Ok(Json(volunteer_summaries(&state, &index).await?))
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
    Ok(Json(volunteer_summaries(&state, &index).await?))
}
