//! A group's discussions: `/grupper/{grupp}/ny-trad`, the thread pages with their replies,
//! and editing and deleting one's own post.

use std::time::Duration;

use axum::Router;
use axum::extract::{OriginalUri, Path, RawQuery, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use chrono::{SubsecRound, TimeZone, Utc};
use hallbar_index::{Group, GroupAccess, Slug};
use hallbar_templates::Section;
use hallbar_templates::components::form::FormState;
use hallbar_templates::markdown::post_to_html;
use hallbar_templates::pages::discussions::{
    self as pages, GroupRef, MAX_POST_CHARS, MAX_TITLE_CHARS, PostView, Reply, ThreadView,
};
use maud::Markup;

use super::csrf::Csrf;
use super::form::{FormInput, failed};
use super::fresh;
use super::view::{page, uncached};
use super::viewer::site_path;
use super::{AppError, AppState, Authenticated, MaybeUser};
use crate::db::notifications;
use crate::db::threads::{self, StoredPost, ThreadHead};
use crate::db::{self};
use crate::write::Committed;

/// How long a post may take to reach search before the answer goes anyway.
const SEARCHABLE_WITHIN: Duration = Duration::from_secs(3);

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/grupper/{grupp}/ny-trad", get(new_form).post(create))
        .route("/grupper/{grupp}/{trad}", get(show).post(reply))
        .route(
            "/grupper/{grupp}/{trad}/inlagg/{inlagg}/redigera",
            get(edit_form).post(edit),
        )
        .route(
            "/grupper/{grupp}/{trad}/inlagg/{inlagg}/ta-bort",
            get(delete_form).post(delete),
        )
}

/// A group the viewer may read, whether they belong to it and whether they moderate it.
pub(super) struct Reading {
    pub(super) group: Group,
    pub(super) user: Authenticated,
    member: bool,
    /// An owner or moderator of the group (site admins are added by the thread page).
    moderates: bool,
}

