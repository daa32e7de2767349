//! The program's source (AGPL-3.0 §13): the page `/kallkod` and the archive of the sources
//! this binary was built from, packed by `build.rs`.

use std::sync::Arc;

use axum::Router;
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use hallbar_templates::pages::source::{self, SourceOffer};
use maud::Markup;

use super::AppState;
use super::view::page;
use crate::config::Config;

/// The sources this binary was built from, as a gzip-compressed tar archive.
pub const ARCHIVE: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/kallkod.tar.gz"));

/// Where the archive is served; the name says which version it holds.
pub const ARCHIVE_PATH: &str = concat!("/kallkod/hallbar-", env!("CARGO_PKG_VERSION"), ".tar.gz");

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/kallkod", get(source_page))
        .route(ARCHIVE_PATH, get(archive))
}

async fn source_page(State(config): State<Arc<Config>>) -> Markup {
    source::source(
        &page(
            &config,
            "/kallkod",
            "Källkod",
            "hallbar är fri programvara (AGPL-3.0-or-later): hämta källkoden till den version som körs här.",
        ),
        &SourceOffer {
            version: env!("CARGO_PKG_VERSION"),
            archive_path: ARCHIVE_PATH,
            archive_bytes: ARCHIVE.len(),
            published_at: config.source_url.as_deref(),
        },
    )
}

async fn archive() -> impl IntoResponse {
    let file_name = ARCHIVE_PATH.rsplit('/').next().unwrap_or("hallbar.tar.gz");
    (
        [
            (header::CONTENT_TYPE, "application/gzip".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file_name}\""),
            ),
            (header::CACHE_CONTROL, "public, max-age=86400".to_string()),
        ],
        ARCHIVE,
    )
}
