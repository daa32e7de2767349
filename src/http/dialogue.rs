//! A phased guide (the first is Medinflytande – the dialogue tool): its phases and their
//! texts.

use hallbar_index::{SupportModel, paths};
use hallbar_templates::Section;
use hallbar_templates::pages::dialogue;
use maud::Markup;

use super::view::{description, description_or, page, topic};
use super::{AppError, AppState, MaybeUser};
use crate::db;

pub async fn overview(state: &AppState, model: &SupportModel) -> Result<Markup, AppError> {
    let mut conn = state.db.acquire().await?;
    let texts = db::dialogue::in_model(&mut conn, model.id.as_str()).await?;
    let meta = page(
        &state.config,
        &model.path(),
        &model.title(),
        &description(&model.intro),
    )
    .section(Section::Model(model.id.to_string()));
    Ok(dialogue::overview(&meta, model, &texts))
}

pub async fn phase(state: &AppState, model: &SupportModel, slug: &str) -> Result<Markup, AppError> {
    let phase = model.phase(slug).ok_or(AppError::NotFound)?;
    let mut conn = state.db.acquire().await?;
    let texts = db::dialogue::in_phase(&mut conn, model.id.as_str(), slug).await?;
    let meta = page(
        &state.config,
        &paths::dialogue_phase(&model.id, &phase.id),
        &format!("{} – {}", phase.name, model.name.to_lowercase()),
        &description_or(&phase.description, &phase.name),
    )
    .section(Section::Model(model.id.to_string()));
    Ok(dialogue::phase(&meta, model, phase, &texts))
}

pub async fn text(
    state: &AppState,
    user: &MaybeUser,
    session: &super::editing::Session,
    model: &SupportModel,
    slug: &str,
    id: &str,
) -> Result<Markup, AppError> {
    model.phase(slug).ok_or(AppError::NotFound)?;
    let mut conn = state.db.acquire().await?;
    let found = db::dialogue::get(&mut conn, id)
        .await?
        // A text lives under its own guide and phase only.
        .filter(|t| t.model == model.id && t.phase.as_str() == slug)
        .ok_or(AppError::NotFound)?;
    let siblings = db::dialogue::in_phase(&mut conn, model.id.as_str(), slug).await?;
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
        &paths::dialogue_text(&model.id, &found.phase, &found.id),
        &found.title,
        &description,
    )
    .section(Section::Model(model.id.to_string()));
    if !found.checklist.is_empty() {
        meta = meta.with_checklist_script();
    }
    let meta = super::editing::with_edit_link(
        state,
        session,
        meta,
        crate::editing::ItemKind::Dialogue,
        found.id.as_str(),
        model.id.as_str(),
    )
    .await;
    Ok(dialogue::text(&meta, model, &found, &siblings, &people))
}
