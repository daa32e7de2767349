//! The network's people: the member directory and profiles.

use std::sync::Arc;

use crate::db::Db;
use axum::Router;
use axum::extract::{RawQuery, State};
use axum::routing::get;
use hallbar_index::matching::MatchOptions;
use hallbar_index::search::Viewer;
use hallbar_index::{DocKind, Member, paths};
use hallbar_templates::Section;
use hallbar_templates::pages::members;
use maud::Markup;

use super::extract::SitePath;
use super::view::{SearchPage, SearchScope, page};
use super::{AppError, AppState, MaybeUser};
use crate::config::Config;
use crate::db;
use crate::search::SearchService;

/// How many members with similar competence a profile suggests.
const COLLEAGUES: usize = 5;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/medlemmar", get(directory))
        .route("/medlemmar/{id}", get(profile))
}

/// The member `viewer` may see under `id`: a profile they may not see does not exist for
/// them.
pub async fn visible_member(pool: &Db, id: &str, viewer: &Viewer) -> Result<Member, AppError> {
    let mut conn = pool.acquire().await?;
    db::members::get(&mut conn, id)
        .await?
        .filter(|m| viewer.may_see_member(m))
        .ok_or(AppError::NotFound)
}

async fn directory(
    State(config): State<Arc<Config>>,
    State(index): State<SearchService>,
    user: MaybeUser,
    RawQuery(raw): RawQuery,
) -> Result<Markup, AppError> {
    let scope = SearchScope {
        action: "/medlemmar",
        facets: members::FACETS,
        kind: Some(DocKind::Member),
    };
    let search = SearchPage::run(&index, raw.as_deref(), scope, user.viewer()).await?;
    let meta = page(
        &config,
        &search.path(),
        "Medlemmar",
        "Hitta kollegor inom socialt hållbar utveckling i Göteborg efter kompetens, sektor och \
         stadsdel.",
    )
    .section(Section::Medlemmar)
    .query(search.query.clone());
    Ok(members::directory(
        &meta,
        &search.view("Sök bland medlemmarna"),
        user.is_logged_in(),
    ))
}

async fn profile(
    State(state): State<AppState>,
    user: MaybeUser,
    SitePath(id): SitePath<String>,
) -> Result<Markup, AppError> {
    let viewer = user.viewer();
    let member = visible_member(&state.db, &id, &viewer).await?;
    let options = MatchOptions {
        other_sectors_only: false,
        same_district_only: false,
        limit: COLLEAGUES,
    };
    let colleagues = state
        .search
        .colleagues(member.clone(), viewer, options)
        .await?;
    let description = format!(
        "{}, {} – {}",
        member.title, member.organisation, member.name
    );
    let meta = page(
        &state.config,
        &paths::member(&id),
        &member.name,
        &description,
    )
    .section(Section::Medlemmar);
    Ok(members::profile(&meta, &member, &colleagues))
}