/// Who may read a group's discussions: for an open group every logged-in member (visitors
/// are sent to log in), for a closed group only its members (to anyone else it does not
/// exist: 404).
pub(super) async fn reading(
    state: &AppState,
    user: &MaybeUser,
    group_id: &str,
    uri: &OriginalUri,
) -> Result<Reading, AppError> {
    Slug::new(group_id).map_err(|_| AppError::NotFound)?;
    let mut conn = state.db.acquire().await?;
    let group = db::groups::get(&mut conn, group_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let closed = group.access == GroupAccess::Closed;
    let Some(auth) = user.0.clone() else {
        return Err(if closed {
            AppError::NotFound
        } else {
            AppError::Unauthorized {
                return_to: site_path(uri.0.path()).to_string(),
            }
        });
    };
    let member = group.members.contains(&auth.member);
    if closed && !member {
        return Err(AppError::NotFound);
    }
    let moderates = member
        && db::group_members::role(&mut conn, group_id, auth.member.as_str())
            .await?
            .is_some_and(db::group_members::Role::moderates);
    Ok(Reading {
        group,
        user: auth,
        member,
        moderates,
    })
}

/// As [`reading`], for writing: only the group's members (403 for other readers).
async fn writing(
    state: &AppState,
    user: &MaybeUser,
    group_id: &str,
    uri: &OriginalUri,
) -> Result<Reading, AppError> {
    let reading = reading(state, user, group_id, uri).await?;
    if !reading.member {
        return Err(AppError::Forbidden);
    }
    Ok(reading)
}

/// The thread `thread_id` of the group, or 404.
pub(super) async fn thread_in(
    state: &AppState,
    group: &Group,
    thread_id: &str,
) -> Result<ThreadHead, AppError> {
    Slug::new(thread_id).map_err(|_| AppError::NotFound)?;
    let mut conn = state.db.acquire().await?;
    threads::head(&mut conn, thread_id)
        .await?
        .filter(|t| t.group == group.id)
        .ok_or(AppError::NotFound)
}

/// Post `post_id` of the thread (404 when the thread has no such post).
pub(super) async fn post_in(
    state: &AppState,
    thread: &ThreadHead,
    post_id: &str,
) -> Result<StoredPost, AppError> {
    let id: i64 = post_id.parse().map_err(|_| AppError::NotFound)?;
    let mut conn = state.db.acquire().await?;
    threads::post(&mut conn, id)
        .await?
        .filter(|p| p.thread_id == thread.id)
        .ok_or(AppError::NotFound)
}

/// The viewer's own post `post_id` in the thread: 404 when there is none, 403 when it is
/// someone else's.
async fn own_post(
    state: &AppState,
    reading: &Reading,
    thread: &ThreadHead,
    post_id: &str,
) -> Result<StoredPost, AppError> {
    let post = post_in(state, thread, post_id).await?;
    // A post a moderator hid is no longer its author's to change.
    if post.author != reading.user.member || post.hidden {
        return Err(AppError::Forbidden);
    }
    Ok(post)
}

pub(super) fn discussion_page(
    state: &AppState,
    path: &str,
    title: &str,
) -> hallbar_templates::Page {
    page(
        &state.config,
        path,
        title,
        "En diskussion i en av hallbars grupper.",
    )
    .section(Section::Grupper)
}

/// The post text typed in the form (line breaks as `\n`, trailing space dropped); a
/// message on the field when it is empty, too long or holds control characters.
fn post_text(form: &mut FormState) -> String {
    let text = form
        .value("inlagg")
        .replace("\r\n", "\n")
        .replace('\r', "\n")
        .trim_end()
        .to_string();
    let chars = text.chars().count();
    if text.trim().is_empty() {
        form.add_error("inlagg", "Skriv något i inlägget");
    } else if chars > MAX_POST_CHARS {
        form.add_error(
            "inlagg",
            format!("Inlägget får vara högst 50 000 tecken; nu är det {chars}"),
        );
    } else if text
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        form.add_error("inlagg", "Inlägget innehåller otillåtna kontrolltecken");
    }
    text
}

/// The moment a post is written, to the microsecond as both databases keep it.
/// How many mentions of a post link and notify (the rest stay plain text).
const MAX_MENTIONS: usize = 20;

/// The member ids a post mentions (`@id`), the first [`MAX_MENTIONS`] distinct ones.
fn mentioned(text: &str) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    hallbar_index::mentions::mentions_in(text)
        .into_iter()
        .filter(|slug| seen.insert(slug.clone()))
        .take(MAX_MENTIONS)
        .map(|slug| slug.as_str().to_string())
        .collect()
}

/// Tells whom a new post concerns, in the write that stores it: the group's other members
/// of a new thread (`opened`) or the thread's other writers of a reply, and the members
/// the post mentions.
async fn notify(
    change: &mut crate::write::Change,
    reading: &Reading,
    thread: &ThreadHead,
    link: &str,
    text: &str,
    opened: bool,
) -> Result<(), AppError> {
    let author_name = author_name(change, reading.user.member.as_str()).await?;
    let event = notifications::DiscussionEvent {
        group_id: reading.group.id.as_str(),
        group_name: &reading.group.name,
        thread_id: thread.id.as_str(),
        thread_title: &thread.title,
        author_id: reading.user.member.as_str(),
        author_name: &author_name,
        link,
        now: Utc::now().timestamp(),
    };
    if opened {
        notifications::new_thread(change, &event).await?;
    } else {
        notifications::reply(change, &event).await?;
    }
    notifications::mentions(change, &event, &mentioned(text)).await?;
    Ok(())
}

/// A member's name as notifications say it (their id when the profile is gone).
async fn author_name(conn: &mut impl db::AsConn, member_id: &str) -> sqlx::Result<String> {
    Ok(db::members::get(conn, member_id)
        .await?
        .map_or_else(|| member_id.to_string(), |m| m.name))
}

