//! The editors' queue at `/admin/forslag`: accept, edit first, or decline with a reason.

#[allow(clippy::wildcard_imports)]
use super::*;

/// A waiting proposal the editor may answer: 404 when there is none waiting, 403 when it
/// belongs to a model they do not edit.
async fn answerable(state: &AppState, ctx: &EditorCtx, id: &str) -> Result<Proposal, AppError> {
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    let mut conn = state.db.acquire().await?;
    let proposal = db::proposals::get(&mut conn, id)
        .await?
        .filter(|p| p.status == Status::Waiting)
        .ok_or(AppError::NotFound)?;
    ctx.require(&proposal.model_id)?;
    Ok(proposal)
}

fn proposed_item(p: &Proposal) -> Result<(ItemKind, Item), AppError> {
    let kind = ItemKind::from_slug(&p.kind).ok_or(AppError::NotFound)?;
    let item = Item::from_stored(kind, &p.body).ok_or(AppError::NotFound)?;
    Ok((kind, item))
}

/// What the proposer is told when it was accepted.
fn accepted(p: &Proposal, item: &Item) -> Answer {
    Answer {
        proposal_id: p.id,
        proposer_id: p.proposer_id.clone(),
        text: format!(
            "Ditt förslag “{}” har godkänts och publicerats.",
            item.title()
        ),
        link: item.public_path(&p.model_id),
    }
}

async fn queue_page(
    state: &AppState,
    ctx: &EditorCtx,
    csrf: &str,
    form: &FormState,
    notice: Option<&str>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let mut conn = state.db.acquire().await?;
    let waiting = db::proposals::waiting(&mut conn, Some(&ctx.models)).await?;
    let mut items = Vec::new();
    for p in &waiting {
        let Ok((kind, proposed)) = proposed_item(p) else {
            continue;
        };
        let current = match &p.entity_id {
            Some(id) => item::load(&mut conn, kind, id).await?,
            None => None,
        };
        let options = options_for(state, kind, &p.model_id).await?;
        let proposer_url = match &p.proposer_id {
            Some(id) => db::members::get(&mut conn, id)
                .await?
                .map(|m| paths::member(&m.id)),
            None => None,
        };
        items.push(QueuedProposal {
            id: p.id,
            what: what(&p.kind, p.entity_id.as_deref(), p.status),
            title: proposed.title(),
            proposer_name: p.proposer_name.clone(),
            proposer_url,
            created_at: when(p.created_at),
            message: p.message.clone(),
            changes: crate::editing::diff::fields(
                kind,
                &current.as_ref().map_or(Value::Null, Item::to_json),
                &proposed.to_json(),
                &options,
            ),
            target_url: current.as_ref().map(|i| i.public_path(&p.model_id)),
            offer_contact: kind == ItemKind::Pivi && p.proposer_id.is_some(),
        });
    }
    drop(conn);
    let meta = page(
        &state.config,
        "/admin/forslag",
        "Förslag från medlemmar",
        "Medlemmarnas förslag till stödmodellerna.",
    );
    Ok(uncached(
        status,
        pages::queue(&meta, &items, form, csrf, notice),
    ))
}

pub(super) async fn queue(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    RawQuery(query): RawQuery,
    Csrf(csrf): Csrf,
) -> Result<Response, AppError> {
    let ctx = editor_ctx(&state, &user, &session).await?;
    let notice = match query.as_deref() {
        Some(q) if q.contains("besvarat=godkant") => Some("Förslaget är godkänt och publicerat."),
        Some(q) if q.contains("besvarat=avslaget") => Some("Förslaget är avslaget."),
        _ => None,
    };
    queue_page(
        &state,
        &ctx,
        &csrf,
        &FormState::new(),
        notice,
        StatusCode::OK,
    )
    .await
}

/// The queue again with why a proposal could not be answered (409), or the write error.
async fn refused(
    state: &AppState,
    ctx: &EditorCtx,
    csrf: &str,
    error: EditError,
) -> Result<Response, AppError> {
    match error {
        EditError::Write(e) => Err(e.into()),
        other => {
            queue_page(
                state,
                ctx,
                csrf,
                &FormState::new(),
                Some(not_accepted(&other)),
                StatusCode::CONFLICT,
            )
            .await
        }
    }
}

