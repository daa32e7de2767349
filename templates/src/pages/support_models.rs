//! Support models for site admins: the list, and the form that creates a new model of any
//! kind (a matrix's axes, a catalogue's categories, a guide's phases, one per line).

use hallbar_index::SupportModel;
use maud::{Markup, html};

use crate::components::form::{Field, FormState, InputKind, choice, error_summary, field};
use crate::layout::Page;
use crate::pages::account::csrf_field;

/// Where the form is, and where it posts.
pub const NEW_PATH: &str = "/admin/stodmodeller/ny";
/// The list of models.
pub const LIST_PATH: &str = "/admin/stodmodeller";

/// The kinds as the form offers them: (value, label).
pub const KINDS: &[(&str, &str)] = &[
    ("matris", "Kunskapsmatris"),
    ("katalog", "Katalog"),
    ("fasguide", "Fasguide"),
];

/// Every model, in navigation order, with a link to the form; `created` names a model just
/// made.
pub fn list(page: &Page, models: &[SupportModel], created: Option<&SupportModel>) -> Markup {
    page.render(html! {
        h1 { "Stödmodeller" }
        @if let Some(model) = created {
            p.notis role="status" {
                "Stödmodellen " a href=(model.path()) { (model.name) } " är skapad."
            }
        }
        p { a href=(NEW_PATH) { "Skapa en ny stödmodell" } }
        table {
            caption { "Webbplatsens stödmodeller i menyns ordning" }
            thead { tr { th scope="col" { "Namn" } th scope="col" { "Område" } th scope="col" { "Typ" } th scope="col" { "Adress" } } }
            tbody {
                @for model in models {
                    tr {
                        th scope="row" { (model.name) }
                        td { (model.area) }
                        td { (model.kind.label()) }
                        td { a href=(model.path()) { (model.path()) } }
                    }
                }
            }
        }
    })
}

fn lines(form: &FormState, name: &str, label: &str, hint: &str) -> Markup {
    field(
        form,
        &Field::text(name, label)
            .kind(InputKind::Textarea { rows: 5 })
            .hint(hint),
    )
}

/// The form for a new support model, with what was typed and a message at each field that
/// was wrong.
pub fn new_model(page: &Page, form: &FormState, csrf: &str) -> Markup {
    const ONE_PER_LINE: &str = "Ett värde per rad, i den ordning de ska visas.";
    page.render(html! {
        p.brodsmula { a href=(LIST_PATH) { "Stödmodeller" } }
        h1 { "Ny stödmodell" }
        (error_summary(form))
        form.formular method="post" action=(NEW_PATH) novalidate {
            (csrf_field(csrf))
            fieldset {
                legend { "Om stödmodellen" }
                (field(form, &Field::text("namn", "Namn").required().max_chars(120)))
                (field(form, &Field::text("omrade", "Område").max_chars(120)
                    .hint("Namnet i menyn, t.ex. Stadsutveckling. Blir samma som Namn om du lämnar det tomt.")))
                (field(form, &Field::text("adress", "Adress").required().max_chars(80)
                    .hint("Stödmodellen får adressen /adress. Bara a–z, 0–9 och bindestreck, t.ex. ungas-inflytande.")))
                (field(form, &Field::text("introduktion", "Introduktion").required()
                    .kind(InputKind::Textarea { rows: 4 }).max_chars(1000)))
            }
            (choice(form, "typ", "Typ", KINDS))
            fieldset {
                legend { "Kunskapsmatris: axlar" }
                p { "Fyll i för en kunskapsmatris." }
                (field(form, &Field::text("rader-namn", "Rader – namn").max_chars(200)))
                (lines(form, "rader-varden", "Rader – värden", ONE_PER_LINE))
                (field(form, &Field::text("kolumner-namn", "Kolumner – namn").max_chars(200)))
                (lines(form, "kolumner-varden", "Kolumner – värden", ONE_PER_LINE))
            }
            fieldset {
                legend { "Katalog: kategorier" }
                (lines(form, "kategorier", "Kategorier", ONE_PER_LINE))
            }
            fieldset {
                legend { "Fasguide: faser" }
                (lines(form, "faser", "Faser", ONE_PER_LINE))
            }
            button type="submit" { "Skapa stödmodellen" }
        }
    })
}
