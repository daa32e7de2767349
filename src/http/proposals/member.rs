//! A member's side: "Tipsa om ett projekt", "Föreslå en ändring" and "Mina förslag".

#[allow(clippy::wildcard_imports)]
use super::*;

/// The fields the editors set: the address, the publication date, and a new entry's
/// contact profile (offered as the proposer's own on accepting, never another member's).
const EDITORS_ONLY: [&str; 3] = ["id", "publicerad", "kontakt.medlem"];

/// The member-facing fields: everything but [`EDITORS_ONLY`], plus a message to the
/// editors.
async fn member_fields(
    state: &AppState,
    kind: ItemKind,
    model: &str,
) -> Result<Vec<EditField>, AppError> {
    let options = options_for(state, kind, model).await?;
    let mut fields: Vec<EditField> = edit_fields(state, kind, model, &options, true)
        .await?
        .into_iter()
        .filter(|f| !EDITORS_ONLY.contains(&f.name.as_str()))
        .collect();
    fields.push(EditField {
        name: "meddelande".to_string(),
        label: "Meddelande till redaktörerna".to_string(),
        hint: Some("Berätta gärna varför, och var du har uppgifterna ifrån.".to_string()),
        required: false,
        widget: Widget::Text { rows: 4 },
    });
    Ok(fields)
}

struct MemberForm<'a> {
    kind: ItemKind,
    model: &'a str,
    action: String,
    heading: String,
    intro: String,
    back: (String, String),
    form: FormState,
    preview: bool,
}

async fn render_member_form(
    state: &AppState,
    csrf: &str,
    f: MemberForm<'_>,
) -> Result<maud::Markup, AppError> {
    let mut fields = member_fields(state, f.kind, f.model).await?;
    show_fixed(&mut fields, &f.form);
    let meta = page(&state.config, &f.action, &f.heading, &f.intro);
    let view = EditView {
        back: f.back,
        heading: f.heading.clone(),
        intro: Some(f.intro.clone()),
        comparison: None,
        action: f.action.clone(),
        fields: &fields,
        form: &f.form,
        csrf,
        preview: f.preview.then(|| preview(f.kind, &f.form)),
        conflict: None,
        notice: None,
        has_draft: false,
        history_url: None,
        delete_url: None,
        public_url: None,
        proposal: None,
        publish_label: "Skicka förslaget",
        drafts: false,
    };
    Ok(edit_pages::edit(&meta, &view))
}

/// The message typed, checked; a message at its field when it is not right.
fn message(form: &mut FormState) -> String {
    crate::http::form::free_text(
        form,
        ("meddelande", "meddelande"),
        "Meddelandet",
        MAX_MESSAGE_CHARS,
        None,
    )
}

/// The logged-in member's id and name, for a proposal.
async fn proposer(state: &AppState, user: &CurrentUser) -> Result<(String, String), AppError> {
    let mut conn = state.db.acquire().await?;
    let member = db::members::get(&mut conn, user.0.member.as_str())
        .await?
        .ok_or(AppError::Forbidden)?;
    Ok((member.id.to_string(), member.name))
}

/// Reads, checks and stores a member's proposal; the form again with messages otherwise.
#[allow(clippy::too_many_arguments)]
async fn submit(
    state: &AppState,
    user: &CurrentUser,
    csrf: &str,
    kind: ItemKind,
    model: &str,
    base: Option<&Item>,
    mut form: FormState,
    shown: MemberForm<'_>,
) -> Result<Response, AppError> {
    let (member_id, member_name) = proposer(state, user).await?;
    let options = options_for(state, kind, model).await?;
    // The address and publication date are the editors': kept from the published item,
    // or a new entry's from its title and today.
    let published = base.map_or_else(
        || chrono::Utc::now().date_naive().to_string(),
        |b| {
            b.to_json()["publicerad"]
                .as_str()
                .unwrap_or_default()
                .to_string()
        },
    );
    form.set("publicerad", published);
    if kind == ItemKind::Pivi {
        form.set("kontakt.medlem", "");
    }
    let entity = base.map(Item::entity_id);
    let text = message(&mut form);
    let item = read_item(kind, model, entity.as_deref(), &mut form, &options)?;
    let preview_only = form.value("atgard") == "forhandsgranska";
    let again = |form: FormState, preview: bool| MemberForm {
        form,
        preview,
        ..shown
    };
    let Some(item) = item else {
        let page = render_member_form(state, csrf, again(form, preview_only)).await?;
        return Ok(uncached(StatusCode::UNPROCESSABLE_ENTITY, page));
    };
    let mut conn = state.db.acquire().await?;
    let problems = publish::problems(&mut conn, &item).await?;
    place_errors(kind, &mut form, &problems);
    if base.is_some_and(|b| b.hash() == item.hash()) && !preview_only {
        form.add_error("titel", "Förslaget ändrar ingenting: ändra i texten först");
    }
    if preview_only || form.has_errors() {
        drop(conn);
        let status = if form.has_errors() && !preview_only {
            StatusCode::UNPROCESSABLE_ENTITY
        } else {
            StatusCode::OK
        };
        let page = render_member_form(state, csrf, again(form, preview_only)).await?;
        return Ok(uncached(status, page));
    }
    drop(conn);
    // Counted and added in one write, so proposals sent at once cannot pass the limit.
    let mut tx = state.db.begin_write().await?;
    let now = chrono::Utc::now().timestamp();
    if db::proposals::made_since(&mut tx, &member_id, now - 24 * 60 * 60).await? >= PER_DAY {
        return Err(AppError::TooManyAttempts { minutes: 24 * 60 });
    }
    db::proposals::create(
        &mut tx,
        &db::proposals::New {
            kind: kind.slug(),
            model_id: model,
            entity_id: entity.as_deref(),
            body: &item.stored(),
            base_hash: base.map(Item::hash).as_deref(),
            message: &text,
            proposer_id: &member_id,
            proposer_name: &member_name,
            now,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(Redirect::to("/forslag?skickat=1").into_response())
}

fn new_project_shown(model: &str, form: FormState) -> MemberForm<'_> {
    MemberForm {
        kind: ItemKind::Pivi,
        model,
        action: format!("/forslag/projekt?modell={model}"),
        heading: "Tipsa om ett projekt".to_string(),
        intro: "Känner du till ett projekt, en idé, en verksamhet eller något annat som "
            .to_string()
            + "inspirerar och som fler borde känna till? Beskriv det här, så granskar "
            + "redaktörerna tipset innan det publiceras i pivi.",
        back: (hallbar_index::paths::model(model), "Tillbaka".to_string()),
        form,
        preview: false,
    }
}

pub(super) async fn new_project_form(
    State(state): State<AppState>,
    user: CurrentUser,
    RawQuery(query): RawQuery,
    Csrf(csrf): Csrf,
) -> Result<Response, AppError> {
    let model = catalogue_for(&state, query.as_deref()).await?;
    let (_, name) = proposer(&state, &user).await?;
    let mut form = FormState::new();
    form.set("kontakt.namn", name);
    let page = render_member_form(&state, &csrf, new_project_shown(&model, form)).await?;
    Ok(uncached(StatusCode::OK, page))
}

pub(super) async fn new_project(
    State(state): State<AppState>,
    user: CurrentUser,
    RawQuery(query): RawQuery,
    Csrf(csrf): Csrf,
    FormInput(form): FormInput,
) -> Result<Response, AppError> {
    let model = catalogue_for(&state, query.as_deref()).await?;
    let shown = new_project_shown(&model, FormState::new());
    submit(
        &state,
        &user,
        &csrf,
        ItemKind::Pivi,
        &model,
        None,
        form,
        shown,
    )
    .await
}

fn change_shown<'a>(
    kind: ItemKind,
    model: &'a str,
    base: &Item,
    form: FormState,
) -> MemberForm<'a> {
    MemberForm {
        kind,
        model,
        action: format!("/forslag/andring/{}/{}", kind.slug(), base.entity_id()),
        heading: format!("Föreslå en ändring: {}", base.title()),
        intro: "Ändra det du tycker ska ändras. Redaktörerna ser skillnaden mot den publicerade \
                versionen och godkänner eller avslår förslaget; du får en notis om svaret."
            .to_string(),
        back: (base.public_path(model), base.title()),
        form,
        preview: false,
    }
}

