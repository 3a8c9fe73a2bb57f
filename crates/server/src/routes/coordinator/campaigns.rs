//! A coordinator's campaigns: list, create, read, the territory from CSV,
//! settings, closing.

use axum::extract::{Path, State};
use axum::Json;
use walkbook_core::campaign::{Campaign, CampaignBundle, Settings, MAX_RETENTION_DAYS};
use walkbook_core::console::{CampaignChanged, CampaignClosed, CampaignSummary, CreateCampaign, SettingsUpdate};

use crate::auth::Coordinator;
use crate::campaigns::{now_ms, store_campaign, CampaignIndex};
use crate::error::ApiError;
use crate::json::{JsonBody, TextBody};
use crate::AppState;

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
    let mut household = walkbook_core::demo::household_living_alone_form();
    household.version = 1;
    let mut shop = walkbook_core::demo::shop_staff_form();
    shop.version = 1;
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
            forms: vec![household, shop],
            buildings: Vec::new(),
            closed_at: None,
            personal_data_erased_at: None,
            notices: Vec::new(),
            gates: Vec::new(),
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
    let campaign = &index.bundle.campaign;
    let forms = walkbook_core::territory_csv::TerritoryForms {
        household: campaign.current_form("household").map_or("household", |f| f.id.as_str()),
        shop: campaign.current_form("shop").map(|f| f.id.as_str()),
    };
    let territory = walkbook_core::territory_csv::import(&body, &forms).map_err(|errors| {
        let lines: Vec<String> = errors.iter().map(ToString::to_string).collect();
        ApiError::unprocessable("invalid_csv", format!("Nothing was imported. {}.", lines.join("; ")))
    })?;
    let mut bundle = index.bundle.clone();
    bundle.campaign.buildings = territory.buildings;
    bundle.doors = territory.doors;
    bundle.campaign.gates = territory.gates;
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
    if let Some(hours) = update.at_risk_hours {
        if !(1..=168).contains(&hours) {
            return Err(ApiError::unprocessable("invalid_settings", format!("at_risk_hours must be 1 to 168 (a week), not {hours}.")));
        }
        bundle.campaign.settings.at_risk_hours = hours;
    }
    if let Some(days) = update.retention_days {
        if days > MAX_RETENTION_DAYS {
            return Err(ApiError::unprocessable(
                "invalid_settings",
                format!("retention_days must be 0 to {MAX_RETENTION_DAYS} (ten years), not {days}."),
            ));
        }
        if index.bundle.campaign.personal_data_erased_at.is_some() {
            return Err(ApiError::conflict("personal_data_erased", format!("Campaign {campaign_id}'s personal data is already erased.")));
        }
        bundle.campaign.settings.retention_days = days;
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
    // Checked with the rest of the campaign as it is stored.
    if let Some(notices) = update.notices {
        bundle.campaign.notices = notices;
    }
    let revision = store_campaign(&state.db, &bundle).await?;
    Ok(changed(revision, &bundle))
}

/// `POST /api/v1/coordinator/campaigns/{campaign}/close`: the campaign's
/// work is over. Phones stop recording and erase what they hold of it once
/// sent; the server erases its personal data `retention_days` later (see
/// `retention`). Closing twice is refused.
pub async fn close_campaign(
    State(state): State<AppState>,
    coordinator: Coordinator,
    Path(campaign_id): Path<String>,
) -> Result<Json<CampaignClosed>, ApiError> {
    coordinator.campaign(&state, &campaign_id).await?;
    let campaign = crate::retention::close(&state.db, &campaign_id, now_ms()).await?;
    tracing::info!(target: "audit", coordinator = %coordinator.id, campaign = %campaign_id, "closed by a coordinator");
    Ok(Json(CampaignClosed {
        revision: campaign.revision,
        closed_at: campaign.closed_at.unwrap_or_default(),
        erase_personal_data_at: campaign.erase_personal_data_at().unwrap_or_default(),
    }))
}
