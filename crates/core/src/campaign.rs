//! A campaign: what a phone loads to work a territory.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use crate::form::{CompiledForm, Form};
use crate::gate::Gate;
use crate::labels::Labels;
use crate::lang::Lang;
use crate::limits::{identifier_problem, MAX_BUILDINGS, MAX_DOORS};
use crate::territory::{Building, Door};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Campaign {
    pub id: String,
    /// Bumped by the server each time the campaign (territory, forms,
    /// settings) changes; phones pull a newer revision. 0: never stored.
    #[serde(default)]
    pub revision: u64,
    pub name: Labels,
    pub languages: Vec<Lang>,
    pub settings: Settings,
    /// Every version of every form still in use, newest last.
    pub forms: Vec<Form>,
    pub buildings: Vec<Building>,
    /// When a coordinator closed the campaign (ms since the epoch): no new
    /// work; phones erase its personal data at their next sync, and the
    /// server `Settings::retention_days` later. (Absent while open, so
    /// an app from before closing existed still reads an open campaign.)
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closed_at: Option<i64>,
    /// When the server erased the personal fields of its records (see
    /// `Form::redact`); from then on it stores no more records.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub personal_data_erased_at: Option<i64>,
    /// The notices posted on every floor, in rounds over time (a
    /// plain-language sheet, then a letter to residents): each floor records
    /// each once. Empty: one unnamed notice. (Absent from the JSON when
    /// empty, so an app from before notices were named reads the campaign.)
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notices: Vec<Notice>,
    /// The compound's gates, where volunteers register visitors (see
    /// `gate`). Absent from the JSON when there are none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub gates: Vec<Gate>,
}

/// A notice the committee posts on floors, named in the campaign's languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Notice {
    /// What records name (`FloorNotice::notice_id`); it never changes.
    pub id: String,
    pub label: Labels,
}

/// The most notices a campaign names.
pub const MAX_NOTICES: usize = 20;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// A reading at or above this (°C) is a fever.
    pub fever_threshold_c: f64,
    /// The community's clock, minutes east of UTC (China: 480). The server
    /// reads days with it (overdue checks, "today"); phones use their own.
    #[serde(default = "default_utc_offset")]
    pub utc_offset_minutes: i32,
    /// A phone's unsent records are at risk (an alert for the coordinator)
    /// once the oldest is this many hours old, or once the phone has been
    /// silent this long with records unsent.
    /// (Left out of the JSON at its default: an installed app from before
    /// this setting, which refuses fields it does not know, still reads the
    /// campaign until it updates.)
    #[serde(default = "default_at_risk_hours", skip_serializing_if = "is_default_at_risk_hours")]
    #[cfg_attr(feature = "schema", schemars(range(min = 1, max = 168)))]
    pub at_risk_hours: u32,
    /// Days after closing at which the server erases the campaign's
    /// personal data (0: at its next hourly pass).
    #[serde(default = "default_retention_days", skip_serializing_if = "is_default_retention_days")]
    #[cfg_attr(feature = "schema", schemars(range(max = 3650)))]
    pub retention_days: u32,
}

/// The longest a closed campaign's personal data may be kept: ten years.
pub const MAX_RETENTION_DAYS: u32 = 3650;

fn is_default_at_risk_hours(hours: &u32) -> bool {
    *hours == default_at_risk_hours()
}

fn is_default_retention_days(days: &u32) -> bool {
    *days == default_retention_days()
}

fn default_retention_days() -> u32 {
    30
}

fn default_utc_offset() -> i32 {
    480
}

fn default_at_risk_hours() -> u32 {
    12
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            fever_threshold_c: 37.3,
            utc_offset_minutes: default_utc_offset(),
            at_risk_hours: default_at_risk_hours(),
            retention_days: default_retention_days(),
        }
    }
}

impl Campaign {
    /// The newest version of a form.
    pub fn current_form(&self, form_id: &str) -> Option<&Form> {
        self.forms.iter().filter(|f| f.id == form_id).max_by_key(|f| f.version)
    }

    pub fn building(&self, building_id: &str) -> Option<&Building> {
        self.buildings.iter().find(|b| b.id == building_id)
    }

    pub fn gate(&self, gate_id: &str) -> Option<&Gate> {
        self.gates.iter().find(|g| g.id == gate_id)
    }

    /// The notices floors record, by id with their labels: the named ones,
    /// or one unnamed notice (id "", labelled by the app) when none is named.
    pub fn notice_rounds(&self) -> Vec<(&str, Option<&Labels>)> {
        if self.notices.is_empty() {
            return vec![("", None)];
        }
        self.notices.iter().map(|notice| (notice.id.as_str(), Some(&notice.label))).collect()
    }

