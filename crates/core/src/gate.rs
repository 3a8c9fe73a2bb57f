//! Gate duty: volunteers at a compound's gates register every visitor and
//! delivery (who, going where, why, health-code colour, temperature) and
//! turn back those who may not enter. Each entry is a record of kind
//! `visitor` made offline at the gate and synced like any other; a fever or
//! a red code at the gate raises an alert for the coordinator.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use crate::campaign::Campaign;
use crate::labels::Labels;
use crate::people::{is_fever, HealthCode};
use crate::record::{superseded_ids, Record, RecordKind};

/// A gate of the compound, named in the campaign's languages. Records name
/// it by id, which never changes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Gate {
    pub id: String,
    pub name: Labels,
}

/// The most gates a campaign has.
pub const MAX_GATES: usize = 50;
/// A visitor's name (or initials), at most this many characters.
pub const MAX_VISITOR_NAME_CHARS: usize = 100;
/// A phone number as typed: digits, spaces, `+`, `-` and parentheses.
pub const MAX_VISITOR_PHONE_CHARS: usize = 30;
/// Why they come ("delivers rice to 3-402", "plumber").
pub const MAX_VISIT_PURPOSE_CHARS: usize = 200;

/// One entry at a gate: a visitor or a delivery, let in or turned back.
/// The record's time is when they came.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct VisitorEntry {
    pub gate_id: String,
    /// Their name or initials; required.
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub phone: String,
    /// The building they go to (none: they stay at the gate, as a courier
    /// leaving a parcel does).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub building_id: Option<String>,
    /// The door they go to, in `building_id`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub door_id: Option<String>,
    /// A delivery (parcel, groceries), not a visit.
    #[serde(default, skip_serializing_if = "is_false")]
    pub delivery: bool,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub purpose: String,
    /// The colour of the health code they showed (none: none shown).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub health_code: Option<HealthCode>,
    /// Their temperature at the gate (none: not taken).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub celsius: Option<f64>,
    /// Not let in.
    #[serde(default, skip_serializing_if = "is_false")]
    pub turned_back: bool,
}

fn is_false(value: &bool) -> bool {
    !value
}

/// What is wrong with an entry; the phone says the first in the
/// volunteer's language, the server refuses the record with its message.
#[derive(Debug, Clone, PartialEq)]
pub enum EntryProblem {
    UnknownGate(String),
    NoName,
    NameTooLong,
    BadPhone,
    PurposeTooLong,
    UnknownBuilding(String),
    /// The door is not in the building the entry names (or in none).
    UnknownDoor(String),
    /// Outside 30 to 45 °C: a typo, not a body temperature.
    NotABodyTemperature(f64),
    /// Text with control characters.
    ControlCharacter,
}

impl EntryProblem {
    pub fn message(&self) -> String {
        match self {
            EntryProblem::UnknownGate(id) => format!("the campaign has no gate '{id}'"),
            EntryProblem::NoName => "a visitor's name or initials are required".into(),
            EntryProblem::NameTooLong => format!("a visitor's name is at most {MAX_VISITOR_NAME_CHARS} characters"),
            EntryProblem::BadPhone => {
                format!("a phone number is digits, spaces, '+', '-' and parentheses, at most {MAX_VISITOR_PHONE_CHARS} characters")
            }
            EntryProblem::PurposeTooLong => format!("a visit's purpose is at most {MAX_VISIT_PURPOSE_CHARS} characters"),
            EntryProblem::UnknownBuilding(id) => format!("the campaign has no building '{id}'"),
            EntryProblem::UnknownDoor(id) => format!("door '{id}' is not in the building the visitor goes to"),
            EntryProblem::NotABodyTemperature(celsius) => format!("{celsius} °C is not a body temperature (30 to 45)"),
            EntryProblem::ControlCharacter => "a visitor's details contain a control character".into(),
        }
    }
}