fn written_now() -> chrono::DateTime<Utc> {
    Utc::now().trunc_subsecs(6)
}

/// Waits for search to include the change and redirects, remembering the write.
pub(super) async fn saved(state: &AppState, committed: Committed, to: &str) -> Response {
    committed.searchable(SEARCHABLE_WITHIN).await;
    let mut response = Redirect::to(to).into_response();
    if let Some(cookie) = fresh::remember(&committed, state.config.is_https()) {
        response.headers_mut().append(header::SET_COOKIE, cookie);
    }
    response
}

// ---- A new thread ----

fn new_thread_page(state: &AppState, group: &Group, form: &FormState, csrf: &str) -> Markup {
    let path = format!("{}/ny-trad", hallbar_index::paths::group(&group.id));
    let group_url = hallbar_index::paths::group(&group.id);
    let meta = discussion_page(state, &path, "Ny tråd");
    let group_ref = GroupRef {
        name: &group.name,
        url: &group_url,
    };
    pages::new_thread(&meta, &group_ref, &path, form, csrf)
}

async fn new_form(
    State(state): State<AppState>,
    user: MaybeUser,
    uri: OriginalUri,
    Path(group_id): Path<String>,
    Csrf(csrf): Csrf,
) -> Result<Response, AppError> {
    let reading = writing(&state, &user, &group_id, &uri).await?;
    Ok(uncached(
        StatusCode::OK,
        new_thread_page(&state, &reading.group, &FormState::new(), &csrf),
    ))
}

async fn create(
    State(state): State<AppState>,
    user: MaybeUser,
    uri: OriginalUri,
    Path(group_id): Path<String>,
    Csrf(csrf): Csrf,
    FormInput(mut form): FormInput,
) -> Result<Response, AppError> {
    let reading = writing(&state, &user, &group_id, &uri).await?;
    let title = form.value("rubrik").trim().to_string();
    if title.is_empty() {
        form.add_error("rubrik", "Skriv en rubrik");
    } else if title.chars().count() > MAX_TITLE_CHARS {
        form.add_error("rubrik", "Rubriken får vara högst 200 tecken");
    } else if title.chars().any(char::is_control) {
        form.add_error(
            "rubrik",
            "Rubriken får inte innehålla radbrytningar eller kontrolltecken",
        );
    }
    let text = post_text(&mut form);
    if form.has_errors() {
        return Ok(failed(new_thread_page(
            &state,
            &reading.group,
            &form,
            &csrf,
        )));
    }
    let mut change = state.writes().begin().await?;
    // The group may have gone, or the writer left it, since the form was read.
    if !db::groups::is_member(
        &mut change,
        reading.group.id.as_str(),
        reading.user.member.as_str(),
    )
    .await?
    {
        return Err(AppError::Forbidden);
    }
    let head = ThreadHead {
        id: threads::free_id(&mut change, &title).await?,
        group: reading.group.id.clone(),
        title,
    };
    threads::create(
        &mut change,
        &head,
        reading.user.member.as_str(),
        written_now(),
        &text,
    )
    .await?;
    let to = hallbar_index::paths::thread(&head.group, &head.id);
    notify(&mut change, &reading, &head, &to, &text, true).await?;
    let committed = change.commit().await?;
    Ok(saved(&state, committed, &to).await)
}

// ---- A thread ----

/// The page `?sida=` asks for (1 when absent); `None` when it is no page number.
fn requested_page(query: Option<&str>) -> Option<usize> {
    let mut page = 1;
    for (name, value) in form_urlencoded::parse(query.unwrap_or_default().as_bytes()) {
        if name == "sida" {
            page = value.parse().ok().filter(|n| *n >= 1)?;
        }
    }
    Some(page)
}