    /// When the server erases a closed campaign's personal data.
    pub fn erase_personal_data_at(&self) -> Option<i64> {
        self.closed_at.map(|closed_at| closed_at + i64::from(self.settings.retention_days) * 86_400_000)
    }
}

/// A campaign with its doors: what the phone stores on first start, and what
/// a pull carries when the campaign changed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct CampaignBundle {
    pub campaign: Campaign,
    pub doors: Vec<Door>,
}

impl CampaignBundle {
    /// What is wrong with this bundle as a campaign, one sentence each
    /// (empty: nothing). Forms must compile; ids must be unique; every door
    /// must stand in a building of the campaign; every building's form must
    /// exist.
    pub fn problems(&self) -> Vec<String> {
        let campaign = &self.campaign;
        let mut problems = Vec::new();
        if let Some(problem) = identifier_problem("campaign id", &campaign.id) {
            problems.push(problem);
        }
        if self.doors.len() > MAX_DOORS || campaign.buildings.len() > MAX_BUILDINGS {
            problems.push(format!(
                "the territory has {} buildings and {} doors (at most {MAX_BUILDINGS} and {MAX_DOORS})",
                campaign.buildings.len(),
                self.doors.len()
            ));
            return problems;
        }
        let mut form_versions = HashSet::new();
        for form in &campaign.forms {
            if !form_versions.insert((form.id.as_str(), form.version)) {
                problems.push(format!("form '{}' version {} appears twice", form.id, form.version));
            }
            if let Err(errors) = CompiledForm::compile(form.clone()) {
                for error in errors {
                    problems.push(format!("form '{}' version {}, {error}", form.id, form.version));
                }
            }
        }
        let mut building_ids = HashSet::new();
        for building in &campaign.buildings {
            problems.extend(identifier_problem("building id", &building.id).map(|p| format!("building '{}': {p}", building.id)));
            if !building_ids.insert(building.id.as_str()) {
                problems.push(format!("building '{}' appears twice", building.id));
            }
            if campaign.current_form(&building.form_id).is_none() {
                problems.push(format!("building '{}' uses form '{}', which the campaign does not have", building.id, building.form_id));
            }
        }
        if campaign.notices.len() > MAX_NOTICES {
            problems.push(format!("the campaign names {} notices (at most {MAX_NOTICES})", campaign.notices.len()));
        }
        let mut notice_ids = HashSet::new();
        for notice in &campaign.notices {
            problems.extend(identifier_problem("notice id", &notice.id).map(|p| format!("notice '{}': {p}", notice.id)));
            if !notice_ids.insert(notice.id.as_str()) {
                problems.push(format!("notice '{}' appears twice", notice.id));
            }
            for lang in &campaign.languages {
                match notice.label.0.get(lang).map(|label| identifier_problem("label", label)) {
                    None => problems.push(format!("notice '{}' has no label in {}", notice.id, lang.tag())),
                    Some(Some(problem)) => problems.push(format!("notice '{}' in {}: {problem}", notice.id, lang.tag())),
                    Some(None) => {}
                }
            }
        }
        problems.extend(crate::gate::gate_problems(campaign));
        let mut door_ids = HashSet::new();
        for door in &self.doors {
            for (what, value) in [("door id", &door.id), ("door label", &door.label)] {
                problems.extend(identifier_problem(what, value).map(|p| format!("door '{}': {p}", door.id)));
            }
            if !door_ids.insert(door.id.as_str()) {
                problems.push(format!("door '{}' appears twice", door.id));
            }
            if !building_ids.contains(door.building_id.as_str()) {
                problems.push(format!("door '{}' is in building '{}', which the campaign does not have", door.id, door.building_id));
            }
        }
        problems
    }

