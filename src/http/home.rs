//! The start page: what hallbar is, the support models, what is new, and a search box.

use axum::Router;
use axum::extract::State;
use axum::routing::get;
use hallbar_index::search::Viewer;
use maud::Markup;

use super::view::page;
use super::{AppError, AppState};
use crate::db;

/// How many of the newest pivi entries and articles the start page lists.
const NEWEST: i64 = 5;

pub fn router() -> Router<AppState> {
    Router::new().route("/", get(home))
}

async fn home(State(state): State<AppState>) -> Result<Markup, AppError> {
    let mut conn = state.db.acquire().await?;
    let counts = db::stats::counts(&mut conn).await?;
    // The page shows what anyone may find: public profiles, and no group numbers.
    let public_members = db::stats::visible_members(&mut conn, &Viewer::Anonymous).await?;
    let newest_pivi = db::pivi::newest(&mut conn, NEWEST).await?;
    let newest_articles = db::articles::list(&mut conn, true, NEWEST).await?;
    let meta = page(
        &state.config,
        "/",
        "Socialt hållbar utveckling i Göteborg",
        "Mötesplats och kunskapsbank för alla som arbetar med socialt hållbar utveckling i \
         Göteborg: hitta kollegor efter kompetens, projekt, kunskap och verktyg för dialog.",
    );
    Ok(hallbar_templates::pages::home::home(
        &meta,
        &counts,
        public_members,
        hallbar_index::support_models(),
        &newest_pivi,
        &newest_articles,
    ))
}
