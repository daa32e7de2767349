//! The faceted search form with its results, used by `/sok`, `/pivi`, `/medlemmar` and
//! `/grupper`: query row, facet checkboxes, removable chips, hits, pagination and the empty
//! states, all in one GET form so the URL always holds the state.

use hallbar_index::search::{
    Facet, FacetKey, Hit, MAX_REACHABLE, SearchResults, Sort, last_reachable_page,
};
use maud::{Markup, PreEscaped, html};

use super::link::link;
use super::swedish::{hits_phrase, swedish_date, thousands};

/// Everything the search form and its results need.
pub struct SearchView<'a> {
    /// Where the form submits (`/sok`, `/pivi`, …).
    pub action: &'a str,
    pub results: &'a SearchResults,
    pub query: &'a str,
    pub sort: Sort,
    /// The URL's parameters as given (empty values dropped): links keep them.
    pub params: &'a [(String, String)],
    /// The facets this page offers, in order.
    pub facets: &'a [FacetKey],
    /// What the query field is called on this page.
    pub query_label: &'a str,
    /// A line to show under a hit, by the hit's URL (e.g. a group's member count).
    pub notes: &'a [(String, String)],
}

fn facet_fieldset(facet: &Facet) -> Markup {
    let values: Vec<_> = facet
        .values
        .iter()
        .filter(|v| v.count > 0 || v.selected)
        .collect();
    html! {
        @if !values.is_empty() {
            fieldset {
                legend { (facet.label) }
                ul {
                    @for (i, value) in values.iter().enumerate() {
                        @let id = format!("f-{}-{}", facet.name, i);
                        li {
                            input type="checkbox" id=(id) name=(facet.name) value=(value.value)
                                checked[value.selected];
                            label for=(id) {
                                (value.label) " "
                                span.count { "(" (thousands(value.count)) ")" }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Whether the page offers the facet with this URL name.
fn offers(view: &SearchView, name: &str) -> bool {
    view.facets.iter().any(|key| key.name() == name)
}

/// The same search without any of the page's facet filters (the query, sorting and page
/// size stay).
fn without_filters(view: &SearchView) -> String {
    let kept: Vec<(String, String)> = view
        .params
        .iter()
        .filter(|(n, _)| !offers(view, n))
        .cloned()
        .collect();
    link(view.action, &kept, None, None, None)
}

fn chips(view: &SearchView) -> Markup {
    let mut active = Vec::new();
    for facet in &view.results.facets {
        if !offers(view, facet.name) {
            continue;
        }
        for value in facet.values.iter().filter(|v| v.selected) {
            active.push((facet, value));
        }
    }
    html! {
        @if !active.is_empty() {
            ul.valda-filter aria-label="Valda filter" {
                @for (facet, value) in active {
                    li {
                        a href=(link(view.action, view.params, Some((facet.name, &value.value)), None, None))
                            aria-label=(format!("Ta bort filtret {}: {}", facet.label, value.label)) {
                            (facet.label) ": " (value.label) " ✕"
                        }
                    }
                }
                li { a href=(without_filters(view)) { "Rensa alla" } }
            }
        }
    }
}

/// One hit: kind, linked title, highlighted snippet, date.
pub fn hit(hit: &Hit) -> Markup {
    noted_hit(hit, None)
}

/// One hit with a line of its own under the snippet.
fn noted_hit(hit: &Hit, note: Option<&str>) -> Markup {
    html! {
        li.traff {
            span.typ { (hit.label.as_deref().unwrap_or(hit.kind.singular())) }
            h3 { a href=(hit.url) { (hit.title) } }
            @if !hit.snippet.is_empty() {
                // The snippet is HTML-escaped by the index; only <mark> is markup.
                p.utdrag { (PreEscaped(&hit.snippet)) }
            }
            @if let Some(note) = note {
                p.meta { (note) }
            } @else if !hit.date.is_empty() {
                p.meta { time datetime=(hit.date) { (swedish_date(&hit.date)) } }
            }
        }
    }
}

fn pagination(view: &SearchView) -> Markup {
    let r = view.results;
    let pages = page_count(r);
    if pages <= 1 {
        return html! {};
    }
    let current = r.page.min(pages);
    let from = current.saturating_sub(3).max(1);
    let to = (current + 3).min(pages);
    let href = |page: usize| link(view.action, view.params, None, Some(page), None);
    html! {
        nav.sidor aria-label="Sidor" {
            ul {
                @if current > 1 {
                    li { a href=(href(current - 1)) rel="prev" { "Föregående" } }
                }
                @if from > 1 {
                    li { a href=(href(1)) aria-label="Sida 1" { "1" } }
                    @if from > 2 { li { span aria-hidden="true" { "…" } } }
                }
                @for page in from..=to {
                    li {
                        @if page == current {
                            a href=(href(page)) aria-current="page" aria-label=(format!("Sida {page}, nuvarande")) { (page) }
                        } @else {
                            a href=(href(page)) aria-label=(format!("Sida {page}")) { (page) }
                        }
                    }
                }
                @if to < pages {
                    @if to + 1 < pages { li { span aria-hidden="true" { "…" } } }
                    li { a href=(href(pages)) aria-label=(format!("Sida {pages}")) { (pages) } }
                }
                @if current < pages {
                    li { a href=(href(current + 1)) rel="next" { "Nästa" } }
                }
            }
        }
    }
}

/// How many pages the results fill (at least one).
fn page_count(r: &SearchResults) -> usize {
    let reachable = r.total.min(MAX_REACHABLE as u64);
    (reachable.div_ceil(r.per_page.max(1) as u64) as usize)
        .clamp(1, last_reachable_page(r.per_page))
}

/// A page number past the last page: say so and link to the pages that exist.
fn past_the_end(view: &SearchView) -> Markup {
    let last = page_count(view.results);
    html! {
        div.tom {
            p { strong { "Sidan " (view.results.page) " finns inte." } " Träffarna räcker till "
                @if last == 1 { "en sida" } @else { (last) " sidor" } "." }
            p {
                a href=(link(view.action, view.params, None, Some(1), None)) { "Till första sidan" }
                @if last > 1 {
                    " · "
                    a href=(link(view.action, view.params, None, Some(last), None)) { "Till sista sidan" }
                }
            }
        }
    }
}

fn empty_state(view: &SearchView) -> Markup {
    let filtered = view.params.iter().any(|(n, _)| offers(view, n));
    html! {
        div.tom {
            p { strong {
                @if view.query.is_empty() { "Inget matchar filtren." }
                @else { "Inga träffar för ”" (view.query) "”." }
            } }
            p { "Tips:" }
            ul.list {
                li { "Kontrollera stavningen, eller prova ett annat eller mer allmänt ord." }
                li { "Sök på en del av ett sammansatt ord: " em { "trygghet" } " hittar även "
                     em { "trygghetsvandring" } "." }
                @if filtered {
                    li { a href=(without_filters(view)) { "Sök utan filter" } }
                }
                li { "Bläddra i " a href="/pivi" { "pivi" } ", "
                     a href="/stadsutveckling" { "kunskapsmatrisen" } " eller "
                     a href="/medinflytande" { "dialogverktyget" } "." }
            }
        }
    }
}

/// The whole search area: query row, facets and results, in one GET form so the URL always
/// holds the state. Checkbox filters apply with the form's buttons (no script needed).
pub fn search_area(view: &SearchView) -> Markup {
    let r = view.results;
    let shown: Vec<&Facet> = view
        .facets
        .iter()
        .filter_map(|key| r.facets.iter().find(|f| f.name == key.name()))
        .filter(|f| f.values.iter().any(|v| v.count > 0 || v.selected))
        .collect();
    let per_page = view.params.iter().find(|(n, _)| n == "per_sida");
    html! {
        form #sokformular method="get" action=(view.action) {
            div.sokrad {
                div.falt {
                    label for="q" { (view.query_label) }
                    input #q type="search" name="q" value=(view.query) data-forslag
                        autocomplete="off" maxlength="500";
                }
                div.falt {
                    label for="sortera" { "Sortera" }
                    select #sortera name="sortera" {
                        option value="relevans" selected[view.sort == Sort::Relevance] { "Mest relevant först" }
                        option value="nyast" selected[view.sort == Sort::Newest] { "Nyast först" }
                    }
                }
                button type="submit" { "Sök" }
                @if let Some((_, value)) = per_page {
                    input type="hidden" name="per_sida" value=(value);
                }
            }
            div.search-layout {
                div.results {
                    h2.visually-hidden { "Resultat" }
                    p #antal-traffar role="status" {
                        strong { (hits_phrase(r.total)) }
                        @if !view.query.is_empty() { " för ”" (view.query) "”" }
                    }
                    (chips(view))
                    @if let Some(suggestion) = &r.suggestion {
                        p.menade-du {
                            "Menade du "
                            a href=(link(view.action, view.params, None, None, Some(suggestion))) { (suggestion) }
                            "?"
                        }
                    }
                    @if r.hits.is_empty() && r.total > 0 {
                        (past_the_end(view))
                    } @else if r.hits.is_empty() {
                        (empty_state(view))
                    } @else {
                        ol.traffar start=(((r.page - 1) * r.per_page + 1)) {
                            @for h in &r.hits {
                                @let note = view.notes.iter().find(|(url, _)| *url == h.url);
                                (noted_hit(h, note.map(|(_, n)| n.as_str())))
                            }
                        }
                        (pagination(view))
                    }
                }
                @if !shown.is_empty() {
                    div.facets {
                        h2 { "Filtrera" }
                        @for facet in &shown { (facet_fieldset(facet)) }
                        button type="submit" { "Visa resultat" }
                    }
                }
            }
        }
    }
}
