//! The HTTP edge: application state, the router, and one module per area of the site.

mod api;
mod error;
mod health;
mod home;

pub use error::{ApiError, AppError};

use axum::Router;
use sqlx::SqlitePool;
use tower_http::trace::TraceLayer;

use crate::search::SearchService;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub db: SqlitePool,
    pub search: SearchService,
}

impl AppState {
    pub fn new(db: SqlitePool, search: SearchService) -> Self {
        AppState { db, search }
    }
}

/// The whole site.
pub fn router(state: AppState) -> Router {
    Router::new()
        .merge(home::router())
        .merge(api::router())
        .merge(health::router())
        .fallback(error::not_found)
        .method_not_allowed_fallback(error::method_not_allowed)
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}
