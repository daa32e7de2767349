//! A catalogue (the first is Social utveckling – pivi): a search within its entries, and
//! entry pages.

use hallbar_index::{DocKind, SupportModel, paths};
use hallbar_templates::Section;
use hallbar_templates::pages::pivi::{self, ContactView};
use maud::Markup;

use super::view::{SearchPage, SearchScope, description_or, page, topic};
use super::{AppError, AppState, MaybeUser};
use crate::db;

/// How many similar entries an entry page shows.
const SIMILAR: usize = 4;

/// The catalogue: a search of its own entries, with its own facets (`typ` and the other
/// facets have no say).
pub async fn catalogue(
    state: &AppState,
    user: &MaybeUser,
    raw: Option<&str>,
    model: &SupportModel,
) -> Result<Markup, AppError> {
    let scope = SearchScope {
        action: model.path(),
        facets: pivi::FACETS,
        kind: Some(DocKind::Pivi),
        model: Some(model.id.clone()),
    };
    let mut search = SearchPage::run(&state.search, raw, scope, user.viewer()).await?;
    search.relabel(std::slice::from_ref(model));
    let meta = page(
        &state.config,
        &search.path(),
        &model.title(),
        &format!(
            "{} Sökbara efter kategori, stadsdel, målgrupp och år.",
            model.intro
        ),
    )
    .section(Section::Model(model.id.to_string()))
    .action(
        "Tipsa om ett projekt",
        format!("/forslag/projekt?modell={}", model.id),
    )
    .query(search.query.clone());
    Ok(pivi::catalogue(
        &meta,
        model,
        &search.view(&format!("Sök i {}", model.id)),
    ))
}

/// One entry of the catalogue (only under its own catalogue's address).
pub async fn entry(
    state: &AppState,
    user: &MaybeUser,
    session: &super::editing::Session,
    model: &SupportModel,
    id: &str,
) -> Result<Markup, AppError> {
    let viewer = user.viewer();
    let mut conn = state.db.acquire().await?;
    let found = db::pivi::get(&mut conn, id)
        .await?
        .filter(|e| e.model == model.id)
        .ok_or(AppError::NotFound)?;
    // Link the contact's profile only if this viewer may see it.
    let profile_url = match &found.contact.member {
        Some(member) => db::members::get(&mut conn, member.as_str())
            .await?
            .filter(|m| viewer.may_see_member(m))
            .map(|m| paths::member(&m.id)),
        None => None,
    };
    drop(conn);

    let similar = state
        .search
        .similar_pivi(&found, viewer.clone(), SIMILAR)
        .await?;
    let people = state
        .search
        .who_knows_topic(
            topic(&found.title, &found.tags, &found.summary),
            viewer,
            super::PEOPLE,
        )
        .await?;
    let description = description_or(&found.summary, &found.title);
    let meta = page(
        &state.config,
        &paths::pivi_entry(&model.id, id),
        &found.title,
        &description,
    )
    .section(Section::Model(model.id.to_string()));
    let meta = super::editing::with_edit_link(
        state,
        session,
        meta,
        crate::editing::ItemKind::Pivi,
        found.id.as_str(),
        model.id.as_str(),
    )
    .await;
    Ok(pivi::entry(
        &meta,
        model,
        &found,
        &ContactView {
            profile_url: profile_url.as_deref(),
        },
        &similar,
        &people,
    ))
}
