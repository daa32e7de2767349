//! The network's groups: the group list.

use std::sync::Arc;

use axum::Router;
use axum::extract::{RawQuery, State};
use axum::routing::get;
use hallbar_index::DocKind;
use hallbar_templates::Section;
use hallbar_templates::pages::groups;
use maud::Markup;

use super::view::{SearchPage, SearchScope, page};
use super::{AppError, AppState, MaybeUser};
use crate::config::Config;
use crate::search::SearchService;

pub fn router() -> Router<AppState> {
    Router::new().route("/grupper", get(list))
}

async fn list(
    State(config): State<Arc<Config>>,
    State(index): State<SearchService>,
    user: MaybeUser,
    RawQuery(raw): RawQuery,
) -> Result<Markup, AppError> {
    let scope = SearchScope {
        action: "/grupper",
        facets: &[],
        kind: Some(DocKind::Group),
    };
    let search = SearchPage::run(&index, raw.as_deref(), scope, user.viewer()).await?;
    let meta = page(
        &config,
        "/grupper",
        "Grupper",
        "Grupperna i hallbars nätverk: medlemmar som samlas kring en fråga, ett område eller \
         ett projekt.",
    )
    .section(Section::Grupper);
    Ok(groups::groups(
        &meta,
        &search.view("Sök bland grupperna"),
        user.is_logged_in(),
    ))
}
