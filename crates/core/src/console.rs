//! The coordinator console's API shapes, and the coverage report it shows:
//! "no household missed", per building and floor, from the campaign's records.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::campaign::CampaignBundle;
use crate::labels::Labels;
use crate::lang::Lang;
use crate::record::{floor_closures, floor_notices, latest_record, Coverage, DoorState, Outcome, Record};

/// `POST /api/v1/coordinator/login`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    pub code: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct CoordinatorView {
    pub id: String,
    pub name: String,
}

/// `POST /api/v1/coordinator/campaigns`: a new campaign with the standard
/// household and shop forms and no territory yet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateCampaign {
    /// Letters, digits and dashes; part of every record.
    #[cfg_attr(feature = "schema", schemars(regex(pattern = r"^[a-z0-9-]{1,40}$")))]
    pub id: String,
    pub name: Labels,
    #[serde(default)]
    pub languages: Option<Vec<Lang>>,
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(range(min = 35.0, max = 40.0)))]
    pub fever_threshold_c: Option<f64>,
}

/// `PATCH /api/v1/coordinator/campaigns/{id}/settings`: what is given changes.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct SettingsUpdate {
    #[serde(default)]
    pub name: Option<Labels>,
    #[serde(default)]
    pub languages: Option<Vec<Lang>>,
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(range(min = 35.0, max = 40.0)))]
    pub fever_threshold_c: Option<f64>,
    /// Hours after which a phone's unsent records raise a `data_at_risk`
    /// alert (see `Settings::at_risk_hours`).
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(range(min = 1, max = 168)))]
    pub at_risk_hours: Option<u32>,
    /// Days after closing at which personal data is erased (see
    /// `Settings::retention_days`).
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(range(max = 3650)))]
    pub retention_days: Option<u32>,
    /// The notices posted on floors, all of them: those named before stay,
    /// in their order (their labels may change), new ones come after.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(length(max = crate::campaign::MAX_NOTICES)))]
    pub notices: Option<Vec<crate::campaign::Notice>>,
}

/// The list of a coordinator's campaigns.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct CampaignSummary {
    pub id: String,
    pub name: Labels,
    pub revision: u64,
    pub buildings: u32,
    pub doors: u32,
}

/// `POST /api/v1/coordinator/campaigns/{id}/forms/xlsform`: the form read
/// from an XLSForm, what was left out of it and why, and the campaign's
/// revision once stored (none on a dry run).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct XlsFormImport {
    pub form: crate::form::Form,
    pub warnings: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revision: Option<u64>,
}

/// What changed after a campaign edit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct CampaignChanged {
    pub revision: u64,
    pub buildings: u32,
    pub doors: u32,
}

/// `POST /api/v1/coordinator/campaigns/{id}/close`: the campaign closed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct CampaignClosed {
    pub revision: u64,
    pub closed_at: i64,
    /// When the server erases its personal data (`retention_days` later).
    pub erase_personal_data_at: i64,
}

/// `POST /api/v1/coordinator/campaigns/{id}/records/{record}/void`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct VoidRequest {
    /// Why the record no longer counts (1 to 500 characters).
    #[cfg_attr(feature = "schema", schemars(length(min = 1, max = 500)))]
    pub reason: String,
}

/// `POST /api/v1/coordinator/campaigns/{id}/volunteers`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct InviteRequest {
    pub name: String,
    /// The buildings they work; none: the whole campaign.
    #[serde(default)]
    pub buildings: Vec<String>,
    #[serde(default = "default_valid_days")]
    #[cfg_attr(feature = "schema", schemars(range(min = 1, max = 60)))]
    pub valid_days: u32,
}

fn default_valid_days() -> u32 {
    7
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct InviteResponse {
    pub volunteer_id: String,
    pub code: String,
    /// The join link, relative to the server (`/join#code=...`).
    pub link: String,
    pub expires_at: i64,
    /// The link as a QR code, an SVG document.
    pub qr_svg: String,
}

/// `PUT /api/v1/coordinator/campaigns/{id}/volunteers/{volunteer}/buildings`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct AssignRequest {
    pub buildings: Vec<String>,
}

