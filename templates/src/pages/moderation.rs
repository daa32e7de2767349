//! Moderation: reporting a post, the moderators' queue of reported posts, unlocking a
//! thread and the moderation log.

use maud::{Markup, html};

use crate::components::form::{Field, FormState, InputKind, error_summary, field};
use crate::components::swedish::moment;
use crate::layout::Page;
use crate::pages::account::csrf_field;

/// The longest reason, in characters.
pub const MAX_REASON_CHARS: usize = 2_000;

/// What the moderators are told: `Anledning`, required.
fn reason_field(form: &FormState) -> Markup {
    field(
        form,
        &Field::text("anledning", "Anledning")
            .kind(InputKind::Textarea { rows: 4 })
            .required()
            .max_chars(MAX_REASON_CHARS),
    )
}

/// Reporting someone's post: why, to the moderators.
pub fn report(
    page: &Page,
    thread_title: &str,
    back: &str,
    action: &str,
    excerpt: &str,
    form: &FormState,
    csrf: &str,
) -> Markup {
    page.render(html! {
        p.brodsmula { a href=(back) { (thread_title) } }
        h1 { "Anmäl inlägget" }
        p { "Anmäl ett inlägg som bryter mot reglerna. Gruppens moderatorer och webbplatsens "
            "administratörer ser din anmälan och anledningen." }
        blockquote.inlagg-text { (excerpt) }
        (error_summary(form))
        form.formular method="post" action=(action) novalidate {
            (csrf_field(csrf))
            (reason_field(form))
            button type="submit" { "Anmäl" }
        }
        p { a href=(back) { "Avbryt" } }
    })
}

/// One reporter's report of a post.
pub struct ReportLine {
    pub reporter_name: String,
    pub reporter_url: Option<String>,
    pub reason: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

/// A reported post in the queue, with its reports and the actions the moderator may take.
pub struct QueueItem {
    pub post_id: i64,
    pub excerpt: String,
    pub hidden: bool,
    pub author_name: String,
    pub thread_title: String,
    pub thread_url: String,
    pub group_name: String,
    pub group_url: String,
    pub reports: Vec<ReportLine>,
    /// `(action slug, button text)` for each form.
    pub actions: Vec<(&'static str, &'static str)>,
}

/// The id of one action form's reason field (unique on the page).
pub fn reason_id(post_id: i64, action: &str) -> String {
    format!("anledning-{post_id}-{action}")
}

/// One action's form: its own required reason and its button. A failed form's message is
/// kept under the field's id in `form`.
fn action_form(
    item: &QueueItem,
    action: &str,
    label: &str,
    form: &FormState,
    csrf: &str,
) -> Markup {
    let id = reason_id(item.post_id, action);
    let error = form.error(&id);
    let error_id = format!("{id}-fel");
    html! {
        form.formular.moderering method="post"
            action=(format!("/moderering/inlagg/{}/{action}", item.post_id)) novalidate {
            (csrf_field(csrf))
            div.falt.fel[error.is_some()] {
                label for=(id) { "Anledning" span.visually-hidden { " till " (label) } }
                @if let Some(message) = error {
                    p.felmeddelande id=(error_id) { span.visually-hidden { "Fel: " } (message) }
                }
                input id=(id) name="anledning" type="text" required
                    maxlength=(MAX_REASON_CHARS) aria-invalid=[error.map(|_| "true")]
                    aria-describedby=[error.map(|_| error_id.as_str())]
                    value=(if error.is_some() { form.value("anledning") } else { "" });
            }
            button type="submit" { (label) }
        }
    }
}

/// `/moderering`: the open reports the moderator may act on.
pub fn queue(
    page: &Page,
    items: &[QueueItem],
    form: &FormState,
    csrf: &str,
    notice: Option<&str>,
) -> Markup {
    page.render(html! {
        h1 { "Moderering" }
        @if let Some(notice) = notice { p.notis role="status" { (notice) } }
        (error_summary(form))
        @if items.is_empty() {
            p.lead { "Det finns inga öppna anmälningar." }
        } @else {
            p.lead { (items.len()) " anmälda inlägg." }
            @for item in items {
                section.anmalan aria-labelledby=(format!("anmalan-{}", item.post_id)) {
                    h2 id=(format!("anmalan-{}", item.post_id)) {
                        "Inlägg av " (item.author_name) " i " (item.thread_title)
                    }
                    p {
                        "Tråd: " a href=(item.thread_url) { (item.thread_title) }
                        " · Grupp: " a href=(item.group_url) { (item.group_name) }
                        @if item.hidden { " · Inlägget är dolt." }
                    }
                    blockquote.inlagg-text { (item.excerpt) }
                    h3 { "Anmälningar" }
                    ul {
                        @for r in &item.reports {
                            li {
                                @match &r.reporter_url {
                                    Some(url) => a href=(url) { (r.reporter_name) },
                                    None => span { (r.reporter_name) },
                                }
                                " · " (moment(r.created_at)) ": " (r.reason)
                            }
                        }
                    }
                    h3 { "Åtgärder" }
                    @for (action, label) in &item.actions {
                        (action_form(item, action, label, form, csrf))
                    }
                }
            }
        }
        p { a href="/moderering/logg" { "Modereringsloggen" } " (för administratörer)" }
    })
}

/// Unlocking a locked thread, with a reason for the log.
pub fn unlock(
    page: &Page,
    thread_title: &str,
    back: &str,
    action: &str,
    form: &FormState,
    csrf: &str,
) -> Markup {
    page.render(html! {
        p.brodsmula { a href=(back) { (thread_title) } }
        h1 { "Lås upp tråden" }
        (error_summary(form))
        form.formular method="post" action=(action) novalidate {
            (csrf_field(csrf))
            (reason_field(form))
            button type="submit" { "Lås upp tråden" }
        }
        p { a href=(back) { "Avbryt" } }
    })
}

/// One row of the moderation log.
pub struct LogLine {
    pub at: chrono::DateTime<chrono::Utc>,
    pub moderator: String,
    pub action: &'static str,
    pub post: Option<i64>,
    pub thread: Option<String>,
    pub group: Option<String>,
    pub member: Option<String>,
    pub reason: String,
}

/// `/moderering/logg`: what moderators did, newest first.
pub fn log(page: &Page, lines: &[LogLine]) -> Markup {
    page.render(html! {
        h1 { "Modereringslogg" }
        @if lines.is_empty() {
            p.lead { "Inga åtgärder är loggade ännu." }
        } @else {
            table {
                caption { "Moderatorernas åtgärder, de senaste först" }
                thead {
                    tr {
                        th scope="col" { "När" }
                        th scope="col" { "Vem" }
                        th scope="col" { "Åtgärd" }
                        th scope="col" { "Inlägg" }
                        th scope="col" { "Tråd" }
                        th scope="col" { "Grupp" }
                        th scope="col" { "Medlem" }
                        th scope="col" { "Anledning" }
                    }
                }
                tbody {
                    @for l in lines {
                        tr {
                            td { (moment(l.at)) }
                            td { (l.moderator) }
                            td { (l.action) }
                            td { @if let Some(p) = l.post { (p) } }
                            td { @if let Some(t) = &l.thread { (t) } }
                            td { @if let Some(g) = &l.group { (g) } }
                            td { @if let Some(m) = &l.member { (m) } }
                            td { (l.reason) }
                        }
                    }
                }
            }
        }
    })
}
