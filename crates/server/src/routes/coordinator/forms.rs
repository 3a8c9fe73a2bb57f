//! A campaign's forms: `POST .../forms` (Walkbook's JSON), `POST
//! .../forms/xlsform` (an XLSForm spreadsheet, or its preview) and `GET
//! .../forms/{form}/xlsform` (the current version as an XLSForm).

use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::IntoResponse;
use axum::Json;
use serde::Deserialize;
use walkbook_core::console::{CampaignChanged, XlsFormImport};
use walkbook_core::form::Form;

use super::campaigns::changed;
use crate::auth::{shown_id, Coordinator};
use crate::error::ApiError;
use crate::forms::{add_form, import_xlsform};
use crate::json::{JsonBody, SpreadsheetBody, XLSX};
use crate::AppState;

/// `POST /api/v1/coordinator/campaigns/{campaign}/forms`: a form, or a new
/// version of one (older versions stay, so their records stay readable).
pub async fn post_form(
    State(state): State<AppState>,
    coordinator: Coordinator,
    Path(campaign_id): Path<String>,
    JsonBody(form): JsonBody<Form>,
) -> Result<Json<CampaignChanged>, ApiError> {
    let index = coordinator.campaign(&state, &campaign_id).await?;
    let (revision, bundle) = add_form(&state.db, &index.bundle, form).await?;
    Ok(changed(revision, &bundle))
}

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct XlsFormQuery {
    /// The form the spreadsheet becomes the next version of (a new id starts at version 1).
    form_id: String,
    /// Read and check only: answer the form and its warnings, store nothing.
    #[serde(default)]
    dry_run: bool,
}

/// `POST /api/v1/coordinator/campaigns/{campaign}/forms/xlsform?form_id=ID[&dry_run=true]`.
pub async fn post_xlsform(
    State(state): State<AppState>,
    coordinator: Coordinator,
    Path(campaign_id): Path<String>,
    query: Result<Query<XlsFormQuery>, QueryRejection>,
    SpreadsheetBody(bytes): SpreadsheetBody,
) -> Result<Json<XlsFormImport>, ApiError> {
    let Query(query) = query.map_err(|rejection| ApiError::bad_request("invalid_query", rejection.body_text()))?;
    let index = coordinator.campaign(&state, &campaign_id).await?;
    let imported = import_xlsform(&state.db, &index.bundle, &query.form_id, bytes.into(), query.dry_run).await?;
    if let Some(revision) = imported.revision {
        tracing::info!(target: "audit", coordinator = %coordinator.id, campaign = %campaign_id, form = %imported.form.id,
            version = imported.form.version, revision, "XLSForm imported");
    }
    Ok(Json(imported))
}

/// `GET /api/v1/coordinator/campaigns/{campaign}/forms/{form}/xlsform`: the
/// form's current version as an `.xlsx` XLSForm.
pub async fn get_xlsform(
    State(state): State<AppState>,
    coordinator: Coordinator,
    Path((campaign_id, form_id)): Path<(String, String)>,
) -> Result<impl IntoResponse, ApiError> {
    let index = coordinator.campaign(&state, &campaign_id).await?;
    let form = index
        .bundle
        .campaign
        .current_form(&form_id)
        .cloned()
        .ok_or_else(|| ApiError::not_found(format!("Campaign {campaign_id} has no form '{}'.", shown_id(&form_id))))?;
    let disposition = format!("attachment; filename=\"{}-v{}.xlsx\"", form.id, form.version);
    let bytes = tokio::task::spawn_blocking(move || walkbook_xlsform::export(&form))
        .await
        .map_err(|e| ApiError::Internal(format!("the XLSForm writer failed: {e}")))?;
    Ok(([(header::CONTENT_TYPE, XLSX.to_string()), (header::CONTENT_DISPOSITION, disposition)], bytes))
}
