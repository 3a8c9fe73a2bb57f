//! Records for unit tests: made on phone "p" by volunteer "v", numbered and
//! timed by `time`.

use crate::form::Answers;
use crate::record::{Outcome, Record, RecordKind};

/// A visit of `door` with `outcome` and no answers.
pub fn visit(id: &str, door: &str, time: i64, outcome: Outcome) -> Record {
    Record {
        id: id.into(),
        campaign_id: "c".into(),
        door_id: door.into(),
        form_id: "household".into(),
        form_version: 2,
        outcome,
        answers: Answers::new(),
        volunteer_id: "v".into(),
        device_id: "p".into(),
        device_seq: time as u64,
        device_time: time,
        supersedes: None,
        reason: None,
        kind: RecordKind::Visit {},
    }
}

/// A record of `kind` at `door` (answered, as every record but a visit is).
pub fn event(id: &str, door: &str, time: i64, kind: RecordKind) -> Record {
    Record { kind, ..visit(id, door, time, Outcome::Answered) }
}