async fn thread_page(
    state: &AppState,
    reading: &Reading,
    thread: &ThreadHead,
    page_number: usize,
    form: &FormState,
    csrf: &str,
    notice: Option<&str>,
) -> Result<Markup, AppError> {
    let per_page = hallbar_index::paths::POSTS_PER_PAGE;
    let mut conn = state.db.acquire().await?;
    let total =
        usize::try_from(threads::post_count(&mut conn, thread.id.as_str()).await?).unwrap_or(0);
    let pages = total.div_ceil(per_page).max(1);
    if page_number > pages {
        return Err(AppError::NotFound);
    }
    let offset = (page_number - 1) * per_page;
    let stored = threads::posts_page(&mut conn, thread.id.as_str(), offset, per_page).await?;
    let locked = threads::is_locked(&mut conn, thread.id.as_str()).await?;
    // Readers are logged-in members, who may see every existing profile: a mention links
    // when its member exists.
    // Each distinct id is looked up once (misses too), and only the first few of a post
    // count: thousands of `@x` must not cost thousands of queries.
    let mut known = std::collections::HashSet::new();
    let mut looked_up = std::collections::HashSet::new();
    for post in &stored {
        let ids = hallbar_index::mentions::mentions_in(&post.text);
        for id in ids.iter().take(MAX_MENTIONS) {
            if looked_up.insert(id.to_string())
                && db::members::exists(&mut conn, id.as_str()).await?
            {
                known.insert(id.to_string());
            }
        }
    }
    drop(conn);
    let linkable = |id: &str| known.contains(id);
    let url = hallbar_index::paths::thread(&thread.group, &thread.id);
    let posts = stored
        .iter()
        .enumerate()
        .map(|(i, p)| PostView {
            number: offset + i + 1,
            author_name: p
                .author_name
                .clone()
                .unwrap_or_else(|| p.author.to_string()),
            author_url: p
                .author_name
                .as_ref()
                .map(|_| hallbar_index::paths::member(&p.author)),
            created: p.created,
            edited: p.edited_at.and_then(|at| Utc.timestamp_opt(at, 0).single()),
            html: if p.hidden {
                maud::html! {}
            } else {
                post_to_html(&p.text, &linkable)
            },
            own: (p.author == reading.user.member && !p.hidden).then(|| {
                (
                    format!("{url}/inlagg/{}/redigera", p.id),
                    format!("{url}/inlagg/{}/ta-bort", p.id),
                )
            }),
            hidden: p.hidden,
            report: (p.author != reading.user.member && !p.hidden)
                .then(|| format!("{url}/inlagg/{}/anmal", p.id)),
        })
        .collect();
    let path = if page_number > 1 {
        format!("{url}?sida={page_number}")
    } else {
        url.clone()
    };
    let group_url = hallbar_index::paths::group(&reading.group.id);
    let unlock = format!("/moderering/tradar/{}/las-upp", thread.id);
    let view = ThreadView {
        group: GroupRef {
            name: &reading.group.name,
            url: &group_url,
        },
        title: &thread.title,
        url: &url,
        posts,
        total,
        page: page_number,
        pages,
        reply: if locked {
            Reply::Locked {
                unlock: reading.moderates.then_some(unlock.as_str()),
            }
        } else if reading.member {
            Reply::Form {
                action: &url,
                form,
                csrf,
            }
        } else {
            Reply::MembersOnly
        },
        notice,
    };
    let meta = discussion_page(state, &path, &thread.title);
    Ok(pages::thread(&meta, &view))
}

async fn show(
    State(state): State<AppState>,
    user: MaybeUser,
    uri: OriginalUri,
    Path((group_id, thread_id)): Path<(String, String)>,
    RawQuery(query): RawQuery,
    Csrf(csrf): Csrf,
    session: Option<axum::Extension<super::session::CurrentSession>>,
) -> Result<Response, AppError> {
    let mut reading = reading(&state, &user, &group_id, &uri).await?;
    reading.moderates |= super::moderation::is_admin(session.as_ref().map(|s| &s.0));
    let thread = thread_in(&state, &reading.group, &thread_id).await?;
    let number = requested_page(query.as_deref()).ok_or(AppError::NotFound)?;
    let reported = form_urlencoded::parse(query.unwrap_or_default().as_bytes())
        .any(|(name, _)| name == "anmalt");
    let notice = reported.then_some("Tack! Din anmälan är skickad till moderatorerna.");
    let markup = thread_page(
        &state,
        &reading,
        &thread,
        number,
        &FormState::new(),
        &csrf,
        notice,
    )
    .await?;
    Ok(uncached(StatusCode::OK, markup))
}

