//! The HTTP edge: application state, the router, and one module per area of the site.
//!
//! A handler finds its viewer through the [`MaybeUser`] / [`CurrentUser`] extractors, the
//! database, search and settings through `State` (sub-states via `FromRef`), and fails with
//! [`AppError`], which is a Swedish page for people and JSON under `/api`.

mod api;
mod articles;
mod assets;
mod dialogue;
mod error;
mod extract;
mod feeds;
pub mod form;
mod groups;
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
use axum::http::{HeaderName, HeaderValue, header};
use sqlx::SqlitePool;
use tower_http::set_header::SetResponseHeaderLayer;
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
    SECURITY_HEADERS
        .iter()
        .fold(router, |router, (name, value)| {
            router.layer(SetResponseHeaderLayer::if_not_present(
                name.clone(),
                HeaderValue::from_static(value),
            ))
        })
}

/// What every response tells the browser: only this site's own stylesheet and scripts run
/// (no inline code, so injected markup cannot execute), no framing, no MIME sniffing, and
/// no full URLs (which hold search words) sent to other sites.
const SECURITY_HEADERS: &[(HeaderName, &str)] = &[
    (
        header::CONTENT_SECURITY_POLICY,
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; \
         object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    ),
    (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
    (header::X_FRAME_OPTIONS, "DENY"),
    (header::REFERRER_POLICY, "strict-origin-when-cross-origin"),
];
