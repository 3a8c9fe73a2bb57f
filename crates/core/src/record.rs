//! Records: the immutable events a door visit produces, and the rule that
//! turns a door's records into its status.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::form::Answers;

mod read_kind;

/// What happened at the door.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "kind", rename_all = "snake_case", try_from = "OutcomeWire")]
pub enum Outcome {
    Answered,
    NotHome,
    Refused,
    Vacant,
    NoAccess,
    /// The household asked for a visit at this time (ms since the epoch, UTC).
    ComeBack {
        at: i64,
    },
    Moved,
}

/// An outcome as it is read: `{"kind": ..., "at": ...}` with `at` for
/// `come_back` only, and nothing else. (serde's internally tagged enums let
/// unknown fields through beside a unit variant's tag.)
#[derive(Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
struct OutcomeWire {
    kind: OutcomeKind,
    /// For `come_back`: when, ms since the epoch (UTC).
    #[serde(default)]
    at: Option<i64>,
}

#[derive(Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
enum OutcomeKind {
    Answered,
    NotHome,
    Refused,
    Vacant,
    NoAccess,
    ComeBack,
    Moved,
}

impl TryFrom<OutcomeWire> for Outcome {
    type Error = &'static str;

    fn try_from(wire: OutcomeWire) -> Result<Outcome, &'static str> {
        let outcome = match (wire.kind, wire.at) {
            (OutcomeKind::ComeBack, Some(at)) => return Ok(Outcome::ComeBack { at }),
            (OutcomeKind::ComeBack, None) => return Err("a come_back outcome says when (`at`)"),
            (_, Some(_)) => return Err("only a come_back outcome has a time (`at`)"),
            (OutcomeKind::Answered, None) => Outcome::Answered,
            (OutcomeKind::NotHome, None) => Outcome::NotHome,
            (OutcomeKind::Refused, None) => Outcome::Refused,
            (OutcomeKind::Vacant, None) => Outcome::Vacant,
            (OutcomeKind::NoAccess, None) => Outcome::NoAccess,
            (OutcomeKind::Moved, None) => Outcome::Moved,
        };
        Ok(outcome)
    }
}

impl Outcome {
    /// A door whose latest outcome is final needs no more visits. Refused,
    /// vacant and no access are final with an explicit reason.
    pub fn is_final(&self) -> bool {
        !self.needs_revisit()
    }

    /// Not home and come back put the door on the revisit list.
    pub fn needs_revisit(&self) -> bool {
        matches!(self, Outcome::NotHome | Outcome::ComeBack { .. })
    }

    /// Only an answered visit carries a questionnaire.
    pub fn has_answers(&self) -> bool {
        matches!(self, Outcome::Answered)
    }

    pub fn code(&self) -> &'static str {
        match self {
            Outcome::Answered => "answered",
            Outcome::NotHome => "not_home",
            Outcome::Refused => "refused",
            Outcome::Vacant => "vacant",
            Outcome::NoAccess => "no_access",
            Outcome::ComeBack { .. } => "come_back",
            Outcome::Moved => "moved",
        }
    }
}

/// One visit, as saved on the phone and sent to the server. Never changed
/// after it is saved: an edit is a new record naming the one it supersedes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Record {
    /// UUIDv7, made on the phone: the record's identity everywhere.
    pub id: String,
    pub campaign_id: String,
    pub door_id: String,
    pub form_id: String,
    pub form_version: u32,
    pub outcome: Outcome,
    #[serde(default)]
    pub answers: Answers,
    pub volunteer_id: String,
    pub device_id: String,
    /// Per-device counter, strictly increasing with each record saved there.
    pub device_seq: u64,
    /// The phone's clock when saved, ms since the epoch (UTC).
    pub device_time: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supersedes: Option<String>,
    /// Why this record replaces the one it supersedes: a correction's or a
    /// withdrawal's reason, for the audit trail (absent for a visit that
    /// simply follows an earlier one, such as after "not home").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// A door visit unless it says otherwise (absent in JSON for a visit, so
    /// visits keep the bytes they always had).
    #[serde(default, skip_serializing_if = "RecordKind::is_visit")]
    pub kind: RecordKind,
}

