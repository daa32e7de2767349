//! The network's people: the member directory, profiles, competence pages
//! (`/kompetens/{slug}`) and a logged-in member's colleague matches (`/medlemmar/matcha`).

use std::sync::Arc;

use crate::db::Db;
use axum::Router;
use axum::extract::{RawQuery, State};
use axum::routing::get;
use hallbar_index::matching::MatchOptions;
use hallbar_index::search::Viewer;
use hallbar_index::search::params;
use hallbar_index::{DocKind, Member, paths};
use hallbar_templates::Section;
use hallbar_templates::pages::members;
use maud::Markup;

use super::extract::SitePath;
use super::view::{SearchPage, SearchScope, page};
use super::{AppError, AppState, CurrentUser, MaybeUser};
use crate::config::Config;
use crate::db;
use crate::search::SearchService;

/// How many members with similar competence a profile suggests.
const COLLEAGUES: usize = 5;
/// How many members "Hitta kollegor" suggests.
const MATCHES: usize = 20;
/// The most holders a competence page lists (the directory search has them all).
const HOLDERS: usize = 200;
/// How many related competences a competence page lists.
const RELATED: usize = 12;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/medlemmar", get(directory))
        .route("/medlemmar/matcha", get(matches))
        .route("/vem-kan", get(who_knows))
        .route("/medlemmar/{id}", get(profile))
        .route("/kompetens/{slug}", get(competence))
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
        action: "/medlemmar".to_string(),
        model: None,
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
    let contact_for = {
        let mut conn = state.db.acquire().await?;
        db::pivi::for_contact(&mut conn, member.id.as_str()).await?
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
    let models = {
        let mut conn = state.db.acquire().await?;
        db::support_models::list(&mut conn).await?
    };
    Ok(members::profile(
        &meta,
        &member,
        &contact_for,
        &models,
        &colleagues,
    ))
}

/// A competence: who has it (of the profiles the viewer may see) and what goes with it.
async fn competence(
    State(state): State<AppState>,
    user: MaybeUser,
    SitePath(slug): SitePath<String>,
) -> Result<Markup, AppError> {
    let found = state
        .search
        .competence_page(slug.clone(), user.viewer(), HOLDERS, RELATED)
        .await?
        .ok_or(AppError::NotFound)?;
    let description = format!(
        "Medlemmar med kompetensen {} inom socialt hållbar utveckling i Göteborg, och \
         kompetenser som hör ihop med den.",
        found.name
    );
    // The canonical address is the slug of the name, whatever spelling led here.
    let meta = page(
        &state.config,
        &paths::competence(&found.name),
        &format!("Kompetens: {}", found.name),
        &description,
    )
    .section(Section::Medlemmar);
    Ok(members::competence(&meta, &found))
}

/// A yes/no box of a form: `1`, `ja`, `on` or `true` mean yes.
fn checked(pairs: &[(String, String)], name: &str) -> Result<bool, AppError> {
    match params::value(pairs, name) {
        None | Some("0") | Some("nej") | Some("false") => Ok(false),
        Some("1") | Some("ja") | Some("on") | Some("true") => Ok(true),
        Some(_) => Err(AppError::invalid(name, "måste vara ja eller nej")),
    }
}

/// "Hitta kollegor": members like the logged-in member, with why, limited as asked.
async fn matches(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    RawQuery(raw): RawQuery,
) -> Result<Markup, AppError> {
    let pairs = params::pairs(raw.as_deref());
    let options = MatchOptions {
        other_sectors_only: checked(&pairs, "andra_sektorer")?,
        same_district_only: checked(&pairs, "min_stadsdel")?,
        limit: MATCHES,
    };
    let viewer = user.viewer();
    let member = visible_member(&state.db, user.member.as_str(), &viewer).await?;
    let found = state
        .search
        .colleagues(member.clone(), viewer, options)
        .await?;
    let mut path = paths::MATCH_MEMBERS.to_string();
    let mut query = Vec::new();
    if options.other_sectors_only {
        query.push("andra_sektorer=1");
    }
    if options.same_district_only {
        query.push("min_stadsdel=1");
    }
    if !query.is_empty() {
        path = format!("{path}?{}", query.join("&"));
    }
    let meta = page(
        &state.config,
        &path,
        "Hitta kollegor",
        "Medlemmar vars kompetens liknar din, med skälen till varför de föreslås.",
    )
    .section(Section::Medlemmar);
    Ok(members::matches(
        &meta,
        &members::MatchView {
            competences: &member.competences,
            other_sectors_only: options.other_sectors_only,
            same_district_only: options.same_district_only,
            matches: &found,
        },
    ))
}

/// How many people `/vem-kan` shows.
const WHO_KNOWS: usize = 20;

/// `/vem-kan?q=…`: free-text people search ranked by evidence, each person with it.
async fn who_knows(
    State(state): State<AppState>,
    user: MaybeUser,
    _fresh: super::fresh::ReadYourWrites,
    RawQuery(raw): RawQuery,
) -> Result<axum::response::Response, AppError> {
    use axum::response::IntoResponse;
    let pairs = params::pairs(raw.as_deref());
    let need = params::value(&pairs, "q")
        .unwrap_or_default()
        .trim()
        .to_string();
    let meta = page(
        &state.config,
        "/vem-kan",
        "Vem kan …?",
        "Hitta medlemmar som kan det du behöver, rangordnade efter vad de har gjort och skrivit.",
    )
    .section(Section::Medlemmar);
    if need.chars().count() > params::MAX_QUERY_CHARS {
        let message = format!("Skriv högst {} tecken", params::MAX_QUERY_CHARS);
        let html = members::who_knows_page(&meta, &need, &[], Some(&message));
        return Ok((axum::http::StatusCode::BAD_REQUEST, html).into_response());
    }
    let found = if need.is_empty() {
        Vec::new()
    } else {
        state
            .search
            .who_knows(need.clone(), user.viewer(), WHO_KNOWS)
            .await?
    };
    Ok(members::who_knows_page(&meta, &need, &found, None).into_response())
}
