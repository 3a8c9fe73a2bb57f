//! Any bytes as an uploaded form: reading and compiling never panic, and a
//! compiled form validates and prunes the demo's answers without panicking.
#![no_main]

use libfuzzer_sys::fuzz_target;
use walkbook_core::form::{Answer, Answers, CompiledForm, Form};

fuzz_target!(|bytes: &[u8]| {
    let Ok(form) = serde_json::from_slice::<Form>(bytes) else { return };
    let Ok(compiled) = CompiledForm::compile(form) else { return };
    let answers: Answers = compiled
        .form
        .questions
        .iter()
        .enumerate()
        .map(|(i, q)| {
            let answer = match i % 4 {
                0 => Answer::Number(i as f64),
                1 => Answer::Text(q.id.clone()),
                2 => Answer::Bool(true),
                _ => Answer::Choices(vec![q.id.clone()]),
            };
            (q.id.clone(), answer)
        })
        .collect();
    let pruned = compiled.prune(&answers, "2026-12-02");
    let _ = compiled.validate(&pruned, "2026-12-02");
    let _ = compiled.validate(&answers, "2026-12-02");
});