/// What a record is about. Only visits decide a door's status. Read by
/// `read_kind` (as an internally tagged enum strict about its fields, which
/// is how it is written and what the API's schema says).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum RecordKind {
    /// A door visit: the outcome and the questionnaire. (Braced so that
    /// serde refuses unknown fields beside its tag, as for the others.)
    Visit {},
    /// A quarantined person's temperature, for one follow-up slot. The door
    /// is the person's; `outcome` is `answered` and `answers` empty.
    TemperatureCheck { person_id: String, slot: crate::people::Slot, celsius: f64 },
    /// "Notice posted on this floor". `door_id` is empty: the record is the
    /// floor's, not a door's. `notice_id` names which of the campaign's
    /// notices (absent: the first, as before notices were named).
    FloorNotice {
        building_id: String,
        floor: i32,
        #[serde(default, skip_serializing_if = "String::is_empty")]
        notice_id: String,
    },
    /// A volunteer closed the floor (every door on it final). `door_id` is
    /// empty, as for a notice.
    FloorClosed { building_id: String, floor: i32 },
    /// A need of a household in quarantine (groceries, medicine, ...),
    /// raised at its door for one of its people (a roster entry id) or the
    /// whole household; the record's id is the need's (see `needs`).
    /// `outcome` is `answered` and `answers` empty.
    Need {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        person_id: Option<String>,
        need: crate::needs::NeedKind,
        #[serde(default, skip_serializing_if = "String::is_empty")]
        details: String,
    },
    /// A need raised at the same door moves on: in progress, or done.
    NeedUpdate {
        need_id: String,
        status: crate::needs::NeedStatus,
        #[serde(default, skip_serializing_if = "String::is_empty")]
        note: String,
    },
    /// Withdraws the record it supersedes, which no longer counts: a floor's
    /// record a volunteer made by mistake (a notice not posted, a floor
    /// closed too early), or any record a coordinator voids (made at the
    /// wrong door). `reason` says why. `door_id` and the landing are the
    /// withdrawn record's (the door empty for a floor's record).
    Void { building_id: String, floor: i32 },
    /// A look at a person living alone or needing regular help (see
    /// `living_alone`): seen, and how they are. The door is the person's;
    /// `outcome` is `answered` and `answers` empty.
    WeeklyCheck {
        person_id: String,
        #[serde(default, skip_serializing_if = "String::is_empty")]
        note: String,
    },
    /// A visitor or a delivery registered at a gate (see `gate`). `door_id`
    /// is empty (the door they go to is the entry's); `outcome` is
    /// `answered` and `answers` empty.
    Visitor(crate::gate::VisitorEntry),
}

impl Default for RecordKind {
    fn default() -> RecordKind {
        RecordKind::Visit {}
    }
}

impl RecordKind {
    pub fn is_visit(&self) -> bool {
        matches!(self, RecordKind::Visit {})
    }

    pub fn is_void(&self) -> bool {
        matches!(self, RecordKind::Void { .. })
    }

    /// The (building, floor) of a floor's record (a notice, a closure, a
    /// withdrawal); a door's record is placed by its door.
    pub fn floor(&self) -> Option<(&str, i32)> {
        match self {
            RecordKind::FloorNotice { building_id, floor, .. }
            | RecordKind::FloorClosed { building_id, floor }
            | RecordKind::Void { building_id, floor } => Some((building_id, *floor)),
            RecordKind::Visit {}
            | RecordKind::TemperatureCheck { .. }
            | RecordKind::Need { .. }
            | RecordKind::NeedUpdate { .. }
            | RecordKind::WeeklyCheck { .. }
            | RecordKind::Visitor(_) => None,
        }
    }

    /// Where a record that names no door is filed: a floor's record on its
    /// (building, floor), a gate's entry under the gate's id (floor 0).
    pub fn place(&self) -> Option<(&str, i32)> {
        match self {
            RecordKind::Visitor(entry) => Some((&entry.gate_id, 0)),
            _ => self.floor(),
        }
    }

