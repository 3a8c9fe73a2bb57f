//! Territory import from CSV, the format a committee secretary can make in
//! a spreadsheet. UTF-8 (a BOM is fine), comma-separated, a header line, and
//! one of two shapes:
//!
//! ```text
//! building,entrance,floor,door          one line per door; entrance may be empty
//! Xingfuli Block 1,1,3,302
//!
//! building,floors,doors_per_floor       one line per building: floors 1..=N,
//! Huating Tower,30,8                    doors labelled 101, 102, ... 3008
//! ```
//!
//! The first shape may add a `kind` column: `residential` (or empty) for
//! homes, `shops` for a street of shops, whose doors are shops on floor 1
//! visited with the campaign's shop form:
//!
//! ```text
//! building,entrance,floor,door,kind
//! Xingfuli Block 1,1,3,302,
//! Heping Street,,1,No. 12 Noodles,shops
//! ```
//!
//! A row of kind `gate` names a gate of the compound, where volunteers
//! register visitors; its entrance, floor and door are left empty:
//!
//! ```text
//! North Gate,,,,gate
//! ```
//!
//! Ids are derived from names and labels, so importing the same building
//! again gives the same door ids (records keep pointing at their doors).
//! A file with any bad line imports nothing: every error names its line and
//! column.

use std::collections::HashMap;

use crate::gate::Gate;
use crate::labels::Labels;
use crate::territory::{summarise_floors, Building, BuildingKind, Door};

/// What a file describes: buildings with their doors, and gates.
#[derive(Debug)]
pub struct Territory {
    pub buildings: Vec<Building>,
    pub doors: Vec<Door>,
    pub gates: Vec<Gate>,
}

/// One problem in the file, 1-based line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvError {
    pub line: usize,
    pub column: Option<String>,
    pub message: String,
}

impl std::fmt::Display for CsvError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.column {
            Some(column) => write!(f, "line {}, column {column}: {}", self.line, self.message),
            None => write!(f, "line {}: {}", self.line, self.message),
        }
    }
}

const DOOR_HEADER: [&str; 4] = ["building", "entrance", "floor", "door"];
const DOOR_KIND_HEADER: [&str; 5] = ["building", "entrance", "floor", "door", "kind"];
const GRID_HEADER: [&str; 3] = ["building", "floors", "doors_per_floor"];
/// Far beyond any real building; stops a typo from making a million doors.
const MAX_FLOORS: i64 = 200;
const MAX_DOORS_PER_FLOOR: i64 = 100;

/// The forms a territory's buildings are visited with.
pub struct TerritoryForms<'a> {
    /// Homes'.
    pub household: &'a str,
    /// Shop streets' (none: the campaign has no shop form).
    pub shop: Option<&'a str>,
}

