//! The stylesheet and scripts, under content-hashed names.

use axum::Router;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use hallbar_templates::assets;

use super::extract::SitePath;
use super::{AppError, AppState};

pub fn router() -> Router<AppState> {
    Router::new().route("/static/{name}", get(asset))
}

/// A stylesheet or script under its content-hashed name: cached for a year.
async fn asset(SitePath(name): SitePath<String>) -> Result<Response, AppError> {
    let asset = assets::by_path(&format!("/static/{name}")).ok_or(AppError::NotFound)?;
    Ok((
        [
            (header::CONTENT_TYPE, asset.content_type),
            (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
        ],
        asset.content,
    )
        .into_response())
}