    /// The kind's name, as the sync protocol and the audit export spell it.
    pub fn code(&self) -> &'static str {
        match self {
            RecordKind::Visit {} => "visit",
            RecordKind::TemperatureCheck { .. } => "temperature_check",
            RecordKind::FloorNotice { .. } => "floor_notice",
            RecordKind::FloorClosed { .. } => "floor_closed",
            RecordKind::Need { .. } => "need",
            RecordKind::NeedUpdate { .. } => "need_update",
            RecordKind::Void { .. } => "void",
            RecordKind::WeeklyCheck { .. } => "weekly_check",
            RecordKind::Visitor(_) => "visitor",
        }
    }
}

impl Record {
    /// The order of the door-status rule: device time, then device id, then
    /// the device's sequence number. Total over distinct records, and the same
    /// on every phone and on the server.
    pub fn status_order(&self, other: &Record) -> Ordering {
        (self.device_time, &self.device_id, self.device_seq).cmp(&(other.device_time, &other.device_id, other.device_seq))
    }
}

/// The door-status rule. A door's status is its latest visit that no other
/// visit or withdrawal of the door supersedes, "latest" by
/// [`Record::status_order`]. Temperature checks and floor notices never count.
/// With no records the door is unvisited (`None`). Two volunteers' records
/// at one door are both kept; this rule only picks which one the door shows.
pub fn latest_record<'a>(records: impl IntoIterator<Item = &'a Record>) -> Option<&'a Record> {
    let records: Vec<&Record> = records.into_iter().filter(|record| record.kind.is_visit() || record.kind.is_void()).collect();
    // In one pass, not each record against every other: a door edited many
    // times stays cheap.
    let superseded = superseded_ids(records.iter().copied());
    records.into_iter().filter(|record| record.kind.is_visit() && !superseded.contains(record.id.as_str())).max_by(|a, b| a.status_order(b))
}

/// The ids `records` supersede: edited, corrected or withdrawn records.
pub fn superseded_ids<'a>(records: impl IntoIterator<Item = &'a Record>) -> std::collections::HashSet<&'a str> {
    records.into_iter().filter_map(|record| record.supersedes.as_deref()).collect()
}

/// The latest record posting `notice` on each floor of `building_id`, in a
/// campaign whose first notice is `first` (what a record naming none posts;
/// see `Campaign::notice_rounds`).
pub fn floor_notices<'a>(
    building_id: &str,
    notice: &str,
    first: &str,
    records: impl IntoIterator<Item = &'a Record>,
) -> BTreeMap<i32, &'a Record> {
    latest_by_floor(
        building_id,
        records,
        |kind| matches!(kind, RecordKind::FloorNotice { notice_id, .. } if notice_id == notice || (notice_id.is_empty() && notice == first)),
    )
}

/// The latest "floor closed" record of each floor of `building_id`.
pub fn floor_closures<'a>(building_id: &str, records: impl IntoIterator<Item = &'a Record>) -> BTreeMap<i32, &'a Record> {
    latest_by_floor(building_id, records, |kind| matches!(kind, RecordKind::FloorClosed { .. }))
}

fn latest_by_floor<'a>(
    building_id: &str,
    records: impl IntoIterator<Item = &'a Record>,
    wanted: impl Fn(&RecordKind) -> bool,
) -> BTreeMap<i32, &'a Record> {
    // A withdrawn or corrected record no longer counts: one that a record
    // of its own landing supersedes.
    let records: Vec<&Record> = records.into_iter().collect();
    let superseded: std::collections::HashSet<(&str, (&str, i32))> =
        records.iter().filter_map(|record| Some((record.supersedes.as_deref()?, record.kind.floor()?))).collect();
    let mut latest: BTreeMap<i32, &Record> = BTreeMap::new();
    for record in records.into_iter().filter(|record| wanted(&record.kind)) {
        let Some((building, floor)) = record.kind.floor() else { continue };
        if building != building_id || superseded.contains(&(record.id.as_str(), (building, floor))) {
            continue;
        }
        let kept = latest.entry(floor).or_insert(record);
        if record.status_order(kept).is_gt() {
            *kept = record;
        }
    }
    latest
}

