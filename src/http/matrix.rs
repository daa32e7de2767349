//! Stadsutveckling: the knowledge matrix, its cells and their articles.

use axum::Router;
use axum::extract::State;
use axum::routing::get;
use hallbar_index::paths;
use hallbar_templates::Section;
use hallbar_templates::pages::matrix::{self, ArticleCounts, ArticleView, CellView};
use maud::Markup;

use super::view::{SitePath, page};
use super::{AppError, AppState};
use crate::db;

/// The most related articles listed under an article.
const RELATED: i64 = 5;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/stadsutveckling", get(overview))
        .route("/stadsutveckling/artiklar/{id}", get(article))
        .route("/stadsutveckling/{row}/{column}", get(cell))
}

async fn overview(State(state): State<AppState>) -> Result<Markup, AppError> {
    let mut conn = state.db.acquire().await?;
    let matrices = db::matrix::list_matrices(&mut conn).await?;
    let counts: ArticleCounts = db::matrix::article_counts(&mut conn)
        .await?
        .into_iter()
        .map(|(matrix, row, column, n)| ((matrix, row, column), n.max(0) as usize))
        .collect();
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
    let articles =
        db::matrix::articles_in_cell(&mut conn, matrix.id.as_str(), &row, &column).await?;
    let description = super::view::description(&found.summary);
    let meta = page(
        &state,
        &paths::matrix_cell(&row, &column),
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
    let related = db::matrix::related_articles(&mut conn, &found, RELATED).await?;
    let description = if found.lead.is_empty() {
        found.title.clone()
    } else {
        super::view::description(&found.lead)
    };
    let meta = page(&state, &paths::article(&id), &found.title, &description)
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
