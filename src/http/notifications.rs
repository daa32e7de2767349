//! `/notiser`: the logged-in member's notifications, marked read one by one or all at once.

use axum::Router;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use hallbar_templates::Section;
use hallbar_templates::pages::notifications::{NotificationView, notifications};

use super::csrf::Csrf;
use super::extract::SitePath;
use super::form::FormInput;
use super::session::now;
use super::view::{page, uncached};
use super::{AppError, AppState, CurrentUser};
use crate::db;

/// How many notifications the page lists.
const SHOWN: i64 = 100;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/notiser", get(list))
        .route("/notiser/alla-lasta", post(mark_all))
        .route("/notiser/{id}/last", post(mark_one))
}

async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    Csrf(csrf): Csrf,
) -> Result<Response, AppError> {
    let mut conn = state.db.acquire().await?;
    let found = db::notifications::list(&mut conn, user.0.member.as_str(), SHOWN).await?;
    let items: Vec<NotificationView> = found
        .iter()
        .map(|n| NotificationView {
            id: n.id,
            kind: n.kind.label(),
            text: &n.text,
            link: &n.link,
            created_at: n.created_at,
            read: n.read,
        })
        .collect();
    let meta = page(
        &state.config,
        "/notiser",
        "Notiser",
        "Dina notiser: svar, nya trådar, omnämnanden och ansökningar.",
    )
    .section(Section::Profil);
    Ok(uncached(
        axum::http::StatusCode::OK,
        notifications(&meta, &items, &csrf),
    ))
}

async fn mark_all(
    State(state): State<AppState>,
    user: CurrentUser,
    FormInput(_form): FormInput,
) -> Result<Response, AppError> {
    let mut conn = state.db.acquire().await?;
    db::notifications::mark_all_read(&mut conn, user.0.member.as_str(), now()).await?;
    Ok(Redirect::to("/notiser").into_response())
}

async fn mark_one(
    State(state): State<AppState>,
    user: CurrentUser,
    SitePath(id): SitePath<i64>,
    FormInput(_form): FormInput,
) -> Result<Response, AppError> {
    let mut conn = state.db.acquire().await?;
    // Another member's notification does not exist for this one.
    if !db::notifications::mark_read(&mut conn, user.0.member.as_str(), id, now()).await? {
        return Err(AppError::NotFound);
    }
    Ok(Redirect::to("/notiser").into_response())
}
