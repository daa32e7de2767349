//! `/admin/innehall`: editors edit their support models' content on the web — new items,
//! changes saved as drafts or published, deleting, and each item's history with restore.
//! Only a model's editors and site admins reach its pages.

use axum::Router;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use hallbar_index::{FieldError, ModelKind};
use hallbar_templates::components::form::FormState;
use hallbar_templates::pages::editing::{
    self as pages, Conflict, EditField, EditView, ListedItem, ListedKind, ListedModel, VersionView,
    Widget,
};
use maud::Markup;
use serde_json::{Value, json};

use super::csrf::Csrf;
use super::extract::SitePath;
use super::form::FormInput;
use super::session::CurrentSession;
use super::view::{page, uncached};
use super::{AppError, AppState, CurrentUser};
use crate::db::{self, accounts::Role};
use crate::editing::fields::{self, Choices, Input, specs};
use crate::editing::item::{self, hash_text, split_cell_id};
use crate::editing::publish::{self, EditError, Editor};
use crate::editing::values::{self, Options};
use crate::editing::{Item, ItemKind};

mod history;
mod item_form;
mod listing;

use history::{history_page, restore};
use item_form::{FormPage, render_form, save};
pub(crate) use item_form::{
    conflict_view, edit_fields, options_for, place_errors, preview, read_item, show_fixed,
};
use listing::list;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/innehall", get(list))
        .route("/admin/innehall/{*rest}", get(show).post(act))
}

pub(crate) type Session = Option<axum::Extension<CurrentSession>>;

/// How long a published change may take to reach search before the answer goes anyway.
const SEARCHABLE_WITHIN: std::time::Duration = std::time::Duration::from_secs(10);

// ---- Who may edit what ----

/// A logged-in editor or admin, and the models they edit.
pub struct EditorCtx {
    pub editor: Editor,
    pub admin: bool,
    /// The models edited (every model for an admin).
    pub models: Vec<String>,
}

impl EditorCtx {
    pub fn may_edit(&self, model: &str) -> bool {
        self.admin || self.models.iter().any(|m| m == model)
    }

