//! Pieces shared by several pages: the faceted search form with its results (used by
//! `/sok`, `/pivi` and `/medlemmar`), links that keep the search state, Swedish dates.

use hallbar_index::search::{Facet, Hit, MAX_PAGE, SearchResults, Sort};
use maud::{Markup, PreEscaped, html};

/// Everything the search form and its results need.
pub struct SearchView<'a> {
    /// Where the form submits (`/sok`, `/pivi`, …).
    pub action: &'a str,
    pub results: &'a SearchResults,
    pub query: &'a str,
    pub sort: Sort,
    /// The URL's parameters as given (empty values dropped): links keep them.
    pub params: &'a [(String, String)],
    /// The facets this page offers, by URL name, in order.
    pub facets: &'a [&'a str],
    /// What the query field is called on this page.
    pub query_label: &'a str,
}

/// `action?params`, with `remove` taken out, `page` set (or dropped for page 1) and, when
/// given, `q` replaced.
pub fn link(
    action: &str,
    params: &[(String, String)],
    remove: Option<(&str, &str)>,
    page: Option<usize>,
    query: Option<&str>,
) -> String {
    let mut url = form_urlencoded::Serializer::new(String::new());
    for (name, value) in params {
        if name == "sida" || (query.is_some() && name == "q") {
            continue;
        }
        if remove.is_some_and(|(n, v)| n == name && v == value) {
            continue;
        }
        url.append_pair(name, value);
    }
    if let Some(q) = query {
        url.append_pair("q", q);
    }
    if let Some(page) = page.filter(|p| *p > 1) {
        url.append_pair("sida", &page.to_string());
    }
    let encoded = url.finish();
    if encoded.is_empty() {
        action.to_string()
    } else {
        format!("{action}?{encoded}")
    }
}

const MONTHS: [&str; 12] = [
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
];

/// `2024-03-05` → `5 mars 2024`; anything else is returned as it is.
pub fn swedish_date(iso: &str) -> String {
    match chrono::NaiveDate::parse_from_str(iso, "%Y-%m-%d") {
        Ok(date) => {
            use chrono::Datelike;
            format!(
                "{} {} {}",
                date.day(),
                MONTHS[date.month0() as usize],
                date.year()
            )
        }
        Err(_) => iso.to_string(),
    }
}

/// A `<time>` element for a date.
pub fn date(date: &chrono::NaiveDate) -> Markup {
    let iso = date.format("%Y-%m-%d").to_string();
    html! { time datetime=(iso) { (swedish_date(&iso)) } }
}

/// "1 träff" / "12 träffar".
pub fn hits_phrase(total: u64) -> String {
    match total {
        1 => "1 träff".to_string(),
        n => format!("{} träffar", thousands(n)),
    }
}

/// 12345 → "12 345" (Swedish digit grouping with a no-break space).
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('\u{a0}');
        }
        out.push(c);
    }
    out
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

/// The same search without any of the page's facet filters (the query, sorting and page
/// size stay).
fn without_filters(view: &SearchView) -> String {
    let kept: Vec<(String, String)> = view
        .params
        .iter()
        .filter(|(n, _)| !view.facets.contains(&n.as_str()))
        .cloned()
        .collect();
    link(view.action, &kept, None, None, None)
}

fn chips(view: &SearchView) -> Markup {
    let mut active = Vec::new();
    for facet in &view.results.facets {
        if !view.facets.contains(&facet.name) {
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
    html! {
        li.traff {
            span.typ { (hit.kind.singular()) }
            h3 { a href=(hit.url) { (hit.title) } }
            @if !hit.snippet.is_empty() {
                // The snippet is HTML-escaped by the index; only <mark> is markup.
                p.utdrag { (PreEscaped(&hit.snippet)) }
            }
            @if !hit.date.is_empty() {
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
    (r.total.div_ceil(r.per_page.max(1) as u64) as usize).clamp(1, MAX_PAGE)
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
    let filtered = view
        .params
        .iter()
        .any(|(n, _)| view.facets.contains(&n.as_str()));
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
        .filter_map(|name| r.facets.iter().find(|f| f.name == *name))
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
                            @for h in &r.hits { (hit(h)) }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_keep_state_and_drop_what_they_should() {
        let params = vec![
            ("q".to_string(), "trygghet & dialog".to_string()),
            ("stadsdel".to_string(), "angered".to_string()),
            ("stadsdel".to_string(), "centrum".to_string()),
            ("sida".to_string(), "3".to_string()),
        ];
        assert_eq!(
            link("/sok", &params, Some(("stadsdel", "angered")), None, None),
            "/sok?q=trygghet+%26+dialog&stadsdel=centrum"
        );
        assert_eq!(
            link("/sok", &params, None, Some(2), None),
            "/sok?q=trygghet+%26+dialog&stadsdel=angered&stadsdel=centrum&sida=2"
        );
        assert_eq!(
            link("/sok", &params, None, None, Some("trygghet")),
            "/sok?stadsdel=angered&stadsdel=centrum&q=trygghet"
        );
        assert_eq!(link("/pivi", &[], None, Some(1), None), "/pivi");
    }

    #[test]
    fn dates_and_numbers_are_swedish() {
        assert_eq!(swedish_date("2024-03-05"), "5 mars 2024");
        assert_eq!(swedish_date("okänt"), "okänt");
        assert_eq!(thousands(12345), "12\u{a0}345");
        assert_eq!(hits_phrase(1), "1 träff");
    }
}
