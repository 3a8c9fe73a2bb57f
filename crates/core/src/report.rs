//! The daily report a committee sends the street office every evening: one
//! day's figures, in the campaign's time zone, for the whole campaign and
//! building by building.
//!
//! A day's figures are what is known now about that day: records made on it
//! (by the phone's clock, as every date in Walkbook), with the corrections
//! and voids made since. The register is taken as it stood at the day's end;
//! a temperature check counts for the day of its slot, whenever it was typed.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

use crate::campaign::CampaignBundle;
use crate::dates::{day_of_date, LocalTime, DAY_MS};
use crate::form::Answer;
use crate::gate::gate_entries;
use crate::labels::Labels;
use crate::lang::Lang;
use crate::needs::needs;
use crate::people::{follow_ups, is_fever, register, roster, CheckState, HEALTH_CODE};
use crate::record::{superseded_ids, Record, RecordKind};
use crate::territory::BuildingKind;

/// The roster question saying where a person came back from.
const RETURNED_FROM: &str = "returned_from";

/// One day's figures, for the campaign or for one building.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct DayFigures {
    /// Homes (doors of residential buildings) visited that day, whatever the outcome.
    pub households_visited: u32,
    /// People first listed on the register that day.
    pub people_registered: u32,
    /// Of those, back from another province.
    pub returned_province: u32,
    /// Of those, back from abroad.
    pub returned_abroad: u32,
    /// People in home quarantine that day (on the register by its end, their
    /// last day of quarantine not before it).
    pub in_quarantine: u32,
    /// Temperature checks of the day's slots that were taken.
    pub checks_done: u32,
    /// Checks of the day's slots whose window closed with no reading.
    pub checks_missed: u32,
    /// Readings of the day's slots at or above the campaign's fever threshold.
    pub fevers: u32,
    /// People listed with a red health code by a visit that day.
    pub red_codes: u32,
    /// Entries at the gates that day, visitors and deliveries, let in or
    /// turned back (a building's: those going to it).
    pub visitors: u32,
    /// Needs of households in quarantine still open or in progress at the day's end.
    pub needs_open: u32,
    /// Needs marked done that day.
    pub needs_done: u32,
    /// Doors final at the day's end, whole percent of the territory (rounded down).
    pub coverage_percent: u32,
}

/// One building's row of the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct BuildingDay {
    pub building_id: String,
    pub name: Labels,
    pub figures: DayFigures,
}

/// `GET .../reports/daily?date=YYYY-MM-DD`: the day's totals (at the top
/// level) and a row per building, in the territory's order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct DailyReport {
    pub campaign_id: String,
    /// `YYYY-MM-DD` in the campaign's time zone.
    pub date: String,
    /// False while the day is still running: its figures can still grow.
    pub day_over: bool,
    #[serde(flatten)]
    pub totals: DayFigures,
    pub buildings: Vec<BuildingDay>,
}

