//! The network's people: the member directory and a profile.

use hallbar_index::Member;
use hallbar_index::matching::MemberMatch;
use hallbar_index::search::FacetKey;
use maud::{Markup, PreEscaped, html};

use crate::Page;
use crate::components::{SearchView, date, link, search_area};

/// A reason's Swedish name.
fn evidence_label(kind: &str) -> &'static str {
    match kind {
        "delad_kompetens" => "Delad kompetens",
        "narliggande_kompetens" => "Närliggande kompetens",
        "bakgrund" => "Bakgrund",
        "pivi" => "I pivi",
        "inlagg" => "Inlägg",
        "diskussion" => "Diskussion",
        _ => "Gemensamt",
    }
}

/// The facets of the member directory.
pub const FACETS: &[FacetKey] = &[FacetKey::Sector, FacetKey::District, FacetKey::Competence];

pub fn directory(page: &Page, view: &SearchView, logged_in: bool) -> Markup {
    page.render(html! {
        h1 { "Medlemmar" }
        p.lead {
            "Hitta kollegor efter kompetens, sektor och stadsdel – nätverket finns för att "
            "bygga broar mellan förvaltningar, forskning, näringsliv och föreningar."
        }
        @if !logged_in {
            p { "Du ser de profiler som medlemmarna valt att visa för alla. Inloggade medlemmar "
                "ser även profiler som bara visas i nätverket." }
        }
        (search_area(view))
    })
}

pub fn profile(page: &Page, m: &Member, colleagues: &[MemberMatch]) -> Markup {
    page.render(html! {
        nav aria-label="Brödsmulor" {
            p.meta { a href="/medlemmar" { "Medlemmar" } " › Profil" }
        }
        article {
            h1 { (m.name) }
            p.lead { (m.title) ", " (m.organisation) }
            dl.facts {
                dt { "Sektor" } dd { a href=(format!("/medlemmar?sektor={}", m.sector.slug())) { (m.sector.label()) } }
                dt { "Stadsdel" } dd { a href=(format!("/medlemmar?stadsdel={}", m.district.slug())) { (m.district.label()) } }
                dt { "Medlem sedan" } dd { (date(&m.member_since)) }
            }
            h2 { "Bakgrund" }
            @for paragraph in m.background.split("\n\n").filter(|p| !p.trim().is_empty()) {
                p { (paragraph.trim()) }
            }
            @if !m.competences.is_empty() {
                h2 { "Kompetens" }
                ul.tags {
                    @for c in &m.competences {
                        li { a href=(link("/medlemmar", &[("kompetens".into(), c.to_lowercase())], None, None, None))
                             aria-label=(format!("Fler medlemmar med kompetensen {c}")) { (c) } }
                    }
                }
            }
            @if !m.interests.is_empty() {
                h2 { "Intressen" }
                ul.tags { @for i in &m.interests { li { (i) } } }
            }
        }
        @if !colleagues.is_empty() {
            section aria-labelledby="liknande-kompetens" {
                h2 #liknande-kompetens { "Medlemmar med liknande kompetens" }
                ol.traffar {
                    @for c in colleagues {
                        li.traff {
                            h3 { a href=(c.url) { (c.name) } }
                            p.meta { (c.summary) }
                            ul.list {
                                @for e in c.evidence.iter().take(3) {
                                    // Evidence text is HTML-escaped by the index; only <mark> is markup.
                                    li { (evidence_label(e.kind)) ": " (PreEscaped(&e.text)) }
                                }
                            }
                        }
                    }
                }
            }
        }
    })
}