/// A volunteer as the coordinator sees them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct VolunteerSummary {
    pub id: String,
    pub name: String,
    pub buildings: Vec<String>,
    pub joined: bool,
    pub revoked: bool,
    /// When their phone last reached the server (push or pull).
    pub last_sync: Option<i64>,
    /// Records received from them today (campaign's local day).
    pub records_today: u32,
    /// What their phone last reported of its outbox.
    pub unsent: Option<u32>,
    pub oldest_unsent: Option<i64>,
    /// How their phone last said it keeps its data (absent: never said).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub installed: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub persisted: Option<bool>,
    /// Unsent records in a browser tab without persistent storage: the
    /// browser may delete them.
    #[serde(default)]
    pub at_risk: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct DoorRef {
    pub id: String,
    pub label: String,
    pub building_id: String,
    pub floor: i32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct FloorCoverage {
    pub floor: i32,
    pub coverage: Coverage,
    /// Every door final: the floor is done.
    pub complete: bool,
    /// The campaign's notices posted on this floor, in the campaign's order.
    pub notices: Vec<NoticePosted>,
    /// When a volunteer closed this floor, if one did.
    #[serde(default)]
    pub closed_at: Option<i64>,
}

/// `GET /api/v1/coordinator/campaigns/{id}/needs`: a need of a household
/// in quarantine as it stands, with its door and who raised and moved it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct NeedView {
    /// The id of the record that raised it.
    pub need_id: String,
    pub door_id: String,
    pub door_label: String,
    pub building_id: String,
    pub floor: i32,
    /// The person it is for (by name, from the household's roster); none:
    /// the whole household.
    pub person_name: Option<String>,
    pub kind: crate::needs::NeedKind,
    pub details: String,
    pub status: crate::needs::NeedStatus,
    /// When it was raised (the phone's clock, ms since the epoch) and by whom.
    pub raised_at: i64,
    pub raised_by: String,
    /// When its status last changed, and by whom (none: never updated).
    pub changed_at: i64,
    pub changed_by: Option<String>,
}

/// A notice posted on a floor: which (`""` for a campaign's one unnamed
/// notice), and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct NoticePosted {
    pub notice_id: String,
    pub at: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct BuildingCoverage {
    pub id: String,
    pub name: Labels,
    pub coverage: Coverage,
    pub floors: Vec<FloorCoverage>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RevisitDue {
    pub door: DoorRef,
    pub outcome: Outcome,
}

/// `GET /api/v1/coordinator/campaigns/{id}/coverage`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct CoverageReport {
    pub coverage: Coverage,
    pub buildings: Vec<BuildingCoverage>,
    /// Doors with no visit at all, by building, floor and label: the first
    /// [`MAX_COVERAGE_LIST`](crate::limits::MAX_COVERAGE_LIST) of them.
    pub never_visited: Vec<DoorRef>,
    /// How many doors have no visit at all.
    #[serde(default)]
    pub never_visited_total: u32,
    /// Doors whose latest visit asks for another (appointments first): the
    /// first [`MAX_COVERAGE_LIST`](crate::limits::MAX_COVERAGE_LIST).
    pub revisits: Vec<RevisitDue>,
    #[serde(default)]
    pub revisits_total: u32,
    pub volunteers: Vec<VolunteerSummary>,
}

/// An alert as the coordinator sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct AlertView {
    /// A number for a stored alert; `overdue:<person>:<date>:<half>` for an
    /// overdue check; `data_at_risk:<volunteer>:<since>` for a phone's
    /// unsent records at risk.
    pub id: String,
    /// `fever`, `red_code`, `overdue` or `data_at_risk` (whose person is the
    /// volunteer).
    pub kind: String,
    pub door: Option<DoorRef>,
    pub person_id: String,
    pub person_name: String,
    pub detail: String,
    pub at: i64,
    pub handled_by: Option<String>,
    pub handled_at: Option<i64>,
}

/// The parts of the coverage page.
pub type CoverageParts = (Coverage, Vec<BuildingCoverage>, Vec<DoorRef>, Vec<RevisitDue>);

/// Visited and final doors of one landing (a building's floor).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LandingCount {
    pub visited: u32,
    pub final_: u32,
}

