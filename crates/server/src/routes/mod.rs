//! HTTP handlers, one module per resource.

pub mod campaigns;
pub mod coordinator;
pub mod health;
pub mod join;
pub mod sync;
