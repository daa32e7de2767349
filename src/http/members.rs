//! The network's public pages: the member directory, profiles and the group list.

use axum::Router;
use axum::extract::{RawQuery, State};
use axum::routing::get;
use hallbar_index::matching::{MatchOptions, match_members};
use hallbar_index::search::Viewer;
use hallbar_index::{DocKind, ProfileVisibility};
use hallbar_templates::Section;
use hallbar_templates::components::{SearchView, link};
use hallbar_templates::pages::members;
use maud::Markup;

use super::view::{SitePath, offered, page, pairs, request, run};
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

/// A search restricted to one kind and the page's own facets: `typ` and other facets in the
/// URL have no say.
fn kind_search(
    raw: &Option<String>,
    kind: DocKind,
    facets: &[&str],
    viewer: Viewer,
) -> Result<(Vec<(String, String)>, hallbar_index::search::SearchRequest), AppError> {
    let params = offered(pairs(raw), facets);
    let mut request = request(&params, viewer)?;
    request.filters.kinds = vec![kind];
    Ok((params, request))
}

async fn directory(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Markup, AppError> {
    let viewer = Viewer::Anonymous;
    let logged_in = viewer != Viewer::Anonymous;
    let (params, request) = kind_search(&raw, DocKind::Member, members::FACETS, viewer)?;
    let query = request.query.clone();
    let sort = request.sort;
    let page_number = request.page;
    let results = run(&state, request).await?;
    let meta = page(
        &state,
        &link("/medlemmar", &params, None, Some(page_number), None),
        "Medlemmar",
        "Hitta kollegor inom socialt hållbar utveckling i Göteborg efter kompetens, sektor och \
         stadsdel.",
    )
    .section(Section::Medlemmar)
    .query(query.clone());
    Ok(members::directory(
        &meta,
        &SearchView {
            action: "/medlemmar",
            results: &results,
            query: &query,
            sort,
            params: &params,
            facets: members::FACETS,
            query_label: "Sök bland medlemmarna",
        },
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
    let meta = page(
        &state,
        &format!("/medlemmar/{id}"),
        &member.name,
        &description,
    )
    .section(Section::Medlemmar);
    Ok(members::profile(&meta, &member, &colleagues))
}

async fn groups(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Markup, AppError> {
    let viewer = Viewer::Anonymous;
    let logged_in = viewer != Viewer::Anonymous;
    let (params, request) = kind_search(&raw, DocKind::Group, &[], viewer)?;
    let query = request.query.clone();
    let sort = request.sort;
    let results = run(&state, request).await?;
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
        &SearchView {
            action: "/grupper",
            results: &results,
            query: &query,
            sort,
            params: &params,
            facets: &[],
            query_label: "Sök bland grupperna",
        },
        logged_in,
    ))
}
