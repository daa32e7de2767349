//! `/notiser`: a member's notifications, newest first, unread ones marked.

use chrono::{DateTime, Utc};
use maud::{Markup, html};

use super::account::csrf_field;
use crate::layout::Page;

/// One notification as the page shows it.
pub struct NotificationView<'a> {
    pub id: i64,
    pub kind: &'a str,
    pub text: &'a str,
    pub link: &'a str,
    pub created_at: i64,
    pub read: bool,
}

fn when(seconds: i64) -> String {
    DateTime::<Utc>::from_timestamp(seconds, 0)
        .map(|t| t.format("%Y-%m-%d %H:%M").to_string())
        .unwrap_or_default()
}

pub fn notifications(page: &Page, items: &[NotificationView], csrf: &str) -> Markup {
    let unread = items.iter().filter(|n| !n.read).count();
    page.render(html! {
        h1 { "Notiser" }
        @if items.is_empty() {
            p.lead { "Du har inga notiser ännu. Här hamnar svar i trådar du deltar i, nya trådar "
                     "i dina grupper, när någon nämner dig och ansökningar till grupper." }
        } @else {
            p.lead {
                @if unread == 0 { "Alla notiser är lästa." }
                @else if unread == 1 { "1 oläst notis." }
                @else { (unread) " olästa notiser." }
            }
            @if unread > 0 {
                form.formular method="post" action="/notiser/alla-lasta" {
                    (csrf_field(csrf))
                    button type="submit" { "Markera alla som lästa" }
                }
            }
            ol.notiser {
                @for n in items {
                    li.olast[!n.read] {
                        p {
                            strong { (n.kind) }
                            @if !n.read { span.visually-hidden { " (oläst)" } }
                            " · " span.meta { time datetime=(when(n.created_at)) { (when(n.created_at)) } }
                        }
                        p { a href=(n.link) { (n.text) } }
                        @if !n.read {
                            form method="post" action=(format!("/notiser/{}/last", n.id)) {
                                (csrf_field(csrf))
                                button.secondary type="submit" { "Markera som läst" }
                            }
                        }
                    }
                }
            }
        }
    })
}
