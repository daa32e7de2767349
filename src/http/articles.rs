//! Articles of the knowledge matrix: an article page with its cells, related articles and
//! the members who know about its topic.

use axum::Router;
use axum::extract::State;
use axum::routing::get;
use hallbar_index::paths;
use hallbar_templates::Section;
use hallbar_templates::pages::articles::{self, ArticleView};
use maud::Markup;

use super::extract::SitePath;
use super::view::{description_or, page, topic};
use super::{AppError, AppState, MaybeUser};
use crate::db;

/// The most related articles listed under an article.
const RELATED: i64 = 5;

pub fn router() -> Router<AppState> {
    Router::new().route("/stadsutveckling/artiklar/{id}", get(article))
}

async fn article(
    State(state): State<AppState>,
    user: MaybeUser,
    session: Option<axum::Extension<super::session::CurrentSession>>,
    SitePath(id): SitePath<String>,
) -> Result<Markup, AppError> {
    let mut conn = state.db.acquire().await?;
    let found = db::articles::get(&mut conn, &id)
        .await?
        .ok_or(AppError::NotFound)?;
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
        &paths::article(&id),
        &found.title,
        &description,
    )
    .section(Section::Stadsutveckling);
    let meta = super::editing::with_edit_link(
        &state,
        &session,
        meta,
        crate::editing::ItemKind::Article,
        found.id.as_str(),
        found.matrix.as_str(),
    )
    .await;
    Ok(articles::article(
        &meta,
        &ArticleView {
            article: &found,
            matrix: matrix.as_ref(),
            related: &related,
            people: &people,
        },
    ))
}