impl VisitorEntry {
    /// The first thing wrong with the entry in `campaign`, whose doors'
    /// buildings `building_of_door` gives.
    pub fn problem<'a>(&self, campaign: &Campaign, building_of_door: impl Fn(&str) -> Option<&'a str>) -> Option<EntryProblem> {
        if campaign.gate(&self.gate_id).is_none() {
            return Some(EntryProblem::UnknownGate(self.gate_id.clone()));
        }
        let texts = [&self.name, &self.phone, &self.purpose];
        if texts.iter().any(|text| text.chars().any(char::is_control)) {
            return Some(EntryProblem::ControlCharacter);
        }
        if self.name.trim().is_empty() {
            return Some(EntryProblem::NoName);
        }
        if self.name.chars().count() > MAX_VISITOR_NAME_CHARS {
            return Some(EntryProblem::NameTooLong);
        }
        let phone_chars = |c: char| c.is_ascii_digit() || matches!(c, ' ' | '+' | '-' | '(' | ')');
        if self.phone.chars().count() > MAX_VISITOR_PHONE_CHARS || !self.phone.chars().all(phone_chars) {
            return Some(EntryProblem::BadPhone);
        }
        if self.purpose.chars().count() > MAX_VISIT_PURPOSE_CHARS {
            return Some(EntryProblem::PurposeTooLong);
        }
        if let Some(building_id) = &self.building_id {
            if campaign.building(building_id).is_none() {
                return Some(EntryProblem::UnknownBuilding(building_id.clone()));
            }
        }
        if let Some(door_id) = &self.door_id {
            if self.building_id.is_none() || building_of_door(door_id) != self.building_id.as_deref() {
                return Some(EntryProblem::UnknownDoor(door_id.clone()));
            }
        }
        match self.celsius {
            Some(celsius) if !(30.0..=45.0).contains(&celsius) => Some(EntryProblem::NotABodyTemperature(celsius)),
            _ => None,
        }
    }

    /// Whether the reading is a fever at `threshold_c`.
    pub fn has_fever(&self, threshold_c: f64) -> bool {
        self.celsius.is_some_and(|celsius| is_fever(celsius, threshold_c))
    }

    pub fn has_red_code(&self) -> bool {
        self.health_code == Some(HealthCode::Red)
    }

    /// The same visitor coming again: who, where and why carried over; the
    /// temperature and the decision are the new entry's own.
    pub fn again(&self) -> VisitorEntry {
        VisitorEntry { celsius: None, turned_back: false, ..self.clone() }
    }
}

/// The entries of `records` made in `[start, end)` (ms), at `gate_id` or
/// at every gate (`None`), newest first; withdrawn ones are left out.
pub fn gate_entries<'a>(records: &[&'a Record], gate_id: Option<&str>, start: i64, end: i64) -> Vec<(&'a Record, &'a VisitorEntry)> {
    let withdrawn: HashSet<&str> = superseded_ids(records.iter().copied().filter(|record| record.kind.is_void()));
    let mut entries: Vec<(&Record, &VisitorEntry)> = records
        .iter()
        .filter(|record| (start..end).contains(&record.device_time) && !withdrawn.contains(record.id.as_str()))
        .filter_map(|record| match &record.kind {
            RecordKind::Visitor(entry) if gate_id.is_none_or(|gate| gate == entry.gate_id) => Some((*record, entry)),
            _ => None,
        })
        .collect();
    entries.sort_by(|(a, _), (b, _)| b.status_order(a));
    entries
}

