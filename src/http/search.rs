//! The search page `/sok`: a GET form whose URL holds the whole state.

use std::sync::Arc;

use axum::Router;
use axum::extract::{RawQuery, State};
use axum::routing::get;
use hallbar_templates::pages::search;
use maud::Markup;

use super::fresh::ReadYourWrites;
use super::view::{SearchPage, SearchScope, page};
use super::{AppError, AppState, MaybeUser};
use crate::config::Config;
use crate::search::SearchService;

pub fn router() -> Router<AppState> {
    Router::new().route("/sok", get(search_page))
}

async fn search_page(
    State(config): State<Arc<Config>>,
    State(index): State<SearchService>,
    State(db): State<crate::db::Db>,
    State(models): State<crate::model_cache::ModelCache>,
    user: MaybeUser,
    _fresh: ReadYourWrites,
    RawQuery(raw): RawQuery,
) -> Result<Markup, AppError> {
    let scope = SearchScope {
        action: "/sok".to_string(),
        model: None,
        facets: search::FACETS,
        kind: None,
    };
    let mut found = SearchPage::run(&index, raw.as_deref(), scope, user.viewer()).await?;
    found.relabel(&models.get(&db, &index).await?);
    let mut title = if found.query.is_empty() {
        "Sök".to_string()
    } else {
        format!("Sök: {}", found.query)
    };
    if found.page > 1 {
        title.push_str(&format!(" – sida {}", found.page));
    }
    let meta = page(
        &config,
        &found.path(),
        &title,
        "Sök bland kunskap, projekt, dialogtexter och medlemmar inom socialt hållbar \
         utveckling i Göteborg.",
    )
    .query(found.query.clone());
    Ok(search::search(&meta, &found.view("Sökord")))
}
