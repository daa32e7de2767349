//! Support models' pages at `/{model}/…`, whatever their kind: a matrix's table, cells and
//! articles, a catalogue's search and entries, a guide's phases and texts. Static routes
//! (`/sok`, `/medlemmar`, …) win over these, and no model may take their names
//! ([`hallbar_index::paths::RESERVED`]).

use axum::Router;
use axum::extract::{RawQuery, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use hallbar_index::{ModelKind, SupportModel};
use maud::Markup;

use super::editing::Session;
use super::extract::SitePath;
use super::{AppError, AppState, MaybeUser, articles, dialogue, matrix, pivi};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/{model}", get(overview))
        .route("/{model}/{first}", get(one_below))
        .route("/{model}/{first}/{second}", get(two_below))
}

/// The model at `/{id}`, or 404.
async fn model(state: &AppState, id: &str) -> Result<SupportModel, AppError> {
    state
        .models
        .find(&state.db, &state.search, id)
        .await?
        .ok_or(AppError::NotFound)
}

/// The answer: a page, or an error (as JSON under `/api`, whose unknown paths can reach
/// these routes).
async fn answer(id: &str, page: Result<Markup, AppError>) -> Response {
    let response = page.into_response();
    if id == "api" {
        super::error::json_errors(response).await
    } else {
        response
    }
}

async fn overview(
    State(state): State<AppState>,
    user: MaybeUser,
    SitePath(id): SitePath<String>,
    RawQuery(raw): RawQuery,
) -> Response {
    let page = overview_of(&state, &user, &id, raw.as_deref()).await;
    answer(&id, page).await
}

async fn overview_of(
    state: &AppState,
    user: &MaybeUser,
    id: &str,
    raw: Option<&str>,
) -> Result<Markup, AppError> {
    let model = model(state, id).await?;
    match model.kind {
        ModelKind::Matrix => matrix::overview(state, &model).await,
        ModelKind::Catalogue => pivi::catalogue(state, user, raw, &model).await,
        ModelKind::Guide => dialogue::overview(state, &model).await,
    }
}

/// A catalogue's entry or a guide's phase.
async fn one_below(
    State(state): State<AppState>,
    user: MaybeUser,
    session: Session,
    SitePath((id, first)): SitePath<(String, String)>,
) -> Response {
    let page = one_below_of(&state, &user, &session, &id, &first).await;
    answer(&id, page).await
}

async fn one_below_of(
    state: &AppState,
    user: &MaybeUser,
    session: &Session,
    id: &str,
    first: &str,
) -> Result<Markup, AppError> {
    let model = model(state, id).await?;
    match model.kind {
        ModelKind::Matrix => Err(AppError::NotFound),
        ModelKind::Catalogue => pivi::entry(state, user, session, &model, first).await,
        ModelKind::Guide => dialogue::phase(state, &model, first).await,
    }
}

/// A matrix's cell or article, or a guide's text.
async fn two_below(
    State(state): State<AppState>,
    user: MaybeUser,
    session: Session,
    SitePath((id, first, second)): SitePath<(String, String, String)>,
) -> Response {
    let page = two_below_of(&state, &user, &session, &id, &first, &second).await;
    answer(&id, page).await
}

async fn two_below_of(
    state: &AppState,
    user: &MaybeUser,
    session: &Session,
    id: &str,
    first: &str,
    second: &str,
) -> Result<Markup, AppError> {
    let model = model(state, id).await?;
    match model.kind {
        ModelKind::Matrix if first == "artiklar" => {
            articles::article(state, user, session, &model, second).await
        }
        ModelKind::Matrix => matrix::cell(state, user, session, &model, first, second).await,
        ModelKind::Catalogue => Err(AppError::NotFound),
        ModelKind::Guide => dialogue::text(state, user, session, &model, first, second).await,
    }
}
