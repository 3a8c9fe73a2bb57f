//! Walkbook's domain, shared by the PWA (compiled to wasm32) and the server.
//!
//! Pure Rust: no browser types, no I/O. Everything here is unit-tested natively.

pub mod api;
pub mod lang;
