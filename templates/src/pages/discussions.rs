//! A group's discussions: a thread with its posts and reply form, starting a thread,
//! editing and deleting one's own post; hidden posts and locked threads.

use maud::{Markup, html};

use crate::components::form::{Field, FormState, InputKind, error_summary, field};
use crate::components::swedish::moment;
use crate::layout::Page;
use crate::pages::account::csrf_field;

/// The longest post, in characters.
pub const MAX_POST_CHARS: usize = 50_000;

/// The longest thread title, in characters.
pub const MAX_TITLE_CHARS: usize = 200;

const MARKDOWN_HINT: &str = "Du kan skriva Markdown: **fet**, *kursiv*, [länk](https://…) och \
                             listor. Skriv @medlems-id för att nämna en medlem.";

/// The group a discussion page belongs to.
pub struct GroupRef<'a> {
    pub name: &'a str,
    pub url: &'a str,
}

/// One post as the thread page shows it.
pub struct PostView {
    /// Its place in the thread, from 1 (the anchor `inlagg-{n}`).
    pub number: usize,
    pub author_name: String,
    /// The author's profile, when the viewer may see it.
    pub author_url: Option<String>,
    pub created: chrono::DateTime<chrono::Utc>,
    pub edited: Option<chrono::DateTime<chrono::Utc>>,
    /// The rendered, sanitized text.
    pub html: Markup,
    /// Where the viewer edits and deletes it, when it is theirs.
    pub own: Option<(String, String)>,
    /// Hidden by a moderator: shown without its text.
    pub hidden: bool,
    /// Where the viewer reports it, when it is someone else's.
    pub report: Option<String>,
}

/// What everyone sees instead of a hidden post's text.
pub const HIDDEN_POST: &str = "Inlägget är dolt av en moderator.";

/// What a locked thread shows instead of its reply form.
pub const LOCKED_THREAD: &str = "Tråden är låst";

/// What the bottom of a thread offers the viewer.
pub enum Reply<'a> {
    /// The reply form.
    Form {
        action: &'a str,
        form: &'a FormState,
        csrf: &'a str,
    },
    /// Only the group's members may answer.
    MembersOnly,
    /// A moderator locked the thread; `unlock` is where the viewer may unlock it.
    Locked { unlock: Option<&'a str> },
}

/// A thread page.
pub struct ThreadView<'a> {
    pub group: GroupRef<'a>,
    pub title: &'a str,
    pub url: &'a str,
    pub posts: Vec<PostView>,
    pub total: usize,
    /// 1-based.
    pub page: usize,
    pub pages: usize,
    pub reply: Reply<'a>,
    /// What a finished action says (e.g. that a report was sent).
    pub notice: Option<&'a str>,
}

fn page_url(url: &str, page: usize) -> String {
    if page <= 1 {
        url.to_string()
    } else {
        format!("{url}?sida={page}")
    }
}

fn post(p: &PostView) -> Markup {
    html! {
        article.inlagg id=(format!("inlagg-{}", p.number)) {
            p.inlagg-av {
                @match &p.author_url {
                    Some(url) => a href=(url) { (p.author_name) },
                    None => span { (p.author_name) },
                }
                " · " (moment(p.created))
                @if let Some(edited) = p.edited {
                    " · " span.redigerad { "redigerad " (moment(edited)) }
                }
            }
            @if p.hidden {
                p.inlagg-dolt { em { (HIDDEN_POST) } }
            } @else {
                div.inlagg-text { (p.html) }
            }
            @if let Some(report) = &p.report {
                p.inlagg-atgarder {
                    a href=(report) { "Anmäl" span.visually-hidden { " inlägg " (p.number) } }
                }
            }
            @if let Some((edit, delete)) = &p.own {
                p.inlagg-atgarder {
                    a href=(edit) { "Redigera" span.visually-hidden { " inlägg " (p.number) } }
                    " · "
                    a href=(delete) { "Ta bort" span.visually-hidden { " inlägg " (p.number) } }
                }
            }
        }
    }
}

