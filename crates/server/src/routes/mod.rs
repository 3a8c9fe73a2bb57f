//! HTTP handlers, one module per resource.

pub mod campaigns;
pub mod console;
pub mod forms;
pub mod health;
pub mod join;
pub mod sync;
