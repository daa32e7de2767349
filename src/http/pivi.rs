//! Social utveckling – pivi: the catalogue (a search within pivi entries) and entry pages.

use std::sync::Arc;

use axum::Router;
use axum::extract::{RawQuery, State};
use axum::routing::get;
use hallbar_index::{DocKind, paths};
use hallbar_templates::Section;
use hallbar_templates::pages::pivi::{self, ContactView};
use maud::Markup;

use super::extract::SitePath;
use super::view::{SearchPage, SearchScope, description_or, page, topic};
use super::{AppError, AppState, MaybeUser};
use crate::config::Config;
use crate::db;
use crate::search::SearchService;

/// How many similar entries an entry page shows.
const SIMILAR: usize = 4;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/pivi", get(catalogue))
        .route("/pivi/{id}", get(entry))
}

async fn catalogue(
    State(config): State<Arc<Config>>,
    State(index): State<SearchService>,
    user: MaybeUser,
    RawQuery(raw): RawQuery,
) -> Result<Markup, AppError> {
    // The catalogue is pivi only, with its own facets: `typ` and other facets have no say.
    let scope = SearchScope {
        action: "/pivi",
        facets: pivi::FACETS,
        kind: Some(DocKind::Pivi),
    };
    let search = SearchPage::run(&index, raw.as_deref(), scope, user.viewer()).await?;
    let meta = page(
        &config,
        &search.path(),
        "Social utveckling – pivi",
        "pivi: projekt, idéer, verksamheter och inspiration från socialt utvecklingsarbete i \
         Göteborg, sökbara efter kategori, stadsdel, målgrupp och år.",
    )
    .section(Section::Pivi)
    .action("Tipsa om ett projekt", "/forslag/projekt")
    .query(search.query.clone());
    Ok(pivi::catalogue(&meta, &search.view("Sök i pivi")))
}

async fn entry(
    State(state): State<AppState>,
    user: MaybeUser,
    session: Option<axum::Extension<super::session::CurrentSession>>,
    SitePath(id): SitePath<String>,
) -> Result<Markup, AppError> {
    let viewer = user.viewer();
    let mut conn = state.db.acquire().await?;
    let found = db::pivi::get(&mut conn, &id)
        .await?
        .ok_or(AppError::NotFound)?;
    // Link the contact's profile only if this viewer may see it.
    let profile_url = match &found.contact.member {
        Some(member) => db::members::get(&mut conn, member.as_str())
            .await?
            .filter(|m| viewer.may_see_member(m))
            .map(|m| paths::member(&m.id)),
        None => None,
    };
    drop(conn);

    let similar = state
        .search
        .similar_pivi(&found, viewer.clone(), SIMILAR)
        .await?;
    let people = state
        .search
        .who_knows_topic(
            topic(&found.title, &found.tags, &found.summary),
            viewer,
            super::PEOPLE,
        )
        .await?;
    let description = description_or(&found.summary, &found.title);
    let meta = page(
        &state.config,
        &paths::pivi_entry(&id),
        &found.title,
        &description,
    )
    .section(Section::Pivi);
    let meta = super::editing::with_edit_link(
        &state,
        &session,
        meta,
        crate::editing::ItemKind::Pivi,
        found.id.as_str(),
        crate::editing::item::PIVI_MODEL,
    )
    .await;
    Ok(pivi::entry(
        &meta,
        &found,
        &ContactView {
            profile_url: profile_url.as_deref(),
        },
        &similar,
        &people,
    ))
}
