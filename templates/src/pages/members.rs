//! The network's people: the member directory, a profile, a competence's page and a
//! logged-in member's colleague matches ("Hitta kollegor").

use hallbar_index::matching::MemberMatch;
use hallbar_index::paths;
use hallbar_index::search::FacetKey;
use hallbar_index::vocabulary::CompetencePage;
use hallbar_index::{Member, PiviEntry, SupportModel, competence_key};
use maud::{Markup, html};

use crate::Page;
use crate::components::{
    SearchView, competence_link, competence_list, date, evidence_line, link, search_area,
};

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
        p {
            a href="/vem-kan" { "Vem kan …?" } " – beskriv ett behov och hitta den som har gjort det förut."
            @if logged_in {
                " Eller låt oss " a href=(paths::MATCH_MEMBERS) { "hitta kollegor" } " med kompetens som liknar din."
            }
        }
        (search_area(view))
    })
}

pub fn profile(
    page: &Page,
    m: &Member,
    contact_for: &[PiviEntry],
    models: &[SupportModel],
    colleagues: &[MemberMatch],
) -> Markup {
    page.render(html! {
        nav aria-label="Brödsmulor" {
            p.meta { a href="/medlemmar" { "Medlemmar" } " › Profil" }
        }
        article {
            h1 { (m.name) }
            @let summary: Vec<&str> = [m.title.as_str(), m.organisation.as_str()]
                .into_iter().filter(|t| !t.is_empty()).collect();
            @if !summary.is_empty() {
                p.lead { (summary.join(", ")) }
            }
            dl.facts {
                dt { "Sektor" } dd { a href=(format!("/medlemmar?sektor={}", m.sector.slug())) { (m.sector.label()) } }
                dt { "Stadsdel" } dd { a href=(format!("/medlemmar?stadsdel={}", m.district.slug())) { (m.district.label()) } }
                dt { "Medlem sedan" } dd { (date(&m.member_since)) }
            }
            @if !m.background.trim().is_empty() {
                h2 { "Bakgrund" }
                // Members write Markdown; it is sanitized (no scripts, no raw HTML beyond
                // plain formatting).
                (crate::markdown::to_html(&m.background))
            }
            @if !m.competences.is_empty() {
                h2 { "Kompetens" }
                (competence_list(&m.competences))
            }
            @if !m.interests.is_empty() {
                h2 { "Intressen" }
                ul.tags { @for i in &m.interests { li { (i) } } }
            }
            @if !m.links.is_empty() {
                h2 { "Länkar" }
                ul.list {
                    @for l in &m.links {
                        li { a href=(l.url) rel="nofollow ugc noopener" { (l.title) } }
                    }
                }
            }
            @if !contact_for.is_empty() {
                h2 { "Kontaktperson i pivi" }
                ul.list {
                    @for e in contact_for {
                        li {
                            a href=(paths::pivi_entry(&e.model, &e.id)) { (e.title) }
                            br;
                            @let category = hallbar_index::find_model(models, e.model.as_str())
                                .map_or(e.kind.as_str(), |m| m.category_name(e.kind.as_str()));
                            span.meta { (category) ", " (e.district.label()) }
                        }
                    }
                }
            }
        }
        @if !colleagues.is_empty() {
            section aria-labelledby="liknande-kompetens" {
                h2 #liknande-kompetens { "Medlemmar med liknande kompetens" }
                (match_list(colleagues, 3))
            }
        }
    })
}

