//! Stadsutveckling: the knowledge matrix, its cells and their articles.

use axum::Router;
use axum::extract::State;
use axum::routing::get;
use hallbar_index::{Article, Matrix};
use hallbar_templates::Section;
use hallbar_templates::pages::matrix::{
    self, ArticleCounts, ArticleView, CellView, article_url, cell_url,
};
use maud::Markup;

use super::view::{SitePath, page};
use super::{AppError, AppState};
use crate::db;

/// The most related articles listed under an article.
const RELATED: usize = 5;
/// Articles read for the matrix pages (all of them, in any realistic matrix).
const ALL_ARTICLES: i64 = 10_000;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/stadsutveckling", get(overview))
        .route("/stadsutveckling/artiklar/{id}", get(article))
        .route("/stadsutveckling/{row}/{column}", get(cell))
}

fn in_cell(article: &Article, matrix: &Matrix, row: &str, column: &str) -> bool {
    article.matrix == matrix.id
        && article
            .cells
            .iter()
            .any(|c| c.row.as_str() == row && c.column.as_str() == column)
}

async fn overview(State(state): State<AppState>) -> Result<Markup, AppError> {
    let mut conn = state.db.acquire().await?;
    let matrices = db::matrix::list_matrices(&mut conn).await?;
    let articles = db::matrix::list_articles(&mut conn, true, ALL_ARTICLES).await?;
    let mut counts = ArticleCounts::new();
    for article in &articles {
        for c in &article.cells {
            *counts
                .entry((
                    article.matrix.to_string(),
                    c.row.to_string(),
                    c.column.to_string(),
                ))
                .or_default() += 1;
        }
    }
    let meta = page(
        &state,
        "/stadsutveckling",
        "Stadsutveckling – kunskapsmatris",
        "Kunskapsmatrisen: systematiserad kunskap om Göteborgs mellanrum och stadsrum, med \
         artiklar för fördjupning i varje ruta.",
    )
    .section(Section::Stadsutveckling);
    Ok(matrix::overview(&meta, &matrices, &counts))
}

async fn cell(
    State(state): State<AppState>,
    SitePath((row, column)): SitePath<(String, String)>,
) -> Result<Markup, AppError> {
    let mut conn = state.db.acquire().await?;
    let matrices = db::matrix::list_matrices(&mut conn).await?;
    let matrix = matrices
        .iter()
        .find(|m| m.cell(&row, &column).is_some())
        .ok_or(AppError::NotFound)?;
    let (Some(found), Some(row_value), Some(column_value)) = (
        matrix.cell(&row, &column),
        matrix.row(&row),
        matrix.column(&column),
    ) else {
        return Err(AppError::NotFound);
    };
    let articles: Vec<Article> = db::matrix::list_articles(&mut conn, true, ALL_ARTICLES)
        .await?
        .into_iter()
        .filter(|a| in_cell(a, matrix, &row, &column))
        .collect();
    let description = super::view::description(&found.summary);
    let meta = page(
        &state,
        &cell_url(&row, &column),
        &format!("{} – {}", row_value.name, column_value.name),
        &description,
    )
    .section(Section::Stadsutveckling);
    Ok(matrix::cell(
        &meta,
        &CellView {
            matrix,
            cell: found,
            row: row_value,
            column: column_value,
            articles: &articles,
        },
    ))
}

async fn article(
    State(state): State<AppState>,
    SitePath(id): SitePath<String>,
) -> Result<Markup, AppError> {
    let mut conn = state.db.acquire().await?;
    let found = db::matrix::get_article(&mut conn, &id)
        .await?
        .ok_or(AppError::NotFound)?;
    let matrix = db::matrix::get_matrix(&mut conn, found.matrix.as_str()).await?;
    // Related: articles sharing a cell first, then sharing a subject, newest first.
    let mut related: Vec<(usize, Article)> =
        db::matrix::list_articles(&mut conn, true, ALL_ARTICLES)
            .await?
            .into_iter()
            .filter(|a| a.id != found.id)
            .filter_map(|a| {
                let cells = a.cells.iter().filter(|c| found.cells.contains(c)).count();
                let tags = a.tags.iter().filter(|t| found.tags.contains(t)).count();
                (cells + tags > 0).then_some((cells * 10 + tags, a))
            })
            .collect();
    related.sort_by_key(|(weight, _)| std::cmp::Reverse(*weight));
    let related: Vec<Article> = related.into_iter().take(RELATED).map(|(_, a)| a).collect();
    let description = if found.lead.is_empty() {
        found.title.clone()
    } else {
        super::view::description(&found.lead)
    };
    let meta = page(&state, &article_url(&id), &found.title, &description)
        .section(Section::Stadsutveckling);
    Ok(matrix::article(
        &meta,
        &ArticleView {
            article: &found,
            matrix: matrix.as_ref(),
            related: &related,
        },
    ))
}
