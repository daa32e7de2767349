//! hallbar's searchable content: the content model shared by the database layer and the
//! views, the Swedish text analysis, the tantivy schema, indexing, faceted search and member
//! matching. This crate knows nothing of HTTP or SQL.

pub mod analysis;
pub mod document;
pub mod matching;
pub mod mentions;
pub mod model;
pub mod paths;
pub mod schema;
pub mod search;
pub mod segment_cache;
pub mod store;
pub mod visibility;
pub mod vocabulary;

pub use document::{DocKind, SearchDocument, Visibility};
pub use model::*;
pub use store::{SearchIndex, SearchWriter};