/// The report of `date` (`YYYY-MM-DD`) from the campaign's records (any
/// order, any kinds) at `now_ms`; `None` if `date` is not a real date.
pub fn daily_report(bundle: &CampaignBundle, records: &[Record], date: &str, now_ms: i64) -> Option<DailyReport> {
    let settings = &bundle.campaign.settings;
    let offset = settings.utc_offset_minutes;
    let start = day_of_date(date)? * DAY_MS - i64::from(offset) * 60_000;
    let end = start + DAY_MS;
    let during_the_day = |ms: i64| (start..end).contains(&ms);
    let building_of: HashMap<&str, &str> = bundle.doors.iter().map(|door| (door.id.as_str(), door.building_id.as_str())).collect();
    let mut figures: HashMap<&str, DayFigures> = HashMap::new();
    let mut add = |door_id: &str, count: fn(&mut DayFigures)| {
        if let Some(building) = building_of.get(door_id) {
            count(figures.entry(building).or_default());
        }
    };

    // What was known at the day's end, less what was voided or corrected since.
    let voids: Vec<&Record> = records.iter().filter(|record| record.kind.is_void()).collect();
    let withdrawn = superseded_ids(voids.iter().copied());
    let known: Vec<&Record> = records.iter().filter(|record| record.device_time < end || record.kind.is_void()).collect();
    let visits_of_the_day: Vec<&Record> = known
        .iter()
        .copied()
        .filter(|record| record.kind.is_visit() && during_the_day(record.device_time) && !withdrawn.contains(record.id.as_str()))
        .collect();

    let homes: HashSet<&str> = bundle.campaign.buildings.iter().filter(|b| b.kind == BuildingKind::Residential).map(|b| b.id.as_str()).collect();
    let visited: HashSet<&str> = visits_of_the_day.iter().map(|record| record.door_id.as_str()).collect();
    for door_id in visited.into_iter().filter(|door| building_of.get(door).is_some_and(|building| homes.contains(building))) {
        add(door_id, |f| f.households_visited += 1);
    }

    let mut red: HashSet<(&str, &str)> = HashSet::new();
    for record in &visits_of_the_day {
        for (person_id, answers) in roster(record) {
            if matches!(answers.get(HEALTH_CODE), Some(Answer::Text(code)) if code == "red") {
                red.insert((record.door_id.as_str(), person_id));
            }
        }
    }
    for (door_id, _) in red {
        add(door_id, |f| f.red_codes += 1);
    }

    // Each person's readings, grouped once (a void may withdraw any of them).
    let mut checks_by_person: HashMap<&str, Vec<&Record>> = HashMap::new();
    for record in records {
        if let RecordKind::TemperatureCheck { person_id, .. } = &record.kind {
            checks_by_person.entry(person_id).or_default().push(record);
        }
    }
    let now = LocalTime::at(now_ms, offset);
    for person in register(known.iter().copied()) {
        let door = person.door_id.as_str();
        if during_the_day(person.registered_at) {
            add(door, |f| f.people_registered += 1);
            match person.answers.get(RETURNED_FROM) {
                Some(Answer::Text(from)) if from == "province" => add(door, |f| f.returned_province += 1),
                Some(Answer::Text(from)) if from == "abroad" => add(door, |f| f.returned_abroad += 1),
                _ => {}
            }
        }
        if person.quarantine_until.as_deref().is_some_and(|last_day| last_day >= date) {
            add(door, |f| f.in_quarantine += 1);
        }
        let checks = checks_by_person.get(person.id.as_str()).map(Vec::as_slice).unwrap_or_default();
        for follow_up in follow_ups(&person, checks.iter().chain(&voids).copied(), now, offset) {
            if follow_up.slot.date != date {
                continue;
            }
            match follow_up.state {
                CheckState::Done => {
                    add(door, |f| f.checks_done += 1);
                    if follow_up.celsius.is_some_and(|celsius| is_fever(celsius, settings.fever_threshold_c)) {
                        add(door, |f| f.fevers += 1);
                    }
                }
                CheckState::Overdue => add(door, |f| f.checks_missed += 1),
                CheckState::Upcoming | CheckState::Due => {}
            }
        }
    }

    // Needs as they stood at the day's end.
    for need in needs(&known) {
        let door = need.raised.door_id.as_str();
        if need.status.is_pending() {
            add(door, |f| f.needs_open += 1);
        } else if need.updated.is_some_and(|update| during_the_day(update.device_time)) {
            add(door, |f| f.needs_done += 1);
        }
    }

    // Entries at the gates; those going nowhere in particular (a parcel left
    // at the gate) count in the totals only.
    let mut visitors_at_the_gate = 0;
    for (_, entry) in gate_entries(&known, None, start, end) {
        match &entry.building_id {
            Some(building_id) => figures.entry(building_id.as_str()).or_default().visitors += 1,
            None => visitors_at_the_gate += 1,
        }
    }

    let (coverage, coverage_by_building, _, _) = crate::console::coverage_report(bundle, known.iter().copied());
    let mut totals = DayFigures { coverage_percent: coverage.percent_final(), visitors: visitors_at_the_gate, ..DayFigures::default() };
    let buildings = coverage_by_building
        .into_iter()
        .map(|building| {
            let figures = DayFigures {
                coverage_percent: building.coverage.percent_final(),
                ..figures.remove(building.id.as_str()).unwrap_or_default()
            };
            totals.add(&figures);
            BuildingDay { building_id: building.id, name: building.name, figures }
        })
        .collect();
    Some(DailyReport { campaign_id: bundle.campaign.id.clone(), date: date.to_string(), day_over: now_ms >= end, totals, buildings })
}