/// Suggested members with up to `reasons` lines of evidence each (under an `h2`).
fn match_list(matches: &[MemberMatch], reasons: usize) -> Markup {
    html! {
        ol.traffar {
            @for c in matches {
                li.traff {
                    h3 { a href=(c.url) { (c.name) } }
                    p.meta { (c.summary) }
                    @if !c.evidence.is_empty() {
                        ul.list {
                            @for e in c.evidence.iter().take(reasons) {
                                li { (evidence_line(e)) }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// "1 medlem" / "2 medlemmar".
fn members_phrase(n: usize) -> String {
    if n == 1 {
        "1 medlem".to_string()
    } else {
        format!("{n} medlemmar")
    }
}

/// A competence: the members who have it, and the competences that go with it.
pub fn competence(page: &Page, c: &CompetencePage) -> Markup {
    page.render(html! {
        nav aria-label="Brödsmulor" {
            p.meta { a href="/medlemmar" { "Medlemmar" } " › Kompetens" }
        }
        h1 { (c.name) }
        p.lead { (members_phrase(c.total)) " i nätverket har kompetensen " (c.name) "." }
        section aria-labelledby="har-kompetensen" {
            h2 #har-kompetensen { "Medlemmar med kompetensen" }
            ul.list {
                @for h in &c.holders {
                    li {
                        a href=(h.url) { (h.name) }
                        @if !h.summary.is_empty() { br; span.meta { (h.summary) } }
                    }
                }
            }
            @if c.total > c.holders.len() {
                p {
                    "Visar " (c.holders.len()) " av " (c.total) ". "
                    a href=(link("/medlemmar", &[("kompetens".into(), competence_key(&c.name))], None, None, None)) {
                        "Sök bland alla med kompetensen"
                    }
                }
            }
        }
        section aria-labelledby="relaterade" {
            h2 #relaterade { "Relaterade kompetenser" }
            @if c.related.is_empty() {
                p { "Ingen av dem har angett någon annan kompetens ännu." }
            } @else {
                p { "Kompetenser som medlemmarna med " (c.name) " ofta också har." }
                ul.tags {
                    @for r in &c.related {
                        li { (competence_link(&r.name)) " " span.count { "(" (r.members) ")" } }
                    }
                }
            }
        }
    })
}

/// What the colleague matching page shows a logged-in member.
pub struct MatchView<'a> {
    /// The member's own competences.
    pub competences: &'a [String],
    pub other_sectors_only: bool,
    pub same_district_only: bool,
    pub matches: &'a [MemberMatch],
}

/// "Hitta kollegor": members whose competence is like the logged-in member's, why, and
/// the two limits as a GET form.
pub fn matches(page: &Page, view: &MatchView) -> Markup {
    page.render(html! {
        h1 { "Hitta kollegor" }
        p.lead { "Medlemmar vars kompetens liknar din, och varför de föreslås." }
        @if view.competences.is_empty() {
            p {
                "Du har inte angett några kompetenser ännu, så vi kan inte föreslå några kollegor. "
                a href=(paths::EDIT_PROFILE) { "Lägg till kompetenser i din profil" } "."
            }
        } @else {
            p { "Din kompetens:" }
            (competence_list(view.competences))
            form method="get" action=(paths::MATCH_MEMBERS) {
                fieldset {
                    legend { "Avgränsa förslagen" }
                    div {
                        input #andra-sektorer type="checkbox" name="andra_sektorer" value="1"
                            checked[view.other_sectors_only];
                        label for="andra-sektorer" { "Bara andra sektorer" }
                    }
                    div {
                        input #min-stadsdel type="checkbox" name="min_stadsdel" value="1"
                            checked[view.same_district_only];
                        label for="min-stadsdel" { "Bara min stadsdel" }
                    }
                }
                button type="submit" { "Visa" }
            }
            section aria-labelledby="forslag" {
                h2 #forslag { "Förslag" }
                @if view.matches.is_empty() {
                    p { "Ingen medlem matchar just nu. Prova utan avgränsningar, eller lägg till fler "
                        "kompetenser i " a href=(paths::EDIT_PROFILE) { "din profil" } "." }
                } @else {
                    (match_list(view.matches, 6))
                }
            }
        }
    })
}

/// `/vem-kan?q=…`: people ranked by their evidence for a free-text need.
pub fn who_knows_page(
    page: &Page,
    need: &str,
    matches: &[MemberMatch],
    error: Option<&str>,
) -> Markup {
    page.render(html! {
        h1 { "Vem kan …?" }
        p.lead { "Beskriv vad du behöver hjälp med, så visar vi medlemmar som kan det – med det "
                 "i deras profil, kompetens och pivi-projekt som talar för dem." }
        form method="get" action="/vem-kan" role="search" {
            div.falt.fel[error.is_some()] {
                label for="vem-kan-q" { "Vad söker du kunskap om?" }
                @if let Some(message) = error {
                    p.felmeddelande id="vem-kan-q-fel" { span.visually-hidden { "Fel: " } (message) }
                }
                input #vem-kan-q type="search" name="q" value=(need) maxlength="500"
                    aria-invalid=[error.map(|_| "true")] aria-describedby=[error.map(|_| "vem-kan-q-fel")];
            }
            button type="submit" { "Sök" }
        }
        @if !need.trim().is_empty() && error.is_none() {
            section aria-labelledby="vem-kan-svar" {
                h2 #vem-kan-svar { "Medlemmar som kan det här" }
                @if matches.is_empty() {
                    p { "Ingen medlem du kan se har skrivit om det här ännu. Prova andra ord, eller "
                        "sök bland " a href="/medlemmar" { "alla medlemmar" } "." }
                } @else {
                    (match_list(matches, 4))
                }
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page() -> Page {
        Page::new(
            "Hitta kollegor",
            "Kollegor",
            "https://exempel.se/medlemmar/matcha",
        )
    }

    #[test]
    fn the_match_form_keeps_its_limits_and_works_without_script() {
        let competences = vec!["Medborgardialog".to_string()];
        let html = matches(
            &page(),
            &MatchView {
                competences: &competences,
                other_sectors_only: true,
                same_district_only: false,
                matches: &[],
            },
        )
        .into_string();
        assert!(
            html.contains(r#"<form method="get" action="/medlemmar/matcha">"#),
            "{html}"
        );
        assert!(html.contains(
            r#"<input id="andra-sektorer" type="checkbox" name="andra_sektorer" value="1" checked>"#
        ), "{html}");
        assert!(
            html.contains(
                r#"<input id="min-stadsdel" type="checkbox" name="min_stadsdel" value="1">"#
            ),
            "{html}"
        );
        assert!(html.contains(r#"<label for="andra-sektorer">Bara andra sektorer</label>"#));
        assert!(html.contains(r#"<label for="min-stadsdel">Bara min stadsdel</label>"#));
        assert!(html.contains(r#"<button type="submit">Visa</button>"#));
        assert!(html.contains(r#"<a href="/kompetens/medborgardialog">Medborgardialog</a>"#));
    }

    #[test]
    fn without_competences_the_member_is_sent_to_the_profile_editor() {
        let html = matches(
            &page(),
            &MatchView {
                competences: &[],
                other_sectors_only: false,
                same_district_only: false,
                matches: &[],
            },
        )
        .into_string();
        assert!(html.contains(r#"<a href="/profil/redigera">"#), "{html}");
        assert!(!html.contains(r#"action="/medlemmar/matcha""#), "{html}");
    }
}
