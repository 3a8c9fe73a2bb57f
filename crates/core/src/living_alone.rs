//! People living alone, or needing regular help, get a look every week: a
//! volunteer knocks, sees them, and records a weekly check. The clock runs
//! from the last look (their registration counts as the first): the next
//! is owed within `WEEKLY_CHECK_DAYS` local days, and a person not seen by
//! then is missed, which the coordinator sees as an alert until someone
//! goes.

use std::collections::HashMap;

use crate::dates::{date_of_day, LocalTime};
use crate::people::Person;
use crate::record::{superseded_ids, Record, RecordKind};

/// A look is owed within this many days of the last one.
pub const WEEKLY_CHECK_DAYS: i64 = 7;

/// A person's weekly check as it stands at a time.
#[derive(Debug, Clone, PartialEq)]
pub struct WeeklyCheck<'a> {
    pub person: &'a Person,
    /// When they were last seen: their latest weekly check, else their
    /// registration (ms since the epoch).
    pub last_seen_at: i64,
    /// The last day (`YYYY-MM-DD`, local) by which the next look is owed.
    pub due_by: String,
    /// That day has passed with no look.
    pub missed: bool,
}

/// The weekly checks of the people of `people` who live alone or need
/// regular help, at `now` (local days at `offset_minutes`), from `records`
/// (weekly checks among them, and withdrawals; others are ignored).
pub fn weekly_checks<'a>(people: &'a [Person], records: &[Record], now: LocalTime, offset_minutes: i32) -> Vec<WeeklyCheck<'a>> {
    let withdrawn = superseded_ids(records.iter().filter(|record| record.kind.is_void()));
    let mut last_check: HashMap<&str, i64> = HashMap::new();
    for record in records.iter().filter(|record| !withdrawn.contains(record.id.as_str())) {
        if let RecordKind::WeeklyCheck { person_id, .. } = &record.kind {
            let seen = last_check.entry(person_id).or_insert(record.device_time);
            *seen = (*seen).max(record.device_time);
        }
    }
    people
        .iter()
        .filter(|person| person.needs_weekly_check)
        .map(|person| {
            let last_seen_at = last_check.get(person.id.as_str()).map_or(person.registered_at, |&at| at.max(person.registered_at));
            let due_day = LocalTime::at(last_seen_at, offset_minutes).day + WEEKLY_CHECK_DAYS;
            WeeklyCheck { person, last_seen_at, due_by: date_of_day(due_day), missed: now.day > due_day }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::form::Answers;
    use crate::record::Outcome;
    use crate::test_records::{event, visit};

    /// 2026-11-28 00:00 UTC, 08:00 in Beijing.
    const DAY0: i64 = 1_795_824_000_000;
    const DAY: i64 = 86_400_000;
    const BEIJING: i32 = 480;

    fn person(id: &str, needs_weekly_check: bool) -> Person {
        Person {
            id: id.into(),
            door_id: "d1".into(),
            name: id.into(),
            health_code: None,
            quarantine_until: None,
            needs_weekly_check,
            registered_at: DAY0,
            answers: Answers::new(),
        }
    }

    fn look(id: &str, person: &str, at: i64) -> Record {
        event(id, "d1", at, RecordKind::WeeklyCheck { person_id: person.into(), note: String::new() })
    }

    #[test]
    fn a_look_is_owed_a_week_after_the_last_one() {
        let people = [person("grandma", true), person("son", false)];
        let on = |day: i64| LocalTime::at(DAY0 + day * DAY, BEIJING);
        let due = weekly_checks(&people, &[], on(7), BEIJING);
        assert_eq!(due.len(), 1, "only those living alone or needing help");
        assert_eq!((due[0].due_by.as_str(), due[0].missed), ("2026-12-05", false), "registered on the 28th: seen by the 5th");
        assert!(weekly_checks(&people, &[], on(8), BEIJING)[0].missed, "the 6th: missed");

        let records = [look("w1", "grandma", DAY0 + 6 * DAY), visit("v", "d1", DAY0 + 7 * DAY, Outcome::NotHome)];
        let after = weekly_checks(&people, &records, on(8), BEIJING);
        assert_eq!((after[0].last_seen_at, after[0].due_by.as_str(), after[0].missed), (DAY0 + 6 * DAY, "2026-12-11", false));
    }

    #[test]
    fn the_register_says_who_lives_alone_or_needs_help() {
        use crate::form::{Answer, Entry};
        use crate::people::{register, LIVES_ALONE, NEEDS_HELP, ROSTER};
        let entry = |id: &str, question: Option<&str>| Entry {
            id: id.into(),
            answers: question.map(|q| Answers::from([(q.to_string(), Answer::Bool(true))])).unwrap_or_default(),
        };
        let roster = vec![entry("alone", Some(LIVES_ALONE)), entry("helped", Some(NEEDS_HELP)), entry("neither", None)];
        let household = Record { answers: Answers::from([(ROSTER.to_string(), Answer::Group(roster))]), ..visit("h", "d1", DAY0, Outcome::Answered) };
        let flags: Vec<bool> = register([&household]).iter().map(|person| person.needs_weekly_check).collect();
        assert_eq!(flags, [true, true, false]);
    }

    #[test]
    fn a_withdrawn_look_does_not_count() {
        let people = [person("grandma", true)];
        let mut withdrawal = event("x", "d1", DAY0 + 7 * DAY, RecordKind::Void { building_id: "b".into(), floor: 1 });
        withdrawal.supersedes = Some("w1".into());
        let records = [look("w1", "grandma", DAY0 + 6 * DAY), withdrawal];
        let now = LocalTime::at(DAY0 + 8 * DAY, BEIJING);
        assert!(weekly_checks(&people, &records, now, BEIJING)[0].missed);
    }
}
