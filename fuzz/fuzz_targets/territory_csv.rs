//! Any bytes as a territory CSV: the import either gives buildings and doors
//! that make a valid campaign, or names problems; it never panics.
#![no_main]

use libfuzzer_sys::fuzz_target;
use walkbook_core::territory_csv::import;

fuzz_target!(|text: &str| {
    match import(text, "household") {
        Ok((buildings, doors)) => {
            assert!(doors.iter().all(|door| buildings.iter().any(|b| b.id == door.building_id)), "every door stands in a building");
        }
        Err(errors) => assert!(!errors.is_empty(), "a refused file names at least one problem"),
    }
});
