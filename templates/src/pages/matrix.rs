//! Stadsutveckling – the knowledge matrix: the table, and a cell with its articles.

use std::collections::HashMap;

use hallbar_index::matching::MemberMatch;
use hallbar_index::paths;
use hallbar_index::{Article, AxisValue, Cell, Matrix, SupportModel};
use maud::{Markup, html};

use super::articles::article_list;
use crate::Page;
use crate::components::who_knows;

/// Articles per `(matrix, row, column)`.
pub type ArticleCounts = HashMap<(String, String, String), usize>;

/// The first sentence of a summary, cut at about 140 characters.
fn short(summary: &str) -> String {
    let first = summary
        .split_inclusive(['.', '!', '?'])
        .next()
        .unwrap_or(summary)
        .trim();
    if first.chars().count() <= 140 {
        first.to_string()
    } else {
        let cut: String = first.chars().take(137).collect();
        format!("{}…", cut.trim_end())
    }
}

fn articles_phrase(n: usize) -> String {
    match n {
        0 => "Inga artiklar än".into(),
        1 => "1 artikel".into(),
        n => format!("{n} artiklar"),
    }
}

fn table(model: &SupportModel, matrix: &Matrix, counts: &ArticleCounts) -> Markup {
    html! {
        div.table-scroll role="region" aria-label=(format!("Tabell: {} (rullbar i sidled)", matrix.title)) tabindex="0" {
            table.matris {
                caption { (matrix.title) }
                thead {
                    tr {
                        td { span.visually-hidden { (matrix.rows.name) " / " (matrix.columns.name) } }
                        @for column in &matrix.columns.values {
                            th scope="col" { (column.name) }
                        }
                    }
                }
                tbody {
                    @for row in &matrix.rows.values {
                        tr {
                            th scope="row" { (row.name) }
                            @for column in &matrix.columns.values {
                                td {
                                    @if let Some(cell) = matrix.cell(row.id.as_str(), column.id.as_str()) {
                                        @let n = counts.get(&(matrix.id.to_string(), row.id.to_string(), column.id.to_string())).copied().unwrap_or(0);
                                        a href=(paths::matrix_cell(&model.id, &row.id, &column.id)) {
                                            (short(&cell.summary))
                                            span.visually-hidden { " (" (row.name) ", " (column.name) ")" }
                                        }
                                        span.antal { (articles_phrase(n)) }
                                    } @else {
                                        span.meta { "–" span.visually-hidden { "Ingen kunskap samlad ännu" } }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

pub fn overview(
    page: &Page,
    model: &SupportModel,
    matrices: &[Matrix],
    counts: &ArticleCounts,
) -> Markup {
    page.render(html! {
        h1 { (model.title()) }
        p.lead { (model.intro) }
        @if matrices.is_empty() {
            p.tom { "Matrisen har inget innehåll ännu." }
        }
        @for matrix in matrices {
            section aria-labelledby=(format!("matris-{}", matrix.id)) {
                h2 id=(format!("matris-{}", matrix.id)) { (matrix.title) }
                @if !matrix.description.is_empty() { p { (matrix.description) } }
                (table(model, matrix, counts))
                div.columns {
                    div {
                        h3 { (matrix.rows.name) }
                        dl {
                            @for v in &matrix.rows.values { dt { (v.name) } dd { (v.description) } }
                        }
                    }
                    div {
                        h3 { (matrix.columns.name) }
                        dl {
                            @for v in &matrix.columns.values { dt { (v.name) } dd { (v.description) } }
                        }
                    }
                }
            }
        }
        p {
            a href=(model.feed_path()) {
                "Prenumerera på nya artiklar (Atom-flöde)"
            }
        }
    })
}

pub struct CellView<'a> {
    pub model: &'a SupportModel,
    pub matrix: &'a Matrix,
    pub cell: &'a Cell,
    pub row: &'a AxisValue,
    pub column: &'a AxisValue,
    pub articles: &'a [Article],
    /// Members who know about the cell's topic.
    pub people: &'a [MemberMatch],
}

pub fn cell(page: &Page, view: &CellView) -> Markup {
    page.render(html! {
        nav aria-label="Brödsmulor" {
            p.meta { a href=(view.model.path()) { (view.model.name) } " › " (view.row.name) " › " (view.column.name) }
        }
        h1 { (view.row.name) " – " (view.column.name) }
        p.lead { (view.cell.summary) }
        dl.facts {
            dt { (view.matrix.rows.name) } dd { (view.row.name) ": " (view.row.description) }
            dt { (view.matrix.columns.name) } dd { (view.column.name) ": " (view.column.description) }
        }
        h2 { "Artiklar" }
        @if view.articles.is_empty() {
            p { "Det finns inga artiklar i den här rutan ännu." }
        } @else {
            (article_list(view.model.id.as_str(), view.articles))
        }
        (who_knows(view.people))
        p { a href=(view.model.path()) { "Tillbaka till matrisen" } }
    })
}
