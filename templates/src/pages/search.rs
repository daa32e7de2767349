//! The search page `/sok`: everything searchable, with all facets.

use hallbar_index::search::FacetKey;
use maud::{Markup, html};

use crate::Page;
use crate::components::{SearchView, search_area};

/// The facets `/sok` offers, in order: all of them.
pub const FACETS: &[FacetKey] = &hallbar_index::search::FACETS;

pub fn search(page: &Page, view: &SearchView) -> Markup {
    page.render(html! {
        h1 {
            @if view.query.is_empty() { "Sök" }
            @else { "Sökresultat för ”" (view.query) "”" }
        }
        @if view.query.is_empty() && view.params.is_empty() {
            p.lead {
                "Sök bland kunskap, projekt, dialogtexter och medlemmar. Skriv ett ord – "
                "delar av sammansatta ord och böjda former hittas också – och avgränsa med "
                "filtren."
            }
        }
        (search_area(view))
    })
}
