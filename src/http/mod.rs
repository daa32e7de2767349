//! The HTTP edge: application state, the router, and one module per area of the site.
//!
//! A handler finds its viewer through the [`MaybeUser`] / [`CurrentUser`] extractors, the
//! database, search and settings through `State` (sub-states via `FromRef`), and fails with
//! [`AppError`], which is a Swedish page for people and JSON under `/api`.

mod account;
mod admin;
mod admin_import;
mod api;
mod articles;
mod assets;
pub mod csrf;
mod dialogue;
mod discussions;
pub mod edge;
mod editing;
mod error;
mod extract;
mod feeds;
pub mod form;
pub mod fresh;
mod group;
mod groups;
mod headers;
mod health;
mod home;
mod info;
mod limit;
mod live;
mod matrix;
mod members;
mod models;
mod moderation;
mod notifications;
mod pivi;
mod profile;
mod proposals;
mod search;
pub mod session;
mod source;
pub mod starting;
mod support_models;
pub mod throttle;
mod view;
mod viewer;

pub use error::AppError;
pub use limit::ClientLimit;
pub use viewer::{Authenticated, CurrentUser, MaybeUser};

use std::sync::Arc;

use crate::db::Db;
use axum::Router;
use axum::extract::FromRef;
use axum::response::IntoResponse;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::trace::TraceLayer;

use crate::auth::password::Hasher;
use crate::config::Config;
use crate::mail::Mailer;
use crate::search::SearchService;
use crate::write::Writes;

/// How many members a knowledge page suggests under "Kollegor som kan det här".
const PEOPLE: usize = 5;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub search: SearchService,
    pub config: Arc<Config>,
    /// Password hashing, off the async threads and at most one per core at a time.
    pub hasher: Hasher,
    pub mailer: Mailer,
    /// The support models, read again only when one changed.
    pub models: crate::model_cache::ModelCache,
    /// This node's reindexing and uploads waiting to be imported (see [`crate::admin`]).
    pub admin: crate::admin::AdminState,
}

impl AppState {
    /// The state with mail written as files under the configured mail directory (see
    /// [`AppState::with_mailer`] for SMTP).
    pub fn new(db: Db, search: SearchService, config: Config) -> Self {
        let dir = config.mail_dir.clone();
        let mailer = Mailer::new(None, &config.mail_from, dir.clone())
            .or_else(|_| Mailer::new(None, crate::config::DEFAULT_MAIL_FROM, dir))
            .expect("the default sender is a valid address");
        AppState {
            db,
            search,
            config: Arc::new(config),
            hasher: Hasher::default(),
            mailer,
            models: crate::model_cache::ModelCache::default(),
            admin: crate::admin::AdminState::default(),
        }
    }

    /// The same state sending mail with `mailer`.
    pub fn with_mailer(mut self, mailer: Mailer) -> Self {
        self.mailer = mailer;
        self
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

impl FromRef<AppState> for Db {
    fn from_ref(state: &AppState) -> Self {
        state.db.clone()
    }
}

impl FromRef<AppState> for crate::model_cache::ModelCache {
    fn from_ref(state: &AppState) -> Self {
        state.models.clone()
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

/// What a handler that panicked answers: the 500 of [`AppError`] (the panic hook logs it).
fn panicked(_: Box<dyn std::any::Any + Send + 'static>) -> axum::response::Response {
    AppError::Internal(anyhow::anyhow!("en hanterare fick panik")).into_response()
}

/// The whole site.
pub fn router(state: AppState) -> Router {
    let config = Arc::clone(&state.config);
    // What searches is limited per client address; the rest is cheap.
    let searching = Router::new()
        .merge(search::router())
        .merge(models::router())
        .merge(members::router())
        .merge(groups::router())
        .merge(
            api::router()
                .layer(CatchPanicLayer::custom(panicked))
                .layer(axum::middleware::map_response(error::json_errors)),
        )
        .layer(axum::middleware::from_fn_with_state(
            ClientLimit::new(config.searches_per_client),
            limit::per_client,
        ));
    let router = Router::new()
        .merge(home::router())
        .merge(account::router())
        .merge(profile::router())
        .merge(notifications::router())
        .merge(live::router())
        .merge(groups::forms())
        .merge(group::router())
        .merge(searching)
        .merge(discussions::router())
        .merge(moderation::router())
        .merge(editing::router())
        .merge(proposals::router())
        .merge(admin::router())
        .merge(admin_import::router())
        .merge(support_models::router())
        .merge(info::router())
        .merge(source::router())
        .merge(assets::router())
        .merge(feeds::router())
        .merge(health::router())
        .fallback(error::not_found)
        .method_not_allowed_fallback(error::method_not_allowed)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            session::load,
        ))
        .layer(axum::middleware::from_fn_with_state(
            Arc::clone(&config),
            csrf::same_origin,
        ))
        .layer(TraceLayer::new_for_http())
        // A panic in a handler is the Swedish 500 page (the panic hook logs it).
        .layer(CatchPanicLayer::custom(panicked))
        .with_state(state);
    headers::with_security_headers(router, &config)
}

#[cfg(test)]
mod tests {
    use axum::body::Body;
    use axum::http::{Request, StatusCode};
    use axum::routing::get;
    use tower::ServiceExt;

    use super::*;

    #[tokio::test]
    async fn a_handler_that_panics_answers_the_swedish_500_page_or_json() {
        async fn boom() -> &'static str {
            panic!("ett fel som inte fick hända")
        }
        let app: Router = Router::new()
            .route("/sida", get(boom))
            .layer(CatchPanicLayer::custom(panicked))
            .merge(
                Router::new()
                    .route("/api/v1/boom", get(boom))
                    .layer(CatchPanicLayer::custom(panicked))
                    .layer(axum::middleware::map_response(error::json_errors)),
            );
        for (path, expected) in [
            ("/sida", "Något gick fel"),
            ("/api/v1/boom", r#""kod":"internt_fel""#),
        ] {
            let response = app
                .clone()
                .oneshot(Request::get(path).body(Body::empty()).expect("a request"))
                .await
                .expect("an answer");
            assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
            let body = axum::body::to_bytes(response.into_body(), usize::MAX)
                .await
                .expect("a body");
            let body = String::from_utf8_lossy(&body);
            assert!(body.contains(expected), "{path}: {body}");
            assert!(!body.contains("ett fel som inte fick hända"), "{body}");
        }
    }
}