    /// 403 unless the model is theirs.
    pub fn require(&self, model: &str) -> Result<(), AppError> {
        if self.may_edit(model) {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }
}

/// The viewer as an editor: visitors are sent to log in, members who edit nothing get 403.
pub async fn editor_ctx(
    state: &AppState,
    _user: &CurrentUser,
    session: &Session,
) -> Result<EditorCtx, AppError> {
    let Some(axum::Extension(session)) = session else {
        return Err(AppError::Forbidden);
    };
    let mut conn = state.db.acquire().await?;
    let account = db::accounts::by_id(&mut conn, session.account_id)
        .await?
        .ok_or(AppError::Forbidden)?;
    let admin = account.role == Role::Admin;
    let models = if admin {
        db::support_models::list(&mut conn)
            .await?
            .into_iter()
            .map(|m| m.id.to_string())
            .collect()
    } else {
        db::editors::models_of(&mut conn, account.id).await?
    };
    if models.is_empty() {
        return Err(AppError::Forbidden);
    }
    Ok(EditorCtx {
        editor: Editor {
            account_id: account.id,
            name: account.name,
        },
        admin,
        models,
    })
}

/// Whether the viewer may edit `model` (for the "Redigera" links on public pages): an
/// admin, or an editor of it (asked of the database only for accounts that edit some model).
async fn can_edit(
    conn: &mut impl db::AsConn,
    session: Option<&CurrentSession>,
    model: &str,
) -> bool {
    match session {
        None => false,
        Some(s) if s.role == Role::Admin => true,
        Some(s) if !s.editor => false,
        Some(s) => db::editors::edits(conn, s.account_id, model)
            .await
            .unwrap_or(false),
    }
}

// ---- Addresses ----

/// What an address under `/admin/innehall/` names.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Target {
    New(ItemKind),
    Item(ItemKind, String, Sub),
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Sub {
    Edit,
    Delete,
    Discard,
    History,
    Restore(i64),
}

fn parse_target(rest: &str) -> Option<Target> {
    let parts: Vec<&str> = rest.split('/').collect();
    let kind = ItemKind::from_slug(parts.first()?)?;
    if parts.len() == 2 && parts[1] == "ny" {
        return Some(Target::New(kind));
    }
    let id_len = if kind == ItemKind::Cell { 3 } else { 1 };
    if parts.len() < 1 + id_len {
        return None;
    }
    let id = parts[1..=id_len].join("/");
    if kind == ItemKind::Cell {
        split_cell_id(&id)?;
    } else {
        hallbar_index::Slug::new(id.as_str()).ok()?;
    }
    let sub = match &parts[1 + id_len..] {
        [] => Sub::Edit,
        ["ta-bort"] => Sub::Delete,
        ["kasta-utkast"] => Sub::Discard,
        ["historik"] => Sub::History,
        ["historik", rev, "aterstall"] => Sub::Restore(rev.parse().ok()?),
        _ => return None,
    };
    Some(Target::Item(kind, id, sub))
}

/// An item's edit page.
pub fn edit_path(kind: ItemKind, id: &str) -> String {
    format!("/admin/innehall/{}/{id}", kind.slug())
}

/// Where a new item of `kind` in `model` is made.
pub fn new_path(kind: ItemKind, model: &str) -> String {
    format!("/admin/innehall/{}/ny?modell={model}", kind.slug())
}

// ---- Pages ----

fn admin_page(state: &AppState, path: &str, title: &str) -> hallbar_templates::Page {
    page(
        &state.config,
        path,
        title,
        "Redigering av stödmodellernas innehåll.",
    )
}

/// The model an existing item (published or drafted) belongs to, and both versions.
struct Stored {
    published: Option<Item>,
    draft: Option<db::drafts::Draft>,
    model: String,
}

async fn stored(state: &AppState, kind: ItemKind, id: &str) -> Result<Option<Stored>, AppError> {
    let mut conn = state.db.acquire().await?;
    let published = item::load(&mut conn, kind, id).await?;
    let draft = db::drafts::get(&mut conn, kind.slug(), id).await?;
    let model = match (&published, &draft) {
        (Some(item), _) => {
            let model = item::owner(&mut conn, item).await?;
            refuse_foreign_matrix(item, &model)?;
            model
        }
        (None, Some(draft)) => draft.model_id.clone(),
        (None, None) => return Ok(None),
    };
    Ok(Some(Stored {
        published,
        draft,
        model,
    }))
}

/// A cell or article of a matrix imported under another id than its model's (before
/// models existed) is changed by import only: its form would move it to the model's matrix.
fn refuse_foreign_matrix(item: &Item, model: &str) -> Result<(), AppError> {
    let matrix = match item {
        Item::Cell(c) => c.matrix.as_str(),
        Item::Article(a) => a.matrix.as_str(),
        _ => return Ok(()),
    };
    if matrix == model {
        Ok(())
    } else {
        Err(AppError::invalid(
            "matris",
            format!(
                "matrisen \"{matrix}\" har inte samma id som sin stödmodell \"{model}\"; \
                 ändra den med en import"
            ),
        ))
    }
}

/// The model of an item that may exist only in its history (deleted).
async fn model_in_history(
    state: &AppState,
    kind: ItemKind,
    id: &str,
) -> Result<Option<String>, AppError> {
    let mut conn = state.db.acquire().await?;
    let revisions = db::revisions::of_item(&mut conn, kind.slug(), id).await?;
    Ok(revisions.last().map(|r| r.model_id.clone()))
}

#[derive(Default)]
struct NewQuery {
    modell: Option<String>,
    sparat: Option<String>,
}

/// The kind of support model items of `kind` belong to.
pub fn model_kind(kind: ItemKind) -> ModelKind {
    match kind {
        ItemKind::Pivi => ModelKind::Catalogue,
        ItemKind::Dialogue => ModelKind::Guide,
        ItemKind::Cell | ItemKind::Article => ModelKind::Matrix,
    }
}

/// The model a new item of `kind` goes into: `asked`, when it is a model of the right kind
/// (404 otherwise).
async fn model_for_new(
    state: &AppState,
    kind: ItemKind,
    asked: Option<&str>,
) -> Result<String, AppError> {
    let asked = asked.ok_or(AppError::NotFound)?;
    if hallbar_index::Slug::new(asked).is_err() {
        return Err(AppError::NotFound);
    }
    let mut conn = state.db.acquire().await?;
    match db::support_models::get(&mut conn, asked).await? {
        Some(model) if model.kind == model_kind(kind) => Ok(model.id.to_string()),
        _ => Err(AppError::NotFound),
    }
}

/// Everything needed to show an item's form.
async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    SitePath(rest): SitePath<String>,
    RawQuery(query): RawQuery,
    Csrf(csrf): Csrf,
) -> Result<Response, AppError> {
    let target = parse_target(&rest).ok_or(AppError::NotFound)?;
    let ctx = editor_ctx(&state, &user, &session).await?;
    let query: NewQuery = serde_urlencoded_query(query.as_deref());
    match target {
        Target::New(kind) => {
            let model = model_for_new(&state, kind, query.modell.as_deref()).await?;
            ctx.require(&model)?;
            let mut form = FormState::new();
            form.set("publicerad", chrono::Utc::now().date_naive().to_string());
            if kind == ItemKind::Cell || kind == ItemKind::Article {
                form.set("matris", model.clone());
            }
            let markup = render_form(
                &state,
                &csrf,
                FormPage {
                    kind,
                    model: &model,
                    id: None,
                    form,
                    preview: false,
                    conflict: None,
                    notice: None,
                    has_draft: false,
                    proposal: None,
                    public_url: None,
                },
            )
            .await?;
            Ok(uncached(StatusCode::OK, markup))
        }
        Target::Item(kind, id, Sub::Edit) => {
            let stored = stored(&state, kind, &id).await?.ok_or(AppError::NotFound)?;
            ctx.require(&stored.model)?;
            let (mut form, has_draft) = match (&stored.draft, &stored.published) {
                (Some(draft), _) => {
                    let value: Value = serde_json::from_str(&draft.body).unwrap_or(Value::Null);
                    let mut form = values::to_form(kind, &value);
                    form.set("version", draft.base_hash.clone().unwrap_or_default());
                    form.set("utkast", hash_text(&draft.body));
                    (form, true)
                }
                (None, Some(published)) => {
                    let mut form = values::to_form(kind, &published.to_json());
                    form.set("version", published.hash());
                    (form, false)
                }
                (None, None) => return Err(AppError::NotFound),
            };
            if kind == ItemKind::Cell {
                form.set("matris", stored.model.clone());
            }
            let notice = match query.sparat.as_deref() {
                Some("utkast") => Some("Utkastet är sparat.".to_string()),
                Some("publicerat") => Some("Ändringen är publicerad.".to_string()),
                Some("aterstallt") => Some("Versionen är återställd och publicerad.".to_string()),
                _ => None,
            };
            let markup = render_form(
                &state,
                &csrf,
                FormPage {
                    kind,
                    model: &stored.model,
                    id: Some(&id),
                    form,
                    preview: false,
                    conflict: None,
                    notice,
                    has_draft,
                    proposal: None,
                    public_url: stored
                        .published
                        .as_ref()
                        .map(|i| i.public_path(&stored.model)),
                },
            )
            .await?;
            Ok(uncached(StatusCode::OK, markup))
        }
        Target::Item(kind, id, Sub::Delete) => {
            let mut conn = state.db.acquire().await?;
            let published = item::load(&mut conn, kind, &id)
                .await?
                .ok_or(AppError::NotFound)?;
            let model = item::owner(&mut conn, &published).await?;
            ctx.require(&model)?;
            let problem = item::blocks_deletion(&mut conn, kind, &id).await?;
            drop(conn);
            let back = edit_path(kind, &id);
            let action = format!("{back}/ta-bort");
            let meta = admin_page(&state, &action, "Ta bort");
            Ok(uncached(
                StatusCode::OK,
                pages::confirm_delete(
                    &meta,
                    &published.title(),
                    &back,
                    &action,
                    &published.hash(),
                    &csrf,
                    problem.as_deref(),
                ),
            ))
        }
        Target::Item(kind, id, Sub::History) => {
            history_page(&state, &ctx, kind, &id, &csrf, StatusCode::OK).await
        }
        Target::Item(_, _, Sub::Discard | Sub::Restore(_)) => Err(AppError::MethodNotAllowed),
    }
}

