//! The register of people and their quarantine follow-ups.
//!
//! People are entries of the household form's roster: the repeat group with
//! id [`ROSTER`], whose questions use the ids below. A person's entry id,
//! made on the phone, stays the same through every later version of the
//! household's record, so checks stay attached to the person.
//!
//! A quarantined person has two temperature checks a day, a morning and an
//! afternoon one, from the day they were registered to the last day of their
//! quarantine, by the phone's local days. A slot's window is when its check
//! is due ([`Half::window`]); after the window it is overdue.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::dates::{day_of_date, LocalTime};
use crate::form::Answer;
use crate::record::{latest_record, Outcome, Record, RecordKind};

/// The id of the roster group and of its questions that follow-ups read.
pub const ROSTER: &str = "people";
pub const NAME: &str = "name";
pub const HEALTH_CODE: &str = "health_code";
pub const QUARANTINE_UNTIL: &str = "quarantine_until";
/// Yes/no roster questions (household form version 3): such people get a
/// weekly check (see `living_alone`).
pub const LIVES_ALONE: &str = "lives_alone";
pub const NEEDS_HELP: &str = "needs_help";

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Half {
    Morning,
    Afternoon,
}

impl Half {
    pub const BOTH: [Half; 2] = [Half::Morning, Half::Afternoon];

    /// Local minutes `[from, until)` of the day in which this check is due.
    pub fn window(self) -> (u32, u32) {
        match self {
            Half::Morning => (6 * 60, 12 * 60),
            Half::Afternoon => (12 * 60, 20 * 60),
        }
    }

    /// As exports and alert ids write it.
    pub fn code(self) -> &'static str {
        match self {
            Half::Morning => "morning",
            Half::Afternoon => "afternoon",
        }
    }
}

impl Slot {
    /// When the slot's window closes, ms since the epoch, for a phone
    /// `offset_minutes` ahead of UTC.
    pub fn closes_at(&self, offset_minutes: i32) -> i64 {
        day_of_date(&self.date).unwrap_or(0) * 86_400_000 + i64::from(self.half.window().1) * 60_000 - i64::from(offset_minutes) * 60_000
    }
}

/// One follow-up check: a local day and its half.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Slot {
    /// `YYYY-MM-DD`, the phone's local day.
    pub date: String,
    pub half: Half,
}

/// The colour of a health code, as a household's roster and a gate's entry record it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum HealthCode {
    Green,
    Orange,
    Red,
}

impl HealthCode {
    pub fn code(self) -> &'static str {
        match self {
            HealthCode::Green => "green",
            HealthCode::Orange => "orange",
            HealthCode::Red => "red",
        }
    }
}

/// A person as the register knows them now.
#[derive(Debug, Clone, PartialEq)]
pub struct Person {
    /// The roster entry's id.
    pub id: String,
    pub door_id: String,
    pub name: String,
    pub health_code: Option<HealthCode>,
    /// Last day of home quarantine (`YYYY-MM-DD`), if in quarantine.
    pub quarantine_until: Option<String>,
    /// Lives alone, or needs regular help: owed a weekly check.
    pub needs_weekly_check: bool,
    /// Device time of the first record that listed this person: their
    /// follow-ups start then.
    pub registered_at: i64,
    /// Everything the roster entry says (for the register export).
    pub answers: crate::form::Answers,
}

/// The people on the register: for each door, the roster of its latest
/// answered (or "moved") visit; a household that moved has nobody. Records
/// of any doors, in any order; people come by door, then in roster order.
pub fn register<'a>(records: impl IntoIterator<Item = &'a Record>) -> Vec<Person> {
    let mut by_door: HashMap<&str, Vec<&Record>> = HashMap::new();
    for record in records {
        // Answered visits, and the withdrawals that may void one.
        if (record.kind.is_visit() && matches!(record.outcome, Outcome::Answered | Outcome::Moved)) || record.kind.is_void() {
            by_door.entry(record.door_id.as_str()).or_default().push(record);
        }
    }
    let mut people = Vec::new();
    for (door_id, visits) in by_door {
        let Some(latest) = latest_record(visits.iter().copied()) else { continue };
        for (id, answers) in roster(latest) {
            let first_listed = visits
                .iter()
                .filter(|visit| roster(visit).any(|(other, _)| other == id))
                .map(|visit| visit.device_time)
                .min()
                .unwrap_or(latest.device_time);
            let text = |question: &str| match answers.get(question) {
                Some(Answer::Text(text)) if !text.trim().is_empty() => Some(text.clone()),
                _ => None,
            };
            people.push(Person {
                id: id.to_string(),
                door_id: door_id.to_string(),
                name: text(NAME).unwrap_or_default(),
                health_code: text(HEALTH_CODE).and_then(|code| match code.as_str() {
                    "green" => Some(HealthCode::Green),
                    "orange" => Some(HealthCode::Orange),
                    "red" => Some(HealthCode::Red),
                    _ => None,
                }),
                quarantine_until: text(QUARANTINE_UNTIL),
                needs_weekly_check: [LIVES_ALONE, NEEDS_HELP].iter().any(|question| answers.get(*question) == Some(&Answer::Bool(true))),
                registered_at: first_listed,
                answers: answers.clone(),
            });
        }
    }
    // By door; within a door, in the roster's order (a stable sort).
    people.sort_by(|a, b| a.door_id.cmp(&b.door_id));
    people
}

