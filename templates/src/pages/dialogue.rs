//! Medinflytande – the dialogue tool: the four phases, one phase with its texts, checklists
//! and experiences, and one text (a checklist as real, printable checkboxes).

use hallbar_index::matching::MemberMatch;
use hallbar_index::paths;
use hallbar_index::{DialogueKind, DialogueText, Phase};
use maud::{Markup, html};

use crate::Page;
use crate::components::{date, who_knows};
use crate::markdown;

/// What each phase is about, in the order a dialogue goes through them.
pub fn phase_intro(phase: Phase) -> &'static str {
    match phase {
        Phase::Preparation => {
            concat!(
                "Innan dialogen börjar: varför ska vi ha dialog, om vad, med vilka, och vad kan ",
                "deltagarna faktiskt påverka? Här läggs syfte, avgränsningar och resurser fast."
            )
        }
        Phase::Inventory => {
            concat!(
                "Vilka berörs och vilka hörs sällan? Kartlägg aktörer, tidigare dialoger och den ",
                "kunskap som redan finns i området, så att ingen grupp glöms bort."
            )
        }
        Phase::Implementation => {
            concat!(
                "Själva mötena: metoder och platser som gör det lätt att delta, tydliga ramar och ",
                "dokumentation som deltagarna känner igen sig i."
            )
        }
        Phase::FollowUp => {
            concat!(
                "Efter dialogen: återkoppla vad som hände med synpunkterna, utvärdera processen ",
                "och ta lärdomarna vidare till nästa gång."
            )
        }
    }
}

pub fn overview(page: &Page, texts: &[DialogueText]) -> Markup {
    page.render(html! {
        h1 { "Medinflytande – dialogverktyget" }
        p.lead {
            "Dialogverktyget utgår från fyra faser som finns i de flesta dialogprocesser. "
            "I varje fas hittar du texter, checklistor och andras erfarenheter av dialog."
        }
        ol.faser {
            @for phase in Phase::ALL {
                @let in_phase: Vec<_> = texts.iter().filter(|t| t.phase == *phase).collect();
                li {
                    h2 { a href=(paths::dialogue_phase(*phase)) { (phase.label()) } }
                    p { (phase_intro(*phase)) }
                    p.meta {
                        (count(&in_phase, DialogueKind::Text, "text", "texter")) ", "
                        (count(&in_phase, DialogueKind::Checklist, "checklista", "checklistor")) ", "
                        (count(&in_phase, DialogueKind::Experience, "erfarenhet", "erfarenheter"))
                    }
                }
            }
        }
    })
}

fn count(texts: &[&DialogueText], kind: DialogueKind, one: &str, many: &str) -> String {
    let n = texts.iter().filter(|t| t.kind == kind).count();
    format!("{n} {}", if n == 1 { one } else { many })
}

fn text_list(class: &str, texts: &[&DialogueText]) -> Markup {
    html! {
        ul class=(format!("list {class}")) {
            @for t in texts {
                li {
                    a href=(paths::dialogue_text(t.phase, &t.id)) { (t.title) }
                    @if !t.lead.is_empty() { br; span.meta { (t.lead) } }
                }
            }
        }
    }
}

pub fn phase(page: &Page, phase: Phase, texts: &[DialogueText]) -> Markup {
    let of = |kind| texts.iter().filter(|t| t.kind == kind).collect::<Vec<_>>();
    let position = Phase::ALL.iter().position(|p| *p == phase).unwrap_or(0);
    page.render(html! {
        nav aria-label="Brödsmulor" {
            p.meta { a href="/medinflytande" { "Dialogverktyget" } " › Fas " (position + 1) " av 4" }
        }
        h1 { (phase.label()) }
        p.lead { (phase_intro(phase)) }
        @for (kind, heading, class, empty) in [
            (DialogueKind::Text, "Texter", "texter", "Inga texter i den här fasen ännu."),
            (DialogueKind::Checklist, "Checklistor", "checklistor", "Inga checklistor i den här fasen ännu."),
            (DialogueKind::Experience, "Erfarenheter", "erfarenheter", "Inga erfarenheter i den här fasen ännu."),
        ] {
            h2 { (heading) }
            @let list = of(kind);
            @if list.is_empty() { p { (empty) } } @else { (text_list(class, &list)) }
        }
        nav aria-label="Faserna" {
            ul.list {
                @if position > 0 {
                    @let prev = Phase::ALL[position - 1];
                    li { "Föregående fas: " a href=(paths::dialogue_phase(prev)) { (prev.label()) } }
                }
                @if let Some(next) = Phase::ALL.get(position + 1) {
                    li { "Nästa fas: " a href=(paths::dialogue_phase(*next)) { (next.label()) } }
                }
            }
        }
    })
}

pub fn text(
    page: &Page,
    t: &DialogueText,
    siblings: &[DialogueText],
    people: &[MemberMatch],
) -> Markup {
    page.render(html! {
        nav aria-label="Brödsmulor" {
            p.meta {
                a href="/medinflytande" { "Dialogverktyget" } " › "
                a href=(paths::dialogue_phase(t.phase)) { (t.phase.label()) } " › "
                (t.kind.label())
            }
        }
        article {
            p.typ { (t.kind.label()) " · " (t.phase.label()) }
            h1 { (t.title) }
            p.meta {
                (t.author) ", " (date(&t.published))
                @if let Some(d) = t.district { ", " (d.label()) }
            }
            @if !t.lead.is_empty() { p.lead { (t.lead) } }
            (markdown::to_html(&t.text))
            @if !t.checklist.is_empty() {
                h2 #checklista-rubrik { "Checklista" }
                p.no-print { "Kryssa för det som är klart. Kryssen sparas inte hos oss; skriv ut "
                    "listan om du vill ha den med dig." }
                ul.checklista data-lista=(t.id) aria-labelledby="checklista-rubrik" {
                    @for (i, item) in t.checklist.iter().enumerate() {
                        @let id = format!("punkt-{}", i + 1);
                        li {
                            // Ticks are remembered by the item's text, so an edited list
                            // never moves a tick onto another item.
                            input type="checkbox" id=(id)
                                value=(format!("{:016x}", crate::assets::fingerprint(item)));
                            label for=(id) { (item) }
                        }
                    }
                }
                div #checklista-atgarder .no-print {}
            }
        }
        @let others: Vec<_> = siblings.iter().filter(|s| s.id != t.id).collect();
        @if !others.is_empty() {
            h2 { "Mer i fasen " (t.phase.label()) }
            (text_list("fler", &others))
        }
        (who_knows(people))
    })
}