/// What an editor is told when a proposal could not be accepted as it is.
fn not_accepted(e: &EditError) -> &'static str {
    match e {
        EditError::Conflict { .. } => {
            "Förslaget kunde inte godkännas som det är: sidan har ändrats sedan förslaget \
             skrevs, eller adressen är upptagen. Välj Redigera först för att jämföra och rätta."
        }
        EditError::Invalid(_) => {
            "Förslaget kunde inte godkännas som det är: något det hänvisar till finns inte \
             längre. Välj Redigera först för att rätta det."
        }
        EditError::Blocked(_) => "Förslaget har redan besvarats av någon annan.",
        EditError::Write(_) => "Förslaget kunde inte sparas; försök igen.",
    }
}

pub(super) async fn accept(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    SitePath(id): SitePath<String>,
    Csrf(csrf): Csrf,
    FormInput(form): FormInput,
) -> Result<Response, AppError> {
    let ctx = editor_ctx(&state, &user, &session).await?;
    let proposal = answerable(&state, &ctx, &id).await?;
    let (_, mut proposed) = proposed_item(&proposal)?;
    // A new pivi entry may name its proposer as contact.
    if let (Item::Pivi(entry), Some(member)) = (&mut proposed, &proposal.proposer_id)
        && form.value("kontakt") == "ja"
    {
        entry.contact.name.clone_from(&proposal.proposer_name);
        entry.contact.member = hallbar_index::Slug::new(member.as_str()).ok();
    }
    let answer = accepted(&proposal, &proposed);
    let note = db::proposals::accepted_note(&proposal.proposer_name, false);
    match publish::publish_answering(
        &state.writes(),
        &ctx.editor,
        &proposed,
        proposal.base_hash.as_deref(),
        &note,
        Some(&answer),
    )
    .await
    {
        Ok(committed) => {
            committed.searchable(SEARCHABLE_WITHIN).await;
            Ok(Redirect::to("/admin/forslag?besvarat=godkant").into_response())
        }
        Err(e) => refused(&state, &ctx, &csrf, e).await,
    }
}

