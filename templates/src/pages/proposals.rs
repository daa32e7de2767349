//! Members' proposals: a member's own list, and the editors' queue at `/admin/forslag`
//! where each proposal is accepted, edited first, or declined with a reason.

use maud::{Markup, html};

use crate::components::form::{Field, FormState, InputKind, field};
use crate::components::swedish::moment;
use crate::layout::Page;
use crate::pages::account::csrf_field;
use crate::pages::editing::{FieldDiff, diff};

/// The longest reason or message, in characters.
pub const MAX_MESSAGE_CHARS: usize = 2_000;

/// One waiting proposal in the queue.
pub struct QueuedProposal {
    pub id: i64,
    /// "Nytt projekt i pivi", "Ändring av en artikel", …
    pub what: String,
    pub title: String,
    pub proposer_name: String,
    pub proposer_url: Option<String>,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub message: String,
    /// What it changes (every field for a new entry).
    pub changes: Vec<FieldDiff>,
    /// The published page it changes.
    pub target_url: Option<String>,
    /// A new pivi entry: offer the proposer as its contact.
    pub offer_contact: bool,
}

/// The id of a proposal's decline reason (unique on the page).
pub fn reason_id(id: i64) -> String {
    format!("anledning-{id}")
}

/// `/admin/forslag`: the proposals waiting for the viewer's models.
pub fn queue(
    page: &Page,
    items: &[QueuedProposal],
    form: &FormState,
    csrf: &str,
    notice: Option<&str>,
) -> Markup {
    page.render(html! {
        p.brodsmula { a href="/admin/innehall" { "Innehåll" } }
        h1 { "Förslag från medlemmar" }
        @if let Some(notice) = notice {
            p.meddelande role="status" { (notice) }
        }
        @if items.is_empty() {
            p { "Inga förslag väntar." }
        }
        @for item in items {
            article.forslag aria-labelledby=(format!("forslag-{}", item.id)) {
                h2 id=(format!("forslag-{}", item.id)) { (item.what) ": " (item.title) }
                p {
                    "Från "
                    @if let Some(url) = &item.proposer_url { a href=(url) { (item.proposer_name) } }
                    @else { (item.proposer_name) }
                    ", " (moment(item.created_at))
                    @if let Some(url) = &item.target_url {
                        " – " a href=(url) { "den publicerade sidan" }
                    }
                }
                @if !item.message.is_empty() {
                    blockquote { (item.message) }
                }
                details open {
                    summary { "Ändringar" }
                    (diff(&item.changes))
                }
                div.knappar {
                    form method="post" action=(format!("/admin/forslag/{}/godkann", item.id)) {
                        (csrf_field(csrf))
                        @if item.offer_contact {
                            div.falt.kryssruta {
                                input id=(format!("kontakt-{}", item.id)) name="kontakt" type="checkbox" value="ja" checked;
                                label for=(format!("kontakt-{}", item.id)) { "Gör förslagsställaren till kontaktperson" }
                            }
                        }
                        button type="submit" { "Godkänn och publicera" }
                    }
                    p { a href=(format!("/admin/forslag/{}/redigera", item.id)) { "Redigera först" } }
                }
                form.formular method="post" action=(format!("/admin/forslag/{}/avsla", item.id)) novalidate {
                    (csrf_field(csrf))
                    (field(form, &Field::text(&reason_id(item.id), "Anledning till avslag")
                        .kind(InputKind::Textarea { rows: 3 })
                        .required()
                        .max_chars(MAX_MESSAGE_CHARS)))
                    button type="submit" { "Avslå" }
                }
            }
        }
    })
}

/// One of a member's own proposals.
pub struct MyProposal {
    pub what: String,
    pub title: String,
    /// "Väntar", "Godkänt", "Avslaget".
    pub status: String,
    pub reason: Option<String>,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub link: Option<String>,
}

/// `/forslag`: what the member proposed and what became of it.
pub fn mine(page: &Page, items: &[MyProposal], notice: Option<&str>) -> Markup {
    page.render(html! {
        h1 { "Mina förslag" }
        @if let Some(notice) = notice {
            p.meddelande role="status" { (notice) }
        }
        p { "Tipsa om ett projekt i " a href="/forslag/projekt" { "pivi" } ", eller föreslå en "
            "ändring från en artikel eller en text i dialogverktyget. Redaktörerna går igenom "
            "förslagen, och du får en notis när ditt förslag har besvarats." }
        @if items.is_empty() {
            p { "Du har inte skickat några förslag ännu." }
        } @else {
            table {
                caption { "Dina förslag, det senaste först" }
                thead { tr {
                    th scope="col" { "Förslag" }
                    th scope="col" { "Skickat" }
                    th scope="col" { "Status" }
                } }
                tbody {
                    @for item in items {
                        tr {
                            th scope="row" {
                                (item.what) ": "
                                @if let Some(link) = &item.link { a href=(link) { (item.title) } }
                                @else { (item.title) }
                            }
                            td { (moment(item.created_at)) }
                            td {
                                (item.status)
                                @if let Some(reason) = &item.reason { ": " (reason) }
                            }
                        }
                    }
                }
            }
        }
    })
}
