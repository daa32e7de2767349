//! The service's own pages: om, tillgänglighet, kontakt and logga in.

use std::sync::Arc;

use axum::Router;
use axum::extract::State;
use axum::routing::get;
use hallbar_templates::pages::info;
use maud::Markup;

use super::AppState;
use super::view::page;
use crate::config::Config;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/om", get(about))
        .route("/tillganglighet", get(accessibility))
        .route("/kontakt", get(contact))
}

async fn about(State(config): State<Arc<Config>>) -> Markup {
    info::about(&page(
        &config,
        "/om",
        "Om hallbar",
        "Vad hallbar är, vem den är till för och vad som finns på webbplatsen.",
    ))
}

async fn accessibility(State(config): State<Arc<Config>>) -> Markup {
    info::accessibility(&page(
        &config,
        "/tillganglighet",
        "Tillgänglighetsredogörelse",
        "Hur hallbar uppfyller WCAG 2.1 AA, hur det testas och hur du når oss om något inte fungerar.",
    ))
}

async fn contact(State(config): State<Arc<Config>>) -> Markup {
    info::contact(
        &page(
            &config,
            "/kontakt",
            "Kontakt",
            "Så når du dem som driver hallbar och dem som står bakom innehållet.",
        ),
        config.contact_email.as_deref(),
    )
}
