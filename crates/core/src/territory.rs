//! Where volunteers walk: building -> (entrance) -> floor -> door.
//!
//! Doors are stored flat, each naming its building, entrance and floor, so a
//! phone can load one floor through an index without reading the territory.

use serde::{Deserialize, Serialize};

use crate::labels::Labels;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Building {
    pub id: String,
    pub name: Labels,
    pub kind: BuildingKind,
    /// The form filled in at this building's doors.
    pub form_id: String,
    /// Floors from the lowest, so the floor view can step up and down.
    pub floors: Vec<i32>,
    pub door_count: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum BuildingKind {
    Residential,
    /// A street of shops: each shop is a door on floor 1.
    Street,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Door {
    /// Stable for the life of the campaign; records name it.
    pub id: String,
    pub building_id: String,
    pub entrance: Option<String>,
    pub floor: i32,
    /// What is written on the door, e.g. "3-402".
    pub label: String,
    /// Left-to-right order on its landing.
    pub position: u32,
}

/// Groups doors into buildings' floor lists; keeps buildings' counts true.
pub fn summarise_floors(buildings: &mut [Building], doors: &[Door]) {
    // One pass over the doors (a district has hundreds of thousands).
    let mut floors_of: std::collections::HashMap<&str, Vec<i32>> = std::collections::HashMap::new();
    for door in doors {
        floors_of.entry(door.building_id.as_str()).or_default().push(door.floor);
    }
    for building in buildings.iter_mut() {
        let mut floors = floors_of.remove(building.id.as_str()).unwrap_or_default();
        building.door_count = floors.len() as u32;
        floors.sort_unstable();
        floors.dedup();
        building.floors = floors;
    }
}

/// A normalised label for finding a door by what a volunteer types:
/// case-insensitive, ignoring spaces, dashes and full-width forms.
pub fn search_key(label: &str) -> String {
    label
        .chars()
        .map(|c| match c {
            // Full-width ASCII (common on Chinese keyboards) to half-width.
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .filter(|c| !matches!(c, ' ' | '-' | '_' | '/' | '\u{3000}'))
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_key_ignores_case_separators_and_full_width() {
        assert_eq!(search_key("3-402"), "3402");
        assert_eq!(search_key("３－４０２"), "3402");
        assert_eq!(search_key("T-12 05"), "t1205");
    }

    #[test]
    fn floors_are_summarised_sorted_and_unique() {
        let door = |id: &str, floor| Door { id: id.into(), building_id: "b".into(), entrance: None, floor, label: id.into(), position: 0 };
        let mut buildings = vec![Building {
            id: "b".into(),
            name: Labels::same("B"),
            kind: BuildingKind::Residential,
            form_id: "f".into(),
            floors: vec![],
            door_count: 0,
        }];
        summarise_floors(&mut buildings, &[door("1", 2), door("2", 1), door("3", 2)]);
        assert_eq!(buildings[0].floors, vec![1, 2]);
        assert_eq!(buildings[0].door_count, 3);
    }
}
