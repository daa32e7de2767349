//! The start page: what hallbar is, the support models and what the corpus holds.

use axum::Router;
use axum::extract::State;
use axum::routing::get;
use maud::Markup;

use super::{AppError, AppState};
use crate::db;

pub fn router() -> Router<AppState> {
    Router::new().route("/", get(home))
}

async fn home(State(state): State<AppState>) -> Result<Markup, AppError> {
    let mut conn = state.db.acquire().await?;
    let counts = db::stats::counts(&mut conn).await?;
    Ok(hallbar_templates::pages::home::home(
        &counts,
        hallbar_index::support_models(),
    ))
}
