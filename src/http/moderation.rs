//! Moderation: reporting a post, the moderators' queue (`/moderering`), their actions and
//! the log (`/moderering/logg`, for site admins).

use axum::Router;
use axum::extract::{OriginalUri, Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::{TimeZone, Utc};
use hallbar_templates::Section;
use hallbar_templates::components::form::FormState;
use hallbar_templates::pages::moderation::{
    self as pages, LogLine, MAX_REASON_CHARS, QueueItem, ReportLine, reason_id,
};
use maud::Markup;

use super::csrf::Csrf;
use super::discussions::{discussion_page, reading, saved, thread_in};
use super::form::{FormInput, failed};
use super::session::{CurrentSession, now};
use super::view::{page, uncached};
use super::{AppError, AppState, CurrentUser, MaybeUser};
use crate::db;
use crate::db::accounts::Role as SiteRole;
use crate::db::group_members::{self, Departure, Role};
use crate::db::moderation::{self, Action, LogEntry, OpenReport};
use crate::db::threads::{self, StoredPost, ThreadHead};

/// How many log entries the log page shows.
const LOG_SHOWN: i64 = 500;

/// How much of a post the queue and the report form show, in characters.
const EXCERPT_CHARS: usize = 300;

type Session = Option<axum::Extension<CurrentSession>>;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/grupper/{grupp}/{trad}/inlagg/{inlagg}/anmal",
            get(report_form).post(report),
        )
        .route("/moderering", get(queue))
        .route("/moderering/logg", get(log))
        .route("/moderering/inlagg/{inlagg}/{atgard}", post(act))
        .route(
            "/moderering/tradar/{trad}/las-upp",
            get(unlock_form).post(unlock),
        )
}

/// Whether the request's session is a site admin's (a request without one is not).
pub(super) fn is_admin(session: Option<&CurrentSession>) -> bool {
    session.is_some_and(|s| s.role == SiteRole::Admin)
}

fn admin(session: &Session) -> bool {
    is_admin(session.as_ref().map(|s| &s.0))
}

fn excerpt(text: &str) -> String {
    let mut out: String = text.chars().take(EXCERPT_CHARS).collect();
    if text.chars().count() > EXCERPT_CHARS {
        out.push('…');
    }
    out
}

/// The reason typed (field `anledning`), trimmed; a message at `field` when it is missing,
/// too long or holds control characters.
fn reason(form: &mut FormState, field: &str) -> String {
    super::form::free_text(
        form,
        ("anledning", field),
        "Anledningen",
        MAX_REASON_CHARS,
        Some("Skriv en anledning"),
    )
}

fn moderation_page(state: &AppState, path: &str, title: &str) -> hallbar_templates::Page {
    page(
        &state.config,
        path,
        title,
        "Moderering av inlägg i hallbars grupper.",
    )
    .section(Section::Grupper)
}

// ---- Reporting ----

/// Someone else's post `post_id` in the thread: 404 when there is none, 403 when it is the
/// viewer's own.
async fn reportable(
    state: &AppState,
    member: &str,
    thread: &ThreadHead,
    post_id: &str,
) -> Result<StoredPost, AppError> {
    let post = super::discussions::post_in(state, thread, post_id).await?;
    if post.author.as_str() == member {
        return Err(AppError::Forbidden);
    }
    Ok(post)
}

fn report_page(
    state: &AppState,
    thread: &ThreadHead,
    post: &StoredPost,
    form: &FormState,
    csrf: &str,
) -> Markup {
    let back = hallbar_index::paths::thread(&thread.group, &thread.id);
    let action = format!("{back}/inlagg/{}/anmal", post.id);
    let meta = discussion_page(state, &action, "Anmäl inlägget");
    let shown = if post.hidden {
        hallbar_templates::pages::discussions::HIDDEN_POST.to_string()
    } else {
        excerpt(&post.text)
    };
    pages::report(&meta, &thread.title, &back, &action, &shown, form, csrf)
}

async fn report_form(
    State(state): State<AppState>,
    user: MaybeUser,
    uri: OriginalUri,
    Path((group_id, thread_id, post_id)): Path<(String, String, String)>,
    Csrf(csrf): Csrf,
) -> Result<Response, AppError> {
    let reading = reading(&state, &user, &group_id, &uri).await?;
    let thread = thread_in(&state, &reading.group, &thread_id).await?;
    let post = reportable(&state, reading.user.member.as_str(), &thread, &post_id).await?;
    Ok(uncached(
        StatusCode::OK,
        report_page(&state, &thread, &post, &FormState::new(), &csrf),
    ))
}

