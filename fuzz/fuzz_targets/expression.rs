//! Any text as a relevance or constraint expression: parsing never panics or
//! overflows the stack, and a parsed expression evaluates without panicking.
#![no_main]

use libfuzzer_sys::fuzz_target;
use walkbook_core::expr::{Env, Expr, Value};

struct Answers;

impl Env for Answers {
    fn answer(&self, question_id: &str) -> Value {
        match question_id.len() % 5 {
            0 => Value::Null,
            1 => Value::Number(question_id.len() as f64),
            2 => Value::Text(question_id.to_string()),
            3 => Value::Bool(true),
            _ => Value::List(vec![question_id.to_string(), "red".into()]),
        }
    }

    fn current(&self) -> Value {
        Value::Number(37.5)
    }

    fn today(&self) -> String {
        "2026-12-02".into()
    }
}

fuzz_target!(|source: &str| {
    if let Ok(expr) = Expr::parse(source) {
        let _ = expr.references();
        let _ = expr.eval(&Answers);
    }
});