fn serde_urlencoded_query(query: Option<&str>) -> NewQuery {
    let mut out = NewQuery::default();
    for (key, value) in form_urlencoded::parse(query.unwrap_or_default().as_bytes()) {
        match key.as_ref() {
            "modell" => out.modell = Some(value.into_owned()),
            "sparat" => out.sparat = Some(value.into_owned()),
            _ => {}
        }
    }
    out
}

async fn act(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    SitePath(rest): SitePath<String>,
    RawQuery(query): RawQuery,
    Csrf(csrf): Csrf,
    FormInput(form): FormInput,
) -> Result<Response, AppError> {
    let target = parse_target(&rest).ok_or(AppError::NotFound)?;
    let ctx = editor_ctx(&state, &user, &session).await?;
    let query = serde_urlencoded_query(query.as_deref());
    match target {
        Target::New(kind) => {
            let model = model_for_new(&state, kind, query.modell.as_deref()).await?;
            ctx.require(&model)?;
            save(&state, &ctx, &csrf, kind, &model, None, form, None).await
        }
        Target::Item(kind, id, Sub::Edit) => {
            let stored = stored(&state, kind, &id).await?.ok_or(AppError::NotFound)?;
            ctx.require(&stored.model)?;
            let model = stored.model.clone();
            save(
                &state,
                &ctx,
                &csrf,
                kind,
                &model,
                Some(&id),
                form,
                Some(stored),
            )
            .await
        }
        Target::Item(kind, id, Sub::Delete) => {
            let mut conn = state.db.acquire().await?;
            let published = item::load(&mut conn, kind, &id)
                .await?
                .ok_or(AppError::NotFound)?;
            let model = item::owner(&mut conn, &published).await?;
            drop(conn);
            ctx.require(&model)?;
            let back = edit_path(kind, &id);
            let action = format!("{back}/ta-bort");
            let refuse = |problem: String, version: String| -> Response {
                let meta = admin_page(&state, &action, "Ta bort");
                uncached(
                    StatusCode::CONFLICT,
                    pages::confirm_delete(
                        &meta,
                        &published.title(),
                        &back,
                        &action,
                        &version,
                        &csrf,
                        Some(&problem),
                    ),
                )
            };
            match publish::delete(
                &state.writes(),
                &ctx.editor,
                kind,
                &id,
                form.value("version"),
            )
            .await
            {
                Ok(committed) => {
                    committed.searchable(SEARCHABLE_WITHIN).await;
                    Ok(Redirect::to("/admin/innehall").into_response())
                }
                Err(EditError::Blocked(why)) => Ok(refuse(why, published.hash())),
                Err(EditError::Conflict { current }) => Ok(refuse(
                    "Någon annan har ändrat innehållet sedan du öppnade sidan. Läs den nya \
                     versionen innan du tar bort den."
                        .to_string(),
                    current.as_deref().map(Item::hash).unwrap_or_default(),
                )),
                Err(EditError::Invalid(_)) => Err(AppError::NotFound),
                Err(EditError::Write(e)) => Err(e.into()),
            }
        }
        Target::Item(kind, id, Sub::Discard) => {
            let stored = stored(&state, kind, &id).await?.ok_or(AppError::NotFound)?;
            ctx.require(&stored.model)?;
            publish::discard_draft(&state.db, kind, &id)
                .await
                .map_err(edit_error)?;
            let to = if stored.published.is_some() {
                edit_path(kind, &id)
            } else {
                "/admin/innehall".to_string()
            };
            Ok(Redirect::to(&to).into_response())
        }
        Target::Item(kind, id, Sub::Restore(revision_id)) => {
            restore(&state, &ctx, &csrf, kind, &id, revision_id, &form).await
        }
        Target::Item(_, _, Sub::History) => Err(AppError::MethodNotAllowed),
    }
}

