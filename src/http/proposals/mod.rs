//! Members' proposals: "Tipsa om ett projekt" (a new pivi entry) and "Föreslå en ändring"
//! (of an article or a dialogue text), each member's own list, and the editors' queue at
//! `/admin/forslag` — accept, edit first, or decline with a reason; the proposer is told.

use axum::Router;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use hallbar_index::paths;
use hallbar_templates::components::form::FormState;
use hallbar_templates::pages::editing::{self as edit_pages, EditField, EditView, Widget};
use hallbar_templates::pages::proposals::{
    self as pages, MAX_MESSAGE_CHARS, MyProposal, QueuedProposal, reason_id,
};
use serde_json::Value;

use super::csrf::Csrf;
use super::editing::{
    EditorCtx, Session, conflict_view, edit_fields, editor_ctx, options_for, place_errors, preview,
    read_item, show_fixed,
};
use super::extract::SitePath;
use super::form::FormInput;
use super::view::{page, uncached};
use super::{AppError, AppState, CurrentUser};
use crate::db;
use crate::db::proposals::{Proposal, Status};
use crate::editing::item;
use crate::editing::publish::{self, Answer, EditError};
use crate::editing::{Item, ItemKind};

mod answers;
mod member;

use answers::{accept, decline, edit_and_accept, edit_form, queue};
use member::{change, change_form, mine, new_project, new_project_form};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/forslag", get(mine))
        .route("/forslag/projekt", get(new_project_form).post(new_project))
        .route(
            "/forslag/andring/{kind}/{id}",
            get(change_form).post(change),
        )
        .route("/admin/forslag", get(queue))
        .route("/admin/forslag/{id}/godkann", post(accept))
        .route(
            "/admin/forslag/{id}/redigera",
            get(edit_form).post(edit_and_accept),
        )
        .route("/admin/forslag/{id}/avsla", post(decline))
}

/// How many proposals one member may send in a day.
const PER_DAY: i64 = 20;

/// How long an accepted change may take to reach search before the answer goes anyway.
const SEARCHABLE_WITHIN: std::time::Duration = std::time::Duration::from_secs(10);

/// The kinds of item a member may propose a change of.
fn changeable(kind: &str) -> Result<ItemKind, AppError> {
    match ItemKind::from_slug(kind) {
        Some(kind @ (ItemKind::Article | ItemKind::Dialogue)) => Ok(kind),
        _ => Err(AppError::NotFound),
    }
}

/// The support model an item belongs to.
async fn owner(state: &AppState, item: &Item) -> Result<String, AppError> {
    let mut conn = state.db.acquire().await?;
    Ok(item::owner(&mut conn, item).await?)
}

/// The catalogue a tip goes to: `modell=` when it names one, else the first catalogue.
async fn catalogue_for(state: &AppState, query: Option<&str>) -> Result<String, AppError> {
    let asked = form_urlencoded::parse(query.unwrap_or_default().as_bytes())
        .find(|(k, _)| k == "modell")
        .map(|(_, v)| v.into_owned());
    let mut conn = state.db.acquire().await?;
    let models = db::support_models::list(&mut conn).await?;
    let catalogues = models
        .iter()
        .filter(|m| m.kind == hallbar_index::ModelKind::Catalogue);
    let found = match &asked {
        Some(id) => catalogues.clone().find(|m| m.id.as_str() == id),
        None => catalogues.clone().next(),
    };
    found.map(|m| m.id.to_string()).ok_or(AppError::NotFound)
}

/// "Nytt projekt i pivi" / "Ändring av en artikel".
fn what(kind: &str, entity: Option<&str>, status: Status) -> String {
    match (kind, entity, status) {
        ("pivi", None, _) | ("pivi", Some(_), Status::Accepted) => "Nytt projekt i pivi".into(),
        ("artikel", ..) => "Ändring av en artikel".into(),
        ("dialog", ..) => "Ändring av en text i dialogverktyget".into(),
        _ => "Förslag".into(),
    }
}

fn when(at: i64) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_timestamp(at, 0).unwrap_or_default()
}
