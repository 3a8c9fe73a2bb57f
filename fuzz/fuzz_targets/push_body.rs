//! Any bytes as a push body: reading never panics; every record read has
//! canonical bytes that read back to the same record (duplicates and
//! conflicts are told apart by them), and validating its answers against the
//! demo's forms never panics.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use walkbook_core::form::CompiledForm;
use walkbook_core::limits::{identifier_problem, is_canonical_record_id};
use walkbook_core::record::Record;
use walkbook_core::sync::{canonical_bytes, PushRequest};

fn demo_forms() -> &'static Vec<CompiledForm> {
    static FORMS: OnceLock<Vec<CompiledForm>> = OnceLock::new();
    FORMS.get_or_init(|| {
        walkbook_core::demo::demo_campaign().campaign.forms.into_iter().map(|form| CompiledForm::compile(form).unwrap()).collect()
    })
}

fuzz_target!(|bytes: &[u8]| {
    let Ok(push) = serde_json::from_slice::<PushRequest>(bytes) else { return };
    let _ = identifier_problem("device id", &push.device_id);
    for record in &push.records {
        let _ = is_canonical_record_id(&record.id);
        let canonical = canonical_bytes(record);
        // NaN has no JSON form: such a record never reaches the bytes.
        if let Ok(again) = serde_json::from_slice::<Record>(&canonical) {
            assert_eq!(canonical_bytes(&again), canonical, "canonical bytes are stable");
        }
        for form in demo_forms() {
            let _ = form.validate(&record.answers, "2026-12-02");
        }
    }
});