/// What the printed page and the console call each figure, in the order of
/// [`DayFigures::named`].
pub fn figure_labels(lang: Lang) -> [&'static str; 13] {
    match lang {
        Lang::ZhHans => [
            "走访户数", "新登记人数", "外省返回", "境外返回", "居家隔离人数", "体温检测完成", "漏检", "发热", "红码", "门岗登记", "待办需求", "已办结需求", "完成率",
        ],
        Lang::ZhHant => [
            "走訪戶數", "新登記人數", "外省返回", "境外返回", "居家隔離人數", "體溫檢測完成", "漏檢", "發熱", "紅碼", "門崗登記", "待辦需求", "已辦結需求", "完成率",
        ],
        Lang::En => [
            "Households visited",
            "People registered",
            "Back from another province",
            "Back from abroad",
            "In home quarantine",
            "Temperature checks done",
            "Checks missed",
            "Fevers",
            "Red codes",
            "Visitors at the gates",
            "Needs open",
            "Needs done",
            "Doors done",
        ],
        Lang::Ko => [
            "방문 가구", "신규 등록", "타 지역 귀환", "해외 귀환", "자가격리 중", "체온 측정 완료", "누락 측정", "발열", "빨간 코드", "출입 방문자", "처리 중인 요청", "처리된 요청", "완료율",
        ],
    }
}