/// A door as the floor view shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum DoorState {
    Unvisited,
    /// Visited, but needs another visit (not home, come back).
    Revisit,
    /// Done: answered, moved, or closed with a reason.
    Final,
}

pub fn door_state(latest: Option<&Record>) -> DoorState {
    DoorState::of(latest.map(|record| &record.outcome))
}

impl DoorState {
    /// The state a door's picked outcome gives it (none: never visited).
    pub fn of(outcome: Option<&Outcome>) -> DoorState {
        match outcome {
            None => DoorState::Unvisited,
            Some(outcome) if outcome.is_final() => DoorState::Final,
            Some(_) => DoorState::Revisit,
        }
    }
}

/// Counts for a progress bar: a floor, a building or a campaign.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Coverage {
    pub doors: u32,
    pub visited: u32,
    pub final_: u32,
}

impl Coverage {
    pub fn add(&mut self, state: DoorState) {
        self.doors += 1;
        if state != DoorState::Unvisited {
            self.visited += 1;
        }
        if state == DoorState::Final {
            self.final_ += 1;
        }
    }

    pub fn still_open(&self) -> u32 {
        self.doors - self.final_
    }

    /// Whole percent of doors final, rounded down (100 only when all are).
    pub fn percent_final(&self) -> u32 {
        if self.doors == 0 {
            0
        } else {
            self.final_ * 100 / self.doors
        }
    }

    pub fn merge(&mut self, other: Coverage) {
        self.doors += other.doors;
        self.visited += other.visited;
        self.final_ += other.final_;
    }
}

/// A floor can be closed only when no door on it is still open. Returns the
/// ids of the doors that are, in the order given.
pub fn doors_blocking_close<'a>(doors: impl IntoIterator<Item = (&'a str, DoorState)>) -> Vec<&'a str> {
    doors.into_iter().filter(|(_, state)| *state != DoorState::Final).map(|(id, _)| id).collect()
}

/// A floor's closure as the phone's floor view reads it (its own store,
/// indexed by floor): made from each `FloorClosed` record, saved or pulled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct FloorClosure {
    pub id: String,
    pub campaign_id: String,
    pub building_id: String,
    pub floor: i32,
    pub volunteer_id: String,
    pub device_id: String,
    pub device_time: i64,
}

