//! A campaign's forms: a new version from JSON or from an XLSForm, checked
//! by the same compiler the phones use. Older versions stay, so records
//! made with them stay readable.

use walkbook_core::campaign::CampaignBundle;
use walkbook_core::console::XlsFormImport;
use walkbook_core::form::{CompiledForm, Form};
use walkbook_core::limits::identifier_problem;
use walkbook_xlsform::{ImportError, Target};

use crate::campaigns::store_campaign;
use crate::db::Db;
use crate::error::ApiError;

/// Stores `form` as the newest version of its id; the campaign's new revision.
pub async fn add_form(db: &Db, bundle: &CampaignBundle, form: Form) -> Result<(u64, CampaignBundle), ApiError> {
    if let Err(errors) = CompiledForm::compile(form.clone()) {
        let messages: Vec<String> = errors.iter().map(ToString::to_string).collect();
        return Err(ApiError::unprocessable("invalid_form", format!("The form cannot be used: {}.", messages.join("; "))));
    }
    if let Some(current) = bundle.campaign.current_form(&form.id) {
        if form.version <= current.version {
            return Err(ApiError::unprocessable(
                "invalid_form",
                format!("Form '{}' is at version {}: upload it as version {} or later.", form.id, current.version, current.version + 1),
            ));
        }
    }
    let mut bundle = bundle.clone();
    bundle.campaign.forms.push(form);
    let revision = store_campaign(db, &bundle).await?;
    Ok((revision, bundle))
}

/// Reads an XLSForm as the next version of `form_id` and, unless
/// `dry_run`, stores it. The spreadsheet is read on a blocking thread.
pub async fn import_xlsform(
    db: &Db,
    bundle: &CampaignBundle,
    form_id: &str,
    bytes: Vec<u8>,
    dry_run: bool,
) -> Result<XlsFormImport, ApiError> {
    if let Some(problem) = identifier_problem("form id", form_id) {
        return Err(ApiError::unprocessable("invalid_form", format!("The form id cannot be used: {problem}.")));
    }
    let version = bundle.campaign.current_form(form_id).map_or(1, |current| current.version + 1);
    let languages = bundle.campaign.languages.clone();
    let form_id_owned = form_id.to_string();
    let imported = tokio::task::spawn_blocking(move || {
        walkbook_xlsform::import(&bytes, &Target { form_id: &form_id_owned, version, languages: &languages })
    })
    .await
    .map_err(|e| ApiError::Internal(format!("the XLSForm reader failed: {e}")))?;
    let imported = imported.map_err(|error| match error {
        // Any bytes are a body of the documented shape: a file that is not a spreadsheet is refused by a rule.
        ImportError::Unreadable(why) => ApiError::unprocessable("unreadable_spreadsheet", format!("The file cannot be read: {why}.")),
        ImportError::Problems(problems) => {
            let problems: Vec<String> = problems.iter().map(ToString::to_string).collect();
            let message = format!("Nothing was imported: the XLSForm has {} problem(s). {}.", problems.len(), problems.join("; "));
            ApiError::FileProblems { code: "invalid_xlsform", message, problems }
        }
    })?;
    let revision = if dry_run { None } else { Some(add_form(db, bundle, imported.form.clone()).await?.0) };
    Ok(XlsFormImport { form: imported.form, warnings: imported.warnings, revision })
}