fn pagination(view: &ThreadView) -> Markup {
    html! {
        @if view.pages > 1 {
            nav.sidor aria-label="Sidor i tråden" {
                ul {
                    @if view.page > 1 {
                        li { a href=(page_url(view.url, view.page - 1)) rel="prev" { "Föregående sida" } }
                    }
                    @for n in 1..=view.pages {
                        li {
                            @if n == view.page {
                                span aria-current="page" { "Sida " (n) }
                            } @else {
                                a href=(page_url(view.url, n)) { "Sida " (n) }
                            }
                        }
                    }
                    @if view.page < view.pages {
                        li { a href=(page_url(view.url, view.page + 1)) rel="next" { "Nästa sida" } }
                    }
                }
            }
        }
    }
}

/// `/grupper/{grupp}/{trad}`: the posts of one page, pagination and the reply form.
pub fn thread(page: &Page, view: &ThreadView) -> Markup {
    page.render(html! {
        p.brodsmula { a href=(view.group.url) { (view.group.name) } }
        h1 { (view.title) }
        @if let Some(notice) = view.notice { p.notis role="status" { (notice) } }
        p {
            (view.total) " inlägg"
            @if view.pages > 1 { ", sida " (view.page) " av " (view.pages) }
        }
        h2.visually-hidden { "Inlägg" }
        // Live pages reload this part when a post is added (see live.js).
        div data-live-trad=(view.url.rsplit('/').next().unwrap_or_default()) {
            @for p in &view.posts { (post(p)) }
            (pagination(view))
        }
        h2 { "Svara" }
        @match &view.reply {
            Reply::Form { action, form, csrf } => {
                (error_summary(form))
                form.formular method="post" action=(action) novalidate {
                    (csrf_field(csrf))
                    (field(form, &Field::text("inlagg", "Ditt svar")
                        .kind(InputKind::Textarea { rows: 8 }).required()
                        .max_chars(MAX_POST_CHARS).hint(MARKDOWN_HINT)))
                    button type="submit" { "Svara" }
                }
            }
            Reply::Locked { unlock } => {
                p.last { strong { (LOCKED_THREAD) } ". Det går inte att svara i den." }
                @if let Some(unlock) = unlock {
                    p { a href=(unlock) { "Lås upp tråden" } }
                }
            }
            Reply::MembersOnly => {
                p { "Bara gruppens medlemmar kan svara. "
                    a href=(view.group.url) { "Till gruppen" } }
            }
        }
    })
}

/// `/grupper/{grupp}/ny-trad`: title and first post.
pub fn new_thread(
    page: &Page,
    group: &GroupRef,
    action: &str,
    form: &FormState,
    csrf: &str,
) -> Markup {
    page.render(html! {
        p.brodsmula { a href=(group.url) { (group.name) } }
        h1 { "Ny tråd i " (group.name) }
        (error_summary(form))
        form.formular method="post" action=(action) novalidate {
            (csrf_field(csrf))
            (field(form, &Field::text("rubrik", "Rubrik").required().max_chars(MAX_TITLE_CHARS)))
            (field(form, &Field::text("inlagg", "Inlägg").kind(InputKind::Textarea { rows: 10 })
                .required().max_chars(MAX_POST_CHARS).hint(MARKDOWN_HINT)))
            button type="submit" { "Publicera" }
        }
    })
}

/// Editing one's own post.
pub fn edit_post(
    page: &Page,
    thread_title: &str,
    back: &str,
    action: &str,
    form: &FormState,
    csrf: &str,
) -> Markup {
    page.render(html! {
        p.brodsmula { a href=(back) { (thread_title) } }
        h1 { "Redigera inlägget" }
        (error_summary(form))
        form.formular method="post" action=(action) novalidate {
            (csrf_field(csrf))
            (field(form, &Field::text("inlagg", "Inlägg").kind(InputKind::Textarea { rows: 10 })
                .required().max_chars(MAX_POST_CHARS).hint(MARKDOWN_HINT)))
            button type="submit" { "Spara" }
        }
    })
}

/// Confirming the deletion of one's own post.
pub fn delete_post(
    page: &Page,
    thread_title: &str,
    back: &str,
    action: &str,
    text: Markup,
    csrf: &str,
) -> Markup {
    page.render(html! {
        p.brodsmula { a href=(back) { (thread_title) } }
        h1 { "Ta bort inlägget" }
        p { "Vill du ta bort inlägget? Det går inte att ångra." }
        blockquote.inlagg-text { (text) }
        form.formular method="post" action=(action) {
            (csrf_field(csrf))
            button type="submit" { "Ta bort" }
        }
        p { a href=(back) { "Avbryt" } }
    })
}
