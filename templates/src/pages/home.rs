//! The start page: what the service is, the support models, and what the network holds.

use hallbar_index::{CorpusCounts, SupportModel};
use maud::{Markup, html};

use crate::page;

/// What a support model holds, in words.
fn model_contents(model: &SupportModel, counts: &CorpusCounts) -> String {
    match model.slug {
        "stadsutveckling" => format!(
            "{} rutor med kunskap och {} artiklar",
            counts.matrix_cells, counts.articles
        ),
        "pivi" => format!(
            "{} projekt, idéer, verksamheter och inspirationsexempel",
            counts.pivi_entries
        ),
        "medinflytande" => format!(
            "{} texter, checklistor och erfarenheter",
            counts.dialogue_texts
        ),
        _ => String::new(),
    }
}

pub fn home(counts: &CorpusCounts, models: &[SupportModel]) -> Markup {
    page(
        "Socialt hållbar utveckling i Göteborg",
        "Mötesplats och kunskapsbank för alla som arbetar med socialt hållbar utveckling i \
         Göteborg: hitta kollegor efter kompetens, projekt, kunskap och verktyg för dialog.",
        html! {
            h1 { "Socialt hållbar utveckling i Göteborg" }
            p {
                "hallbar samlar alla som arbetar för ett socialt hållbart Göteborg – "
                "tjänstepersoner, yrkesverksamma, forskare, studenter, näringsliv och föreningar. "
                "Här hittar du kollegor med rätt kompetens, lär av andras projekt och får stöd "
                "i arbetet med stadsutveckling, social utveckling och medinflytande, så att "
                "ingen behöver uppfinna hjulet på nytt."
            }
            section aria-labelledby="stodmodeller" {
                h2 id="stodmodeller" { "Stödmodeller" }
                p { "Stödmodellerna är öppna för alla – du behöver inget konto." }
                ul.cards {
                    @for model in models {
                        li {
                            h3 { (model.area) }
                            p { strong { (model.name) } }
                            p { (model.intro) }
                            p { (model_contents(model, counts)) }
                        }
                    }
                }
            }
            section aria-labelledby="natverket" {
                h2 id="natverket" { "Nätverket" }
                p {
                    "Som medlem beskriver du din bakgrund och kompetens, hittar andra som "
                    "arbetar med samma frågor och deltar i grupper och diskussioner."
                }
                dl.stats {
                    div { dt { "Medlemmar" } dd { (counts.members) } }
                    div { dt { "Grupper" } dd { (counts.groups) } }
                    div { dt { "Diskussioner" } dd { (counts.threads) } }
                    div { dt { "Inlägg" } dd { (counts.posts) } }
                }
            }
        },
    )
}
