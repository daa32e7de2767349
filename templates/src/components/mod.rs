//! Pieces shared by several pages, one module each: the search area, links that keep the
//! search state, Swedish dates and numbers, form fields with their error messages, and
//! people beside content (competence links, evidence, who knows about a page).

pub mod form;
pub mod link;
pub mod people;
pub mod search;
pub mod swedish;

pub use link::link;
pub use people::{competence_link, competence_list, evidence_line, member_list, who_knows};
pub use search::{SearchView, hit, search_area};
pub use swedish::{date, hits_phrase, swedish_date, thousands};