/// Gate ids are distinct from building ids: a phone files a gate's entries
/// under its id where a building's records go.
pub fn gate_problems(campaign: &Campaign) -> Vec<String> {
    let mut problems = Vec::new();
    if campaign.gates.len() > MAX_GATES {
        problems.push(format!("the campaign has {} gates (at most {MAX_GATES})", campaign.gates.len()));
    }
    let mut ids = HashSet::new();
    for gate in &campaign.gates {
        problems.extend(crate::limits::identifier_problem("gate id", &gate.id).map(|p| format!("gate '{}': {p}", gate.id)));
        if !ids.insert(gate.id.as_str()) || campaign.building(&gate.id).is_some() {
            problems.push(format!("gate '{}' has the id of another gate or building", gate.id));
        }
        if gate.name.0.values().all(|name| name.trim().is_empty()) {
            problems.push(format!("gate '{}' has no name", gate.id));
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo::demo_campaign;
    use crate::test_records::event;

    fn entry() -> VisitorEntry {
        let bundle = demo_campaign();
        let door = &bundle.doors[0];
        VisitorEntry {
            gate_id: bundle.campaign.gates[0].id.clone(),
            name: "Wang F.".into(),
            phone: "+86 138-0000-0000".into(),
            building_id: Some(door.building_id.clone()),
            door_id: Some(door.id.clone()),
            delivery: false,
            purpose: "visits her mother".into(),
            health_code: Some(HealthCode::Green),
            celsius: Some(36.5),
            turned_back: false,
        }
    }

    fn problem(entry: &VisitorEntry) -> Option<EntryProblem> {
        let bundle = demo_campaign();
        entry.problem(&bundle.campaign, |door_id| bundle.doors.iter().find(|d| d.id == door_id).map(|d| d.building_id.as_str()))
    }

    #[test]
    fn a_plain_entry_is_fine_and_every_field_is_checked() {
        assert_eq!(problem(&entry()), None);
        let cases: Vec<(VisitorEntry, EntryProblem)> = vec![
            (VisitorEntry { name: "  ".into(), ..entry() }, EntryProblem::NoName),
            (VisitorEntry { celsius: Some(60.0), ..entry() }, EntryProblem::NotABodyTemperature(60.0)),
            (VisitorEntry { gate_id: "back-door".into(), ..entry() }, EntryProblem::UnknownGate("back-door".into())),
            (VisitorEntry { phone: "call me".into(), ..entry() }, EntryProblem::BadPhone),
            (VisitorEntry { building_id: Some("nowhere".into()), door_id: None, ..entry() }, EntryProblem::UnknownBuilding("nowhere".into())),
            (VisitorEntry { building_id: None, ..entry() }, EntryProblem::UnknownDoor(entry().door_id.unwrap())),
            (VisitorEntry { name: "x".repeat(101), ..entry() }, EntryProblem::NameTooLong),
            (VisitorEntry { purpose: "a\u{0}b".into(), ..entry() }, EntryProblem::ControlCharacter),
        ];
        for (entry, expected) in cases {
            assert_eq!(problem(&entry), Some(expected));
        }
        let delivery = VisitorEntry { building_id: None, door_id: None, delivery: true, celsius: None, health_code: None, ..entry() };
        assert_eq!(problem(&delivery), None, "a courier leaving a parcel at the gate");
    }

    #[test]
    fn fever_and_red_code_are_what_alerts_are_raised_for() {
        assert!(!entry().has_fever(37.3) && !entry().has_red_code());
        assert!(VisitorEntry { celsius: Some(37.3), ..entry() }.has_fever(37.3));
        assert!(VisitorEntry { health_code: Some(HealthCode::Red), ..entry() }.has_red_code());
        let again = VisitorEntry { turned_back: true, ..entry() }.again();
        assert_eq!((again.name.as_str(), again.celsius, again.turned_back), ("Wang F.", None, false));
    }

    #[test]
    fn entries_of_a_gate_and_a_time_newest_first_without_withdrawn_ones() {
        let gate = entry().gate_id;
        let at = |id: &str, time, gate_id: &str| event(id, "", time, RecordKind::Visitor(VisitorEntry { gate_id: gate_id.into(), ..entry() }));
        let records = [
            at("a", 100, &gate),
            at("b", 300, &gate),
            at("c", 200, "other"),
            at("d", 5_000, &gate),
            at("e", 250, &gate),
            crate::record::Record { supersedes: Some("e".into()), reason: Some("typed twice".into()), ..event("v", "", 260, RecordKind::Void { building_id: gate.clone(), floor: 0 }) },
        ];
        let records: Vec<&Record> = records.iter().collect();
        let ids = |entries: Vec<(&Record, &VisitorEntry)>| entries.iter().map(|(record, _)| record.id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(gate_entries(&records, Some(&gate), 0, 1_000)), ["b", "a"]);
        assert_eq!(ids(gate_entries(&records, None, 0, 1_000)), ["b", "c", "a"]);
    }

    #[test]
    fn an_entry_reads_back_as_written_and_unknown_fields_are_refused() {
        let record = event("r", "", 1, RecordKind::Visitor(entry()));
        let json = serde_json::to_value(&record).unwrap();
        assert_eq!(json["kind"]["type"], "visitor");
        assert_eq!(json["kind"]["health_code"], "green");
        assert_eq!(serde_json::from_value::<Record>(json.clone()).unwrap(), record);
        let mut extra = json;
        extra["kind"]["vip"] = true.into();
        assert!(serde_json::from_value::<Record>(extra).is_err());
    }

    #[test]
    fn gate_ids_are_unique_and_named() {
        let mut campaign = demo_campaign().campaign;
        assert_eq!(gate_problems(&campaign), Vec::<String>::new());
        let mut twin = campaign.gates[0].clone();
        twin.name = Labels::default();
        campaign.gates.push(twin);
        let mut building_named = campaign.gates[0].clone();
        building_named.id = campaign.buildings[0].id.clone();
        campaign.gates.push(building_named);
        let problems = gate_problems(&campaign);
        assert_eq!(problems.len(), 3, "{problems:?}");
    }
}
