//! The search page `/sok`: a GET form whose URL holds the whole state.

use axum::Router;
use axum::extract::{RawQuery, State};
use axum::routing::get;
use hallbar_index::search::Viewer;
use hallbar_templates::components::{SearchView, link};
use hallbar_templates::pages::search;
use maud::Markup;

use super::view::{offered, page, pairs, request, run};
use super::{AppError, AppState};

pub fn router() -> Router<AppState> {
    Router::new().route("/sok", get(search_page))
}

async fn search_page(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Markup, AppError> {
    let params = offered(pairs(&raw), search::FACETS);
    let request = request(&params, Viewer::Anonymous)?;
    let query = request.query.clone();
    let sort = request.sort;
    let page_number = request.page;
    let results = run(&state, request).await?;
    let mut title = if query.is_empty() {
        "Sök".to_string()
    } else {
        format!("Sök: {query}")
    };
    if page_number > 1 {
        title.push_str(&format!(" – sida {page_number}"));
    }
    let meta = page(
        &state,
        &link("/sok", &params, None, Some(page_number), None),
        &title,
        "Sök bland kunskap, projekt, dialogtexter och medlemmar inom socialt hållbar \
         utveckling i Göteborg.",
    )
    .query(query.clone());
    Ok(search::search(
        &meta,
        &SearchView {
            action: "/sok",
            results: &results,
            query: &query,
            sort,
            params: &params,
            facets: search::FACETS,
            query_label: "Sökord",
        },
    ))
}