async fn published(state: &AppState, kind: ItemKind, id: &str) -> Result<Item, AppError> {
    let mut conn = state.db.acquire().await?;
    item::load(&mut conn, kind, id)
        .await?
        .ok_or(AppError::NotFound)
}

pub(super) async fn change_form(
    State(state): State<AppState>,
    user: CurrentUser,
    SitePath((kind, id)): SitePath<(String, String)>,
    Csrf(csrf): Csrf,
) -> Result<Response, AppError> {
    let kind = changeable(&kind)?;
    let base = published(&state, kind, &id).await?;
    proposer(&state, &user).await?;
    let form = crate::editing::values::to_form(kind, &base.to_json());
    let model = owner(&state, &base).await?;
    let shown = change_shown(kind, &model, &base, form);
    let page = render_member_form(&state, &csrf, shown).await?;
    Ok(uncached(StatusCode::OK, page))
}

pub(super) async fn change(
    State(state): State<AppState>,
    user: CurrentUser,
    SitePath((kind, id)): SitePath<(String, String)>,
    Csrf(csrf): Csrf,
    FormInput(form): FormInput,
) -> Result<Response, AppError> {
    let kind = changeable(&kind)?;
    let base = published(&state, kind, &id).await?;
    let model = owner(&state, &base).await?;
    let shown = change_shown(kind, &model, &base, FormState::new());
    submit(&state, &user, &csrf, kind, &model, Some(&base), form, shown).await
}

pub(super) async fn mine(
    State(state): State<AppState>,
    user: CurrentUser,
    RawQuery(query): RawQuery,
) -> Result<Response, AppError> {
    let mut conn = state.db.acquire().await?;
    let proposals = db::proposals::of_member(&mut conn, user.0.member.as_str()).await?;
    let mut items = Vec::new();
    for p in &proposals {
        let kind = ItemKind::from_slug(&p.kind).unwrap_or(ItemKind::Pivi);
        let proposed = Item::from_stored(kind, &p.body);
        let link = match (&p.entity_id, p.status) {
            (Some(id), Status::Accepted) | (Some(id), Status::Waiting) => {
                item::load(&mut conn, kind, id)
                    .await?
                    .map(|i| i.public_path(&p.model_id))
            }
            _ => None,
        };
        items.push(MyProposal {
            what: what(&p.kind, p.entity_id.as_deref(), p.status),
            title: proposed.map_or_else(|| "(okänt)".to_string(), |i| i.title()),
            status: match p.status {
                Status::Waiting => "Väntar",
                Status::Accepted => "Godkänt",
                Status::Declined => "Avslaget",
            }
            .to_string(),
            reason: p.reason.clone(),
            created_at: when(p.created_at),
            link,
        });
    }
    drop(conn);
    let notice = query
        .as_deref()
        .is_some_and(|q| q.contains("skickat=1"))
        .then_some("Tack! Ditt förslag är skickat till redaktörerna.");
    let meta = page(
        &state.config,
        "/forslag",
        "Mina förslag",
        "Dina förslag till hallbars stödmodeller.",
    );
    Ok(uncached(StatusCode::OK, pages::mine(&meta, &items, notice)))
}
