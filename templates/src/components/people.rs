//! People beside content: competences as links to their pages, why someone was suggested
//! (evidence lines), and the "Kollegor som kan det här" section under knowledge pages.

use hallbar_index::matching::{Evidence, MemberMatch};
use hallbar_index::paths;
use maud::{Markup, PreEscaped, html};

/// A reason's Swedish name.
pub fn evidence_label(kind: &str) -> &'static str {
    match kind {
        "delad_kompetens" => "Delad kompetens",
        "narliggande_kompetens" => "Närliggande kompetens",
        "bakgrund" => "Bakgrund",
        "profil" => "Profil",
        "pivi" => "I pivi",
        "inlagg" => "Inlägg",
        "diskussion" => "Diskussion",
        _ => "Gemensamt",
    }
}

/// One reason on one line: a competence links to its page, anything else to where it is
/// written.
pub fn evidence_line(e: &Evidence) -> Markup {
    // Evidence text is HTML-escaped by the index; only <mark> is markup.
    html! {
        @if e.kind.ends_with("kompetens") {
            (evidence_label(e.kind)) ": " a href=(e.url) { (PreEscaped(&e.text)) }
        } @else {
            a href=(e.url) { (evidence_label(e.kind)) } ": " (PreEscaped(&e.text))
        }
    }
}

/// A competence as a link to its page.
pub fn competence_link(name: &str) -> Markup {
    html! { a href=(paths::competence(name)) { (name) } }
}

/// Competences as a list of links to their pages.
pub fn competence_list(competences: &[String]) -> Markup {
    html! {
        ul.tags {
            @for c in competences { li { (competence_link(c)) } }
        }
    }
}

/// Suggested members as a short list: name, title and organisation, and the first reason.
pub fn member_list(matches: &[MemberMatch]) -> Markup {
    html! {
        ul.list.kollegor {
            @for m in matches {
                li {
                    a href=(m.url) { (m.name) }
                    @if !m.summary.is_empty() { ", " span.meta { (m.summary) } }
                    @if let Some(e) = m.evidence.first() {
                        br;
                        span.bevis { (evidence_line(e)) }
                    }
                }
            }
        }
    }
}

/// Members who know about the page's topic; nothing when nobody does.
pub fn who_knows(matches: &[MemberMatch]) -> Markup {
    html! {
        @if !matches.is_empty() {
            section #kollegor aria-labelledby="kollegor-rubrik" {
                h2 #kollegor-rubrik { "Kollegor som kan det här" }
                (member_list(matches))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(kind: &'static str, text: &str, url: &str) -> MemberMatch {
        MemberMatch {
            id: "anna".into(),
            name: "Anna <A>".into(),
            summary: "Samordnare, Göteborgs Stad".into(),
            url: "/medlemmar/anna".into(),
            score: 1.0,
            evidence: vec![Evidence {
                kind,
                text: text.into(),
                url: url.into(),
            }],
        }
    }

    #[test]
    fn nobody_knows_nothing_is_shown() {
        assert_eq!(who_knows(&[]).into_string(), "");
    }

    #[test]
    fn each_member_with_one_line_of_evidence() {
        let html = who_knows(&[found(
            "pivi",
            "Läxhjälp i <mark>Hjällbo</mark>",
            "/pivi/laxhjalp",
        )])
        .into_string();
        assert!(html.contains("<h2 id=\"kollegor-rubrik\">Kollegor som kan det här</h2>"));
        assert!(
            html.contains(r#"<a href="/medlemmar/anna">Anna &lt;A&gt;</a>"#),
            "{html}"
        );
        assert!(
            html.contains(
                r#"<a href="/pivi/laxhjalp">I pivi</a>: Läxhjälp i <mark>Hjällbo</mark>"#
            ),
            "{html}"
        );
        assert_eq!(html.matches("<br>").count(), 1);
    }

    #[test]
    fn competences_link_to_their_pages() {
        let html = competence_list(&["Trygghet på torg".into()]).into_string();
        assert!(html.contains(r#"<a href="/kompetens/trygghet-pa-torg">Trygghet på torg</a>"#));
        let line = evidence_line(&Evidence {
            kind: "delad_kompetens",
            text: "<mark>Medborgardialog</mark>".into(),
            url: "/kompetens/medborgardialog".into(),
        })
        .into_string();
        assert_eq!(
            line,
            r#"Delad kompetens: <a href="/kompetens/medborgardialog"><mark>Medborgardialog</mark></a>"#
        );
    }
}
