//! The start page: what the service is, the support models, and what the network holds.

use hallbar_index::matching::MemberMatch;
use hallbar_index::paths;
use hallbar_index::{Article, CorpusCounts, ModelKind, PiviEntry, SupportModel};
use maud::{Markup, html};

use crate::Page;
use crate::components::{date, member_list};

/// "1 artikel" / "2 artiklar".
fn amount(n: i64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// A support model on the start page, with how many items it holds (entries, articles or
/// texts).
pub struct ModelCard<'a> {
    pub model: &'a SupportModel,
    pub items: i64,
}

/// What a support model holds, in words.
fn model_contents(card: &ModelCard, counts: &CorpusCounts) -> String {
    match card.model.id.as_str() {
        "stadsutveckling" => format!(
            "{} med kunskap och {}",
            amount(counts.matrix_cells, "ruta", "rutor"),
            amount(counts.articles, "artikel", "artiklar")
        ),
        "pivi" => format!(
            "{} projekt, idéer, verksamheter och inspirationsexempel",
            counts.pivi_entries
        ),
        "medinflytande" => format!(
            "{} texter, checklistor och erfarenheter",
            counts.dialogue_texts
        ),
        _ => match card.model.kind {
            ModelKind::Matrix => amount(card.items, "artikel", "artiklar"),
            ModelKind::Catalogue => amount(card.items, "post", "poster"),
            ModelKind::Guide => format!(
                "{} i {}",
                amount(card.items, "text", "texter"),
                amount(card.model.phases.len() as i64, "fas", "faser")
            ),
        },
    }
}

/// An entry's category name, from its model.
fn category_of(models: &[ModelCard], entry: &PiviEntry) -> String {
    models
        .iter()
        .find(|c| c.model.id == entry.model)
        .map_or(entry.kind.to_string(), |c| {
            c.model.category_name(entry.kind.as_str()).to_string()
        })
}

fn cards_models(models: &[ModelCard]) -> Vec<SupportModel> {
    models.iter().map(|c| c.model.clone()).collect()
}

/// Fewer competences than this, and the start page asks the member to add more.
pub const FEW_COMPETENCES: usize = 3;

/// What the start page shows a logged-in member: colleagues to meet, and whether their
/// profile needs more competences to find them.
pub struct ForYou<'a> {
    pub colleagues: &'a [MemberMatch],
    /// How many competences the member's profile names.
    pub competences: usize,
    /// The newest posts in the member's groups.
    pub activity: &'a [GroupActivity],
    /// Members who joined lately and have competences like the member's.
    pub newcomers: &'a [MemberMatch],
}

/// One post in a member's groups, for the start page's feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupActivity {
    pub author: String,
    /// Whether the post opened its thread (else it is a reply).
    pub opened_thread: bool,
    pub thread_title: String,
    pub thread_path: String,
    pub group_name: String,
    pub group_path: String,
    /// "2026-12-01 14:05".
    pub when: String,
}

fn activity(items: &[GroupActivity]) -> Markup {
    html! {
        section aria-labelledby="i-dina-grupper" {
            h2 #i-dina-grupper { "I dina grupper" }
            @if items.is_empty() {
                p { "Inget nytt i dina grupper. " a href="/grupper" { "Hitta grupper att gå med i" } "." }
            } @else {
                ol.aktivitet {
                    @for item in items {
                        li {
                            (item.author)
                            @if item.opened_thread { " startade " } @else { " svarade i " }
                            a href=(item.thread_path) { (item.thread_title) }
                            " i " a href=(item.group_path) { (item.group_name) }
                            " " span.meta { "· " (item.when) }
                        }
                    }
                }
            }
        }
    }
}

fn for_you(view: &ForYou) -> Markup {
    html! {
        section aria-labelledby="kollegor-for-dig" {
            h2 #kollegor-for-dig { "Kollegor för dig" }
            @if view.competences < FEW_COMPETENCES {
                p.uppmaning {
                    a href=(paths::EDIT_PROFILE) { "Komplettera din profil" }
                    " med fler kompetenser, så hittar vi fler kollegor för dig."
                }
            }
            @if view.colleagues.is_empty() {
                p { "Vi har inga förslag på kollegor till dig ännu." }
            } @else {
                (member_list(view.colleagues))
                p { a href=(paths::MATCH_MEMBERS) { "Fler förslag i Hitta kollegor" } }
            }
        }
    }
}

