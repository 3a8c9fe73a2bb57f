//! Door statuses for screens, from stored records by core's door-status rule.

use std::collections::HashMap;

use walkbook_core::record::{door_state, latest_record, Coverage, DoorState, Record};

use crate::store::{StoredRecord, SyncState};

/// A door's state and the record it shows.
#[derive(Debug, Clone, PartialEq)]
pub struct DoorStatus {
    pub state: DoorState,
    pub latest: Option<Record>,
    /// The server holds the record the door shows.
    pub on_server: bool,
    /// The record the door shows was made on another phone and handed over
    /// to this one.
    pub relayed: bool,
}

pub fn status_of(records: &[StoredRecord]) -> DoorStatus {
    let latest = latest_record(records.iter().map(|stored| &stored.record));
    let shown = latest.and_then(|latest| records.iter().find(|stored| stored.record.id == latest.id));
    let on_server = shown.is_some_and(|stored| stored.sync_state == SyncState::Synced);
    let relayed = shown.is_some_and(|stored| stored.relayed_from.is_some());
    DoorStatus { state: door_state(latest), latest: latest.cloned(), on_server, relayed }
}

/// Latest record per door, for all records given (any number of doors).
/// Doors with no visit are left out (they are unvisited).
pub fn statuses_by_door(records: &[StoredRecord]) -> HashMap<&str, DoorStatus> {
    let mut by_door: HashMap<&str, Vec<StoredRecord>> = HashMap::new();
    for stored in records.iter().filter(|stored| stored.record.kind.is_visit()) {
        by_door.entry(stored.record.door_id.as_str()).or_default().push(stored.clone());
    }
    by_door.into_iter().map(|(door, records)| (door, status_of(&records))).collect()
}

/// Coverage of one building: `door_count` doors, of which those with records
/// are counted by state.
pub fn building_coverage<'a>(door_count: u32, statuses: impl Iterator<Item = &'a DoorStatus>) -> Coverage {
    let mut coverage = Coverage::default();
    let mut visited_doors = 0;
    for status in statuses {
        coverage.add(status.state);
        visited_doors += 1;
    }
    for _ in visited_doors..door_count {
        coverage.add(DoorState::Unvisited);
    }
    coverage
}

/// Local time as the phone shows it, e.g. "14:05" or "11-29 09:30".
pub fn short_time(ms: i64) -> String {
    let date = js_sys::Date::new(&(ms as f64).into());
    let today = js_sys::Date::new_0();
    let same_day =
        date.get_date() == today.get_date() && date.get_month() == today.get_month() && date.get_full_year() == today.get_full_year();
    let time = format!("{:02}:{:02}", date.get_hours(), date.get_minutes());
    if same_day {
        time
    } else {
        format!("{:02}-{:02} {time}", date.get_month() + 1, date.get_date())
    }
}

/// Today's date on this phone, `YYYY-MM-DD`, as form expressions read it.
pub fn local_today() -> String {
    let now = js_sys::Date::new_0();
    format!("{:04}-{:02}-{:02}", now.get_full_year(), now.get_month() + 1, now.get_date())
}