impl FloorClosure {
    /// The closure a `FloorClosed` record makes (`None` for other records).
    pub fn of(record: &Record) -> Option<FloorClosure> {
        let RecordKind::FloorClosed { building_id, floor } = &record.kind else { return None };
        Some(FloorClosure {
            id: record.id.clone(),
            campaign_id: record.campaign_id.clone(),
            building_id: building_id.clone(),
            floor: *floor,
            volunteer_id: record.volunteer_id.clone(),
            device_id: record.device_id.clone(),
            device_time: record.device_time,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floor_notices_keep_the_latest_per_floor_and_never_decide_a_door() {
        let notice = |id: &str, floor: i32, time: i64| Record {
            id: id.into(),
            door_id: String::new(),
            kind: RecordKind::FloorNotice { building_id: "b".into(), floor, notice_id: String::new() },
            device_time: time,
            ..record(id, "p", time as u64, time, Outcome::Answered)
        };
        let (first, again, other) = (notice("n1", 2, 10), notice("n2", 2, 20), notice("n3", 5, 15));
        let notices = floor_notices("b", "", "", [&first, &other, &again]);
        assert_eq!(notices.keys().copied().collect::<Vec<_>>(), vec![2, 5]);
        assert_eq!(notices[&2].id, "n2");
        // Named notices: a record naming none posts the first.
        let mut letter = notice("n4", 5, 30);
        letter.kind = RecordKind::FloorNotice { building_id: "b".into(), floor: 5, notice_id: "letter".into() };
        let sheet = floor_notices("b", "sheet", "sheet", [&first, &other, &letter]);
        assert_eq!(sheet.values().map(|r| r.id.as_str()).collect::<Vec<_>>(), vec!["n1", "n3"]);
        let letters = floor_notices("b", "letter", "sheet", [&first, &other, &letter]);
        assert_eq!(letters.values().map(|r| r.id.as_str()).collect::<Vec<_>>(), vec!["n4"], "each notice once per floor");
        assert!(latest_record([&first, &again]).is_none(), "a notice is no visit");
    }

    fn record(id: &str, device: &str, seq: u64, time: i64, outcome: Outcome) -> Record {
        Record {
            id: id.into(),
            campaign_id: "c".into(),
            door_id: "d".into(),
            form_id: "f".into(),
            form_version: 1,
            outcome,
            answers: Answers::new(),
            volunteer_id: "v".into(),
            device_id: device.into(),
            device_seq: seq,
            device_time: time,
            supersedes: None,
            reason: None,
            kind: Default::default(),
        }
    }

    #[test]
    fn latest_by_device_time_then_device_then_sequence() {
        let a = record("a", "phone-a", 1, 1000, Outcome::NotHome);
        let b = record("b", "phone-b", 7, 2000, Outcome::Answered);
        assert_eq!(latest_record([&a, &b]).unwrap().id, "b");
        // A tie on time is broken by device id, then sequence.
        let c = record("c", "phone-a", 2, 2000, Outcome::Refused);
        assert_eq!(latest_record([&a, &b, &c]).unwrap().id, "b");
        let d = record("d", "phone-b", 8, 2000, Outcome::Vacant);
        assert_eq!(latest_record([&a, &b, &c, &d]).unwrap().id, "d");
    }

    #[test]
    fn the_rule_does_not_depend_on_arrival_order() {
        let records = [
            record("a", "phone-a", 1, 1000, Outcome::NotHome),
            record("b", "phone-b", 1, 1000, Outcome::Answered),
            record("c", "phone-a", 2, 1000, Outcome::Refused),
        ];
        let forwards = latest_record(records.iter()).unwrap().id.clone();
        let backwards = latest_record(records.iter().rev()).unwrap().id.clone();
        assert_eq!(forwards, backwards);
        assert_eq!(forwards, "b");
    }

    /// The rule as it reads: each record against every other. The fast
    /// one must agree with it on any set of records, in any order.
    fn latest_by_definition<'a>(records: &[&'a Record]) -> Option<&'a Record> {
        let visits: Vec<&Record> = records.iter().copied().filter(|r| r.kind.is_visit()).collect();
        visits
            .iter()
            .copied()
            .filter(|r| !visits.iter().any(|other| other.supersedes.as_deref() == Some(r.id.as_str())))
            .max_by(|a, b| a.status_order(b))
    }

