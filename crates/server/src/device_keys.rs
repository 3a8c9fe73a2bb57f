//! Phones' public keys, and the proof a relayed record carries.
//!
//! Each phone makes an ECDSA P-256 key pair with WebCrypto (the private half
//! is not extractable) and registers the public half when it joins, or with
//! its first push. When a phone hands its unsent records over to another
//! (a dying battery, a revoked phone), it signs each; the phone that pushes
//! them cannot forge or alter one, because the server checks every relayed
//! record against the key of the phone the record names.

use std::collections::HashMap;

use base64::Engine;
use p256::ecdsa::signature::Verifier;
use p256::ecdsa::{Signature, VerifyingKey};
use walkbook_core::record::Record;

use crate::auth::Session;
use crate::db::Db;
use crate::error::ApiError;

/// A phone's registered key, and the volunteer ids its records may name.
pub struct DeviceKey {
    volunteer_id: String,
    local_volunteer_id: Option<String>,
    key: VerifyingKey,
}

/// A public key as phones send it (the uncompressed point, base64); why
/// not, if it is not one.
pub fn parse_public_key(text: &str) -> Result<VerifyingKey, String> {
    let bytes = base64::engine::general_purpose::STANDARD.decode(text).map_err(|_| "the public key is not base64".to_string())?;
    if bytes.len() != 65 || bytes[0] != 4 {
        return Err(format!("the public key has {} bytes: a P-256 public key is an uncompressed point of 65", bytes.len()));
    }
    VerifyingKey::from_sec1_bytes(&bytes).map_err(|_| "the public key is not a point of the P-256 curve".to_string())
}

/// Registers `public_key` for the session's phone `device_id`, once: a
/// phone's key never changes, so a later, different one is ignored.
pub async fn register(db: &Db, session: &Session, device_id: &str, public_key: &str, now: i64) -> Result<(), ApiError> {
    parse_public_key(public_key).map_err(|problem| ApiError::unprocessable("invalid_public_key", format!("This phone's key cannot be used: {problem}.")))?;
    sqlx::query(
        "INSERT INTO device_keys (campaign_id, device_id, volunteer_id, local_volunteer_id, public_key, registered_at) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (campaign_id, device_id) DO NOTHING",
    )
    .bind(&session.campaign_id)
    .bind(device_id)
    .bind(&session.volunteer_id)
    .bind(&session.local_volunteer_id)
    .bind(public_key)
    .bind(now)
    .execute(db)
    .await?;
    Ok(())
}

/// The registered keys of `device_ids` in the campaign, by device.
pub async fn keys_of(db: &Db, campaign_id: &str, device_ids: &[&str]) -> Result<HashMap<String, DeviceKey>, ApiError> {
    let rows: Vec<(String, String, Option<String>, String)> = sqlx::query_as(&format!(
        "SELECT device_id, volunteer_id, local_volunteer_id, public_key FROM device_keys WHERE campaign_id = $1 AND device_id IN ({})",
        crate::db::strings_of(crate::db::is_postgres(db), 2)
    ))
    .bind(campaign_id)
    .bind(crate::db::json_list(device_ids))
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(device_id, volunteer_id, local_volunteer_id, public_key)| {
            Some((device_id, DeviceKey { volunteer_id, local_volunteer_id, key: parse_public_key(&public_key).ok()? }))
        })
        .collect())
}

impl DeviceKey {
    /// The volunteer signed in on the phone when it registered.
    pub fn volunteer_id(&self) -> &str {
        &self.volunteer_id
    }

    /// Whether the phone's records may name `volunteer_id`: the volunteer
    /// it joined as, or the id its records carried before it joined.
    pub fn may_sign_as(&self, volunteer_id: &str) -> bool {
        volunteer_id == self.volunteer_id || self.local_volunteer_id.as_deref() == Some(volunteer_id)
    }

    /// Whether `signature` (base64 of `r || s`) is this phone's over the
    /// record's canonical bytes.
    pub fn signed(&self, record: &Record, signature: &str) -> bool {
        let Ok(bytes) = base64::engine::general_purpose::STANDARD.decode(signature) else { return false };
        let Ok(signature) = Signature::from_slice(&bytes) else { return false };
        self.key.verify(&walkbook_core::sync::canonical_bytes(record), &signature).is_ok()
    }
}
