//! Any bytes as a territory CSV: the import either gives buildings, doors
//! and gates that hold together, or names problems; it never panics.
#![no_main]

use libfuzzer_sys::fuzz_target;
use walkbook_core::territory_csv::{import, TerritoryForms, Territory};

const FORMS: TerritoryForms = TerritoryForms { household: "household", shop: Some("shop") };

fuzz_target!(|text: &str| {
    match import(text, &FORMS) {
        Ok(Territory { buildings, doors, gates }) => {
            assert!(doors.iter().all(|door| buildings.iter().any(|b| b.id == door.building_id)), "every door stands in a building");
            assert!(gates.iter().all(|gate| buildings.iter().all(|b| b.id != gate.id)), "gate ids are not building ids");
        }
        Err(errors) => assert!(!errors.is_empty(), "a refused file names at least one problem"),
    }
});