    /// What is wrong with replacing `self` (stored) by `next`: besides
    /// `next.problems()`, every form version records may name must stay
    /// exactly as it was, so older records stay readable.
    pub fn update_problems(&self, next: &CampaignBundle) -> Vec<String> {
        let mut problems = next.problems();
        if next.campaign.id != self.campaign.id {
            problems.push(format!("this is campaign '{}', not '{}'", next.campaign.id, self.campaign.id));
        }
        let (was, is) = (&self.campaign, &next.campaign);
        if was.closed_at.is_some() {
            if (is.closed_at, is.personal_data_erased_at) != (was.closed_at, was.personal_data_erased_at) {
                problems.push("the campaign is closed and stays closed".into());
            }
            if is.forms != was.forms || is.buildings != was.buildings || next.doors != self.doors {
                problems.push("the campaign is closed: its territory and forms no longer change".into());
            }
        }
        // Records name notices by id, and those that name none post the
        // first: named notices stay, in their order (labels may change).
        let kept = was.notices.iter().zip(&is.notices).take_while(|(a, b)| a.id == b.id).count();
        if let Some(notice) = was.notices.get(kept) {
            problems.push(format!("notice '{}' is missing or moved: notices are only added, after those named before", notice.id));
        }
        for form in &self.campaign.forms {
            match next.campaign.forms.iter().find(|f| f.id == form.id && f.version == form.version) {
                None => problems.push(format!(
                    "form '{}' version {} is missing: keep every version (add a new version to change a form)",
                    form.id, form.version
                )),
                Some(kept) if kept != form => problems
                    .push(format!("form '{}' version {} was changed: give the changed form a new version number", form.id, form.version)),
                Some(_) => {}
            }
        }
        problems
    }
}

#[cfg(test)]
mod tests {
    use crate::demo::demo_campaign;

    #[test]
    fn the_demo_campaign_has_no_problems() {
        assert_eq!(demo_campaign().problems(), Vec::<String>::new());
    }

    #[test]
    fn bundle_problems_name_what_is_wrong() {
        let mut bundle = demo_campaign();
        let door = bundle.doors[0].clone();
        bundle.doors.push(door.clone());
        bundle.doors[1].building_id = "nowhere".into();
        bundle.campaign.buildings[0].form_id = "no-form".into();
        let problems = bundle.problems();
        assert!(problems.contains(&format!("door '{}' appears twice", door.id)), "{problems:?}");
        assert!(problems.iter().any(|p| p.contains("building 'nowhere'")), "{problems:?}");
        assert!(problems.iter().any(|p| p.contains("form 'no-form'")), "{problems:?}");
    }

    #[test]
    fn identifiers_and_territory_size_are_bounded() {
        let mut bundle = demo_campaign();
        bundle.doors[0].id = "door\u{0}1".into();
        bundle.doors[1].label = "x".repeat(500);
        let problems = bundle.problems();
        assert!(problems.iter().any(|p| p.contains("door id contains a control character")), "{problems:?}");
        assert!(problems.iter().any(|p| p.contains("door label has 500 characters")), "{problems:?}");
        let door = bundle.doors[2].clone();
        bundle.doors = vec![door; crate::limits::MAX_DOORS + 1];
        assert_eq!(bundle.problems().len(), 1, "one problem for the size, not one per door");
        assert!(bundle.problems()[0].contains("at most 10000 and 250000"));
    }

    #[test]
    fn notices_are_named_in_every_language_and_only_added() {
        use crate::campaign::Notice;
        use crate::labels::Labels;
        let stored = demo_campaign();
        let mut next = stored.clone();
        let flyer = Notice { id: "flyer".into(), label: Labels::four("传单", "傳單", "Flyer", "전단") };
        next.campaign.notices.push(flyer.clone());
        next.campaign.notices[0].label = Labels::four("须知", "須知", "Sheet", "안내");
        assert!(stored.update_problems(&next).is_empty(), "a notice added, a label changed");
        let mut unnamed = next.clone();
        unnamed.campaign.notices[2].label.0.remove(&crate::lang::Lang::Ko);
        unnamed.campaign.notices.push(flyer);
        let problems = unnamed.problems();
        assert!(problems.contains(&"notice 'flyer' has no label in ko".to_string()), "{problems:?}");
        assert!(problems.contains(&"notice 'flyer' appears twice".to_string()), "{problems:?}");
        let mut reordered = stored.clone();
        reordered.campaign.notices.swap(0, 1);
        assert_eq!(
            stored.update_problems(&reordered),
            vec!["notice 'sheet' is missing or moved: notices are only added, after those named before".to_string()]
        );
        let mut dropped = stored.clone();
        dropped.campaign.notices.pop();
        assert!(stored.update_problems(&dropped)[0].contains("notice 'letter' is missing"));
    }

    #[test]
    fn an_update_keeps_every_form_version() {
        let stored = demo_campaign();
        let mut next = stored.clone();
        assert!(stored.update_problems(&next).is_empty());
        // A new version may be added...
        let mut v2 = next.campaign.forms[0].clone();
        v2.version = 9;
        next.campaign.forms.push(v2);
        assert!(stored.update_problems(&next).is_empty());
        // ...but an old one may neither change nor go.
        next.campaign.forms[0].questions.pop();
        let problems = stored.update_problems(&next);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].contains("was changed"), "{problems:?}");
        next.campaign.forms.remove(0);
        assert!(stored.update_problems(&next)[0].contains("is missing"));
    }
}
