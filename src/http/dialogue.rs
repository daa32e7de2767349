//! Medinflytande – the dialogue tool: the phases and their texts.

use axum::Router;
use axum::extract::State;
use axum::routing::get;
use hallbar_index::Phase;
use hallbar_index::paths;
use hallbar_templates::Section;
use hallbar_templates::pages::dialogue::{self, phase_intro};
use maud::Markup;

use super::extract::SitePath;
use super::view::{description_or, page, topic};
use super::{AppError, AppState, MaybeUser};
use crate::db;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/medinflytande", get(overview))
        .route("/medinflytande/{phase}", get(phase))
        .route("/medinflytande/{phase}/{id}", get(text))
}

fn parse_phase(slug: &str) -> Result<Phase, AppError> {
    Phase::from_slug(slug).map_err(|_| AppError::NotFound)
}

async fn overview(State(state): State<AppState>) -> Result<Markup, AppError> {
    let mut conn = state.db.acquire().await?;
    let texts = db::dialogue::list(&mut conn).await?;
    let meta = page(
        &state.config,
        "/medinflytande",
        "Medinflytande – dialogverktyget",
        "Dialogverktyget: texter, checklistor och erfarenheter för dialogens fyra faser – \
         förberedelser, inventering, genomförande och uppföljning.",
    )
    .section(Section::Medinflytande);
    Ok(dialogue::overview(&meta, &texts))
}

async fn phase(
    State(state): State<AppState>,
    SitePath(slug): SitePath<String>,
) -> Result<Markup, AppError> {
    let phase = parse_phase(&slug)?;
    let mut conn = state.db.acquire().await?;
    let texts = db::dialogue::in_phase(&mut conn, phase).await?;
    let meta = page(
        &state.config,
        &paths::dialogue_phase(phase),
        &format!("{} – dialogverktyget", phase.label()),
        phase_intro(phase),
    )
    .section(Section::Medinflytande);
    Ok(dialogue::phase(&meta, phase, &texts))
}

async fn text(
    State(state): State<AppState>,
    user: MaybeUser,
    session: Option<axum::Extension<super::session::CurrentSession>>,
    SitePath((slug, id)): SitePath<(String, String)>,
) -> Result<Markup, AppError> {
    let phase = parse_phase(&slug)?;
    let mut conn = state.db.acquire().await?;
    let found = db::dialogue::get(&mut conn, &id)
        .await?
        // A text lives under its own phase only.
        .filter(|t| t.phase == phase)
        .ok_or(AppError::NotFound)?;
    let siblings = db::dialogue::in_phase(&mut conn, phase).await?;
    drop(conn);
    let people = state
        .search
        .who_knows_topic(
            topic(&found.title, &found.tags, &found.lead),
            user.viewer(),
            super::PEOPLE,
        )
        .await?;
    let description = description_or(&found.lead, &found.title);
    let mut meta = page(
        &state.config,
        &paths::dialogue_text(found.phase, &found.id),
        &found.title,
        &description,
    )
    .section(Section::Medinflytande);
    if !found.checklist.is_empty() {
        meta = meta.with_checklist_script();
    }
    let meta = super::editing::with_edit_link(
        &state,
        &session,
        meta,
        crate::editing::ItemKind::Dialogue,
        found.id.as_str(),
        crate::editing::item::DIALOGUE_MODEL,
    )
    .await;
    Ok(dialogue::text(&meta, &found, &siblings, &people))
}