pub fn home(
    page: &Page,
    personal: Option<&ForYou>,
    counts: &CorpusCounts,
    public_members: i64,
    models: &[ModelCard],
    newest_pivi: &[PiviEntry],
    newest_articles: &[Article],
) -> Markup {
    page.render(html! {
        h1 { "Socialt hållbar utveckling i Göteborg" }
        p.lead {
            "hallbar samlar alla som arbetar för ett socialt hållbart Göteborg – "
            "tjänstepersoner, yrkesverksamma, forskare, studenter, näringsliv och föreningar. "
            "Här hittar du kollegor med rätt kompetens, lär av andras projekt och får stöd "
            "i arbetet med stadsutveckling, social utveckling och medinflytande, så att "
            "ingen behöver uppfinna hjulet på nytt."
        }
        form.startsok role="search" aria-label="Sök från startsidan" method="get" action="/sok" {
            div.sokrad {
                div.falt {
                    label for="q" { "Vad letar du efter?" }
                    input #q type="search" name="q" data-forslag autocomplete="off"
                        maxlength="500" placeholder="t.ex. trygghetsvandring, läxhjälp, dialog";
                }
                button type="submit" { "Sök" }
            }
        }
        @if let Some(view) = personal {
            (for_you(view))
            @if !view.newcomers.is_empty() {
                section aria-labelledby="nya-medlemmar" {
                    h2 #nya-medlemmar { "Nya medlemmar med liknande kompetens" }
                    (member_list(view.newcomers))
                }
            }
            (activity(view.activity))
        }
        section aria-labelledby="stodmodeller" {
            h2 #stodmodeller { "Stödmodeller" }
            p { "Stödmodellerna är öppna för alla – du behöver inget konto." }
            ul.cards {
                @for card in models {
                    li {
                        h3 { a href=(card.model.path()) { (card.model.area) } }
                        p { strong { (card.model.name) } }
                        p { (card.model.intro) }
                        p.meta { (model_contents(card, counts)) }
                    }
                }
            }
        }
        div.columns {
            section aria-labelledby="nytt-pivi" {
                h2 #nytt-pivi { "Nytt i pivi" }
                ul.list {
                    @for entry in newest_pivi {
                        li {
                            a href=(paths::pivi_entry(&entry.model, &entry.id)) { (entry.title) }
                            br;
                            span.meta { (category_of(models, entry)) ", " (entry.district.label()) ", " (date(&entry.published)) }
                        }
                    }
                }
                p { a href="/pivi?sortera=nyast" { "Alla projekt och idéer" } }
            }
            section aria-labelledby="nya-artiklar" {
                h2 #nya-artiklar { "Nya artiklar" }
                ul.list {
                    @for article in newest_articles {
                        li {
                            a href=(paths::article(hallbar_index::model_of_matrix(&cards_models(models), article.matrix.as_str()).map_or(article.matrix.to_string(), |m| m.id.to_string()), &article.id)) { (article.title) }
                            br;
                            span.meta { (article.author) ", " (date(&article.published)) }
                        }
                    }
                }
                p { a href="/stadsutveckling" { "Till kunskapsmatrisen" } }
            }
        }
        section aria-labelledby="natverket" {
            h2 #natverket { "Nätverket" }
            p {
                "Som medlem beskriver du din bakgrund och kompetens, hittar andra som "
                "arbetar med samma frågor och deltar i grupper och diskussioner. "
                a href="/medlemmar" { "Sök bland medlemmarna" } "."
            }
            dl.stats {
                div { dt { "Medlemmar med offentlig profil" } dd { (public_members) } }
                div { dt { "Projekt och idéer i pivi" } dd { (counts.pivi_entries) } }
                div { dt { "Artiklar" } dd { (counts.articles) } }
                div { dt { "Texter i dialogverktyget" } dd { (counts.dialogue_texts) } }
            }
        }
    })
}
