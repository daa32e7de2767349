//! The HTTP edge: application state, the router, and one module per area of the site.

mod api;
mod dialogue;
mod error;
mod feeds;
mod health;
mod home;
mod matrix;
mod members;
mod pivi;
mod search_page;
mod site;
mod view;

pub use error::{ApiError, AppError};

use std::sync::Arc;

use axum::Router;
use sqlx::SqlitePool;
use tower_http::trace::TraceLayer;

use crate::search::SearchService;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub db: SqlitePool,
    pub search: SearchService,
    /// The site's public address without a trailing slash, for absolute links.
    pub public_url: Arc<str>,
    /// Where the contact page sends people, if set.
    pub contact_email: Option<Arc<str>>,
}

impl AppState {
    pub fn new(db: SqlitePool, search: SearchService) -> Self {
        AppState {
            db,
            search,
            public_url: Arc::from("http://localhost:3000"),
            contact_email: None,
        }
    }

    /// The public address used in feeds, the sitemap and canonical links.
    pub fn with_public_url(mut self, url: impl Into<String>) -> Self {
        self.public_url = Arc::from(url.into());
        self
    }

    /// The address the contact page names.
    pub fn with_contact_email(mut self, email: Option<String>) -> Self {
        self.contact_email = email.map(Arc::from);
        self
    }

    /// An absolute URL for a site path (which starts with `/`).
    pub fn absolute(&self, path: &str) -> String {
        format!("{}{path}", self.public_url)
    }
}

/// The whole site.
pub fn router(state: AppState) -> Router {
    Router::new()
        .merge(home::router())
        .merge(search_page::router())
        .merge(matrix::router())
        .merge(pivi::router())
        .merge(dialogue::router())
        .merge(members::router())
        .merge(site::router())
        .merge(api::router())
        .merge(feeds::router())
        .merge(health::router())
        .fallback(error::not_found)
        .method_not_allowed_fallback(error::method_not_allowed)
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}
