//! The search page `/sok`: a GET form whose URL holds the whole state.

use axum::Router;
use axum::extract::{RawQuery, State};
use axum::routing::get;
use hallbar_index::search::Viewer;
use hallbar_templates::pages::search;
use maud::Markup;

use super::view::{SearchPage, page};
use super::{AppError, AppState};

pub fn router() -> Router<AppState> {
    Router::new().route("/sok", get(search_page))
}

async fn search_page(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Markup, AppError> {
    let found = SearchPage::run(
        &state,
        &raw,
        "/sok",
        search::FACETS,
        None,
        Viewer::Anonymous,
    )
    .await?;
    let mut title = if found.query.is_empty() {
        "Sök".to_string()
    } else {
        format!("Sök: {}", found.query)
    };
    if found.page > 1 {
        title.push_str(&format!(" – sida {}", found.page));
    }
    let meta = page(
        &state,
        &found.path(),
        &title,
        "Sök bland kunskap, projekt, dialogtexter och medlemmar inom socialt hållbar \
         utveckling i Göteborg.",
    )
    .query(found.query.clone());
    Ok(search::search(&meta, &found.view("Sökord")))
}