async fn report(
    State(state): State<AppState>,
    user: MaybeUser,
    uri: OriginalUri,
    Path((group_id, thread_id, post_id)): Path<(String, String, String)>,
    Csrf(csrf): Csrf,
    FormInput(mut form): FormInput,
) -> Result<Response, AppError> {
    let reading = reading(&state, &user, &group_id, &uri).await?;
    let thread = thread_in(&state, &reading.group, &thread_id).await?;
    let post = reportable(&state, reading.user.member.as_str(), &thread, &post_id).await?;
    let why = reason(&mut form, "anledning");
    if !form.has_errors() {
        super::throttle::attempt(
            &state.db,
            super::throttle::REPORTS_PER_MEMBER,
            reading.user.member.as_str(),
            now(),
        )
        .await?;
        let mut conn = state.db.acquire().await?;
        let added = moderation::report(
            &mut conn,
            post.id,
            reading.user.member.as_str(),
            &why,
            now(),
        )
        .await?;
        if added {
            let rank = threads::rank_of(&mut conn, &post).await?;
            drop(conn);
            let to = hallbar_index::paths::post(&thread.group, &thread.id, rank);
            return Ok(Redirect::to(&reported(&to)).into_response());
        }
        form.add_error(
            "anledning",
            "Du har redan anmält det här inlägget. En moderator går igenom anmälan.",
        );
    }
    Ok(failed(report_page(&state, &thread, &post, &form, &csrf)))
}

/// A post's address (`path?query#anchor`) with `anmalt` added, so its thread page thanks
/// the reporter.
fn reported(to: &str) -> String {
    let (path, anchor) = to.split_once('#').unwrap_or((to, ""));
    let joiner = if path.contains('?') { '&' } else { '?' };
    if anchor.is_empty() {
        format!("{path}{joiner}anmalt=1")
    } else {
        format!("{path}{joiner}anmalt=1#{anchor}")
    }
}

// ---- The queue and the actions ----

/// What a finished action says on the queue (`?klart=…`).
fn notice(query: &str) -> Option<&'static str> {
    let value = query
        .split('&')
        .find_map(|pair| pair.strip_prefix("klart="))?;
    Some(match Action::from_slug(value)? {
        Action::Hide => "Inlägget är dolt.",
        Action::Delete => "Inlägget är borttaget.",
        Action::Lock => "Tråden är låst.",
        Action::Unlock => "Tråden är upplåst.",
        Action::RemoveMember => "Medlemmen är borttagen ur gruppen.",
        Action::Dismiss => "Anmälan är avfärdad.",
    })
}

/// The open reports as the queue shows them: one item per post, its reports in order.
fn items(reports: Vec<OpenReport>) -> Vec<QueueItem> {
    let mut items: Vec<QueueItem> = Vec::new();
    for r in reports {
        let line = ReportLine {
            reporter_url: r
                .reporter_name
                .as_ref()
                .map(|_| hallbar_index::paths::member(&r.reporter)),
            reporter_name: r.reporter_name.unwrap_or_else(|| r.reporter.to_string()),
            reason: r.reason,
            created_at: Utc
                .timestamp_opt(r.created_at, 0)
                .single()
                .unwrap_or_default(),
        };
        if let Some(item) = items.iter_mut().find(|i| i.post_id == r.post_id) {
            item.reports.push(line);
            continue;
        }
        let lock = if r.locked {
            Action::Unlock
        } else {
            Action::Lock
        };
        let actions = [
            Action::Hide,
            Action::Delete,
            lock,
            Action::RemoveMember,
            Action::Dismiss,
        ]
        .into_iter()
        .filter(|a| match a {
            Action::Hide => !r.hidden,
            // The owner is never removed, and one who left is gone already.
            Action::RemoveMember => r.author_role.is_some_and(|role| role != Role::Owner),
            _ => true,
        })
        .map(|a| (a.slug(), a.label()))
        .collect();
        items.push(QueueItem {
            post_id: r.post_id,
            excerpt: excerpt(&r.body),
            hidden: r.hidden,
            author_name: r.author_name.unwrap_or_else(|| r.author.to_string()),
            thread_url: hallbar_index::paths::thread(&r.group_id, &r.thread_id),
            thread_title: r.thread_title,
            group_url: hallbar_index::paths::group(&r.group_id),
            group_name: r.group_name,
            reports: vec![line],
            actions,
        });
    }
    items
}