/// The roster entries of an answered visit: (entry id, answers).
pub fn roster(record: &Record) -> impl Iterator<Item = (&str, &crate::form::Answers)> {
    let entries = match (&record.outcome, record.answers.get(ROSTER)) {
        (Outcome::Answered, Some(Answer::Group(entries))) => entries.as_slice(),
        _ => &[],
    };
    entries.iter().map(|entry| (entry.id.as_str(), &entry.answers))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckState {
    /// Its window has not opened yet.
    Upcoming,
    /// Its window is open now.
    Due,
    /// Its window closed with no check.
    Overdue,
    Done,
}

#[derive(Debug, Clone, PartialEq)]
pub struct FollowUp {
    pub person_id: String,
    pub slot: Slot,
    pub state: CheckState,
    /// The reading, once done (the latest, if taken twice; a corrected one
    /// is replaced by its correction).
    pub celsius: Option<f64>,
    /// The record of that reading (what a correction supersedes).
    pub reading_id: Option<String>,
}

/// A temperature check nobody recorded by the end of its window.
#[derive(Debug, Clone, PartialEq)]
pub struct OverdueCheck<'a> {
    pub person: &'a Person,
    pub slot: Slot,
}

/// Every check overdue at `now` across `people`, from `records` (the
/// temperature checks among them; others are ignored). The checks are
/// grouped by person once: the work is proportional to people and checks,
/// not to their product.
pub fn overdue_checks<'a>(people: &'a [Person], records: &[Record], now: LocalTime, offset_minutes: i32) -> Vec<OverdueCheck<'a>> {
    let mut checks_by_person: HashMap<&str, Vec<&Record>> = HashMap::new();
    for record in records {
        if let RecordKind::TemperatureCheck { person_id, .. } = &record.kind {
            checks_by_person.entry(person_id).or_default().push(record);
        }
    }
    people
        .iter()
        .flat_map(|person| {
            let checks = checks_by_person.get(person.id.as_str()).map(Vec::as_slice).unwrap_or_default();
            follow_ups(person, checks.iter().copied(), now, offset_minutes)
                .into_iter()
                .filter(|follow_up| follow_up.state == CheckState::Overdue)
                .map(move |follow_up| OverdueCheck { person, slot: follow_up.slot })
        })
        .collect()
}

