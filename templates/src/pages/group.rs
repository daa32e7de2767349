//! One group's page: what it is about, who is in it, its discussions, and the buttons to
//! join, apply, leave, answer requests and manage members' roles.

use maud::{Markup, html};

use super::account::csrf_field;
use crate::Page;
use crate::components::form::{Field, FormState, InputKind, error_summary, field};
use crate::components::swedish_date;

/// A member as the group's page lists them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberLine {
    pub id: String,
    pub name: String,
    /// "ägare", "moderator" or "medlem".
    pub role: &'static str,
}

/// A discussion as the group's page lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThreadLine {
    pub id: String,
    pub title: String,
    pub posts: i64,
    /// `YYYY-MM-DD` of the latest post.
    pub latest: Option<String>,
}

/// A request to join, as owners and moderators see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestLine {
    pub id: String,
    pub name: String,
    pub message: String,
}

/// Who is looking at the group, and what they may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    Visitor,
    /// Logged in, not in the group; `requested` when they have asked to join.
    Outsider {
        requested: bool,
    },
    Member,
    Moderator,
    Owner,
}

/// Everything the group's page shows.
pub struct GroupPage<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub description: &'a str,
    pub closed: bool,
    pub district: Option<&'a str>,
    pub topics: &'a [String],
    pub member_count: usize,
    pub standing: Standing,
    /// `None` when the viewer may not see who is in the group.
    pub members: Option<&'a [MemberLine]>,
    /// `None` when the viewer may not read the group's discussions.
    pub threads: Option<&'a [ThreadLine]>,
    /// Waiting requests (shown to owners and moderators).
    pub requests: &'a [RequestLine],
    pub notice: Option<&'a str>,
}

/// A one-button form posting to `action`; `extra` names whom it is about for screen
/// readers.
fn button(action: &str, csrf: &str, text: &str, extra: &str) -> Markup {
    html! {
        form.knappform method="post" action=(action) {
            (csrf_field(csrf))
            button type="submit" {
                (text)
                @if !extra.is_empty() { span.visually-hidden { " " (extra) } }
            }
        }
    }
}

/// `/grupper/{grupp}`. `form` holds the application's message when it failed.
pub fn group(page: &Page, g: &GroupPage, form: &FormState, csrf: &str) -> Markup {
    let base = format!("/grupper/{}/medlemskap", g.id);
    page.render(html! {
        h1 { (g.name) }
        @if let Some(notice) = g.notice {
            p.notis role="status" { (notice) }
        }
        p.lead { (g.description) }
        dl.facts {
            dt { "Tillgång" }
            dd { @if g.closed { "Stängd grupp" } @else { "Öppen grupp" } }
            dt { "Medlemmar" }
            dd { (g.member_count) }
            @if let Some(district) = g.district {
                dt { "Stadsdel" } dd { (district) }
            }
            @if !g.topics.is_empty() {
                dt { "Ämnen" } dd { (g.topics.join(", ")) }
            }
        }
        (error_summary(form))
        @match g.standing {
            Standing::Visitor => {
                p { a href=(format!("/logga-in?tillbaka=%2Fgrupper%2F{}", g.id)) { "Logga in" }
                    @if g.closed { " för att ansöka om medlemskap i gruppen." }
                    @else { " för att läsa gruppens diskussioner och gå med i gruppen." } }
            }
            Standing::Outsider { requested } => {
                @if requested {
                    p.notis { "Du har ansökt om medlemskap. Gruppens ägare eller en moderator svarar på ansökan." }
                }
                @if g.closed && (!requested || form.has_errors()) {
                    form.formular method="post" action=(format!("{base}/ansok")) novalidate {
                        (csrf_field(csrf))
                        (field(form, &Field::text("meddelande", "Meddelande")
                            .kind(InputKind::Textarea { rows: 3 }).max_chars(MESSAGE_CHARS)
                            .hint("Berätta gärna kort vem du är och varför du vill vara med.")))
                        button type="submit" { "Ansök om medlemskap" }
                    }
                } @else {
                    (button(&format!("{base}/ga-med"), csrf, "Gå med", ""))
                }
            }
            _ => {
                p { "Du är " (role_phrase(g.standing)) " i gruppen." }
                (button(&format!("{base}/lamna"), csrf, "Lämna gruppen", ""))
            }
        }
        @if matches!(g.standing, Standing::Owner | Standing::Moderator) && g.closed {
            h2 { "Ansökningar" }
            @if g.requests.is_empty() {
                p.tom { "Inga ansökningar väntar." }
            } @else {
                ul.list {
                    @for r in g.requests {
                        li {
                            strong { (r.name) }
                            @if !r.message.trim().is_empty() { p { (r.message) } }
                            (button(&format!("{base}/{}/godkann", r.id), csrf, "Godkänn", &r.name))
                            (button(&format!("{base}/{}/avsla", r.id), csrf, "Avslå", &r.name))
                        }
                    }
                }
            }
        }
        h2 { "Diskussioner" }
        @if matches!(g.standing, Standing::Member | Standing::Moderator | Standing::Owner) {
            p { a.button href=(format!("/grupper/{}/ny-trad", g.id)) { "Starta en ny tråd" } }
        }
        @if matches!(g.standing, Standing::Owner | Standing::Moderator) {
            p { a href="/moderering" { "Anmälda inlägg att moderera" } }
        }
        @match g.threads {
            None => {
                p.tom { @if g.closed { "Bara gruppens medlemmar kan läsa diskussionerna i en stängd grupp." }
                        @else { "Diskussionerna är för inloggade medlemmar." } }
            }
            Some(threads) if threads.is_empty() => { p.tom { "Inga diskussioner ännu." } }
            Some(threads) => {
                ul.list {
                    @for t in threads {
                        li {
                            a href=(format!("/grupper/{}/{}", g.id, t.id)) { (t.title) }
                            span.meta { " · " (t.posts) " inlägg"
                                @if let Some(latest) = &t.latest { " · senast " (swedish_date(latest)) } }
                        }
                    }
                }
            }
        }
        h2 { "Medlemmar" }
        @match g.members {
            None => {
                p.tom { @if g.closed { "Bara gruppens medlemmar ser vilka som är med i en stängd grupp." }
                        @else { "Medlemslistan är för inloggade medlemmar." } }
            }
            Some(members) => {
                ul.list {
                    @for m in members {
                        li {
                            a href=(format!("/medlemmar/{}", m.id)) { (m.name) }
                            @if m.role != "medlem" { " (" (m.role) ")" }
                            @if g.standing == Standing::Owner && m.role != "ägare" {
                                (button(&format!("{base}/{}/agare", m.id), csrf, "Gör till ägare", &m.name))
                                @if m.role == "moderator" {
                                    (button(&format!("{base}/{}/ta-bort-moderator", m.id), csrf, "Ta bort som moderator", &m.name))
                                } @else {
                                    (button(&format!("{base}/{}/moderator", m.id), csrf, "Gör till moderator", &m.name))
                                }
                                (button(&format!("{base}/{}/ta-bort", m.id), csrf, "Ta bort ur gruppen", &m.name))
                            }
                        }
                    }
                }
            }
        }
        p { a href="/grupper" { "Alla grupper" } }
    })
}

fn role_phrase(standing: Standing) -> &'static str {
    match standing {
        Standing::Owner => "ägare",
        Standing::Moderator => "moderator",
        _ => "medlem",
    }
}

/// The longest message with an application, in characters.
pub const MESSAGE_CHARS: usize = 1_000;
