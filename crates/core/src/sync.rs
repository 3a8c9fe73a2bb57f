//! The sync protocol, shared by the phone and the server. Modelled on
//! Replicache's push/pull and ODK's instance ids:
//!
//! - **Push** (`POST /api/v1/sync/push`): a device sends a batch of its pending
//!   records (at most [`MAX_PUSH_RECORDS`] records and [`MAX_PUSH_BYTES`]
//!   bytes). The server stores the batch in one transaction and answers, only
//!   after the commit is durable, one [`PushResult`] per record, in order.
//!   Records are identified by their UUID: pushing a record again is a
//!   `duplicate` and changes nothing, so a batch can be replayed safely after
//!   any failure.
//! - **Pull** (`GET /api/v1/sync/pull?cursor=N&campaign_revision=R`): the
//!   records of the campaign the server received after cursor `N` (other
//!   devices'), in the order received, a page at a time, and the whole
//!   campaign (territory, forms, settings) when the server's revision is
//!   newer than `R`. The client stores the campaign first, then the records,
//!   then keeps the returned cursor.

use serde::{Deserialize, Serialize};

use crate::campaign::CampaignBundle;
use crate::record::Record;

pub const MAX_PUSH_RECORDS: usize = 500;
pub const MAX_PUSH_BYTES: usize = 1024 * 1024;
pub const MAX_PULL_RECORDS: u32 = 1000;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct PushRequest {
    #[cfg_attr(feature = "schema", schemars(length(min = 1, max = 100)))]
    pub device_id: String,
    pub records: Vec<Record>,
    /// Records other phones of the campaign made and handed over to this
    /// one (a phone dying, revoked, out of reach), each with its maker's
    /// signature. Answered after `records`, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub relayed: Vec<RelayedRecord>,
    /// This phone's public key (see `PublicKey`), for phones that joined
    /// before they had one: registered by the first push that carries it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(length(max = 100)))]
    pub public_key: Option<String>,
    /// The phone's whole outbox as it was when sending, so the coordinator
    /// sees what a phone holds even when its records are refused.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outbox: Option<OutboxReport>,
}

/// A record made on another phone, with that phone's proof: an ECDSA P-256
/// signature with SHA-256 over the record's canonical bytes
/// (`canonical_bytes`), 64 bytes `r || s` as WebCrypto makes it, in base64.
/// The server checks it with the key that phone registered, so no phone can
/// forge or alter another's record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RelayedRecord {
    pub record: Record,
    #[cfg_attr(feature = "schema", schemars(length(max = 100)))]
    pub signature: String,
}

/// What a phone has not yet had acknowledged. Also sent with every pull as
/// `pending` and `oldest_pending`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct OutboxReport {
    pub pending: u32,
    /// Device time of the oldest unsent record.
    pub oldest_pending: Option<i64>,
    /// The app runs installed (Home Screen, standalone), not in a browser tab.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub installed: Option<bool>,
    /// The browser granted persistent storage (`navigator.storage.persisted()`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub persisted: Option<bool>,
}

/// What the server last heard from a volunteer's phone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LastContact {
    /// When the phone last pushed or pulled (ms since the epoch).
    pub seen_at: Option<i64>,
    /// Records unsent, and the device time of the oldest, as it last said.
    pub unsent: u32,
    pub oldest_unsent_at: Option<i64>,
}

impl LastContact {
    /// Since when the phone's unsent records are at risk at `now`: once the
    /// oldest is `hours` old, or once the phone has been silent `hours` with
    /// records unsent, whichever came first. None: nothing unsent, or not
    /// yet.
    pub fn at_risk_since(&self, now: i64, hours: u32) -> Option<i64> {
        if self.unsent == 0 {
            return None;
        }
        let after = i64::from(hours) * 3_600_000;
        let since = [self.oldest_unsent_at, self.seen_at].into_iter().flatten().map(|at| at + after).min()?;
        (since <= now).then_some(since)
    }
}