/// Every door of the territory in the order the coverage page lists them:
/// by building, floor, then entrance, position and label.
pub fn doors_in_order(bundle: &CampaignBundle) -> Vec<(&crate::territory::Building, i32, Vec<&crate::territory::Door>)> {
    let mut landings: HashMap<(&str, i32), Vec<&crate::territory::Door>> = HashMap::new();
    for door in &bundle.doors {
        landings.entry((door.building_id.as_str(), door.floor)).or_default().push(door);
    }
    let mut ordered = Vec::new();
    for building in &bundle.campaign.buildings {
        for &floor in &building.floors {
            let mut doors = landings.remove(&(building.id.as_str(), floor)).unwrap_or_default();
            doors.sort_by(|a, b| (&a.entrance, a.position, &a.label).cmp(&(&b.entrance, b.position, &b.label)));
            ordered.push((building, floor, doors));
        }
    }
    ordered
}

fn door_ref(building: &crate::territory::Building, floor: i32, door: &crate::territory::Door) -> DoorRef {
    DoorRef { id: door.id.clone(), label: door.label.clone(), building_id: building.id.clone(), floor }
}

/// Coverage of every building and floor, the doors never visited and the
/// revisits due, from the campaign's records (any order, any kinds).
pub fn coverage_report<'a>(bundle: &CampaignBundle, records: impl IntoIterator<Item = &'a Record>) -> CoverageParts {
    // Grouped once, so that the work grows with doors plus records, not
    // with their product.
    let mut by_door: HashMap<&str, Vec<&Record>> = HashMap::new();
    let mut floor_records = Vec::new();
    for record in records {
        // A floor's records name no door; a withdrawal of a door's record
        // names the door, and counts there.
        if record.door_id.is_empty() {
            floor_records.push(record);
        } else {
            by_door.entry(record.door_id.as_str()).or_default().push(record);
        }
    }
    let latest: HashMap<&str, &Outcome> =
        by_door.into_iter().filter_map(|(door_id, records)| Some((door_id, &latest_record(records)?.outcome))).collect();
    let ordered = doors_in_order(bundle);
    let mut counts: HashMap<(&str, i32), LandingCount> = HashMap::new();
    let mut never_visited = Vec::new();
    let mut revisits = Vec::new();
    for (building, floor, doors) in &ordered {
        let count = counts.entry((building.id.as_str(), *floor)).or_default();
        for door in doors {
            let outcome = latest.get(door.id.as_str()).copied();
            match DoorState::of(outcome) {
                DoorState::Unvisited => never_visited.push(door_ref(building, *floor, door)),
                DoorState::Revisit => {
                    count.visited += 1;
                    let outcome = outcome.expect("a revisit has an outcome").clone();
                    revisits.push(RevisitDue { door: door_ref(building, *floor, door), outcome });
                }
                DoorState::Final => {
                    count.visited += 1;
                    count.final_ += 1;
                }
            }
        }
    }
    let (total, buildings) = coverage_of(bundle, &counts, floor_records);
    revisits.sort_by_key(|r| match r.outcome {
        Outcome::ComeBack { at } => (0, at),
        _ => (1, 0),
    });
    (total, buildings, never_visited, revisits)
}