pub(super) async fn decline(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    SitePath(id): SitePath<String>,
    Csrf(csrf): Csrf,
    FormInput(mut form): FormInput,
) -> Result<Response, AppError> {
    let ctx = editor_ctx(&state, &user, &session).await?;
    let proposal = answerable(&state, &ctx, &id).await?;
    let field = reason_id(proposal.id);
    let reason = crate::http::form::free_text(
        &mut form,
        (&field, &field),
        "Anledningen",
        MAX_MESSAGE_CHARS,
        Some("Skriv varför förslaget avslås"),
    );
    if form.has_errors() {
        return queue_page(
            &state,
            &ctx,
            &csrf,
            &form,
            None,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    let title =
        proposed_item(&proposal).map_or_else(|_| "förslaget".to_string(), |(_, i)| i.title());
    let answer = Answer {
        proposal_id: proposal.id,
        proposer_id: proposal.proposer_id.clone(),
        text: format!("Ditt förslag “{title}” avslogs: {reason}"),
        link: "/forslag".to_string(),
    };
    match publish::decline(&state.db, &ctx.editor, &answer, &reason).await {
        Ok(()) => Ok(Redirect::to("/admin/forslag?besvarat=avslaget").into_response()),
        Err(e) => refused(&state, &ctx, &csrf, e).await,
    }
}

/// The editing form for a proposal, to change it before accepting.
#[allow(clippy::too_many_arguments)]
async fn render_edit(
    state: &AppState,
    csrf: &str,
    proposal: &Proposal,
    kind: ItemKind,
    form: &FormState,
    preview_on: bool,
    conflict: Option<hallbar_templates::pages::editing::Conflict>,
) -> Result<maud::Markup, AppError> {
    let options = options_for(state, kind, &proposal.model_id).await?;
    let mut fields = edit_fields(
        state,
        kind,
        &proposal.model_id,
        &options,
        proposal.entity_id.is_some(),
    )
    .await?;
    show_fixed(&mut fields, form);
    let current = match &proposal.entity_id {
        Some(id) => {
            let mut conn = state.db.acquire().await?;
            item::load(&mut conn, kind, id).await?
        }
        None => None,
    };
    let comparison = match (&current, proposed_item(proposal)) {
        (Some(current), Ok((_, proposed))) => Some(crate::editing::diff::fields(
            kind,
            &current.to_json(),
            &proposed.to_json(),
            &options,
        )),
        _ => None,
    };
    let action = format!("/admin/forslag/{}/redigera", proposal.id);
    let heading = format!(
        "Redigera förslaget från {} innan det godkänns",
        proposal.proposer_name
    );
    let meta = page(
        &state.config,
        &action,
        &heading,
        "Ett förslag från en medlem.",
    );
    let view = EditView {
        back: (
            "/admin/forslag".to_string(),
            "Förslag från medlemmar".to_string(),
        ),
        heading,
        intro: (!proposal.message.is_empty()).then(|| format!("Meddelande: {}", proposal.message)),
        comparison,
        action,
        fields: &fields,
        form,
        csrf,
        preview: preview_on.then(|| preview(kind, form)),
        conflict,
        notice: None,
        has_draft: false,
        history_url: None,
        delete_url: None,
        public_url: current.as_ref().map(|i| i.public_path(&proposal.model_id)),
        proposal: Some(proposal.id),
        publish_label: "Godkänn och publicera",
        drafts: false,
    };
    Ok(edit_pages::edit(&meta, &view))
}

pub(super) async fn edit_form(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    SitePath(id): SitePath<String>,
    Csrf(csrf): Csrf,
) -> Result<Response, AppError> {
    let ctx = editor_ctx(&state, &user, &session).await?;
    let proposal = answerable(&state, &ctx, &id).await?;
    let (kind, proposed) = proposed_item(&proposal)?;
    let mut form = crate::editing::values::to_form(kind, &proposed.to_json());
    form.set("version", proposal.base_hash.clone().unwrap_or_default());
    let page = render_edit(&state, &csrf, &proposal, kind, &form, false, None).await?;
    Ok(uncached(StatusCode::OK, page))
}

pub(super) async fn edit_and_accept(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    SitePath(id): SitePath<String>,
    Csrf(csrf): Csrf,
    FormInput(mut form): FormInput,
) -> Result<Response, AppError> {
    let ctx = editor_ctx(&state, &user, &session).await?;
    let proposal = answerable(&state, &ctx, &id).await?;
    let (kind, _) = proposed_item(&proposal)?;
    let options = options_for(&state, kind, &proposal.model_id).await?;
    let item = read_item(
        kind,
        &proposal.model_id,
        proposal.entity_id.as_deref(),
        &mut form,
        &options,
    )?;
    let action = form.value("atgard").to_string();
    let Some(item) = item else {
        let page = render_edit(&state, &csrf, &proposal, kind, &form, false, None).await?;
        return Ok(uncached(StatusCode::UNPROCESSABLE_ENTITY, page));
    };
    if owner(&state, &item).await? != proposal.model_id {
        return Err(AppError::Forbidden);
    }
    match action.as_str() {
        "forhandsgranska" => {
            place_errors(kind, &mut form, &item.validate());
            let page = render_edit(&state, &csrf, &proposal, kind, &form, true, None).await?;
            Ok(uncached(StatusCode::OK, page))
        }
        "publicera" => {
            let expected = Some(form.value("version").to_string()).filter(|v| !v.is_empty());
            let note = db::proposals::accepted_note(&proposal.proposer_name, true);
            let answer = accepted(&proposal, &item);
            match publish::publish_answering(
                &state.writes(),
                &ctx.editor,
                &item,
                expected.as_deref(),
                &note,
                Some(&answer),
            )
            .await
            {
                Ok(committed) => {
                    committed.searchable(SEARCHABLE_WITHIN).await;
                    Ok(Redirect::to("/admin/forslag?besvarat=godkant").into_response())
                }
                Err(EditError::Conflict { current }) => {
                    form.set(
                        "version",
                        current.as_deref().map(Item::hash).unwrap_or_default(),
                    );
                    let what = if expected.is_none() {
                        "en sida med samma adress"
                    } else {
                        "den publicerade versionen"
                    };
                    let conflict = conflict_view(kind, what, current.as_deref(), &item, &options);
                    let page =
                        render_edit(&state, &csrf, &proposal, kind, &form, false, Some(conflict))
                            .await?;
                    Ok(uncached(StatusCode::CONFLICT, page))
                }
                Err(EditError::Invalid(errors)) => {
                    place_errors(kind, &mut form, &errors);
                    let page =
                        render_edit(&state, &csrf, &proposal, kind, &form, false, None).await?;
                    Ok(uncached(StatusCode::UNPROCESSABLE_ENTITY, page))
                }
                Err(EditError::Blocked(_)) => Err(AppError::NotFound),
                Err(EditError::Write(e)) => Err(e.into()),
            }
        }
        _ => Err(AppError::invalid(
            "atgard",
            "välj Förhandsgranska eller Godkänn och publicera",
        )),
    }
}
