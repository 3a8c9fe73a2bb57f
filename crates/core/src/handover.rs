//! Handing unsent records over to another phone, offline: in an outage the
//! phone with the battery is often not the phone with the records.
//!
//! The phone that made the records writes a package: each record with its
//! signature (ECDSA P-256, SHA-256, over the record's canonical bytes; see
//! `sync::RelayedRecord`), and the package's own signature over what it
//! holds, so that a package cut short or altered is refused where it is
//! imported. The receiving phone stores the records as relayed and pushes
//! them; the server checks each signature with the key the making phone
//! registered when it joined.

use serde::{Deserialize, Serialize};

use crate::record::Record;
use crate::sync::RelayedRecord;

/// What a package says it is, so that another file is refused as such.
pub const HANDOVER_FORMAT: &str = "walkbook-handover/1";
/// The most records one package holds (a phone's outbox rarely holds more
/// than a few hundred).
pub const MAX_HANDOVER_RECORDS: usize = 5_000;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HandoverPackage {
    pub format: String,
    pub campaign_id: String,
    /// The phone that made every record in it.
    pub device_id: String,
    /// That phone's public key (the uncompressed P-256 point, base64), for
    /// the receiving phone's check; the server trusts only the key the
    /// phone registered.
    pub public_key: String,
    /// When the package was made (ms since the epoch).
    pub made_at: i64,
    pub records: Vec<RelayedRecord>,
    /// The making phone's signature over [`HandoverPackage::manifest`].
    pub signature: String,
}

/// Why a package cannot be imported on this phone.
#[derive(Debug, Clone, PartialEq)]
pub enum HandoverProblem {
    /// Not a package, or one cut short (not whole JSON).
    NotAPackage,
    /// Made for another campaign than this phone's.
    OtherCampaign(String),
    /// This phone's own package: its records are already here.
    OwnPackage,
    TooManyRecords,
    /// A record names another phone or campaign than the package.
    MixedRecords,
    /// A signature does not match: the package or a record was altered.
    Altered,
}

impl HandoverPackage {
    /// The bytes the package's signature covers: its campaign, phone and
    /// time, and every record's id and signature in order (so that a record
    /// left out, added or swapped is seen).
    pub fn manifest(&self) -> Vec<u8> {
        let mut manifest = format!("{}\n{}\n{}\n{}\n", self.format, self.campaign_id, self.device_id, self.made_at);
        for relayed in &self.records {
            manifest.push_str(&relayed.record.id);
            manifest.push(' ');
            manifest.push_str(&relayed.signature);
            manifest.push('\n');
        }
        manifest.into_bytes()
    }

    /// Checks what can be checked of a package read from a file without its
    /// signatures, for the phone `own_device_id` of campaign `campaign_id`.
    /// (The file's JSON is parsed by the caller: the phone with the
    /// browser's parser, a file that is not whole JSON being
    /// [`HandoverProblem::NotAPackage`].)
    pub fn check(self, campaign_id: &str, own_device_id: &str) -> Result<HandoverPackage, HandoverProblem> {
        let package = self;
        if package.format != HANDOVER_FORMAT {
            return Err(HandoverProblem::NotAPackage);
        }
        if package.campaign_id != campaign_id {
            return Err(HandoverProblem::OtherCampaign(package.campaign_id));
        }
        if package.device_id == own_device_id {
            return Err(HandoverProblem::OwnPackage);
        }
        if package.records.len() > MAX_HANDOVER_RECORDS {
            return Err(HandoverProblem::TooManyRecords);
        }
        let foreign = |record: &Record| record.device_id != package.device_id || record.campaign_id != package.campaign_id;
        if package.records.iter().any(|relayed| foreign(&relayed.record)) {
            return Err(HandoverProblem::MixedRecords);
        }
        Ok(package)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::Outcome;
    use crate::test_records::visit;

    fn package() -> HandoverPackage {
        let relayed = |id: &str| RelayedRecord { record: visit(id, "d1", 1, Outcome::NotHome), signature: format!("sig-{id}") };
        HandoverPackage {
            format: HANDOVER_FORMAT.into(),
            campaign_id: "c".into(),
            device_id: "p".into(),
            public_key: "key".into(),
            made_at: 5,
            records: vec![relayed("r1"), relayed("r2")],
            signature: "sig".into(),
        }
    }

    #[test]
    fn a_package_reads_back_and_what_cannot_be_imported_is_named() {
        let text = serde_json::to_string(&package()).unwrap();
        assert_eq!(serde_json::from_str::<HandoverPackage>(&text).unwrap().check("c", "other-phone"), Ok(package()));
        assert!(serde_json::from_str::<HandoverPackage>(&text[..text.len() / 2]).is_err(), "cut short");
        let other_format = HandoverPackage { format: "something-else/1".into(), ..package() };
        assert_eq!(other_format.check("c", "q"), Err(HandoverProblem::NotAPackage));
        assert_eq!(package().check("elsewhere", "q"), Err(HandoverProblem::OtherCampaign("c".into())));
        assert_eq!(package().check("c", "p"), Err(HandoverProblem::OwnPackage));
        let mut mixed = package();
        mixed.records[1].record.device_id = "q".into();
        assert_eq!(mixed.check("c", "z"), Err(HandoverProblem::MixedRecords));
    }

    #[test]
    fn the_manifest_covers_every_record_in_order() {
        let manifest = package().manifest();
        let mut dropped = package();
        dropped.records.pop();
        let mut swapped = package();
        swapped.records.reverse();
        assert_ne!(dropped.manifest(), manifest);
        assert_ne!(swapped.manifest(), manifest);
        assert!(String::from_utf8(manifest).unwrap().starts_with("walkbook-handover/1\nc\np\n5\nr1 sig-r1\n"));
    }
}
