//! HTTP handlers, one module per resource.

pub mod campaigns;
pub mod console;
pub mod join;
pub mod sync;
pub mod health;
