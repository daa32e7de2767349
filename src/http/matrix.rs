//! Stadsutveckling: the knowledge matrix and its cells (with the members who know about
//! a cell's topic).

use axum::Router;
use axum::extract::State;
use axum::routing::get;
use hallbar_index::paths;
use hallbar_templates::Section;
use hallbar_templates::pages::matrix::{self, ArticleCounts, CellView};
use maud::Markup;

use super::extract::SitePath;
use super::view::{description, page};
use super::{AppError, AppState, MaybeUser};
use crate::db;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/stadsutveckling", get(overview))
        .route("/stadsutveckling/{row}/{column}", get(cell))
}

async fn overview(State(state): State<AppState>) -> Result<Markup, AppError> {
    let mut conn = state.db.acquire().await?;
    let matrices = db::matrix::list(&mut conn).await?;
    let counts: ArticleCounts = db::articles::counts_per_cell(&mut conn)
        .await?
        .into_iter()
        .map(|(matrix, row, column, n)| ((matrix, row, column), n.max(0) as usize))
        .collect();
    let meta = page(
        &state.config,
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
    user: MaybeUser,
    session: Option<axum::Extension<super::session::CurrentSession>>,
    SitePath((row, column)): SitePath<(String, String)>,
) -> Result<Markup, AppError> {
    let mut conn = state.db.acquire().await?;
    let matrices = db::matrix::list(&mut conn).await?;
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
    let articles = db::articles::in_cell(&mut conn, matrix.id.as_str(), &row, &column).await?;
    drop(conn);
    // The cell's topic: its axes, then what it says.
    let topic = vec![
        row_value.name.clone(),
        column_value.name.clone(),
        found.summary.clone(),
    ];
    let people = state
        .search
        .who_knows_topic(topic, user.viewer(), super::PEOPLE)
        .await?;
    let meta = page(
        &state.config,
        &paths::matrix_cell(&row, &column),
        &format!("{} – {}", row_value.name, column_value.name),
        &description(&found.summary),
    )
    .section(Section::Stadsutveckling);
    let meta = super::editing::with_edit_link(
        &state,
        &session,
        meta,
        crate::editing::ItemKind::Cell,
        &crate::editing::item::cell_id(&matrix.id, &found.row, &found.column),
        matrix.id.as_str(),
    )
    .await;
    Ok(matrix::cell(
        &meta,
        &CellView {
            matrix,
            cell: found,
            row: row_value,
            column: column_value,
            articles: &articles,
            people: &people,
        },
    ))
}
