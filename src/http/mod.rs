//! The HTTP edge: application state, the router, and one module per area of the site.
//!
//! A handler finds its viewer through the [`MaybeUser`] / [`CurrentUser`] extractors, the
//! database, search and settings through `State` (sub-states via `FromRef`), and fails with
//! [`AppError`], which is a Swedish page for people and JSON under `/api`.

mod api;
mod articles;
mod assets;
mod dialogue;
pub mod edge;
mod error;
mod extract;
mod feeds;
pub mod form;
mod groups;
mod headers;
mod health;
mod home;
mod info;
mod matrix;
mod members;
mod pivi;
mod search;
mod source;
mod view;
mod viewer;

pub use error::AppError;
pub use viewer::{Authenticated, CurrentUser, MaybeUser};

use std::sync::Arc;

use axum::Router;
use axum::extract::FromRef;
use sqlx::SqlitePool;
use tower_http::trace::TraceLayer;

use crate::config::Config;
use crate::search::SearchService;
use crate::write::Writes;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub db: SqlitePool,
    pub search: SearchService,
    pub config: Arc<Config>,
}

impl AppState {
    pub fn new(db: SqlitePool, search: SearchService, config: Config) -> Self {
        AppState {
            db,
            search,
            config: Arc::new(config),
        }
    }
}

impl AppState {
    /// The write path for searchable content, waking this server's indexer.
    pub fn writes(&self) -> Writes {
        Writes::new(self.db.clone(), Some(self.search.clone()))
    }
}

impl FromRef<AppState> for Writes {
    fn from_ref(state: &AppState) -> Self {
        state.writes()
    }
}

impl FromRef<AppState> for SqlitePool {
    fn from_ref(state: &AppState) -> Self {
        state.db.clone()
    }
}

impl FromRef<AppState> for SearchService {
    fn from_ref(state: &AppState) -> Self {
        state.search.clone()
    }
}

impl FromRef<AppState> for Arc<Config> {
    fn from_ref(state: &AppState) -> Self {
        Arc::clone(&state.config)
    }
}

/// The whole site.
pub fn router(state: AppState) -> Router {
    let config = Arc::clone(&state.config);
    let router = Router::new()
        .merge(home::router())
        .merge(search::router())
        .merge(matrix::router())
        .merge(articles::router())
        .merge(pivi::router())
        .merge(dialogue::router())
        .merge(members::router())
        .merge(groups::router())
        .merge(info::router())
        .merge(source::router())
        .merge(assets::router())
        .merge(api::router().layer(axum::middleware::map_response(error::json_errors)))
        .merge(feeds::router())
        .merge(health::router())
        .fallback(error::not_found)
        .method_not_allowed_fallback(error::method_not_allowed)
        .layer(TraceLayer::new_for_http())
        .with_state(state);
    headers::with_security_headers(router, &config)
}