/// Every follow-up of `person` from registration to the end of quarantine,
/// with its state at `now`. A slot whose window had closed when the person
/// was registered is not owed. `checks`: temperature-check records (others
/// are ignored). `offset_minutes`: the phone's UTC offset, for local days.
pub fn follow_ups<'a>(person: &Person, checks: impl IntoIterator<Item = &'a Record>, now: LocalTime, offset_minutes: i32) -> Vec<FollowUp> {
    let Some(last_day) = person.quarantine_until.as_deref().and_then(day_of_date) else { return Vec::new() };
    let mut readings: HashMap<&Slot, &Record> = HashMap::new();
    // The person's readings, and the withdrawals that may void one.
    let checks: Vec<&Record> = checks
        .into_iter()
        .filter(|record| {
            record.kind.is_void() || matches!(&record.kind, RecordKind::TemperatureCheck { person_id, .. } if person_id == &person.id)
        })
        .collect();
    let corrected = crate::record::superseded_ids(checks.iter().copied());
    for record in checks.into_iter().filter(|record| !corrected.contains(record.id.as_str())) {
        if let RecordKind::TemperatureCheck { person_id, slot, .. } = &record.kind {
            if person_id == &person.id {
                let kept = readings.entry(slot).or_insert(record);
                if record.status_order(kept).is_gt() {
                    *kept = record;
                }
            }
        }
    }
    let registered = LocalTime::at(person.registered_at, offset_minutes);
    let mut follow_ups = Vec::new();
    for day in registered.day..=last_day {
        for half in Half::BOTH {
            let (opens, closes) = half.window();
            if day == registered.day && closes <= registered.minute {
                continue;
            }
            let slot = Slot { date: crate::dates::date_of_day(day), half };
            let reading_id = readings.get(&slot).map(|record| record.id.clone());
            let celsius = readings.get(&slot).and_then(|record| match record.kind {
                RecordKind::TemperatureCheck { celsius, .. } => Some(celsius),
                _ => None,
            });
            let state = if celsius.is_some() {
                CheckState::Done
            } else if (now.day, now.minute) < (day, opens) {
                CheckState::Upcoming
            } else if (now.day, now.minute) < (day, closes) {
                CheckState::Due
            } else {
                CheckState::Overdue
            };
            follow_ups.push(FollowUp { person_id: person.id.clone(), slot, state, celsius, reading_id });
        }
    }
    follow_ups
}

