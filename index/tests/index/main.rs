//! The index crate's integration tests, one module per concern: the analyzer's case list,
//! counting against a plain pass, member matching, search behaviour, and the crate's
//! module layering.

mod analyzer_cases;
mod counting;
mod layering;
mod matching;
mod search;
