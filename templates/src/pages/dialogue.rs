//! A phased guide (the first is Medinflytande – the dialogue tool): its phases, one phase with
//! its texts, checklists and experiences, and one text (a checklist as real, printable
//! checkboxes).

use hallbar_index::matching::MemberMatch;
use hallbar_index::paths;
use hallbar_index::{DialogueKind, DialogueText, GuidePhase, SupportModel};
use maud::{Markup, html};

use crate::Page;
use crate::components::{date, who_knows};
use crate::markdown;

pub fn overview(page: &Page, model: &SupportModel, texts: &[DialogueText]) -> Markup {
    page.render(html! {
        h1 { (model.title()) }
        p.lead { (model.intro) }
        ol.faser {
            @for phase in &model.phases {
                @let in_phase: Vec<_> = texts.iter().filter(|t| t.phase == phase.id).collect();
                li {
                    h2 { a href=(paths::dialogue_phase(&model.id, &phase.id)) { (phase.name) } }
                    @if !phase.description.is_empty() { p { (phase.description) } }
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
                    a href=(paths::dialogue_text(&t.model, &t.phase, &t.id)) { (t.title) }
                    @if !t.lead.is_empty() { br; span.meta { (t.lead) } }
                }
            }
        }
    }
}

pub fn phase(
    page: &Page,
    model: &SupportModel,
    phase: &GuidePhase,
    texts: &[DialogueText],
) -> Markup {
    let of = |kind| texts.iter().filter(|t| t.kind == kind).collect::<Vec<_>>();
    let phases = &model.phases;
    let position = phases.iter().position(|p| p.id == phase.id).unwrap_or(0);
    page.render(html! {
        nav aria-label="Brödsmulor" {
            p.meta { a href=(model.path()) { (model.name) } " › Fas " (position + 1) " av " (phases.len()) }
        }
        h1 { (phase.name) }
        @if !phase.description.is_empty() { p.lead { (phase.description) } }
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
                    @let prev = &phases[position - 1];
                    li { "Föregående fas: " a href=(paths::dialogue_phase(&model.id, &prev.id)) { (prev.name) } }
                }
                @if let Some(next) = phases.get(position + 1) {
                    li { "Nästa fas: " a href=(paths::dialogue_phase(&model.id, &next.id)) { (next.name) } }
                }
            }
        }
    })
}

pub fn text(
    page: &Page,
    model: &SupportModel,
    t: &DialogueText,
    siblings: &[DialogueText],
    people: &[MemberMatch],
) -> Markup {
    let phase = model.phase_name(t.phase.as_str());
    page.render(html! {
        nav aria-label="Brödsmulor" {
            p.meta {
                a href=(model.path()) { (model.name) } " › "
                a href=(paths::dialogue_phase(&model.id, &t.phase)) { (phase) } " › "
                (t.kind.label())
            }
        }
        article {
            p.typ { (t.kind.label()) " · " (phase) }
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
            h2 { "Mer i fasen " (phase) }
            (text_list("fler", &others))
        }
        (who_knows(people))
    })
}