/// Buildings (homes, and streets of shops where the file says so), their
/// doors, and the gates the file names.
pub fn import(text: &str, forms: &TerritoryForms) -> Result<Territory, Vec<CsvError>> {
    let rows = parse(text.strip_prefix('\u{feff}').unwrap_or(text))?;
    let Some((header_line, header)) = rows.first() else {
        return Err(vec![CsvError { line: 1, column: None, message: "the file is empty".into() }]);
    };
    let header: Vec<String> = header.iter().map(|h| h.trim().to_lowercase()).collect();
    let grid = if header == DOOR_HEADER || header == DOOR_KIND_HEADER {
        false
    } else if header == GRID_HEADER {
        true
    } else {
        return Err(vec![CsvError {
            line: *header_line,
            column: None,
            message: format!(
                "the header must be '{}', '{}' or '{}'",
                DOOR_HEADER.join(","),
                DOOR_KIND_HEADER.join(","),
                GRID_HEADER.join(",")
            ),
        }]);
    };
    let mut errors = Vec::new();
    let mut buildings: Vec<Building> = Vec::new();
    let mut doors: Vec<Door> = Vec::new();
    let mut gates: Vec<Gate> = Vec::new();
    let mut gate_lines: HashMap<String, usize> = HashMap::new();
    let mut first_seen: HashMap<String, usize> = HashMap::new();
    // Kept as the rows are read, so that each row costs the same however
    // large the territory (200,000 doors import in a few seconds).
    let mut known_buildings: HashMap<String, (BuildingKind, usize)> = HashMap::new();
    let mut doors_on_landing: HashMap<(String, i32), u32> = HashMap::new();
    for (line, row) in &rows[1..] {
        let line = *line;
        if row.iter().all(|cell| cell.trim().is_empty()) {
            continue;
        }
        if row.len() != header.len() {
            errors.push(CsvError { line, column: None, message: format!("{} values, but the header has {}", row.len(), header.len()) });
            continue;
        }
        let cell = |column: &str| row[header.iter().position(|h| h == column).expect("header checked")].trim();
        let mut number = |column: &str, range: std::ops::RangeInclusive<i64>| -> Option<i64> {
            match cell(column).parse::<i64>() {
                Ok(n) if range.contains(&n) => Some(n),
                Ok(n) => {
                    let message = format!("{n} is out of range ({} to {})", range.start(), range.end());
                    errors.push(CsvError { line, column: Some(column.into()), message });
                    None
                }
                Err(_) => {
                    let message = format!("'{}' is not a whole number", cell(column));
                    errors.push(CsvError { line, column: Some(column.into()), message });
                    None
                }
            }
        };
        let name = cell("building");
        if name.is_empty() {
            errors.push(CsvError { line, column: Some("building".into()), message: "the building has no name".into() });
            continue;
        }
        let kind = match header.iter().position(|h| h == "kind").map(|at| row[at].trim().to_lowercase()).as_deref() {
            None | Some("" | "residential") => BuildingKind::Residential,
            Some("shops") => BuildingKind::Street,
            Some("gate") => {
                if let Some(column) = ["entrance", "floor", "door"].into_iter().find(|column| !cell(column).is_empty()) {
                    let message = "a gate has no entrance, floor or door: leave them empty".to_string();
                    errors.push(CsvError { line, column: Some(column.into()), message });
                } else if let Some(first) = gate_lines.insert(name.to_string(), line) {
                    errors.push(CsvError { line, column: Some("building".into()), message: format!("gate '{name}' is already on line {first}") });
                } else {
                    gates.push(Gate { id: format!("gate-{}", building_id(name)), name: Labels::same(name) });
                }
                continue;
            }
            Some(other) => {
                let message = format!("'{other}' is not a kind of building: residential (or empty), shops or gate");
                errors.push(CsvError { line, column: Some("kind".into()), message });
                continue;
            }
        };
        let form_id = match (&kind, forms.shop) {
            (BuildingKind::Residential, _) => forms.household,
            (BuildingKind::Street, Some(shop)) => shop,
            (BuildingKind::Street, None) => {
                let message = "this campaign has no shop form: add one before importing shops".to_string();
                errors.push(CsvError { line, column: Some("kind".into()), message });
                continue;
            }
        };
        let building_id = building_id(name);
        match known_buildings.get(&building_id) {
            Some((known, first)) if *known != kind => {
                let message = format!(
                    "'{name}' is a {} on line {first}",
                    if *known == BuildingKind::Street { "street of shops" } else { "residential building" }
                );
                errors.push(CsvError { line, column: Some("kind".into()), message });
                continue;
            }
            Some(_) => {}
            None => {
                known_buildings.insert(building_id.clone(), (kind.clone(), line));
                buildings.push(Building {
                    id: building_id.clone(),
                    name: Labels::same(name),
                    kind,
                    form_id: form_id.into(),
                    floors: Vec::new(),
                    door_count: 0,
                });
            }
        }
        // `position` 0: next on its landing.
        let mut add = |entrance: Option<String>, floor: i32, label: String, position: u32, errors: &mut Vec<CsvError>| {
            let id = format!("{building_id}-{}-{}", entrance.as_deref().unwrap_or("0"), crate::territory::search_key(&label));
            if let Some(first) = first_seen.insert(id.clone(), line) {
                errors.push(CsvError {
                    line,
                    column: Some("door".into()),
                    message: format!("door '{label}' of '{name}' is already on line {first}"),
                });
                return;
            }
            let on_landing = doors_on_landing.entry((building_id.clone(), floor)).or_default();
            *on_landing += 1;
            let position = if position > 0 { position } else { *on_landing };
            doors.push(Door { id, building_id: building_id.clone(), entrance, floor, label, position });
        };
        if grid {
            let (Some(floors), Some(per_floor)) = (number("floors", 1..=MAX_FLOORS), number("doors_per_floor", 1..=MAX_DOORS_PER_FLOOR))
            else {
                continue;
            };
            for floor in 1..=floors {
                for door in 1..=per_floor {
                    add(None, floor as i32, format!("{floor}{door:02}"), door as u32, &mut errors);
                }
            }
        } else {
            let Some(floor) = number("floor", -5..=MAX_FLOORS) else { continue };
            let label = cell("door").to_string();
            if label.is_empty() {
                errors.push(CsvError { line, column: Some("door".into()), message: "the door has no label".into() });
                continue;
            }
            let entrance = Some(cell("entrance").to_string()).filter(|e| !e.is_empty());
            add(entrance, floor as i32, label, 0, &mut errors);
        }
    }
    if buildings.is_empty() && errors.is_empty() {
        errors.push(CsvError { line: 2, column: None, message: "the file has no buildings".into() });
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    summarise_floors(&mut buildings, &doors);
    Ok(Territory { buildings, doors, gates })
}

/// A stable id for a building name: readable ASCII where there is some, and
/// a short hash so that names differing only in Chinese stay apart.
fn building_id(name: &str) -> String {
    let readable: String = name.chars().filter(char::is_ascii_alphanumeric).flat_map(|c| c.to_lowercase()).take(16).collect();
    // FNV-1a: a stable hash without a dependency.
    let hash = name.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3));
    format!("{readable}-{:08x}", hash as u32)
}