impl DayFigures {
    /// Every figure by its JSON name, in the report's order (the printed
    /// page's and the console's rows follow it).
    pub fn named(&self) -> [(&'static str, u32); 13] {
        [
            ("households_visited", self.households_visited),
            ("people_registered", self.people_registered),
            ("returned_province", self.returned_province),
            ("returned_abroad", self.returned_abroad),
            ("in_quarantine", self.in_quarantine),
            ("checks_done", self.checks_done),
            ("checks_missed", self.checks_missed),
            ("fevers", self.fevers),
            ("red_codes", self.red_codes),
            ("visitors", self.visitors),
            ("needs_open", self.needs_open),
            ("needs_done", self.needs_done),
            ("coverage_percent", self.coverage_percent),
        ]
    }

    /// Adds a building's counts (not its coverage, a share) to the totals.
    fn add(&mut self, other: &DayFigures) {
        self.households_visited += other.households_visited;
        self.people_registered += other.people_registered;
        self.returned_province += other.returned_province;
        self.returned_abroad += other.returned_abroad;
        self.in_quarantine += other.in_quarantine;
        self.checks_done += other.checks_done;
        self.checks_missed += other.checks_missed;
        self.fevers += other.fevers;
        self.red_codes += other.red_codes;
        self.visitors += other.visitors;
        self.needs_open += other.needs_open;
        self.needs_done += other.needs_done;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo::demo_campaign;
    use crate::form::{Answers, Entry};
    use crate::gate::VisitorEntry;
    use crate::needs::{NeedKind, NeedStatus};
    use crate::people::{Half, Slot, NAME, QUARANTINE_UNTIL, ROSTER};
    use crate::record::Outcome;
    use crate::test_records::{event, visit as record};

    /// 2026-11-28 08:00 in Beijing (00:00 UTC); the demo campaign is UTC+8.
    const NOV28_0800: i64 = 1_795_824_000_000;
    const HOUR: i64 = 3_600_000;

    /// An answered household: (person id, name, returned from, quarantine until, health code).
    fn household(id: &str, door: &str, at: i64, people: &[(&str, &str, &str, Option<&str>, &str)]) -> Record {
        let entries = people
            .iter()
            .map(|(person, name, from, until, code)| {
                let mut answers = Answers::from([
                    (NAME.to_string(), Answer::Text(name.to_string())),
                    (RETURNED_FROM.to_string(), Answer::Text(from.to_string())),
                    (HEALTH_CODE.to_string(), Answer::Text(code.to_string())),
                ]);
                if let Some(until) = until {
                    answers.insert(QUARANTINE_UNTIL.into(), Answer::Text(until.to_string()));
                }
                Entry { id: person.to_string(), answers }
            })
            .collect();
        Record { answers: Answers::from([(ROSTER.to_string(), Answer::Group(entries))]), ..record(id, door, at, Outcome::Answered) }
    }

    fn check(id: &str, door: &str, person: &str, date: &str, half: Half, celsius: f64, at: i64) -> Record {
        event(id, door, at, RecordKind::TemperatureCheck { person_id: person.into(), slot: Slot { date: date.into(), half }, celsius })
    }

    fn withdrawal(id: &str, of: &str, door: &str, building: &str, at: i64) -> Record {
        Record {
            supersedes: Some(of.into()),
            reason: Some("wrong door".into()),
            kind: RecordKind::Void { building_id: building.into(), floor: 1 },
            ..record(id, door, at, Outcome::Answered)
        }
    }

    fn visitor(building_id: Option<&str>) -> VisitorEntry {
        VisitorEntry {
            gate_id: "north-gate".into(),
            name: "Zhou".into(),
            phone: String::new(),
            building_id: building_id.map(Into::into),
            door_id: None,
            delivery: false,
            purpose: String::new(),
            health_code: None,
            celsius: Some(36.4),
            turned_back: false,
        }
    }

    fn gate_entry(id: &str, building_id: Option<&str>, at: i64) -> Record {
        event(id, "", at, RecordKind::Visitor(visitor(building_id)))
    }

    fn records() -> Vec<Record> {
        let mut corrected = check("c3-fixed", "xfl-02-1-101", "p3", "2026-11-28", Half::Morning, 36.9, NOV28_0800 + 2 * HOUR);
        corrected.supersedes = Some("c3".into());
        corrected.reason = Some("typed 37.9 for 36.9".into());
        vec![
            // The day before: Li, back from another province, in quarantine until the 28th.
            household("r3", "xfl-02-1-101", NOV28_0800 - 23 * HOUR, &[("p3", "Li", "province", Some("2026-11-28"), "orange")]),
            // The 28th: Chen back from abroad with a red code, and Wang; a door not at home.
            household(
                "r1",
                "xfl-01-1-101",
                NOV28_0800 + HOUR,
                &[("p1", "Chen", "abroad", Some("2026-11-30"), "red"), ("p2", "Wang", "none", None, "green")],
            ),
            record("r2", "xfl-01-1-102", NOV28_0800 + 2 * HOUR, Outcome::NotHome),
            // A household at the wrong door, voided the next day.
            household("r4", "xfl-02-1-102", NOV28_0800 + 3 * HOUR, &[("p4", "Zhao", "none", None, "red")]),
            withdrawal("v4", "r4", "xfl-02-1-102", "xfl-02", NOV28_0800 + 25 * HOUR),
            // Morning checks: Chen's a fever; Li's typed wrong, then corrected.
            check("c1", "xfl-01-1-101", "p1", "2026-11-28", Half::Morning, 38.5, NOV28_0800 + 2 * HOUR),
            check("c3", "xfl-02-1-101", "p3", "2026-11-28", Half::Morning, 37.9, NOV28_0800 + HOUR),
            corrected,
            // Needs: Chen's groceries raised and done on the 28th; Li's
            // medicine raised on the 28th, taken up on the 29th.
            Record {
                kind: RecordKind::Need { person_id: Some("p1".into()), need: NeedKind::Groceries, details: "rice".into() },
                ..record("n1", "xfl-01-1-101", NOV28_0800 + 4 * HOUR, Outcome::Answered)
            },
            Record {
                kind: RecordKind::NeedUpdate { need_id: "n1".into(), status: NeedStatus::Done, note: String::new() },
                ..record("n1-done", "xfl-01-1-101", NOV28_0800 + 6 * HOUR, Outcome::Answered)
            },
            Record {
                kind: RecordKind::Need { person_id: None, need: NeedKind::Medicine, details: String::new() },
                ..record("n2", "xfl-02-1-101", NOV28_0800 + 5 * HOUR, Outcome::Answered)
            },
            Record {
                kind: RecordKind::NeedUpdate { need_id: "n2".into(), status: NeedStatus::InProgress, note: "pharmacy".into() },
                ..record("n2-taken", "xfl-02-1-101", NOV28_0800 + 25 * HOUR, Outcome::Answered)
            },
            // At the gate on the 28th: a visitor to block 1, a courier turned
            // back, and an entry typed twice, withdrawn; one on the 29th.
            gate_entry("g1", Some("xfl-01"), NOV28_0800 + HOUR),
            Record { kind: RecordKind::Visitor(VisitorEntry { delivery: true, turned_back: true, ..visitor(None) }), ..record("g2", "", NOV28_0800 + 2 * HOUR, Outcome::Answered) },
            gate_entry("g3", Some("xfl-02"), NOV28_0800 + 3 * HOUR),
            Record {
                supersedes: Some("g3".into()),
                reason: Some("typed twice".into()),
                kind: RecordKind::Void { building_id: "north-gate".into(), floor: 0 },
                ..record("g3-void", "", NOV28_0800 + 3 * HOUR + 60_000, Outcome::Answered)
            },
            gate_entry("g4", Some("xfl-01"), NOV28_0800 + 25 * HOUR),
            // The 29th: the door not at home on the 28th answers.
            household("r5", "xfl-01-1-102", NOV28_0800 + 26 * HOUR, &[("p5", "Sun", "abroad", Some("2026-12-05"), "green")]),
        ]
    }

    #[test]
    fn a_day_counts_its_visits_people_checks_and_coverage_by_building() {
        let bundle = demo_campaign();
        let now = NOV28_0800 + 26 * HOUR;
        let report = daily_report(&bundle, &records(), "2026-11-28", now).expect("a real date");
        assert!(report.day_over);
        let expected = DayFigures {
            households_visited: 2,
            people_registered: 2,
            returned_province: 0,
            returned_abroad: 1,
            in_quarantine: 2,
            checks_done: 2,
            checks_missed: 2,
            fevers: 1,
            red_codes: 1,
            visitors: 2,
            needs_open: 1,
            needs_done: 1,
            coverage_percent: 200 / bundle.doors.len() as u32,
        };
        assert_eq!(report.totals, expected, "the voided household and the next day's visit do not count");
        let row = |id: &str| report.buildings.iter().find(|row| row.building_id == id).expect("a row per building").figures.clone();
        let first = row("xfl-01");
        assert_eq!(
            (first.households_visited, first.people_registered, first.returned_abroad, first.red_codes, first.fevers, first.checks_missed),
            (2, 2, 1, 1, 1, 1)
        );
        assert_eq!(first.coverage_percent, 100 / 24, "one door of 24 final at the day's end");
        let second = row("xfl-02");
        assert_eq!((second.households_visited, second.in_quarantine, second.checks_done, second.fevers, second.checks_missed), (0, 1, 1, 0, 1));
        assert_eq!((first.visitors, second.visitors), (1, 0), "the courier counts in the totals only; the withdrawn entry nowhere");
        assert_eq!(second.coverage_percent, 100 / 24, "Li's door; the voided household's door is unvisited again");
        assert_eq!(report.buildings.len(), bundle.campaign.buildings.len());
    }

    #[test]
    fn the_day_before_and_a_day_still_running() {
        let bundle = demo_campaign();
        let now = NOV28_0800 + 26 * HOUR;
        let before = daily_report(&bundle, &records(), "2026-11-27", now).expect("a real date").totals;
        assert_eq!(
            (before.households_visited, before.people_registered, before.returned_province, before.in_quarantine, before.checks_missed),
            (1, 1, 1, 1, 2),
            "Li, registered at 09:00, owed both checks of the 27th"
        );
        let one_pm = NOV28_0800 + 29 * HOUR;
        let running = daily_report(&bundle, &records(), "2026-11-29", one_pm).expect("a real date");
        assert!(!running.day_over);
        assert_eq!((running.totals.households_visited, running.totals.people_registered, running.totals.returned_abroad), (1, 1, 1));
        assert_eq!(running.totals.in_quarantine, 2, "Chen and Sun; Li's quarantine ended on the 28th");
        assert_eq!((running.totals.needs_open, running.totals.needs_done), (1, 0), "Li's medicine, in progress");
        assert_eq!((before.needs_open, before.needs_done), (0, 0));
        assert_eq!(running.totals.checks_missed, 2, "at 13:00 Chen's and Sun's morning checks have closed unread");
        assert_eq!(daily_report(&bundle, &records(), "2026-11-29", now).expect("a real date").totals.checks_missed, 0, "at 10:00 none has");
        assert!(daily_report(&bundle, &records(), "2026-02-30", now).is_none());
    }

    #[test]
    fn the_named_figures_are_the_json_fields() {
        let report = daily_report(&demo_campaign(), &records(), "2026-11-28", NOV28_0800 + 26 * HOUR).expect("a real date");
        let json = serde_json::to_value(&report).expect("serialisable");
        for (name, value) in report.totals.named() {
            assert_eq!(json[name], value, "{name}");
        }
    }
}
