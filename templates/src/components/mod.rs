//! Pieces shared by several pages, one module each: the search area, links that keep the
//! search state, Swedish dates and numbers, and form fields with their error messages.

pub mod form;
pub mod link;
pub mod search;
pub mod swedish;

pub use link::link;
pub use search::{SearchView, hit, search_area};
pub use swedish::{date, hits_phrase, swedish_date, thousands};