/// RFC 4180: fields separated by commas, optionally in double quotes (a
/// doubled quote inside is one quote), lines by LF or CRLF. Returns each
/// record with the line it starts on.
fn parse(text: &str) -> Result<Vec<(usize, Vec<String>)>, Vec<CsvError>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut line = 1;
    let mut row_line = 1;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => {
                if c == '\n' {
                    line += 1;
                }
                field.push(c);
            }
            (false, '"') if field.is_empty() => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\r') if chars.peek() == Some(&'\n') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut field));
                rows.push((row_line, std::mem::take(&mut row)));
                line += 1;
                row_line = line;
            }
            (false, c) => field.push(c),
        }
    }
    if quoted {
        return Err(vec![CsvError { line: row_line, column: None, message: "a quoted value is never closed".into() }]);
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push((row_line, row));
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOMES: TerritoryForms = TerritoryForms { household: "household", shop: Some("shop") };

    #[test]
    fn a_kind_column_makes_streets_of_shops_beside_homes() {
        let text = "building,entrance,floor,door,kind\nBlock 1,1,1,101,\nHeping Street,,1,No. 12 Noodles,shops\nHeping Street,,1,\"Li's Pharmacy, 24h\",SHOPS\n";
        let Territory { buildings, doors, .. } = import(text, &HOMES).unwrap();
        assert_eq!((buildings[0].kind.clone(), buildings[0].form_id.as_str()), (BuildingKind::Residential, "household"));
        assert_eq!((buildings[1].kind.clone(), buildings[1].form_id.as_str()), (BuildingKind::Street, "shop"));
        assert_eq!(buildings[1].door_count, 2);
        assert_eq!(doors[2].label, "Li's Pharmacy, 24h");
        let bad = "building,entrance,floor,door,kind\nA,,1,1,factory\nB,,1,1,shops\nB,,1,2,residential\n";
        let errors: Vec<String> = import(bad, &HOMES).unwrap_err().iter().map(ToString::to_string).collect();
        assert_eq!(
            errors,
            vec![
                "line 2, column kind: 'factory' is not a kind of building: residential (or empty), shops or gate",
                "line 4, column kind: 'B' is a street of shops on line 3",
            ]
        );
        let no_shop_form = TerritoryForms { household: "household", shop: None };
        let errors = import("building,entrance,floor,door,kind\nB,,1,1,shops\n", &no_shop_form).unwrap_err();
        assert!(errors[0].message.contains("no shop form"), "{errors:?}");
    }

    #[test]
    fn gate_rows_make_gates_with_stable_ids() {
        let text = "building,entrance,floor,door,kind\nBlock 1,1,1,101,\nNorth Gate,,,,gate\n南门,,,,GATE\n";
        let territory = import(text, &HOMES).unwrap();
        assert_eq!(territory.buildings.len(), 1);
        let names: Vec<&str> = territory.gates.iter().map(|gate| gate.name.get(crate::lang::Lang::En)).collect();
        assert_eq!(names, ["North Gate", "南门"]);
        assert!(territory.gates[0].id.starts_with("gate-northgate-"), "{:?}", territory.gates[0].id);
        assert_eq!(import(text, &HOMES).unwrap().gates, territory.gates, "the same file gives the same ids");
        let bad = "building,entrance,floor,door,kind\nBlock 1,1,1,101,\nNorth Gate,,1,,gate\nSouth Gate,,,,gate\nSouth Gate,,,,gate\n";
        let errors: Vec<String> = import(bad, &HOMES).unwrap_err().iter().map(ToString::to_string).collect();
        assert_eq!(
            errors,
            vec![
                "line 3, column floor: a gate has no entrance, floor or door: leave them empty",
                "line 5, column building: gate 'South Gate' is already on line 4",
            ]
        );
    }

    #[test]
    fn doors_one_per_line_with_quotes_bom_and_crlf() {
        let text = "\u{feff}building,entrance,floor,door\r\nBlock 1,1,1,101\r\nBlock 1,1,1,102\r\n\"Block 1\",2,2,\"2-201\"\r\n幸福里 2 号楼,,1,101\r\n";
        let Territory { buildings, doors, gates } = import(text, &HOMES).unwrap();
        assert!(gates.is_empty());
        assert_eq!(buildings.len(), 2);
        assert_eq!(buildings[0].floors, vec![1, 2]);
        assert_eq!(buildings[0].door_count, 3);
        assert_eq!(doors[2].label, "2-201");
        assert_eq!(doors[2].entrance.as_deref(), Some("2"));
        assert_eq!(doors[3].entrance, None);
        assert_eq!(buildings[1].name.get(crate::lang::Lang::En), "幸福里 2 号楼");
        // The same file again gives the same ids.
        let again = import(text, &HOMES).unwrap().doors;
        assert_eq!(doors.iter().map(|d| &d.id).collect::<Vec<_>>(), again.iter().map(|d| &d.id).collect::<Vec<_>>());
    }

    #[test]
    fn a_building_as_floors_times_doors() {
        let Territory { buildings, doors, .. } = import("building,floors,doors_per_floor\nTower,30,8\n", &HOMES).unwrap();
        assert_eq!(buildings[0].door_count, 240);
        assert_eq!(doors.last().unwrap().label, "3008");
    }

    #[test]
    fn every_bad_line_is_named_and_nothing_is_imported() {
        let text =
            "building,entrance,floor,door\nBlock 1,1,one,101\nBlock 1,1,1\n,1,1,102\nBlock 1,1,1,101\nBlock 1,1,1,101\nBlock 1,1,999,101\n";
        let errors: Vec<String> = import(text, &HOMES).unwrap_err().iter().map(ToString::to_string).collect();
        assert_eq!(
            errors,
            vec![
                "line 2, column floor: 'one' is not a whole number",
                "line 3: 3 values, but the header has 4",
                "line 4, column building: the building has no name",
                "line 6, column door: door '101' of 'Block 1' is already on line 5",
                "line 7, column floor: 999 is out of range (-5 to 200)",
            ]
        );
        let header = import("name,floor\nx,1\n", &HOMES).unwrap_err();
        assert!(header[0].to_string().starts_with("line 1: the header must be"), "{header:?}");
        assert_eq!(import("", &HOMES).unwrap_err()[0].message, "the file is empty");
        assert!(import("building,floors,doors_per_floor\nT,0,8\n", &HOMES).unwrap_err()[0].to_string().contains("out of range"));
    }
}
