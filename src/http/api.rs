//! The JSON API: `GET /api/v1/sok` (faceted search), `/api/v1/forslag` (completions),
//! `/api/v1/kollegor/{id}` (similar members), `/api/v1/vem-kan` (who knows about a need) and
//! `/api/v1/kompetenser` (competences of visible profiles, for the profile editor) and
//! `/api/v1/medlemmar/forslag` (members to `@mention`, for the post editor).
//! Errors become JSON in the router's `json_errors` layer.

use axum::extract::{RawQuery, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get};
use axum::{Json, Router};
use hallbar_index::matching::{MatchOptions, MemberMatch};
use hallbar_index::search::{SearchResults, params};
use serde::Serialize;

use super::extract::SitePath;
use super::fresh::ReadYourWrites;
use super::members::visible_member;
use super::{AppError, AppState, MaybeUser};
use crate::search::SearchService;

/// The longest text `forslag` completes, in characters.
const MAX_SUGGEST_CHARS: usize = 100;
/// How many members `kollegor` and `vem-kan` answer with.
const MATCHES: usize = 10;
/// How many competences `kompetenser` suggests.
const COMPETENCES: usize = 10;

/// Everything under `/api`: unknown addresses and methods are API errors too.
pub fn router() -> Router<AppState> {
    let api = Router::new()
        .route("/v1/sok", get(search))
        .route("/v1/forslag", get(suggest))
        .route("/v1/kollegor/{id}", get(colleagues))
        .route("/v1/vem-kan", get(who_knows))
        .route("/v1/kompetenser", get(competences))
        .route("/v1/medlemmar/forslag", get(member_suggestions))
        .fallback(|| async { AppError::NotFound })
        .method_not_allowed_fallback(|| async { AppError::MethodNotAllowed });
    // `/api/` itself is not under the nested router's paths.
    Router::new()
        .nest("/api", api)
        .route("/api/", any(|| async { AppError::NotFound }))
}

/// A yes/no URL parameter: `1`, `ja` or `true` mean yes.
fn flag(pairs: &[(String, String)], name: &str) -> Result<bool, AppError> {
    match params::value(pairs, name) {
        None | Some("0") | Some("nej") | Some("false") => Ok(false),
        Some("1") | Some("ja") | Some("true") => Ok(true),
        Some(_) => Err(AppError::invalid(name, "måste vara ja eller nej")),
    }
}

#[derive(Serialize)]
struct Matches {
    medlemmar: Vec<MemberMatch>,
}

/// Members like this one, with the shared competences that explain why.
async fn colleagues(
    State(state): State<AppState>,
    user: MaybeUser,
    _fresh: ReadYourWrites,
    SitePath(id): SitePath<String>,
    RawQuery(raw): RawQuery,
) -> Result<Json<Matches>, AppError> {
    let pairs = params::pairs(raw.as_deref());
    let options = MatchOptions {
        other_sectors_only: flag(&pairs, "annan_sektor")?,
        same_district_only: flag(&pairs, "samma_stadsdel")?,
        limit: MATCHES,
    };
    let viewer = user.viewer();
    let member = visible_member(&state.db, &id, &viewer).await?;
    let medlemmar = state.search.colleagues(member, viewer, options).await?;
    Ok(Json(Matches { medlemmar }))
}

/// Members who know about a need, with the evidence.
async fn who_knows(
    State(index): State<SearchService>,
    user: MaybeUser,
    _fresh: ReadYourWrites,
    RawQuery(raw): RawQuery,
) -> Result<Json<Matches>, AppError> {
    let pairs = params::pairs(raw.as_deref());
    let need = params::value(&pairs, "q").unwrap_or_default().to_string();
    if need.is_empty() {
        return Err(AppError::invalid("q", "beskriv vad du söker"));
    }
    if need.chars().count() > params::MAX_QUERY_CHARS {
        return Err(AppError::invalid(
            "q",
            format!("får vara högst {} tecken", params::MAX_QUERY_CHARS),
        ));
    }
    let medlemmar = index.who_knows(need, user.viewer(), MATCHES).await?;
    Ok(Json(Matches { medlemmar }))
}

async fn search(
    State(index): State<SearchService>,
    State(db): State<crate::db::Db>,
    State(models): State<crate::model_cache::ModelCache>,
    user: MaybeUser,
    _fresh: ReadYourWrites,
    RawQuery(raw): RawQuery,
) -> Result<Response, AppError> {
    let pairs = params::pairs(raw.as_deref());
    let request = params::parse(
        pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())),
        user.viewer(),
    )?;
    let mut results = index.search(request).await?;
    let models = models.get(&db, &index).await?;
    hallbar_index::search::facets::relabel(&mut results.facets, &models);
    hallbar_index::search::facets::label_hits(&mut results.hits, &models);
    results_json(&results)
}