/// The queue for this moderator; 403 for a member who moderates nothing.
async fn queue_page(
    state: &AppState,
    user: &CurrentUser,
    admin: bool,
    form: &FormState,
    csrf: &str,
    notice: Option<&str>,
) -> Result<Markup, AppError> {
    let member = user.0.member.as_str();
    let mut conn = state.db.acquire().await?;
    if !admin && !moderation::moderates_any(&mut conn, member).await? {
        return Err(AppError::Forbidden);
    }
    let reports = moderation::open_reports(&mut conn, member, admin).await?;
    drop(conn);
    let meta = moderation_page(state, "/moderering", "Moderering");
    Ok(pages::queue(&meta, &items(reports), form, csrf, notice))
}

async fn queue(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    RawQuery(query): RawQuery,
    Csrf(csrf): Csrf,
) -> Result<Response, AppError> {
    let notice = notice(query.as_deref().unwrap_or_default());
    let markup = queue_page(
        &state,
        &user,
        admin(&session),
        &FormState::new(),
        &csrf,
        notice,
    )
    .await?;
    Ok(uncached(StatusCode::OK, markup))
}

/// How a non-moderator is refused: 404 when they cannot even read the group's content (a
/// closed group they are not in: its threads and posts do not exist for them), else 403.
async fn refusal(
    state: &AppState,
    user: &CurrentUser,
    group_id: &str,
) -> Result<AppError, AppError> {
    let mut conn = state.db.acquire().await?;
    let closed = db::groups::get(&mut conn, group_id)
        .await?
        .is_none_or(|g| g.is_closed());
    let member = db::groups::is_member(&mut conn, group_id, user.0.member.as_str()).await?;
    Ok(if closed && !member {
        AppError::NotFound
    } else {
        AppError::Forbidden
    })
}

/// Whether the viewer may moderate the group: a site admin, its owner or a moderator.
async fn may_moderate(
    state: &AppState,
    user: &CurrentUser,
    admin: bool,
    group_id: &str,
) -> Result<bool, AppError> {
    if admin {
        return Ok(true);
    }
    let mut conn = state.db.acquire().await?;
    Ok(
        group_members::role(&mut conn, group_id, user.0.member.as_str())
            .await?
            .is_some_and(Role::moderates),
    )
}

