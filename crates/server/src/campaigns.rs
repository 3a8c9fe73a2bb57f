//! Campaigns, volunteers and join codes in the database, and the in-memory
//! index of a campaign that push validation reads.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use walkbook_core::campaign::CampaignBundle;
use walkbook_core::form::CompiledForm;

use crate::db::Db;
use crate::error::ApiError;

/// What validating a record needs to know about its campaign.
pub struct CampaignIndex {
    pub bundle: CampaignBundle,
    pub doors: HashSet<String>,
    /// Every version of every form, compiled: `(form id, version)`.
    pub forms: HashMap<(String, u32), CompiledForm>,
}

impl CampaignIndex {
    pub fn new(bundle: CampaignBundle) -> CampaignIndex {
        let doors = bundle.doors.iter().map(|d| d.id.clone()).collect();
        let forms = bundle
            .campaign
            .forms
            .iter()
            .filter_map(|form| {
                let key = (form.id.clone(), form.version);
                CompiledForm::compile(form.clone()).ok().map(|compiled| (key, compiled))
            })
            .collect();
        CampaignIndex { bundle, doors, forms }
    }
}

/// Campaign indices, loaded from the database on first use.
#[derive(Default)]
pub struct CampaignCache {
    loaded: std::sync::RwLock<HashMap<String, Arc<CampaignIndex>>>,
}

impl CampaignCache {
    pub async fn get(&self, db: &Db, campaign_id: &str) -> Result<Arc<CampaignIndex>, ApiError> {
        if let Some(index) = self.loaded.read().expect("not poisoned").get(campaign_id) {
            return Ok(index.clone());
        }
        let bundle: Option<(String,)> = sqlx::query_as("SELECT bundle FROM campaigns WHERE id = ?")
            .bind(campaign_id)
            .fetch_optional(db)
            .await?;
        let (bundle,) = bundle.ok_or_else(|| ApiError::not_found(format!("No campaign {campaign_id}")))?;
        let bundle: CampaignBundle = serde_json::from_str(&bundle)
            .map_err(|e| ApiError::Internal(format!("stored campaign {campaign_id} is unreadable: {e}")))?;
        let index = Arc::new(CampaignIndex::new(bundle));
        self.loaded.write().expect("not poisoned").insert(campaign_id.to_string(), index.clone());
        Ok(index)
    }
}

pub fn now_ms() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0)
}

/// Stores a campaign bundle unless one with its id exists. Returns whether it was new.
pub async fn insert_campaign(db: &Db, bundle: &CampaignBundle) -> Result<bool, sqlx::Error> {
    let json = serde_json::to_string(bundle).expect("a bundle always serialises");
    let result = sqlx::query("INSERT OR IGNORE INTO campaigns (id, bundle, created_at) VALUES (?, ?, ?)")
        .bind(&bundle.campaign.id)
        .bind(json)
        .bind(now_ms())
        .execute(db)
        .await?;
    Ok(result.rows_affected() == 1)
}

/// Creates a volunteer of a campaign and a one-time join code valid for
/// `valid_for_ms`. Returns (volunteer id, code).
pub async fn invite(db: &Db, campaign_id: &str, name: &str, valid_for_ms: i64) -> Result<(String, String), ApiError> {
    let exists: Option<(String,)> =
        sqlx::query_as("SELECT id FROM campaigns WHERE id = ?").bind(campaign_id).fetch_optional(db).await?;
    if exists.is_none() {
        return Err(ApiError::not_found(format!("No campaign {campaign_id}")));
    }
    let volunteer_id = format!("vol-{}", &uuid::Uuid::new_v4().simple().to_string()[..12]);
    let code = join_code();
    let mut tx = crate::db::begin_write(db).await?;
    sqlx::query("INSERT INTO volunteers (id, campaign_id, name, created_at) VALUES (?, ?, ?, ?)")
        .bind(&volunteer_id)
        .bind(campaign_id)
        .bind(name)
        .bind(now_ms())
        .execute(&mut *tx)
        .await?;
    sqlx::query("INSERT INTO join_codes (code, volunteer_id, expires_at) VALUES (?, ?, ?)")
        .bind(&code)
        .bind(&volunteer_id)
        .bind(now_ms() + valid_for_ms)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok((volunteer_id, code))
}

/// Ten characters a person can read out and type: no 0/O, 1/I/L.
fn join_code() -> String {
    const ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
    uuid::Uuid::new_v4().as_bytes()[..10].iter().map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char).collect()
}
