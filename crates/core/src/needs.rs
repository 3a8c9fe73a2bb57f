//! Needs of households in quarantine ("协调解决隔离生活中遇到的问题"):
//! groceries, medicine, a parcel, garbage, a repair. A need is raised at a
//! door, for one of its people or the whole household, by a record of kind
//! `RecordKind::Need`, whose id is the need's. Later records of kind
//! `RecordKind::NeedUpdate`, from any volunteer, move it to "in progress"
//! and "done". Its status is the furthest any update took it: phones offline
//! deliver updates in any order, and a stale "in progress" must not reopen a
//! need another volunteer finished (a new need is raised instead).

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

use crate::record::{Record, RecordKind};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum NeedKind {
    Groceries,
    Medicine,
    Parcel,
    Garbage,
    Repair,
    Other,
}

impl NeedKind {
    pub const ALL: [NeedKind; 6] = [NeedKind::Groceries, NeedKind::Medicine, NeedKind::Parcel, NeedKind::Garbage, NeedKind::Repair, NeedKind::Other];

    /// As the API and exports spell it.
    pub fn code(self) -> &'static str {
        match self {
            NeedKind::Groceries => "groceries",
            NeedKind::Medicine => "medicine",
            NeedKind::Parcel => "parcel",
            NeedKind::Garbage => "garbage",
            NeedKind::Repair => "repair",
            NeedKind::Other => "other",
        }
    }
}

/// In the order a need moves through (a later status never goes back).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum NeedStatus {
    Open,
    InProgress,
    Done,
}

impl NeedStatus {
    pub const ALL: [NeedStatus; 3] = [NeedStatus::Open, NeedStatus::InProgress, NeedStatus::Done];

    /// As the API and exports spell it.
    pub fn code(self) -> &'static str {
        match self {
            NeedStatus::Open => "open",
            NeedStatus::InProgress => "in_progress",
            NeedStatus::Done => "done",
        }
    }

    /// Still to be dealt with: open or in progress.
    pub fn is_pending(self) -> bool {
        self != NeedStatus::Done
    }
}

/// A need as its records tell it now.
#[derive(Debug, Clone, PartialEq)]
pub struct Need<'a> {
    /// The record that raised it.
    pub raised: &'a Record,
    pub person_id: Option<&'a str>,
    pub kind: NeedKind,
    pub details: &'a str,
    pub status: NeedStatus,
    /// The update that set its status, if any (when, who, and its note).
    pub updated: Option<&'a Record>,
}

impl Need<'_> {
    pub fn id(&self) -> &str {
        &self.raised.id
    }

    /// When its status last changed (raised, or the latest update).
    pub fn changed_at(&self) -> i64 {
        self.updated.map_or(self.raised.device_time, |update| update.device_time)
    }
}

/// Every need among `records` (any kinds, any order) with its status now,
/// oldest first. A need a coordinator voided is gone, and so is an update
/// voided. (A slice of references, not any iterator: one copy of this code
/// in the phone's wasm, whoever calls it.)
pub fn needs<'a>(records: &[&'a Record]) -> Vec<Need<'a>> {
    let voided: HashSet<&str> =
        records.iter().filter(|record| record.kind.is_void()).filter_map(|record| record.supersedes.as_deref()).collect();
    let mut latest_update: HashMap<&str, &Record> = HashMap::new();
    for record in records.iter().copied().filter(|record| !voided.contains(record.id.as_str())) {
        if let RecordKind::NeedUpdate { need_id, .. } = &record.kind {
            let kept = latest_update.entry(need_id).or_insert(record);
            if (update_status(record), record.device_time) > (update_status(kept), kept.device_time) {
                *kept = record;
            }
        }
    }
    let mut needs: Vec<Need> = records
        .iter()
        .copied()
        .filter(|record| !voided.contains(record.id.as_str()))
        .filter_map(|record| {
            let RecordKind::Need { person_id, need, details } = &record.kind else { return None };
            let updated = latest_update.get(record.id.as_str()).copied();
            let status = updated.map_or(NeedStatus::Open, update_status);
            Some(Need { raised: record, person_id: person_id.as_deref(), kind: *need, details, status, updated })
        })
        .collect();
    needs.sort_by(|a, b| a.raised.status_order(b.raised));
    needs
}

/// The status an update of a need sets (open for any other record).
fn update_status(record: &Record) -> NeedStatus {
    match &record.kind {
        RecordKind::NeedUpdate { status, .. } => *status,
        _ => NeedStatus::Open,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_records::event;

    fn record(id: &str, time: i64, kind: RecordKind) -> Record {
        event(id, "d1", time, kind)
    }

    fn raise(id: &str, time: i64, need: NeedKind) -> Record {
        record(id, time, RecordKind::Need { person_id: Some("p1".into()), need, details: "rice, eggs".into() })
    }

    fn update(id: &str, time: i64, need_id: &str, status: NeedStatus) -> Record {
        record(id, time, RecordKind::NeedUpdate { need_id: need_id.into(), status, note: String::new() })
    }

    #[test]
    fn a_need_moves_forward_by_its_updates_and_a_voided_one_is_gone() {
        let records = vec![
            update("u2", 30, "n1", NeedStatus::Done),
            raise("n1", 10, NeedKind::Groceries),
            update("u1", 20, "n1", NeedStatus::InProgress),
            raise("n2", 15, NeedKind::Medicine),
            raise("n3", 16, NeedKind::Repair),
            Record {
                supersedes: Some("n3".into()),
                reason: Some("wrong door".into()),
                ..record("v3", 40, RecordKind::Void { building_id: "b".into(), floor: 1 })
            },
        ];
        let refs: Vec<&Record> = records.iter().collect();
        let needs = needs(&refs);
        let shown: Vec<(&str, NeedKind, NeedStatus, i64)> = needs.iter().map(|n| (n.id(), n.kind, n.status, n.changed_at())).collect();
        assert_eq!(shown, vec![("n1", NeedKind::Groceries, NeedStatus::Done, 30), ("n2", NeedKind::Medicine, NeedStatus::Open, 15)]);
        assert_eq!(needs[0].person_id, Some("p1"));
        assert_eq!(needs[0].details, "rice, eggs");
        assert!(!needs[0].status.is_pending() && needs[1].status.is_pending());
        // A stale "in progress" from a phone that was offline does not reopen it.
        let mut late = records.clone();
        late.push(update("u3", 50, "n1", NeedStatus::InProgress));
        assert_eq!(super::needs(&late.iter().collect::<Vec<_>>())[0].status, NeedStatus::Done);
    }
}