async fn act(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    Path((post_id, action)): Path<(String, String)>,
    Csrf(csrf): Csrf,
    FormInput(mut form): FormInput,
) -> Result<Response, AppError> {
    let admin = admin(&session);
    let action = Action::from_slug(&action).ok_or(AppError::NotFound)?;
    let id: i64 = post_id.parse().map_err(|_| AppError::NotFound)?;
    let mut conn = state.db.acquire().await?;
    let post = threads::post(&mut conn, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let thread = threads::head(&mut conn, post.thread_id.as_str())
        .await?
        .ok_or(AppError::NotFound)?;
    drop(conn);
    let group_id = thread.group.as_str();
    if !may_moderate(&state, &user, admin, group_id).await? {
        return Err(refusal(&state, &user, group_id).await?);
    }
    // Actions are answers to reports: a post nobody reported is not in the queue.
    let mut conn = state.db.acquire().await?;
    if !moderation::has_open_report(&mut conn, post.id).await? {
        return Err(AppError::NotFound);
    }
    drop(conn);
    let field = reason_id(post.id, action.slug());
    let why = reason(&mut form, &field);
    let author = post.author.as_str();
    if action == Action::RemoveMember && !form.has_errors() {
        let mut conn = state.db.acquire().await?;
        let mine = group_members::role(&mut conn, group_id, user.0.member.as_str()).await?;
        match group_members::role(&mut conn, group_id, author).await? {
            Some(Role::Owner) => {
                form.add_error(&field, "Gruppens ägare kan inte tas bort ur gruppen")
            }
            // A moderator removes members, not fellow moderators (that is the owner's).
            Some(Role::Moderator) if !admin && mine != Some(Role::Owner) => form.add_error(
                &field,
                "Bara gruppens ägare kan ta bort en moderator ur gruppen",
            ),
            None => form.add_error(&field, "Inläggets författare är inte med i gruppen"),
            Some(_) => {}
        }
    }
    if form.has_errors() {
        let markup = queue_page(&state, &user, admin, &form, &csrf, None).await?;
        return Ok(failed(markup));
    }
    let at = now();
    let mut change = state.writes().begin().await?;
    let done = match action {
        Action::Hide => threads::hide_post(&mut change, &post, at).await?,
        Action::Delete => threads::delete_post(&mut change, &post).await?,
        Action::Lock => threads::set_locked(&mut change, thread.id.as_str(), true).await?,
        Action::Unlock => threads::set_locked(&mut change, thread.id.as_str(), false).await?,
        Action::RemoveMember => {
            // The owner is refused above; one who left since is simply gone.
            group_members::leave(&mut change, group_id, author).await? == Departure::Left
        }
        Action::Dismiss => true,
    };
    if !done {
        return Err(AppError::NotFound);
    }
    moderation::close_reports(&mut change, post.id, at).await?;
    moderation::log(
        &mut change,
        &LogEntry {
            moderator: user.0.member.to_string(),
            action,
            post_id: Some(post.id),
            thread_id: Some(thread.id.to_string()),
            group_id: Some(group_id.to_string()),
            member_id: Some(author.to_string()),
            reason: why,
            created_at: at,
        },
    )
    .await?;
    let committed = change.commit().await?;
    Ok(saved(
        &state,
        committed,
        &format!("/moderering?klart={}", action.slug()),
    )
    .await)
}

// ---- Unlocking a thread ----

/// A thread the viewer may moderate, or 404 / 403.
async fn moderated_thread(
    state: &AppState,
    user: &CurrentUser,
    admin: bool,
    thread_id: &str,
) -> Result<ThreadHead, AppError> {
    let mut conn = state.db.acquire().await?;
    let thread = threads::head(&mut conn, thread_id)
        .await?
        .ok_or(AppError::NotFound)?;
    drop(conn);
    if !may_moderate(state, user, admin, thread.group.as_str()).await? {
        return Err(refusal(state, user, thread.group.as_str()).await?);
    }
    Ok(thread)
}

fn unlock_page(state: &AppState, thread: &ThreadHead, form: &FormState, csrf: &str) -> Markup {
    let back = hallbar_index::paths::thread(&thread.group, &thread.id);
    let action = format!("/moderering/tradar/{}/las-upp", thread.id);
    let meta = moderation_page(state, &action, "Lås upp tråden");
    pages::unlock(&meta, &thread.title, &back, &action, form, csrf)
}

async fn unlock_form(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    Path(thread_id): Path<String>,
    Csrf(csrf): Csrf,
) -> Result<Response, AppError> {
    let thread = moderated_thread(&state, &user, admin(&session), &thread_id).await?;
    Ok(uncached(
        StatusCode::OK,
        unlock_page(&state, &thread, &FormState::new(), &csrf),
    ))
}

async fn unlock(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    Path(thread_id): Path<String>,
    Csrf(csrf): Csrf,
    FormInput(mut form): FormInput,
) -> Result<Response, AppError> {
    let thread = moderated_thread(&state, &user, admin(&session), &thread_id).await?;
    let why = reason(&mut form, "anledning");
    if form.has_errors() {
        return Ok(failed(unlock_page(&state, &thread, &form, &csrf)));
    }
    let at = now();
    let mut change = state.writes().begin().await?;
    if !threads::set_locked(&mut change, thread.id.as_str(), false).await? {
        return Err(AppError::NotFound);
    }
    moderation::log(
        &mut change,
        &LogEntry {
            moderator: user.0.member.to_string(),
            action: Action::Unlock,
            post_id: None,
            thread_id: Some(thread.id.to_string()),
            group_id: Some(thread.group.to_string()),
            member_id: None,
            reason: why,
            created_at: at,
        },
    )
    .await?;
    let committed = change.commit().await?;
    let to = hallbar_index::paths::thread(&thread.group, &thread.id);
    Ok(saved(&state, committed, &to).await)
}

// ---- The log ----

async fn log(
    State(state): State<AppState>,
    _user: CurrentUser,
    session: Session,
) -> Result<Response, AppError> {
    if !admin(&session) {
        return Err(AppError::Forbidden);
    }
    let mut conn = state.db.acquire().await?;
    let entries = moderation::log_entries(&mut conn, LOG_SHOWN).await?;
    drop(conn);
    let lines: Vec<LogLine> = entries
        .into_iter()
        .map(|e| LogLine {
            at: Utc
                .timestamp_opt(e.created_at, 0)
                .single()
                .unwrap_or_default(),
            moderator: e.moderator,
            action: e.action.done(),
            post: e.post_id,
            thread: e.thread_id,
            group: e.group_id,
            member: e.member_id,
            reason: e.reason,
        })
        .collect();
    let meta = moderation_page(&state, "/moderering/logg", "Modereringslogg");
    Ok(uncached(StatusCode::OK, pages::log(&meta, &lines)))
}
