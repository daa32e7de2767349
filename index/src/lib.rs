//! hallbar's searchable content: the content model shared by the database layer and the views.
//!
//! This crate knows nothing of HTTP or SQL. Later it also holds the Swedish text analysis,
//! the tantivy schema, indexing and search.

pub mod analysis;
pub mod model;

pub use model::*;
