//! Social utveckling – pivi: the catalogue (a search within pivi entries) and entry pages.

use axum::Router;
use axum::extract::{RawQuery, State};
use axum::routing::get;
use hallbar_index::paths;
use hallbar_index::search::{SearchRequest, Viewer};
use hallbar_index::{DocKind, ProfileVisibility};
use hallbar_templates::Section;
use hallbar_templates::pages::pivi::{self, ContactView};
use maud::Markup;

use super::view::{SearchPage, SitePath, page, run};
use super::{AppError, AppState};
use crate::db;

/// How many similar entries an entry page shows.
const SIMILAR: usize = 4;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/pivi", get(catalogue))
        .route("/pivi/{id}", get(entry))
}

async fn catalogue(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Markup, AppError> {
    // The catalogue is pivi only, with its own facets: `typ` and other facets have no say.
    let search = SearchPage::run(
        &state,
        &raw,
        "/pivi",
        pivi::FACETS,
        Some(DocKind::Pivi),
        Viewer::Anonymous,
    )
    .await?;
    let meta = page(
        &state,
        &search.path(),
        "Social utveckling – pivi",
        "pivi: projekt, idéer, verksamheter och inspiration från socialt utvecklingsarbete i \
         Göteborg, sökbara efter kategori, stadsdel, målgrupp och år.",
    )
    .section(Section::Pivi)
    .query(search.query.clone());
    Ok(pivi::catalogue(&meta, &search.view("Sök i pivi")))
}

async fn entry(
    State(state): State<AppState>,
    SitePath(id): SitePath<String>,
) -> Result<Markup, AppError> {
    let viewer = Viewer::Anonymous;
    let mut conn = state.db.acquire().await?;
    let found = db::pivi::get(&mut conn, &id)
        .await?
        .ok_or(AppError::NotFound)?;
    // Link the contact's profile only if this viewer may see it.
    let profile_url = match &found.contact.member {
        Some(member) => db::members::get(&mut conn, member.as_str())
            .await?
            .filter(|m| m.visibility == ProfileVisibility::Public || viewer != Viewer::Anonymous)
            .map(|m| paths::member(&m.id)),
        None => None,
    };
    drop(conn);

    // More like this: the entry's title and subjects as a query, within pivi.
    let mut like = found.title.clone();
    for tag in &found.tags {
        like.push(' ');
        like.push_str(tag);
    }
    let similar_request = SearchRequest {
        query: like
            .chars()
            .take(crate::search::params::MAX_QUERY_CHARS)
            .collect(),
        per_page: SIMILAR + 1,
        viewer: viewer.clone(),
        filters: hallbar_index::search::Filters {
            kinds: vec![DocKind::Pivi],
            ..Default::default()
        },
        ..SearchRequest::default()
    };
    let similar: Vec<_> = run(&state, similar_request)
        .await?
        .hits
        .into_iter()
        .filter(|h| h.id != found.id.as_str())
        .take(SIMILAR)
        .collect();

    let description = if found.summary.is_empty() {
        found.title.clone()
    } else {
        super::view::description(&found.summary)
    };
    let meta =
        page(&state, &paths::pivi_entry(&id), &found.title, &description).section(Section::Pivi);
    Ok(pivi::entry(
        &meta,
        &found,
        &ContactView {
            profile_url: profile_url.as_deref(),
        },
        &similar,
    ))
}