    #[test]
    fn the_rule_agrees_with_its_definition_on_random_doors() {
        // A small deterministic generator: ties on time, two phones, edits of
        // earlier records (also of records that arrive later), floor notices.
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = |n: u64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state % n
        };
        for _ in 0..2000 {
            let count = 1 + next(8) as usize;
            let mut records: Vec<Record> = (0..count)
                .map(|i| {
                    let outcome = if next(2) == 0 { Outcome::NotHome } else { Outcome::Answered };
                    record(
                        &format!("r{i}"),
                        if next(2) == 0 { "phone-a" } else { "phone-b" },
                        next(4),
                        1000 + 100 * next(3) as i64,
                        outcome,
                    )
                })
                .collect();
            for i in 0..count {
                if next(3) == 0 {
                    records[i].supersedes = Some(format!("r{}", next(count as u64 + 1)));
                }
                if next(6) == 0 {
                    records[i].kind = RecordKind::FloorNotice { building_id: "b".into(), floor: 1, notice_id: String::new() };
                }
            }
            let mut shuffled: Vec<&Record> = records.iter().collect();
            for i in (1..shuffled.len()).rev() {
                shuffled.swap(i, next(i as u64 + 1) as usize);
            }
            let expected = latest_by_definition(&shuffled).map(|r| r.id.clone());
            assert_eq!(latest_record(shuffled.iter().copied()).map(|r| r.id.clone()), expected, "{records:?}");
        }
    }

    #[test]
    fn a_superseded_record_never_shows_even_if_its_clock_is_later() {
        // The phone that edited had a clock behind the first one's.
        let original = record("a", "phone-a", 1, 5000, Outcome::NotHome);
        let mut edit = record("b", "phone-b", 1, 4000, Outcome::Answered);
        edit.supersedes = Some("a".into());
        assert_eq!(latest_record([&original, &edit]).unwrap().id, "b");
    }

    #[test]
    fn door_states_and_coverage() {
        assert_eq!(door_state(None), DoorState::Unvisited);
        let not_home = record("a", "p", 1, 1, Outcome::NotHome);
        let come_back = record("b", "p", 2, 2, Outcome::ComeBack { at: 10 });
        let refused = record("c", "p", 3, 3, Outcome::Refused);
        assert_eq!(door_state(Some(&not_home)), DoorState::Revisit);
        assert_eq!(door_state(Some(&come_back)), DoorState::Revisit);
        assert_eq!(door_state(Some(&refused)), DoorState::Final);

        let mut floor = Coverage::default();
        for state in [DoorState::Unvisited, DoorState::Revisit, DoorState::Final, DoorState::Final] {
            floor.add(state);
        }
        assert_eq!(floor, Coverage { doors: 4, visited: 3, final_: 2 });
        assert_eq!(floor.still_open(), 2);
        assert_eq!(floor.percent_final(), 50);
        let mut building = Coverage::default();
        building.merge(floor);
        building.merge(floor);
        assert_eq!(building.doors, 8);
    }

    #[test]
    fn a_floor_closes_only_when_every_door_is_final() {
        let doors = [("1", DoorState::Final), ("2", DoorState::Revisit), ("3", DoorState::Unvisited)];
        assert_eq!(doors_blocking_close(doors), vec!["2", "3"]);
        assert!(doors_blocking_close([("1", DoorState::Final)]).is_empty());
    }

    #[test]
    fn records_round_trip_through_json_and_reject_unknown_fields() {
        let original = record("a", "p", 1, 1, Outcome::ComeBack { at: 99 });
        let json = serde_json::to_string(&original).unwrap();
        assert!(json.contains(r#""outcome":{"kind":"come_back","at":99}"#), "{json}");
        assert_eq!(serde_json::from_str::<Record>(&json).unwrap(), original);
        let extra = json.replacen('{', r#"{"surprise":1,"#, 1);
        assert!(serde_json::from_str::<Record>(&extra).is_err());
    }

    #[test]
    fn kinds_and_outcomes_are_read_strictly_and_keep_their_bytes() {
        let kind = |json: &str| serde_json::from_str::<RecordKind>(json);
        assert_eq!(kind(r#"{"type":"visit"}"#).unwrap(), RecordKind::Visit {});
        assert!(kind(r#"{"type":"visit","extra":1}"#).is_err(), "no field beside a visit's tag");
        let outcome = |json: &str| serde_json::from_str::<Outcome>(json);
        assert_eq!(outcome(r#"{"kind":"not_home"}"#).unwrap(), Outcome::NotHome);
        assert_eq!(outcome(r#"{"kind":"come_back","at":5}"#).unwrap(), Outcome::ComeBack { at: 5 });
        for bad in [r#"{"kind":"moved","x":1}"#, r#"{"kind":"moved","at":0}"#, r#"{"kind":"come_back"}"#, r#"{"kind":"gone"}"#, "[]"] {
            assert!(outcome(bad).is_err(), "{bad}");
        }
        // Written as before: a visit's kind is left out, an outcome is tagged.
        assert_eq!(serde_json::to_string(&Outcome::ComeBack { at: 5 }).unwrap(), r#"{"kind":"come_back","at":5}"#);
        assert_eq!(serde_json::to_string(&RecordKind::Visit {}).unwrap(), r#"{"type":"visit"}"#);
    }
}
