//! The service's own pages (om, tillgänglighet, kontakt, logga in) and the hashed assets.

use axum::Router;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use hallbar_templates::assets;
use hallbar_templates::pages::info;
use maud::Markup;

use super::view::{SitePath, page};
use super::{AppError, AppState};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/om", get(about))
        .route("/tillganglighet", get(accessibility))
        .route("/kontakt", get(contact))
        .route("/logga-in", get(login))
        .route("/static/{name}", get(asset))
}

async fn about(State(state): State<AppState>) -> Markup {
    info::about(&page(
        &state,
        "/om",
        "Om hallbar",
        "Vad hallbar är, vem den är till för och vad som finns på webbplatsen.",
    ))
}

async fn accessibility(State(state): State<AppState>) -> Markup {
    info::accessibility(&page(
        &state,
        "/tillganglighet",
        "Tillgänglighetsredogörelse",
        "Hur hallbar uppfyller WCAG 2.1 AA, hur det testas och hur du når oss om något inte fungerar.",
    ))
}

async fn contact(State(state): State<AppState>) -> Markup {
    info::contact(
        &page(
            &state,
            "/kontakt",
            "Kontakt",
            "Så når du dem som driver hallbar och dem som står bakom innehållet.",
        ),
        state.contact_email.as_deref(),
    )
}

async fn login(State(state): State<AppState>) -> Markup {
    info::login(
        &page(
            &state,
            "/logga-in",
            "Logga in",
            "Inloggning för medlemmar i hallbars nätverk.",
        )
        .section(hallbar_templates::Section::LoggaIn),
    )
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