/// Coverage of every building and floor from each landing's counts (the
/// server keeps them as records arrive) and the floor records (notices,
/// closures).
pub fn coverage_of<'a>(
    bundle: &CampaignBundle,
    counts: &HashMap<(&str, i32), LandingCount>,
    floor_records: impl IntoIterator<Item = &'a Record>,
) -> (Coverage, Vec<BuildingCoverage>) {
    let mut by_building: HashMap<&str, Vec<&Record>> = HashMap::new();
    for record in floor_records {
        if let Some((building_id, _)) = record.kind.floor() {
            by_building.entry(building_id).or_default().push(record);
        }
    }
    let mut doors_on: HashMap<(&str, i32), u32> = HashMap::new();
    for door in &bundle.doors {
        *doors_on.entry((door.building_id.as_str(), door.floor)).or_default() += 1;
    }
    let rounds = bundle.campaign.notice_rounds();
    let first_notice = rounds[0].0;
    let mut total = Coverage::default();
    let mut buildings = Vec::new();
    for building in &bundle.campaign.buildings {
        let building_records = by_building.get(building.id.as_str()).map(Vec::as_slice).unwrap_or_default();
        let notices: Vec<(&str, _)> = rounds
            .iter()
            .map(|(notice, _)| (*notice, floor_notices(&building.id, notice, first_notice, building_records.iter().copied())))
            .collect();
        let closures = floor_closures(&building.id, building_records.iter().copied());
        let mut building_coverage = Coverage::default();
        let mut floors = Vec::new();
        for &floor in &building.floors {
            let landing = (building.id.as_str(), floor);
            let count = counts.get(&landing).copied().unwrap_or_default();
            let coverage = Coverage { doors: doors_on.get(&landing).copied().unwrap_or(0), visited: count.visited, final_: count.final_ };
            building_coverage.merge(coverage);
            floors.push(FloorCoverage {
                floor,
                coverage,
                complete: coverage.doors > 0 && coverage.final_ == coverage.doors,
                notices: notices
                    .iter()
                    .filter_map(|(notice, posted)| Some(NoticePosted { notice_id: notice.to_string(), at: posted.get(&floor)?.device_time }))
                    .collect(),
                closed_at: closures.get(&floor).map(|r| r.device_time),
            });
        }
        total.merge(building_coverage);
        buildings.push(BuildingCoverage { id: building.id.clone(), name: building.name.clone(), coverage: building_coverage, floors });
    }
    (total, buildings)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo::demo_campaign;
    use crate::record::RecordKind;

    fn visit(door: &str, outcome: Outcome, time: i64) -> Record {
        crate::test_records::visit(&format!("r-{door}-{time}"), door, time, outcome)
    }

    #[test]
    fn coverage_by_building_and_floor_with_doors_never_visited() {
        let bundle = demo_campaign();
        let mut notice = visit("", Outcome::Answered, 9);
        notice.kind = RecordKind::FloorNotice { building_id: "xfl-01".into(), floor: 1, notice_id: String::new() };
        let closed = |building: &str, floor, time| Record {
            kind: RecordKind::FloorClosed { building_id: building.into(), floor },
            ..visit("", Outcome::Answered, time)
        };
        let records = vec![
            Record { kind: RecordKind::FloorNotice { building_id: "xfl-01".into(), floor: 1, notice_id: "letter".into() }, ..visit("", Outcome::Answered, 11) },
            closed("xfl-01", 2, 12),
            closed("xfl-01", 2, 14),
            closed("xfl-02", 1, 13),
            visit("xfl-01-1-101", Outcome::Vacant, 1),
            visit("xfl-01-1-102", Outcome::NotHome, 2),
            visit("xfl-01-2-101", Outcome::ComeBack { at: 50 }, 3),
            visit("xfl-01-2-102", Outcome::Refused, 4),
            notice,
        ];
        let (total, buildings, never, revisits) = coverage_report(&bundle, &records);
        assert_eq!(total.doors, bundle.doors.len() as u32);
        assert_eq!((total.visited, total.final_), (4, 2));
        let first = &buildings[0];
        assert_eq!(first.floors[0].coverage, Coverage { doors: 4, visited: 4, final_: 2 });
        assert!(!first.floors[0].complete);
        let posted = |notice: &str, at| NoticePosted { notice_id: notice.into(), at };
        assert_eq!(first.floors[0].notices, vec![posted("sheet", 9), posted("letter", 11)], "a notice naming none is the first");
        assert_eq!(first.floors[1].notices, vec![]);
        assert_eq!((first.floors[0].closed_at, first.floors[1].closed_at), (None, Some(14)), "the latest closure of each floor");
        assert_eq!(buildings[1].floors[0].closed_at, Some(13));
        assert_eq!(never.len(), bundle.doors.len() - 4);
        assert!(never.iter().all(|d| !d.id.starts_with("xfl-01-1-10") && !d.id.starts_with("xfl-01-2-10")));
        assert_eq!(revisits.iter().map(|r| r.door.id.as_str()).collect::<Vec<_>>(), vec!["xfl-01-2-101", "xfl-01-1-102"]);
    }
}