async fn reply(
    State(state): State<AppState>,
    user: MaybeUser,
    uri: OriginalUri,
    Path((group_id, thread_id)): Path<(String, String)>,
    Csrf(csrf): Csrf,
    FormInput(mut form): FormInput,
) -> Result<Response, AppError> {
    let reading = writing(&state, &user, &group_id, &uri).await?;
    let thread = thread_in(&state, &reading.group, &thread_id).await?;
    let text = post_text(&mut form);
    let mut conn = state.db.acquire().await?;
    let count = threads::post_count(&mut conn, thread.id.as_str()).await?;
    let locked = threads::is_locked(&mut conn, thread.id.as_str()).await?;
    drop(conn);
    let per_page = hallbar_index::paths::POSTS_PER_PAGE;
    let last_page = usize::try_from(count)
        .unwrap_or(0)
        .div_ceil(per_page)
        .max(1);
    if locked {
        // The page says so where the reply form was.
        let markup = thread_page(&state, &reading, &thread, last_page, &form, &csrf, None).await?;
        return Ok(failed(markup));
    }
    if usize::try_from(count).unwrap_or(usize::MAX) >= hallbar_index::MAX_POSTS {
        form.add_error(
            "inlagg",
            "Tråden är full; starta en ny tråd i gruppen för att fortsätta samtalet",
        );
    }
    if form.has_errors() {
        let markup = thread_page(&state, &reading, &thread, last_page, &form, &csrf, None).await?;
        return Ok(failed(markup));
    }
    let mut change = state.writes().begin().await?;
    if !db::groups::is_member(
        &mut change,
        reading.group.id.as_str(),
        reading.user.member.as_str(),
    )
    .await?
        || threads::head(&mut change, thread.id.as_str())
            .await?
            .is_none()
    {
        return Err(AppError::Forbidden);
    }
    if threads::is_locked(&mut change, thread.id.as_str()).await? {
        drop(change);
        let markup = thread_page(&state, &reading, &thread, last_page, &form, &csrf, None).await?;
        return Ok(failed(markup));
    }
    threads::add_post(
        &mut change,
        thread.id.as_str(),
        reading.user.member.as_str(),
        written_now(),
        &text,
    )
    .await?;
    let rank = usize::try_from(count).unwrap_or(0);
    let to = hallbar_index::paths::post(&thread.group, &thread.id, rank);
    notify(&mut change, &reading, &thread, &to, &text, false).await?;
    let committed = change.commit().await?;
    Ok(saved(&state, committed, &to).await)
}

// ---- Editing and deleting one's own post ----

fn edit_page(
    state: &AppState,
    thread: &ThreadHead,
    post: &StoredPost,
    form: &FormState,
    csrf: &str,
) -> Markup {
    let back = hallbar_index::paths::thread(&thread.group, &thread.id);
    let action = format!("{back}/inlagg/{}/redigera", post.id);
    let meta = discussion_page(state, &action, "Redigera inlägget");
    pages::edit_post(&meta, &thread.title, &back, &action, form, csrf)
}

async fn edit_form(
    State(state): State<AppState>,
    user: MaybeUser,
    uri: OriginalUri,
    Path((group_id, thread_id, post_id)): Path<(String, String, String)>,
    Csrf(csrf): Csrf,
) -> Result<Response, AppError> {
    let reading = reading(&state, &user, &group_id, &uri).await?;
    let thread = thread_in(&state, &reading.group, &thread_id).await?;
    let post = own_post(&state, &reading, &thread, &post_id).await?;
    let mut form = FormState::new();
    form.set("inlagg", post.text.clone());
    Ok(uncached(
        StatusCode::OK,
        edit_page(&state, &thread, &post, &form, &csrf),
    ))
}