fn edit_error(e: EditError) -> AppError {
    match e {
        EditError::Write(e) => e.into(),
        other => AppError::Internal(anyhow::anyhow!("{other}")),
    }
}

/// A public page of an item with what the viewer may do with it ("Redigera" for its
/// model's editors, "Föreslå en ändring" for an article or dialogue text) and the members
/// whose proposals shaped it.
pub async fn with_edit_link(
    state: &AppState,
    session: &Session,
    meta: hallbar_templates::Page,
    kind: ItemKind,
    id: &str,
    model: &str,
) -> hallbar_templates::Page {
    let session = session.as_ref().map(|axum::Extension(s)| s);
    let Ok(mut conn) = state.db.acquire().await else {
        return meta;
    };
    let mut meta = meta;
    if can_edit(&mut conn, session, model).await {
        meta = meta.action("Redigera", edit_path(kind, id));
    }
    if matches!(kind, ItemKind::Article | ItemKind::Dialogue) {
        meta = meta.action(
            "Föreslå en ändring",
            format!("/forslag/andring/{}/{id}", kind.slug()),
        );
    }
    let credits = db::proposals::contributors(&mut conn, kind.slug(), id)
        .await
        .unwrap_or_default();
    let mut shown = Vec::new();
    for (member, name) in credits {
        // A profile shown to members only is, to a visitor, just "a member".
        let visible = match &member {
            Some(m) if session.is_none() => db::members::get(&mut conn, m)
                .await
                .ok()
                .flatten()
                .is_some_and(|m| m.visibility == hallbar_index::ProfileVisibility::Public),
            _ => true,
        };
        if visible {
            shown.push((name, member.map(|m| hallbar_index::paths::member(&m))));
        } else {
            shown.push(("En medlem".to_string(), None));
        }
    }
    meta.credits(shown)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_name_items_and_what_to_do_with_them() {
        assert_eq!(parse_target("pivi/ny"), Some(Target::New(ItemKind::Pivi)));
        assert_eq!(
            parse_target("artikel/trygga-torg/historik"),
            Some(Target::Item(
                ItemKind::Article,
                "trygga-torg".into(),
                Sub::History
            ))
        );
        assert_eq!(
            parse_target("cell/stadsutveckling/gator/trygghet"),
            Some(Target::Item(
                ItemKind::Cell,
                "stadsutveckling/gator/trygghet".into(),
                Sub::Edit
            ))
        );
        assert_eq!(
            parse_target("dialog/x/historik/12/aterstall"),
            Some(Target::Item(
                ItemKind::Dialogue,
                "x".into(),
                Sub::Restore(12)
            ))
        );
        for bad in [
            "",
            "okand/x",
            "pivi",
            "pivi/X",
            "cell/a/b",
            "pivi/x/y",
            "pivi/x/historik/z/aterstall",
        ] {
            assert_eq!(parse_target(bad), None, "{bad}");
        }
    }
}
