//! The network's public pages: the member directory, profiles and the group list.

use axum::Router;
use axum::extract::{RawQuery, State};
use axum::routing::get;
use hallbar_index::matching::{MatchOptions, match_members};
use hallbar_index::paths;
use hallbar_index::search::Viewer;
use hallbar_index::{DocKind, ProfileVisibility};
use hallbar_templates::Section;
use hallbar_templates::pages::members;
use maud::Markup;

use super::view::{SearchPage, SitePath, page};
use super::{AppError, AppState};
use crate::db;

/// How many members with similar competence a profile suggests.
const COLLEAGUES: usize = 5;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/medlemmar", get(directory))
        .route("/medlemmar/{id}", get(profile))
        .route("/grupper", get(groups))
}

async fn directory(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Markup, AppError> {
    let viewer = Viewer::Anonymous;
    let logged_in = viewer != Viewer::Anonymous;
    let search = SearchPage::run(
        &state,
        &raw,
        "/medlemmar",
        members::FACETS,
        Some(DocKind::Member),
        viewer,
    )
    .await?;
    let meta = page(
        &state,
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
        logged_in,
    ))
}

async fn profile(
    State(state): State<AppState>,
    SitePath(id): SitePath<String>,
) -> Result<Markup, AppError> {
    let viewer = Viewer::Anonymous;
    let mut conn = state.db.acquire().await?;
    let member = db::members::get(&mut conn, &id)
        .await?
        // A profile the viewer may not see does not exist for them.
        .filter(|m| m.visibility == ProfileVisibility::Public || viewer != Viewer::Anonymous)
        .ok_or(AppError::NotFound)?;
    drop(conn);
    let index = state.search.index();
    let target = member.clone();
    let match_viewer = viewer.clone();
    let colleagues = tokio::task::spawn_blocking(move || {
        match_members(
            &index,
            &target,
            &match_viewer,
            MatchOptions {
                other_sectors_only: false,
                same_district_only: false,
                limit: COLLEAGUES,
            },
        )
    })
    .await
    .map_err(|e| AppError::Internal(e.into()))??;
    let description = format!(
        "{}, {} – {}",
        member.title, member.organisation, member.name
    );
    let meta =
        page(&state, &paths::member(&id), &member.name, &description).section(Section::Medlemmar);
    Ok(members::profile(&meta, &member, &colleagues))
}

async fn groups(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Markup, AppError> {
    let viewer = Viewer::Anonymous;
    let logged_in = viewer != Viewer::Anonymous;
    let search =
        SearchPage::run(&state, &raw, "/grupper", &[], Some(DocKind::Group), viewer).await?;
    let meta = page(
        &state,
        "/grupper",
        "Grupper",
        "Grupperna i hallbars nätverk: medlemmar som samlas kring en fråga, ett område eller \
         ett projekt.",
    )
    .section(Section::Grupper);
    Ok(members::groups(
        &meta,
        &search.view("Sök bland grupperna"),
        logged_in,
    ))
}