async fn edit(
    State(state): State<AppState>,
    user: MaybeUser,
    uri: OriginalUri,
    Path((group_id, thread_id, post_id)): Path<(String, String, String)>,
    Csrf(csrf): Csrf,
    FormInput(mut form): FormInput,
) -> Result<Response, AppError> {
    let reading = reading(&state, &user, &group_id, &uri).await?;
    let thread = thread_in(&state, &reading.group, &thread_id).await?;
    let post = own_post(&state, &reading, &thread, &post_id).await?;
    let text = post_text(&mut form);
    if form.has_errors() {
        return Ok(failed(edit_page(&state, &thread, &post, &form, &csrf)));
    }
    let mut change = state.writes().begin().await?;
    // Only a member of the group edits (one removed from it may still delete their posts),
    // and nothing in a locked thread changes.
    if !db::groups::is_member(
        &mut change,
        reading.group.id.as_str(),
        reading.user.member.as_str(),
    )
    .await?
        || threads::is_locked(&mut change, thread.id.as_str()).await?
    {
        return Err(AppError::Forbidden);
    }
    if !threads::edit_post(&mut change, &post, &text, super::session::now()).await? {
        return Err(AppError::NotFound);
    }
    let committed = change.commit().await?;
    let to = post_link(&state, &thread, &post).await?;
    Ok(saved(&state, committed, &to).await)
}

/// Where a post is shown in its thread (its page and anchor).
async fn post_link(
    state: &AppState,
    thread: &ThreadHead,
    post: &StoredPost,
) -> Result<String, AppError> {
    let mut conn = state.db.acquire().await?;
    let rank = threads::rank_of(&mut conn, post).await?;
    Ok(hallbar_index::paths::post(&thread.group, &thread.id, rank))
}

async fn delete_form(
    State(state): State<AppState>,
    user: MaybeUser,
    uri: OriginalUri,
    Path((group_id, thread_id, post_id)): Path<(String, String, String)>,
    Csrf(csrf): Csrf,
) -> Result<Response, AppError> {
    let reading = reading(&state, &user, &group_id, &uri).await?;
    let thread = thread_in(&state, &reading.group, &thread_id).await?;
    let post = own_post(&state, &reading, &thread, &post_id).await?;
    let back = hallbar_index::paths::thread(&thread.group, &thread.id);
    let action = format!("{back}/inlagg/{}/ta-bort", post.id);
    let meta = discussion_page(&state, &action, "Ta bort inlägget");
    let text = post_to_html(&post.text, &|_| false);
    Ok(uncached(
        StatusCode::OK,
        pages::delete_post(&meta, &thread.title, &back, &action, text, &csrf),
    ))
}

async fn delete(
    State(state): State<AppState>,
    user: MaybeUser,
    uri: OriginalUri,
    Path((group_id, thread_id, post_id)): Path<(String, String, String)>,
    FormInput(_form): FormInput,
) -> Result<Response, AppError> {
    let reading = reading(&state, &user, &group_id, &uri).await?;
    let thread = thread_in(&state, &reading.group, &thread_id).await?;
    let post = own_post(&state, &reading, &thread, &post_id).await?;
    let mut change = state.writes().begin().await?;
    if !threads::delete_post(&mut change, &post).await? {
        return Err(AppError::NotFound);
    }
    let left = threads::head(&mut change, thread.id.as_str())
        .await?
        .is_some();
    let committed = change.commit().await?;
    let to = if left {
        hallbar_index::paths::thread(&thread.group, &thread.id)
    } else {
        hallbar_index::paths::group(&thread.group)
    };
    Ok(saved(&state, committed, &to).await)
}