impl OutboxReport {
    /// Unsent records the browser may delete: in a tab, without persistent
    /// storage (Safari clears such a site's storage after seven days unused).
    pub fn at_risk(&self) -> bool {
        self.pending > 0 && self.installed == Some(false) && self.persisted == Some(false)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct PushResponse {
    /// One per pushed record, in the order pushed.
    pub results: Vec<PushResult>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct PushResult {
    pub id: String,
    pub status: PushStatus,
    /// Why a record was rejected, or what a conflict means.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum PushStatus {
    /// New: stored now.
    Stored,
    /// Already stored with exactly this content: nothing changed.
    Duplicate,
    /// Already stored with different content under this id. The first stays.
    Conflict,
    /// Not stored: the reason says why. Retrying will not help.
    Rejected,
}

impl PushStatus {
    /// The server holds this record (now or from before): the phone may mark
    /// it sent.
    pub fn is_on_server(self) -> bool {
        matches!(self, PushStatus::Stored | PushStatus::Duplicate)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct PullResponse {
    pub records: Vec<Record>,
    /// Pass this back as `cursor` for the next page / the next pull.
    pub cursor: i64,
    /// More records are waiting after this page.
    pub more: bool,
    /// The campaign, when it changed since the revision the client named.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub campaign: Option<CampaignBundle>,
    /// The buildings the volunteer is assigned, in the campaign's order;
    /// absent: the whole campaign. The phone records only in these, and
    /// pulls again from the start when it gains one (the records of a
    /// building it did not work were never sent to it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assigned_buildings: Option<Vec<String>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct JoinRequest {
    pub code: String,
    /// The joining phone: the session is bound to it, and its pushes must
    /// come from it. (Older apps leave it out; their first push binds it.)
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(length(min = 1, max = 100)))]
    pub device_id: Option<String>,
    /// The volunteer id the phone's records carried before it joined, which
    /// its pushes may still name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(length(min = 1, max = 100)))]
    pub local_volunteer_id: Option<String>,
    /// The phone's ECDSA P-256 public key, made on the phone (its private
    /// half never leaves it): the uncompressed point (65 bytes) in base64.
    /// What it signs for another phone to relay is checked with it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(length(max = 100)))]
    pub public_key: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct JoinResponse {
    pub volunteer_id: String,
    pub volunteer_name: String,
    pub bundle: CampaignBundle,
    /// As in [`PullResponse::assigned_buildings`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assigned_buildings: Option<Vec<String>>,
}

/// The canonical bytes of a record, for telling a duplicate (same bytes) from
/// a conflict (same id, other bytes). Field order is the struct's and answers
/// are a sorted map, so equal records give equal bytes on every platform.
pub fn canonical_bytes(record: &Record) -> Vec<u8> {
    serde_json::to_vec(record).expect("a record always serialises")
}

#[cfg(test)]
mod tests {

    #[test]
    fn unsent_records_are_at_risk_once_old_or_once_the_phone_is_silent() {
        const HOUR: i64 = 3_600_000;
        let now = 100 * HOUR;
        let contact =
            |seen_at: i64, unsent: u32, oldest: Option<i64>| LastContact { seen_at: Some(seen_at), unsent, oldest_unsent_at: oldest };
        // A phone in touch an hour ago with a record saved 13 hours ago.
        assert_eq!(contact(now - HOUR, 2, Some(now - 13 * HOUR)).at_risk_since(now, 12), Some(now - HOUR));
        // Its records are 11 hours old: not yet.
        assert_eq!(contact(now - HOUR, 2, Some(now - 11 * HOUR)).at_risk_since(now, 12), None);
        // Silent for 12 hours with a record it saved just before: at risk from the silence.
        assert_eq!(contact(now - 12 * HOUR, 1, Some(now - 12 * HOUR + 5)).at_risk_since(now, 12), Some(now));
        // Nothing unsent: never, however old the contact.
        assert_eq!(contact(now - 50 * HOUR, 0, None).at_risk_since(now, 12), None);
        // A longer setting waits longer.
        assert_eq!(contact(now - HOUR, 2, Some(now - 13 * HOUR)).at_risk_since(now, 24), None);
        // A phone that never said when its oldest record was made: by its silence only.
        assert_eq!(contact(now - 13 * HOUR, 4, None).at_risk_since(now, 12), Some(now - HOUR));
    }

    use super::*;
    use crate::form::{Answer, Answers};
    use crate::record::Outcome;

    fn record() -> Record {
        Record {
            id: "0190a0b0-0000-7000-8000-000000000001".into(),
            campaign_id: "c".into(),
            door_id: "d".into(),
            form_id: "f".into(),
            form_version: 1,
            outcome: Outcome::Answered,
            answers: Answers::from([("b".to_string(), Answer::Number(2.0)), ("a".to_string(), Answer::Text("x".into()))]),
            volunteer_id: "v".into(),
            device_id: "p".into(),
            device_seq: 1,
            device_time: 5,
            supersedes: None,
            reason: None,
            kind: Default::default(),
        }
    }

    #[test]
    fn canonical_bytes_tell_duplicates_from_conflicts() {
        let a = record();
        let reparsed: Record = serde_json::from_slice(&canonical_bytes(&a)).unwrap();
        assert_eq!(canonical_bytes(&a), canonical_bytes(&reparsed));
        let mut changed = a.clone();
        changed.outcome = Outcome::Refused;
        assert_ne!(canonical_bytes(&a), canonical_bytes(&changed));
    }

    #[test]
    fn push_requests_reject_unknown_fields() {
        let body = r#"{"device_id":"p","records":[],"extra":true}"#;
        assert!(serde_json::from_str::<PushRequest>(body).is_err());
    }
}
