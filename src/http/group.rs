//! One group's page and what members do there: join, apply, leave, answer requests, and
//! (as the owner) hand over the group, appoint moderators and remove members.

use std::time::Duration;

use axum::Router;
use axum::extract::{RawQuery, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use hallbar_index::Group;
use hallbar_templates::Section;
use hallbar_templates::components::form::FormState;
use hallbar_templates::pages::group::{
    self as pages, GroupPage, MESSAGE_CHARS, MemberLine, RequestLine, Standing, ThreadLine,
};

use super::csrf::Csrf;
use super::extract::SitePath;
use super::form::{FormInput, failed};
use super::fresh;
use super::session::now;
use super::view::{description, page, uncached};
use super::{AppError, AppState, CurrentUser, MaybeUser};
use crate::db::{self, group_members::Departure, group_members::Role};

/// How long a change may take to reach search before the answer goes anyway.
const SEARCHABLE_WITHIN: Duration = Duration::from_secs(3);

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/grupper/{grupp}", get(show))
        .route("/grupper/{grupp}/medlemskap/{atgard}", post(own_action))
        .route(
            "/grupper/{grupp}/medlemskap/{medlem}/{atgard}",
            post(member_action),
        )
}

/// What a finished action says on the group's page (`?klart=…`).
fn notice(query: &str) -> Option<&'static str> {
    let value = query
        .split('&')
        .find_map(|pair| pair.strip_prefix("klart="))?;
    Some(match value {
        "skapad" => "Gruppen är skapad. Du är dess ägare.",
        "gick-med" => "Du är nu medlem i gruppen.",
        "ansokt" => "Din ansökan är skickad.",
        "lamnade" => "Du har lämnat gruppen.",
        "godkand" => "Ansökan är godkänd.",
        "avslagen" => "Ansökan är avslagen.",
        "ny-agare" => "Gruppen har en ny ägare.",
        "moderator" => "Medlemmen är nu moderator.",
        "inte-moderator" => "Medlemmen är inte längre moderator.",
        "borttagen" => "Medlemmen är borttagen ur gruppen.",
        _ => return None,
    })
}

/// The group, or 404.
async fn find(state: &AppState, id: &str) -> Result<Group, AppError> {
    let mut conn = state.db.acquire().await?;
    db::groups::get(&mut conn, id)
        .await?
        .ok_or(AppError::NotFound)
}

/// The group's page for this viewer, with `form` (the application's message) as given.
async fn render(
    state: &AppState,
    user: &MaybeUser,
    group: &Group,
    form: &FormState,
    csrf: &str,
    notice: Option<&str>,
) -> Result<maud::Markup, AppError> {
    let mut conn = state.db.acquire().await?;
    let id = group.id.as_str();
    let standing = match &user.0 {
        None => Standing::Visitor,
        Some(me) => match db::group_members::role(&mut conn, id, me.member.as_str()).await? {
            Some(Role::Owner) => Standing::Owner,
            Some(Role::Moderator) => Standing::Moderator,
            Some(Role::Member) => Standing::Member,
            None => Standing::Outsider {
                requested: db::group_members::has_requested(&mut conn, id, me.member.as_str())
                    .await?,
            },
        },
    };
    let in_group = matches!(
        standing,
        Standing::Owner | Standing::Moderator | Standing::Member
    );
    // An open group's content is for logged-in members, a closed group's for its own.
    let may_read = if group.is_closed() {
        in_group
    } else {
        user.is_logged_in()
    };
    let members: Option<Vec<MemberLine>> = if may_read {
        let list = db::group_members::list(&mut conn, id).await?;
        Some(
            list.into_iter()
                .map(|m| MemberLine {
                    id: m.member.to_string(),
                    name: m.name,
                    role: m.role.label(),
                })
                .collect(),
        )
    } else {
        None
    };
    let threads: Option<Vec<ThreadLine>> = if may_read {
        let list = db::groups::threads(&mut conn, id).await?;
        Some(
            list.into_iter()
                .map(|t| ThreadLine {
                    id: t.id.to_string(),
                    title: t.title,
                    posts: t.posts,
                    latest: t.latest.map(|l| l.format("%Y-%m-%d").to_string()),
                })
                .collect(),
        )
    } else {
        None
    };
    let requests: Vec<RequestLine> = if matches!(standing, Standing::Owner | Standing::Moderator) {
        db::group_members::requests(&mut conn, id)
            .await?
            .into_iter()
            .map(|r| RequestLine {
                id: r.member.to_string(),
                name: r.name,
                message: r.message,
            })
            .collect()
    } else {
        Vec::new()
    };
    drop(conn);
    let path = format!("/grupper/{id}");
    let meta = page(
        &state.config,
        &path,
        &group.name,
        &description(&group.description),
    )
    .section(Section::Grupper);
    let view = GroupPage {
        id,
        name: &group.name,
        description: &group.description,
        closed: group.is_closed(),
        district: group.district.map(|d| d.label()),
        topics: &group.topics,
        member_count: group.members.len(),
        standing,
        members: members.as_deref(),
        threads: threads.as_deref(),
        requests: &requests,
        notice,
    };
    Ok(pages::group(&meta, &view, form, csrf))
}

async fn show(
    State(state): State<AppState>,
    user: MaybeUser,
    Csrf(csrf): Csrf,
    SitePath(id): SitePath<String>,
    RawQuery(query): RawQuery,
) -> Result<Response, AppError> {
    let group = find(&state, &id).await?;
    let notice = notice(query.as_deref().unwrap_or_default());
    let markup = render(&state, &user, &group, &FormState::new(), &csrf, notice).await?;
    Ok(uncached(StatusCode::OK, markup))
}