/// A reading at or above the campaign's threshold is a fever.
pub fn is_fever(celsius: f64, threshold_c: f64) -> bool {
    celsius >= threshold_c
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::form::{Answers, Entry};

    /// 2026-11-28 00:00 UTC.
    const DAY0: i64 = 1_795_824_000_000;
    const HOUR: i64 = 3_600_000;
    const BEIJING: i32 = 480;

    fn household(id: &str, at: i64, people: &[(&str, &str, Option<&str>)]) -> Record {
        let entries = people
            .iter()
            .map(|(id, name, until)| {
                let mut answers = Answers::from([(NAME.to_string(), Answer::Text(name.to_string()))]);
                if let Some(until) = until {
                    answers.insert(QUARANTINE_UNTIL.into(), Answer::Text(until.to_string()));
                }
                Entry { id: id.to_string(), answers }
            })
            .collect();
        Record {
            id: id.into(),
            campaign_id: "c".into(),
            door_id: "d1".into(),
            form_id: "household".into(),
            form_version: 2,
            outcome: Outcome::Answered,
            answers: Answers::from([(ROSTER.to_string(), Answer::Group(entries))]),
            volunteer_id: "v".into(),
            device_id: "p".into(),
            device_seq: at as u64,
            device_time: at,
            supersedes: None,
            reason: None,
            kind: RecordKind::Visit {},
        }
    }

    fn check(person: &str, date: &str, half: Half, celsius: f64) -> Record {
        Record {
            kind: RecordKind::TemperatureCheck { person_id: person.into(), slot: Slot { date: date.into(), half }, celsius },
            answers: Answers::new(),
            ..household("check", DAY0, &[])
        }
    }

    fn states(follow_ups: &[FollowUp]) -> Vec<(&str, Half, CheckState)> {
        follow_ups.iter().map(|f| (f.slot.date.as_str(), f.slot.half, f.state)).collect()
    }

    #[test]
    fn the_register_follows_the_latest_answered_visit() {
        let first = household("r1", DAY0, &[("p1", "Wang", None), ("p2", "Li", None)]);
        let mut second = household("r2", DAY0 + HOUR, &[("p1", "Wang Wei", Some("2026-12-01"))]);
        second.supersedes = Some("r1".into());
        let mut not_home = household("r3", DAY0 + 2 * HOUR, &[]);
        not_home.outcome = Outcome::NotHome;
        let names: Vec<String> = register([&first]).into_iter().map(|p| p.name).collect();
        assert_eq!(names, vec!["Wang", "Li"], "in the roster's order");
        let people = register([&first, &second, &not_home]);
        assert_eq!(people.len(), 1, "Li left the household; a later not-home visit changes nothing");
        assert_eq!(people[0].name, "Wang Wei");
        assert_eq!(people[0].registered_at, DAY0, "registered when first listed");
        let mut moved = household("r4", DAY0 + 3 * HOUR, &[]);
        moved.outcome = Outcome::Moved;
        assert!(register([&first, &second, &moved]).is_empty(), "a household that moved has nobody");
    }

    #[test]
    fn checks_run_from_registration_to_the_last_day_of_quarantine() {
        // Registered 2026-11-28 09:00 in Beijing (01:00 UTC), until the day after tomorrow.
        let person = Person {
            registered_at: DAY0 + HOUR,
            ..register([&household("r", DAY0 + HOUR, &[("p", "Wang", Some("2026-11-30"))])])[0].clone()
        };
        let now = LocalTime::at(DAY0 + HOUR, BEIJING);
        let schedule = follow_ups(&person, [], now, BEIJING);
        assert_eq!(
            states(&schedule),
            vec![
                ("2026-11-28", Half::Morning, CheckState::Due),
                ("2026-11-28", Half::Afternoon, CheckState::Upcoming),
                ("2026-11-29", Half::Morning, CheckState::Upcoming),
                ("2026-11-29", Half::Afternoon, CheckState::Upcoming),
                ("2026-11-30", Half::Morning, CheckState::Upcoming),
                ("2026-11-30", Half::Afternoon, CheckState::Upcoming),
            ]
        );
        // Registered in the afternoon: that morning is not owed.
        let afternoon = Person { registered_at: DAY0 + 6 * HOUR, ..person.clone() };
        let schedule = follow_ups(&afternoon, [], LocalTime::at(DAY0 + 6 * HOUR, BEIJING), BEIJING);
        assert_eq!(schedule[0].slot, Slot { date: "2026-11-28".into(), half: Half::Afternoon });
        assert_eq!(schedule[0].state, CheckState::Due);
        assert_eq!(schedule.len(), 5);
    }

    #[test]
    fn done_due_and_overdue() {
        let person = register([&household("r", DAY0 + HOUR, &[("p", "Wang", Some("2026-11-29"))])])[0].clone();
        let morning = check("p", "2026-11-28", Half::Morning, 36.6);
        let other = check("someone-else", "2026-11-28", Half::Afternoon, 36.6);
        // Next day, 13:00 Beijing: yesterday afternoon was missed, this morning too.
        let now = LocalTime::at(DAY0 + 29 * HOUR, BEIJING);
        let schedule = follow_ups(&person, [&morning, &other], now, BEIJING);
        assert_eq!(
            states(&schedule),
            vec![
                ("2026-11-28", Half::Morning, CheckState::Done),
                ("2026-11-28", Half::Afternoon, CheckState::Overdue),
                ("2026-11-29", Half::Morning, CheckState::Overdue),
                ("2026-11-29", Half::Afternoon, CheckState::Due),
            ]
        );
        assert_eq!(schedule[0].celsius, Some(36.6));
    }

    #[test]
    fn a_quarantine_that_ends_today_still_owes_today_and_nothing_after() {
        let person = register([&household("r", DAY0 + HOUR, &[("p", "Wang", Some("2026-11-28"))])])[0].clone();
        let schedule = follow_ups(&person, [], LocalTime::at(DAY0 + HOUR, BEIJING), BEIJING);
        assert_eq!(schedule.len(), 2);
        assert!(schedule.iter().all(|f| f.slot.date == "2026-11-28"));
        // Ended yesterday, or not in quarantine: nothing.
        let ended = Person { quarantine_until: Some("2026-11-27".into()), ..person.clone() };
        assert!(follow_ups(&ended, [], LocalTime::at(DAY0 + HOUR, BEIJING), BEIJING).is_empty());
        let free = Person { quarantine_until: None, ..person };
        assert!(follow_ups(&free, [], LocalTime::at(DAY0 + HOUR, BEIJING), BEIJING).is_empty());
    }

    #[test]
    fn days_are_the_phones_local_days() {
        // Registered 2026-11-28 23:00 UTC: in Beijing that is 07:00 on the 29th,
        // in New York 18:00 on the 28th.
        let at = DAY0 + 23 * HOUR;
        let person = register([&household("r", at, &[("p", "Wang", Some("2026-11-29"))])])[0].clone();
        let beijing = follow_ups(&person, [], LocalTime::at(at, BEIJING), BEIJING);
        assert_eq!(states(&beijing)[0], ("2026-11-29", Half::Morning, CheckState::Due));
        assert_eq!(beijing.len(), 2);
        let new_york = follow_ups(&person, [], LocalTime::at(at, -300), -300);
        assert_eq!(states(&new_york)[0], ("2026-11-28", Half::Afternoon, CheckState::Due));
        assert_eq!(new_york.len(), 3);
    }

    #[test]
    fn fever_is_at_or_above_the_threshold() {
        assert!(is_fever(37.3, 37.3));
        assert!(!is_fever(37.2, 37.3));
    }
}
