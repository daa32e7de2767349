//! A knowledge matrix (the first is Stadsutveckling): the table and its cells (with the
//! members who know about a cell's topic).

use hallbar_index::{Matrix, ModelKind, SupportModel, paths};
use hallbar_templates::Section;
use hallbar_templates::pages::matrix::{self, ArticleCounts, CellView};
use maud::Markup;

use super::view::{description, page};
use super::{AppError, AppState, MaybeUser};
use crate::db;

/// The matrices `model` shows: its own (the matrix with its id), and for the first matrix
/// model also every matrix no other model claims (imported before models existed).
pub async fn matrices_of(
    conn: &mut impl db::AsConn,
    model: &SupportModel,
) -> Result<Vec<Matrix>, AppError> {
    let models = db::support_models::list(conn).await?;
    let matrices = db::matrix::list(conn).await?;
    Ok(matrices
        .into_iter()
        .filter(|m| {
            hallbar_index::model_of_matrix(&models, m.id.as_str())
                .is_some_and(|owner| owner.id == model.id && owner.kind == ModelKind::Matrix)
        })
        .collect())
}

pub async fn overview(state: &AppState, model: &SupportModel) -> Result<Markup, AppError> {
    let mut conn = state.db.acquire().await?;
    let matrices = matrices_of(&mut conn, model).await?;
    let counts: ArticleCounts = db::articles::counts_per_cell(&mut conn)
        .await?
        .into_iter()
        .map(|(matrix, row, column, n)| ((matrix, row, column), n.max(0) as usize))
        .collect();
    let meta = page(
        &state.config,
        &model.path(),
        &model.title(),
        &description(&model.intro),
    )
    .section(Section::Model(model.id.to_string()));
    Ok(matrix::overview(&meta, model, &matrices, &counts))
}

pub async fn cell(
    state: &AppState,
    user: &MaybeUser,
    session: &super::editing::Session,
    model: &SupportModel,
    row: &str,
    column: &str,
) -> Result<Markup, AppError> {
    let mut conn = state.db.acquire().await?;
    let matrices = matrices_of(&mut conn, model).await?;
    let matrix = matrices
        .iter()
        .find(|m| m.cell(row, column).is_some())
        .ok_or(AppError::NotFound)?;
    let (Some(found), Some(row_value), Some(column_value)) = (
        matrix.cell(row, column),
        matrix.row(row),
        matrix.column(column),
    ) else {
        return Err(AppError::NotFound);
    };
    let articles = db::articles::in_cell(&mut conn, matrix.id.as_str(), row, column).await?;
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
        &paths::matrix_cell(&model.id, row, column),
        &format!("{} – {}", row_value.name, column_value.name),
        &description(&found.summary),
    )
    .section(Section::Model(model.id.to_string()));
    let meta = super::editing::with_edit_link(
        state,
        session,
        meta,
        crate::editing::ItemKind::Cell,
        &crate::editing::item::cell_id(&matrix.id, &found.row, &found.column),
        model.id.as_str(),
    )
    .await;
    Ok(matrix::cell(
        &meta,
        &CellView {
            model,
            matrix,
            cell: found,
            row: row_value,
            column: column_value,
            articles: &articles,
            people: &people,
        },
    ))
}