/// Writes a change made through `write`, waits until search has it, and sends the browser
/// to `to`.
async fn done(
    state: &AppState,
    change: crate::write::Change,
    to: &str,
) -> Result<Response, AppError> {
    let committed = change.commit().await?;
    committed.searchable(SEARCHABLE_WITHIN).await;
    let mut response = Redirect::to(to).into_response();
    if let Some(cookie) = fresh::remember(&committed, state.config.is_https()) {
        response.headers_mut().append(header::SET_COOKIE, cookie);
    }
    Ok(response)
}

/// Joining, applying and leaving: what a member does about themselves.
async fn own_action(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Csrf(csrf): Csrf,
    SitePath((id, action)): SitePath<(String, String)>,
    FormInput(mut form): FormInput,
) -> Result<Response, AppError> {
    let me = user.member.as_str();
    let page_of = format!("/grupper/{id}");
    let mut change = state.writes().begin().await?;
    let group = db::groups::get(&mut change, &id)
        .await?
        .ok_or(AppError::NotFound)?;
    let role = db::group_members::role(&mut change, &id, me).await?;
    match action.as_str() {
        "ga-med" => {
            // A closed group is joined by applying, never directly.
            if group.is_closed() {
                return Err(AppError::Forbidden);
            }
            db::group_members::join(&mut change, &id, me, now()).await?;
            done(&state, change, &format!("{page_of}?klart=gick-med")).await
        }
        "ansok" => {
            if !group.is_closed() || role.is_some() {
                return Err(AppError::Forbidden);
            }
            let message = form.value("meddelande").trim().to_string();
            if message
                .chars()
                .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
            {
                form.add_error("meddelande", "Meddelandet innehåller otillåtna tecken");
            } else if message.chars().count() > MESSAGE_CHARS {
                form.add_error("meddelande", "Meddelandet får vara högst 1\u{a0}000 tecken");
            } else if !db::group_members::request(&mut change, &id, me, &message, now()).await? {
                form.add_error(
                    "meddelande",
                    "Du har redan ansökt om medlemskap i gruppen; vänta på svar",
                );
            }
            if form.has_errors() {
                drop(change);
                let user = MaybeUser(Some(user));
                let markup = render(&state, &user, &group, &form, &csrf, None).await?;
                return Ok(failed(markup));
            }
            let requester = db::members::get(&mut change, me)
                .await?
                .map_or_else(|| me.to_string(), |m| m.name);
            db::notifications::join_request(&mut change, &id, &group.name, &requester, now())
                .await?;
            done(&state, change, &format!("{page_of}?klart=ansokt")).await
        }
        "lamna" => match db::group_members::leave(&mut change, &id, me).await? {
            Departure::NotMember => Err(AppError::Forbidden),
            Departure::Deleted => done(&state, change, "/grupper").await,
            Departure::Left | Departure::NewOwner(_) => {
                done(&state, change, &format!("{page_of}?klart=lamnade")).await
            }
        },
        _ => Err(AppError::NotFound),
    }
}

/// Answering requests (owners and moderators) and managing members (the owner).
async fn member_action(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    SitePath((id, member, action)): SitePath<(String, String, String)>,
    FormInput(_form): FormInput,
) -> Result<Response, AppError> {
    let me = user.member.as_str();
    let page_of = format!("/grupper/{id}");
    let mut change = state.writes().begin().await?;
    if !db::groups::exists(&mut change, &id).await? {
        return Err(AppError::NotFound);
    }
    let Some(role) = db::group_members::role(&mut change, &id, me).await? else {
        return Err(AppError::Forbidden);
    };
    let notice = match action.as_str() {
        "godkann" | "avsla" => {
            if !role.moderates() {
                return Err(AppError::Forbidden);
            }
            let approve = action == "godkann";
            if !db::group_members::decide(&mut change, &id, &member, approve, now()).await? {
                return Err(AppError::NotFound);
            }
            let group_name = db::groups::get(&mut change, &id)
                .await?
                .map(|g| g.name)
                .unwrap_or_default();
            db::notifications::join_answered(
                &mut change,
                &id,
                &group_name,
                &member,
                approve,
                now(),
            )
            .await?;
            if approve { "godkand" } else { "avslagen" }
        }
        "agare" | "moderator" | "ta-bort-moderator" | "ta-bort" => {
            if role != Role::Owner {
                return Err(AppError::Forbidden);
            }
            // The owner is never the target: they hand over or leave instead.
            match db::group_members::role(&mut change, &id, &member).await? {
                None => return Err(AppError::NotFound),
                Some(Role::Owner) => return Err(AppError::Forbidden),
                Some(_) => {}
            }
            match action.as_str() {
                "agare" => {
                    db::group_members::hand_over(&mut change, &id, &member).await?;
                    "ny-agare"
                }
                "moderator" => {
                    db::group_members::set_moderator(&mut change, &id, &member, true).await?;
                    "moderator"
                }
                "ta-bort-moderator" => {
                    db::group_members::set_moderator(&mut change, &id, &member, false).await?;
                    "inte-moderator"
                }
                _ => {
                    db::group_members::leave(&mut change, &id, &member).await?;
                    "borttagen"
                }
            }
        }
        _ => return Err(AppError::NotFound),
    };
    done(&state, change, &format!("{page_of}?klart={notice}")).await
}