/// Search results as JSON, written straight into a buffer of about their size (axum's
/// `Json` starts at 128 bytes and grows it a dozen times for a page of hits).
fn results_json(results: &SearchResults) -> Result<Response, AppError> {
    let mut body = Vec::with_capacity(json_size(results));
    serde_json::to_writer(&mut body, results).map_err(|e| AppError::Internal(e.into()))?;
    let json = HeaderValue::from_static("application/json");
    Ok(([(header::CONTENT_TYPE, json)], body).into_response())
}

/// About how many bytes `results` take as JSON (names, quotes and numbers included).
fn json_size(results: &SearchResults) -> usize {
    let hits: usize = results
        .hits
        .iter()
        .map(|h| 128 + h.id.len() + h.title.len() + h.url.len() + h.snippet.len() + h.date.len())
        .sum();
    let values: usize = results
        .facets
        .iter()
        .flat_map(|f| &f.values)
        .map(|v| 64 + v.value.len() + v.label.len())
        .sum();
    256 + hits + values + 48 * results.facets.len()
}

#[derive(Serialize)]
struct Suggestions {
    forslag: Vec<String>,
}

async fn suggest(
    State(index): State<SearchService>,
    RawQuery(raw): RawQuery,
) -> Result<Json<Suggestions>, AppError> {
    let pairs = params::pairs(raw.as_deref());
    let typed = params::value(&pairs, "q").unwrap_or_default().to_string();
    if typed.chars().count() > MAX_SUGGEST_CHARS {
        return Err(AppError::invalid(
            "q",
            format!("får vara högst {MAX_SUGGEST_CHARS} tecken"),
        ));
    }
    let forslag = index.suggestions(typed).await?;
    Ok(Json(Suggestions { forslag }))
}

#[derive(Serialize)]
struct Competences {
    kompetenser: Vec<String>,
}

/// Competences of the profiles the viewer may see with a word starting with `q` (any case),
/// the most common first; the most common of all when `q` is empty.
async fn competences(
    State(index): State<SearchService>,
    user: MaybeUser,
    _fresh: ReadYourWrites,
    RawQuery(raw): RawQuery,
) -> Result<Json<Competences>, AppError> {
    let pairs = params::pairs(raw.as_deref());
    let typed = params::value(&pairs, "q").unwrap_or_default().to_string();
    if typed.chars().count() > MAX_SUGGEST_CHARS {
        return Err(AppError::invalid(
            "q",
            format!("får vara högst {MAX_SUGGEST_CHARS} tecken"),
        ));
    }
    let kompetenser = index
        .competence_suggestions(typed, user.viewer(), COMPETENCES)
        .await?
        .into_iter()
        .map(|c| c.name)
        .collect();
    Ok(Json(Competences { kompetenser }))
}

#[derive(Serialize)]
struct MemberSuggestion {
    id: String,
    namn: String,
}

#[derive(Serialize)]
struct MemberSuggestions {
    medlemmar: Vec<MemberSuggestion>,
}

/// How many members `medlemmar/forslag` suggests.
const MEMBER_SUGGESTIONS: i64 = 8;

/// Members the viewer may see whose id begins like `q` (typed after `@`; letters folded as
/// ids are), for mentions while writing a post.
async fn member_suggestions(
    State(state): State<AppState>,
    user: MaybeUser,
    RawQuery(raw): RawQuery,
) -> Result<Json<MemberSuggestions>, AppError> {
    let pairs = params::pairs(raw.as_deref());
    let typed = params::value(&pairs, "q").unwrap_or_default();
    if typed.chars().count() > MAX_SUGGEST_CHARS {
        return Err(AppError::invalid(
            "q",
            format!("får vara högst {MAX_SUGGEST_CHARS} tecken"),
        ));
    }
    let prefix = crate::db::members::slug_of(typed, "");
    if prefix.is_empty() {
        return Ok(Json(MemberSuggestions {
            medlemmar: Vec::new(),
        }));
    }
    let mut conn = state.db.acquire().await?;
    let found =
        crate::db::members::with_id_prefix(&mut conn, &prefix, &user.viewer(), MEMBER_SUGGESTIONS)
            .await?;
    Ok(Json(MemberSuggestions {
        medlemmar: found
            .into_iter()
            .map(|(id, namn)| MemberSuggestion { id, namn })
            .collect(),
    }))
}
