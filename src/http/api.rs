//! The JSON API: `GET /api/v1/sok` (faceted search) and `GET /api/v1/forslag` (completions).

use axum::extract::{Path, RawQuery, State};
use axum::routing::get;
use axum::{Json, Router};
use hallbar_index::ProfileVisibility;
use hallbar_index::matching::{MatchOptions, MemberMatch, match_members};
use hallbar_index::search::{self, SearchResults, Viewer};
use serde::Serialize;

use super::AppState;
use super::error::{ApiError, AppError};
use super::view::pairs;
use crate::search::params;

/// The longest text `forslag` completes, in characters.
const MAX_SUGGEST_CHARS: usize = 100;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/sok", get(search))
        .route("/api/v1/forslag", get(suggest))
        .route("/api/v1/kollegor/{id}", get(colleagues))
        .route("/api/v1/vem-kan", get(who_knows))
}

/// A yes/no URL parameter: `1`, `ja` or `true` mean yes.
fn flag(pairs: &[(String, String)], name: &str) -> Result<bool, AppError> {
    match pairs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
    {
        None | Some("") | Some("0") | Some("nej") | Some("false") => Ok(false),
        Some("1") | Some("ja") | Some("true") => Ok(true),
        Some(_) => Err(AppError::Invalid {
            field: name.into(),
            message: "måste vara ja eller nej".into(),
        }),
    }
}

#[derive(Serialize)]
struct Matches {
    medlemmar: Vec<MemberMatch>,
}

/// Members like this one, with the shared competences that explain why.
async fn colleagues(
    State(state): State<AppState>,
    id: Result<Path<String>, axum::extract::rejection::PathRejection>,
    RawQuery(raw): RawQuery,
) -> Result<Json<Matches>, ApiError> {
    // An unreadable id (invalid UTF-8) names no member.
    let Path(id) = id.map_err(|_| AppError::NotFound)?;
    let pairs = pairs(&raw);
    let options = MatchOptions {
        other_sectors_only: flag(&pairs, "annan_sektor")?,
        same_district_only: flag(&pairs, "samma_stadsdel")?,
        limit: 10,
    };
    let viewer = Viewer::Anonymous;
    let mut conn = state.db.acquire().await.map_err(AppError::from)?;
    let member = crate::db::members::get(&mut conn, &id)
        .await
        .map_err(AppError::from)?
        // A profile the viewer may not see does not exist for them.
        .filter(|m| m.visibility == ProfileVisibility::Public || viewer != Viewer::Anonymous)
        .ok_or(AppError::NotFound)?;
    drop(conn);
    let index = state.search.index();
    let medlemmar =
        tokio::task::spawn_blocking(move || match_members(&index, &member, &viewer, options))
            .await
            .map_err(|e| AppError::Internal(e.into()))??;
    Ok(Json(Matches { medlemmar }))
}

/// Members who know about a need, with the evidence.
async fn who_knows(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Json<Matches>, ApiError> {
    let need = pairs(&raw)
        .into_iter()
        .find(|(k, _)| k == "q")
        .map(|(_, v)| v)
        .unwrap_or_default();
    if need.trim().is_empty() {
        return Err(AppError::Invalid {
            field: "q".into(),
            message: "beskriv vad du söker".into(),
        }
        .into());
    }
    if need.chars().count() > params::MAX_QUERY_CHARS {
        return Err(AppError::Invalid {
            field: "q".into(),
            message: format!("får vara högst {} tecken", params::MAX_QUERY_CHARS),
        }
        .into());
    }
    let index = state.search.index();
    let medlemmar = tokio::task::spawn_blocking(move || {
        hallbar_index::matching::who_knows(&index, &need, &Viewer::Anonymous, 10)
    })
    .await
    .map_err(|e| AppError::Internal(e.into()))??;
    Ok(Json(Matches { medlemmar }))
}

async fn search(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Json<SearchResults>, ApiError> {
    let pairs = pairs(&raw);
    let request = params::parse(
        pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())),
        Viewer::Anonymous,
    )?;
    let index = state.search.index();
    let results = tokio::task::spawn_blocking(move || search::search(&index, &request))
        .await
        .map_err(|e| AppError::Internal(e.into()))??;
    Ok(Json(results))
}

#[derive(Serialize)]
struct Suggestions {
    forslag: Vec<String>,
}

async fn suggest(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Json<Suggestions>, ApiError> {
    let typed = pairs(&raw)
        .into_iter()
        .find(|(k, _)| k == "q")
        .map(|(_, v)| v)
        .unwrap_or_default();
    if typed.chars().count() > MAX_SUGGEST_CHARS {
        return Err(AppError::Invalid {
            field: "q".into(),
            message: format!("får vara högst {MAX_SUGGEST_CHARS} tecken"),
        }
        .into());
    }
    let index = state.search.index();
    let forslag = tokio::task::spawn_blocking(move || search::suggestions(&index, &typed))
        .await
        .map_err(|e| AppError::Internal(e.into()))??;
    Ok(Json(Suggestions { forslag }))
}
