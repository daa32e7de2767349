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
mod source;
mod view;

pub use error::{ApiError, AppError};

use std::sync::Arc;

use axum::Router;
use axum::http::{HeaderName, HeaderValue, header};
use sqlx::SqlitePool;
use tower_http::set_header::SetResponseHeaderLayer;
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
    /// Where the operator publishes the source, if set; `/kallkod` always offers the
    /// archive of the sources this binary was built from.
    pub source_url: Option<Arc<str>>,
}

impl AppState {
    pub fn new(db: SqlitePool, search: SearchService) -> Self {
        AppState {
            db,
            search,
            public_url: Arc::from("http://localhost:3000"),
            contact_email: None,
            source_url: None,
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

    /// Where the operator publishes the source (named on `/kallkod`).
    pub fn with_source_url(mut self, url: Option<String>) -> Self {
        self.source_url = url.map(Arc::from);
        self
    }

    /// An absolute URL for a site path (which starts with `/`).
    pub fn absolute(&self, path: &str) -> String {
        format!("{}{path}", self.public_url)
    }
}

/// The whole site.
pub fn router(state: AppState) -> Router {
    let router = Router::new()
        .merge(home::router())
        .merge(search_page::router())
        .merge(matrix::router())
        .merge(pivi::router())
        .merge(dialogue::router())
        .merge(members::router())
        .merge(site::router())
        .merge(source::router())
        .merge(api::router())
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
