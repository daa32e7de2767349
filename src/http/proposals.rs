//! Members' proposals: "Tipsa om ett projekt" (a new pivi entry) and "Föreslå en ändring"
//! (of an article or a dialogue text), each member's own list, and the editors' queue at
//! `/admin/forslag` — accept, edit first, or decline with a reason; the proposer is told.

use axum::Router;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use hallbar_index::paths;
use hallbar_templates::components::form::FormState;
use hallbar_templates::pages::editing::{self as edit_pages, EditField, EditView, Widget};
use hallbar_templates::pages::proposals::{
    self as pages, MAX_MESSAGE_CHARS, MyProposal, QueuedProposal, reason_id,
};
use serde_json::Value;

use super::csrf::Csrf;
use super::editing::{
    EditorCtx, Session, conflict_view, edit_fields, editor_ctx, options_for, place_errors, preview,
    read_item, show_fixed,
};
use super::extract::SitePath;
use super::form::FormInput;
use super::view::{page, uncached};
use super::{AppError, AppState, CurrentUser};
use crate::db;
use crate::db::proposals::{Proposal, Status};
use crate::editing::item;
use crate::editing::publish::{self, Answer, EditError};
use crate::editing::{Item, ItemKind};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/forslag", get(mine))
        .route("/forslag/projekt", get(new_project_form).post(new_project))
        .route(
            "/forslag/andring/{kind}/{id}",
            get(change_form).post(change),
        )
        .route("/admin/forslag", get(queue))
        .route("/admin/forslag/{id}/godkann", post(accept))
        .route(
            "/admin/forslag/{id}/redigera",
            get(edit_form).post(edit_and_accept),
        )
        .route("/admin/forslag/{id}/avsla", post(decline))
}

/// How many proposals one member may send in a day.
const PER_DAY: i64 = 20;

/// How long an accepted change may take to reach search before the answer goes anyway.
const SEARCHABLE_WITHIN: std::time::Duration = std::time::Duration::from_secs(10);

/// The kinds of item a member may propose a change of.
fn changeable(kind: &str) -> Result<ItemKind, AppError> {
    match ItemKind::from_slug(kind) {
        Some(kind @ (ItemKind::Article | ItemKind::Dialogue)) => Ok(kind),
        _ => Err(AppError::NotFound),
    }
}

/// The support model an item belongs to.
async fn owner(state: &AppState, item: &Item) -> Result<String, AppError> {
    let mut conn = state.db.acquire().await?;
    Ok(item::owner(&mut conn, item).await?)
}

/// The catalogue a tip goes to: `modell=` when it names one, else the first catalogue.
async fn catalogue_for(state: &AppState, query: Option<&str>) -> Result<String, AppError> {
    let asked = form_urlencoded::parse(query.unwrap_or_default().as_bytes())
        .find(|(k, _)| k == "modell")
        .map(|(_, v)| v.into_owned());
    let mut conn = state.db.acquire().await?;
    let models = db::support_models::list(&mut conn).await?;
    let catalogues = models
        .iter()
        .filter(|m| m.kind == hallbar_index::ModelKind::Catalogue);
    let found = match &asked {
        Some(id) => catalogues.clone().find(|m| m.id.as_str() == id),
        None => catalogues.clone().next(),
    };
    found.map(|m| m.id.to_string()).ok_or(AppError::NotFound)
}

/// "Nytt projekt i pivi" / "Ändring av en artikel".
fn what(kind: &str, entity: Option<&str>, status: Status) -> String {
    match (kind, entity, status) {
        ("pivi", None, _) | ("pivi", Some(_), Status::Accepted) => "Nytt projekt i pivi".into(),
        ("artikel", ..) => "Ändring av en artikel".into(),
        ("dialog", ..) => "Ändring av en text i dialogverktyget".into(),
        _ => "Förslag".into(),
    }
}

fn when(at: i64) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_timestamp(at, 0).unwrap_or_default()
}

// ---- A member's side ----

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
    let text = form.value("meddelande").trim().to_string();
    if text.chars().count() > MAX_MESSAGE_CHARS {
        form.add_error(
            "meddelande",
            format!("Meddelandet får vara högst {MAX_MESSAGE_CHARS} tecken"),
        );
    } else if text
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
    {
        form.add_error("meddelande", "Meddelandet innehåller otillåtna tecken");
    }
    text
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

async fn new_project_form(
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

async fn new_project(
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

async fn change_form(
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

async fn change(
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

async fn mine(
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

// ---- The editors' queue ----

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

async fn queue(
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

async fn accept(
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
        Err(EditError::Write(e)) => Err(e.into()),
        Err(e) => {
            queue_page(
                &state,
                &ctx,
                &csrf,
                &FormState::new(),
                Some(not_accepted(&e)),
                StatusCode::CONFLICT,
            )
            .await
        }
    }
}

async fn decline(
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
    let reason = form.value(&field).trim().to_string();
    if reason.is_empty() {
        form.add_error(&field, "Skriv varför förslaget avslås");
    } else if reason.chars().count() > MAX_MESSAGE_CHARS {
        form.add_error(
            &field,
            format!("Anledningen får vara högst {MAX_MESSAGE_CHARS} tecken"),
        );
    } else if reason
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
    {
        form.add_error(&field, "Anledningen innehåller otillåtna tecken");
    }
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
        Err(EditError::Write(e)) => Err(e.into()),
        Err(e) => {
            queue_page(
                &state,
                &ctx,
                &csrf,
                &FormState::new(),
                Some(not_accepted(&e)),
                StatusCode::CONFLICT,
            )
            .await
        }
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

async fn edit_form(
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

async fn edit_and_accept(
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
