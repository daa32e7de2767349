//! An item's history: every version with what changed, and restoring one.

#[allow(clippy::wildcard_imports)]
use super::*;

pub(super) async fn history_page(
    state: &AppState,
    ctx: &EditorCtx,
    kind: ItemKind,
    id: &str,
    csrf: &str,
    status: StatusCode,
) -> Result<Response, AppError> {
    let stored = stored(state, kind, id).await?;
    let model = match &stored {
        Some(s) => Some(s.model.clone()),
        None => model_in_history(state, kind, id).await?,
    }
    .ok_or(AppError::NotFound)?;
    ctx.require(&model)?;
    let published = stored.as_ref().and_then(|s| s.published.clone());
    let mut conn = state.db.acquire().await?;
    let revisions = db::revisions::of_item(&mut conn, kind.slug(), id).await?;
    drop(conn);
    let current_hash = published.as_ref().map(Item::hash).unwrap_or_default();
    let options = options_for(state, kind, &model).await?;
    let mut versions = Vec::new();
    let mut previous = Value::Null;
    let last = revisions.len().saturating_sub(1);
    for (i, revision) in revisions.iter().enumerate() {
        let body: Value = revision
            .body
            .as_deref()
            .and_then(|b| serde_json::from_str(b).ok())
            .unwrap_or(Value::Null);
        let is_current = i == last
            && revision
                .body
                .as_deref()
                .is_some_and(|b| hash_text(b) == current_hash);
        versions.push(VersionView {
            id: revision.id,
            author: revision.author_name.clone(),
            note: revision.note.clone(),
            at: chrono::DateTime::from_timestamp(revision.created_at, 0).unwrap_or_default(),
            changes: crate::editing::diff::fields(kind, &previous, &body, &options),
            deleted: revision.body.is_none(),
            current: is_current,
            restore_url: (revision.body.is_some() && !is_current)
                .then(|| format!("{}/historik/{}/aterstall", edit_path(kind, id), revision.id)),
        });
        previous = body;
    }
    versions.reverse();
    let title = published
        .as_ref()
        .map(Item::title)
        .unwrap_or_else(|| id.to_string());
    let path = format!("{}/historik", edit_path(kind, id));
    let meta = admin_page(state, &path, &format!("Historik: {title}"));
    Ok(uncached(
        status,
        pages::history(
            &meta,
            &title,
            &edit_path(kind, id),
            &versions,
            &current_hash,
            csrf,
        ),
    ))
}

pub(super) async fn restore(
    state: &AppState,
    ctx: &EditorCtx,
    csrf: &str,
    kind: ItemKind,
    id: &str,
    revision_id: i64,
    form: &FormState,
) -> Result<Response, AppError> {
    let mut conn = state.db.acquire().await?;
    let revisions = db::revisions::of_item(&mut conn, kind.slug(), id).await?;
    let revision = revisions
        .iter()
        .find(|r| r.id == revision_id)
        .ok_or(AppError::NotFound)?;
    let old = revision
        .body
        .as_deref()
        .and_then(|b| Item::from_stored(kind, b))
        .ok_or(AppError::NotFound)?;
    // Both the version restored and whatever is there now must be the editor's.
    ctx.require(&item::owner(&mut conn, &old).await?)?;
    ctx.require(&revision.model_id)?;
    drop(conn);
    if let Some(stored) = stored(state, kind, id).await? {
        ctx.require(&stored.model)?;
    }
    let expected = Some(form.value("version")).filter(|v| !v.is_empty());
    let when = chrono::DateTime::from_timestamp(revision.created_at, 0)
        .unwrap_or_default()
        .format("%Y-%m-%d %H:%M")
        .to_string();
    let note = format!("Återställd till versionen från {when} (UTC)");
    match publish::publish(&state.writes(), &ctx.editor, &old, expected, &note).await {
        Ok(committed) => {
            committed.searchable(SEARCHABLE_WITHIN).await;
            Ok(Redirect::to(&format!("{}?sparat=aterstallt", edit_path(kind, id))).into_response())
        }
        Err(EditError::Conflict { .. }) => {
            history_page(state, ctx, kind, id, csrf, StatusCode::CONFLICT).await
        }
        Err(EditError::Invalid(errors)) => Err(AppError::invalid(
            "version",
            format!(
                "versionen kan inte återställas: {}",
                errors
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
        )),
        Err(e) => Err(edit_error(e)),
    }
}
