//! Walkbook's domain, shared by the PWA (compiled to wasm32) and the server.
//!
//! Pure Rust: no browser types, no I/O. Everything here is unit-tested natively.

pub mod api;
pub mod campaign;
pub mod console;
pub mod dates;
pub mod demo;
pub mod expr;
pub mod find;
pub mod form;
pub mod gate;
pub mod handover;
pub mod handover_codes;
pub mod labels;
pub mod lang;
pub mod limits;
pub mod living_alone;
pub mod needs;
pub mod people;
pub mod record;
pub mod report;
pub mod sync;
pub mod territory;
pub mod territory_csv;
#[cfg(test)]
mod test_records;
