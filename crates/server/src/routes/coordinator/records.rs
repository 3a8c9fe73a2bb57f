//! A coordinator voiding a record made by mistake (at the wrong door, for
//! the wrong person): a withdrawal record, signed by the coordinator's own
//! console identity and stored by the same writer as the phones' records,
//! so it counts everywhere a phone's would and phones learn it on their
//! next pull.

use axum::extract::{Path, State};
use axum::Json;
use walkbook_core::console::VoidRequest;
use walkbook_core::limits::MAX_REASON_CHARS;
use walkbook_core::record::{Outcome, Record, RecordKind};
use walkbook_core::sync::PushStatus;

use crate::auth::{shown_id, Coordinator, Session};
use crate::campaigns::{now_ms, CampaignIndex};
use crate::error::ApiError;
use crate::ingest::{CheckedBatch, StoredForm};
use crate::json::JsonBody;
use crate::AppState;

/// The device a coordinator's records name: never a phone, so every phone
/// pulls them.
const CONSOLE_DEVICE: &str = "console";

/// `POST /api/v1/coordinator/campaigns/{campaign}/records/{record}/void`:
/// the record no longer counts for its door, the register, alerts or
/// exports; `audit.csv` lists the void with its reason. Answers the void.
pub async fn void_record(
    State(state): State<AppState>,
    coordinator: Coordinator,
    Path((campaign_id, record_id)): Path<(String, String)>,
    JsonBody(request): JsonBody<VoidRequest>,
) -> Result<Json<Record>, ApiError> {
    let index = coordinator.campaign(&state, &campaign_id).await?;
    let reason = request.reason.trim();
    if reason.is_empty() || reason.chars().count() > MAX_REASON_CHARS {
        return Err(ApiError::unprocessable(
            "invalid_reason",
            format!("Say why the record is voided, in 1 to {MAX_REASON_CHARS} characters."),
        ));
    }
    let stored: Option<(String,)> = sqlx::query_as("SELECT body FROM records WHERE campaign_id = $1 AND id = $2")
        .bind(&campaign_id)
        .bind(&record_id)
        .fetch_optional(&state.db)
        .await?;
    let Some((body,)) = stored else {
        return Err(ApiError::not_found(format!("Campaign {campaign_id} has no record '{}'.", shown_id(&record_id))));
    };
    let target: Record = serde_json::from_str(&body).map_err(|e| ApiError::Internal(format!("stored record: {e}")))?;
    if target.kind.is_void() {
        return Err(ApiError::unprocessable("invalid_void", "This record is itself a withdrawal: it cannot be voided."));
    }
    // Records replacing it are of its own door (or landing): a few to read.
    let pattern = format!("%\"supersedes\":\"{record_id}\"%");
    let replaced: Option<(String,)> =
        sqlx::query_as("SELECT id FROM records WHERE campaign_id = $1 AND door_id = $2 AND body LIKE $3 LIMIT 1")
            .bind(&campaign_id)
            .bind(&target.door_id)
            .bind(&pattern)
            .fetch_optional(&state.db)
            .await?;
    if let Some((by,)) = replaced {
        return Err(ApiError::conflict(
            "already_replaced",
            format!("Record {record_id} was already corrected or voided (by record {by})."),
        ));
    }
    let void = void_of(&index, &target, &console_volunteer(&state, &coordinator, &campaign_id).await?, reason)?;
    let session = Session {
        volunteer_id: void.volunteer_id.clone(),
        campaign_id: campaign_id.clone(),
        device_id: Some(CONSOLE_DEVICE.into()),
        local_volunteer_id: None,
        token_hash: String::new(),
    };
    let checked = StoredForm::of(&void);
    let results = state.ingest.store(CheckedBatch { session, index, records: vec![(void.clone(), checked)] }).await?;
    match results.first() {
        Some(result) if result.status == PushStatus::Stored => {
            tracing::info!(target: "audit", coordinator = %coordinator.id, campaign = %campaign_id, record = %record_id, "record voided");
            Ok(Json(void))
        }
        other => Err(ApiError::conflict(
            "not_voided",
            format!("The void was not stored: {}.", other.and_then(|r| r.reason.clone()).unwrap_or_else(|| "no answer".into())),
        )),
    }
}

/// The withdrawal of `target`, made now by `volunteer_id` with `reason`.
fn void_of(index: &CampaignIndex, target: &Record, volunteer_id: &str, reason: &str) -> Result<Record, ApiError> {
    let (building_id, floor) = match target.kind.place() {
        Some((building_id, floor)) => (building_id.to_string(), floor),
        None => {
            let door = index.door(&target.door_id).ok_or_else(|| {
                ApiError::unprocessable("invalid_void", format!("Door '{}' is no longer in the territory.", target.door_id))
            })?;
            (door.building_id.clone(), door.floor)
        }
    };
    let now = now_ms();
    Ok(Record {
        id: uuid::Uuid::new_v4().to_string(),
        campaign_id: target.campaign_id.clone(),
        door_id: target.door_id.clone(),
        form_id: target.form_id.clone(),
        form_version: target.form_version,
        outcome: Outcome::Answered,
        answers: Default::default(),
        volunteer_id: volunteer_id.to_string(),
        device_id: CONSOLE_DEVICE.into(),
        // Increasing for each of a console's records, as a phone's are.
        device_seq: now as u64,
        device_time: now,
        supersedes: Some(target.id.clone()),
        reason: Some(reason.to_string()),
        kind: RecordKind::Void { building_id, floor },
    })
}

/// The volunteer the coordinator's records in this campaign name, made on
/// first use (a console row: never listed, invited or given a phone).
async fn console_volunteer(state: &AppState, coordinator: &Coordinator, campaign_id: &str) -> Result<String, ApiError> {
    let id = format!("console-{}-{campaign_id}", coordinator.id);
    sqlx::query(
        "INSERT INTO volunteers (id, campaign_id, name, created_at, console) VALUES ($1, $2, $3, $4, 1) ON CONFLICT (id) DO NOTHING",
    )
    .bind(&id)
    .bind(campaign_id)
    .bind(&coordinator.name)
    .bind(now_ms())
    .execute(&state.db)
    .await?;
    Ok(id)
}
