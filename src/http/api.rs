//! The JSON API: `GET /api/v1/sok` (faceted search) and `GET /api/v1/forslag` (completions).

use axum::extract::{RawQuery, State};
use axum::routing::get;
use axum::{Json, Router};
use hallbar_index::search::{self, SearchResults, Viewer};
use serde::Serialize;

use super::AppState;
use super::error::{ApiError, AppError};
use crate::search::params;

/// The longest text `forslag` completes, in characters.
const MAX_SUGGEST_CHARS: usize = 100;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/sok", get(search))
        .route("/api/v1/forslag", get(suggest))
}

fn pairs(raw: &Option<String>) -> Vec<(String, String)> {
    raw.as_deref()
        .map(|q| form_urlencoded::parse(q.as_bytes()).into_owned().collect())
        .unwrap_or_default()
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
