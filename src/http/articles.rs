//! Articles of a knowledge matrix: an article page with its cells, related articles and
//! the members who know about its topic.

use hallbar_index::{SupportModel, paths};
use hallbar_templates::Section;
use hallbar_templates::pages::articles::{self, ArticleView};
use maud::Markup;

use super::view::{description_or, page, topic};
use super::{AppError, AppState, MaybeUser};
use crate::db;

/// The most related articles listed under an article.
const RELATED: i64 = 5;

/// An article of one of `model`'s matrices (only under that model's address).
pub async fn article(
    state: &AppState,
    user: &MaybeUser,
    session: &super::editing::Session,
    model: &SupportModel,
    id: &str,
) -> Result<Markup, AppError> {
    let mut conn = state.db.acquire().await?;
    let found = db::articles::get(&mut conn, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let models = db::support_models::list(&mut conn).await?;
    if hallbar_index::model_of_matrix(&models, found.matrix.as_str()).map(|m| &m.id)
        != Some(&model.id)
    {
        return Err(AppError::NotFound);
    }
    let matrix = db::matrix::get(&mut conn, found.matrix.as_str()).await?;
    // Related: articles sharing a cell first, then sharing a subject, newest first.
    let related = db::articles::related(&mut conn, &found, RELATED).await?;
    drop(conn);
    let people = state
        .search
        .who_knows_topic(
            topic(&found.title, &found.tags, &found.lead),
            user.viewer(),
            super::PEOPLE,
        )
        .await?;
    let description = description_or(&found.lead, &found.title);
    let meta = page(
        &state.config,
        &paths::article(&model.id, id),
        &found.title,
        &description,
    )
    .section(Section::Model(model.id.to_string()));
    let meta = super::editing::with_edit_link(
        state,
        session,
        meta,
        crate::editing::ItemKind::Article,
        found.id.as_str(),
        model.id.as_str(),
    )
    .await;
    Ok(articles::article(
        &meta,
        &ArticleView {
            model,
            article: &found,
            matrix: matrix.as_ref(),
            related: &related,
            people: &people,
        },
    ))
}
