//! Articles of the knowledge matrix: an article page, and lists of articles.

use hallbar_index::matching::MemberMatch;
use hallbar_index::paths;
use hallbar_index::{Article, Matrix, SupportModel};
use maud::{Markup, html};

use crate::Page;
use crate::components::{date, who_knows};
use crate::markdown;

/// Articles as a linked list with author and date.
/// Articles of the matrix model `model` as a linked list with author and date.
pub fn article_list(model: &str, articles: &[Article]) -> Markup {
    html! {
        ul.artiklar.list {
            @for a in articles {
                li {
                    a href=(paths::article(model, &a.id)) { (a.title) }
                    br;
                    span.meta { (a.author) ", " (date(&a.published)) }
                }
            }
        }
    }
}

pub struct ArticleView<'a> {
    pub model: &'a SupportModel,
    pub article: &'a Article,
    pub matrix: Option<&'a Matrix>,
    pub related: &'a [Article],
    /// Members who know about the article's topic.
    pub people: &'a [MemberMatch],
}

pub fn article(page: &Page, view: &ArticleView) -> Markup {
    let a = view.article;
    page.render(html! {
        nav aria-label="Brödsmulor" {
            p.meta { a href=(view.model.path()) { (view.model.name) } " › Artikel" }
        }
        article {
            h1 { (a.title) }
            p.meta { (a.author) ", " (date(&a.published)) ", " (a.district.label()) }
            p.lead { (a.lead) }
            (markdown::to_html(&a.text))
            @if !a.tags.is_empty() {
                h2 { "Ämnen" }
                ul.tags { @for t in &a.tags { li { a href=(crate::components::link("/sok", &[("q".into(), t.clone())], None, None, None)) { (t) } } } }
            }
        }
        h2 { "Hör till rutorna" }
        ul.list {
            @for c in &a.cells {
                @let names = view.matrix.map(|m| (
                    m.row(c.row.as_str()).map_or(c.row.to_string(), |v| v.name.clone()),
                    m.column(c.column.as_str()).map_or(c.column.to_string(), |v| v.name.clone()),
                ));
                @let (row, column) = names.unwrap_or((c.row.to_string(), c.column.to_string()));
                li { a href=(paths::matrix_cell(&view.model.id, &c.row, &c.column)) { (row) " – " (column) } }
            }
        }
        @if !view.related.is_empty() {
            h2 { "Relaterade artiklar" }
            (article_list(view.model.id.as_str(), view.related))
        }
        (who_knows(view.people))
    })
}
