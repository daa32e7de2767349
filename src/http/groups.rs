//! The network's groups: the searchable group list, with the viewer's own groups first,
//! and creating a group.

use std::time::Duration;

use axum::Router;
use axum::extract::{RawQuery, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use hallbar_index::{DocKind, Group, GroupAccess, Slug, Validate};
use hallbar_templates::Section;
use hallbar_templates::components::form::FormState;
use hallbar_templates::pages::groups::{self, DESCRIPTION_CHARS, GroupLine, NAME_CHARS};

use super::csrf::Csrf;
use super::form::{FormInput, failed};
use super::fresh;
use super::session::now;
use super::view::{SearchPage, SearchScope, page, uncached};
use super::{AppError, AppState, CurrentUser, MaybeUser};
use crate::db;

/// How long a new group may take to reach search before the answer goes anyway.
const SEARCHABLE_WITHIN: Duration = Duration::from_secs(3);

pub fn router() -> Router<AppState> {
    Router::new().route("/grupper", get(list))
}

/// The form and page of a new group (not searched, so outside the search limit).
pub fn forms() -> Router<AppState> {
    Router::new().route("/grupper/ny", get(new_form).post(create))
}

/// A group as the lists show it.
pub fn line_of(summary: &db::groups::Summary) -> GroupLine {
    GroupLine {
        id: summary.id.to_string(),
        name: summary.name.clone(),
        description: summary.description.clone(),
        closed: summary.access == GroupAccess::Closed,
        members: summary.members,
        latest: summary.latest.map(|t| t.format("%Y-%m-%d").to_string()),
    }
}

async fn list(
    State(state): State<AppState>,
    user: MaybeUser,
    RawQuery(raw): RawQuery,
) -> Result<Response, AppError> {
    let scope = SearchScope {
        action: "/grupper".to_string(),
        model: None,
        facets: &[],
        kind: Some(DocKind::Group),
    };
    let search = SearchPage::run(&state.search, raw.as_deref(), scope, user.viewer()).await?;
    let mut conn = state.db.acquire().await?;
    let notes: Vec<(String, String)> = db::groups::summaries(&mut conn)
        .await?
        .iter()
        .map(|s| (hallbar_index::paths::group(&s.id), line_of(s).note()))
        .collect();
    let mine: Vec<GroupLine> = match &user.0 {
        Some(member) => db::groups::of_member(&mut conn, member.member.as_str())
            .await?
            .iter()
            .map(line_of)
            .collect(),
        None => Vec::new(),
    };
    drop(conn);
    let meta = page(
        &state.config,
        "/grupper",
        "Grupper",
        "Grupperna i hallbars nätverk: medlemmar som samlas kring en fråga, ett område eller \
         ett projekt.",
    )
    .section(Section::Grupper);
    let mut view = search.view("Sök bland grupperna");
    view.notes = &notes;
    let markup = groups::groups(&meta, &view, &mine, user.is_logged_in());
    // A member's page holds their own groups: no cache may keep it.
    Ok(if user.is_logged_in() {
        uncached(StatusCode::OK, markup)
    } else {
        markup.into_response()
    })
}

fn new_page(state: &AppState) -> hallbar_templates::Page {
    page(
        &state.config,
        "/grupper/ny",
        "Skapa en grupp",
        "Skapa en grupp i hallbars nätverk.",
    )
    .section(Section::Grupper)
}

async fn new_form(State(state): State<AppState>, _user: CurrentUser, Csrf(csrf): Csrf) -> Response {
    let mut form = FormState::new();
    form.set("tillgang", "oppen");
    uncached(
        StatusCode::OK,
        groups::new_group(&new_page(&state), &form, &csrf),
    )
}

/// The group the form describes (its id still to be chosen); field messages are added to
/// the form.
fn group_from(form: &mut FormState, creator: &Slug) -> Group {
    let name = form.value("namn").trim().to_string();
    let description = form.value("beskrivning").trim().to_string();
    if name.is_empty() {
        form.add_error("namn", "Skriv gruppens namn");
    } else if name.chars().count() > NAME_CHARS {
        form.add_error("namn", format!("Namnet får vara högst {NAME_CHARS} tecken"));
    } else if name.chars().any(char::is_control) {
        form.add_error(
            "namn",
            "Namnet får inte innehålla radbrytningar eller kontrolltecken",
        );
    }
    if description.is_empty() {
        form.add_error("beskrivning", "Skriv en beskrivning av gruppen");
    } else if description.chars().count() > DESCRIPTION_CHARS {
        form.add_error(
            "beskrivning",
            "Beskrivningen får vara högst 5\u{a0}000 tecken",
        );
    }
    let access = match form.value("tillgang") {
        "oppen" => GroupAccess::Open,
        "stangd" => GroupAccess::Closed,
        _ => {
            form.add_error("tillgang", "Välj om gruppen är öppen eller stängd");
            GroupAccess::Open
        }
    };
    let district = match form.value("stadsdel") {
        "" => None,
        typed => match typed.parse() {
            Ok(district) => Some(district),
            Err(_) => {
                form.add_error("stadsdel", "Välj en stadsdel i listan");
                None
            }
        },
    };
    let topics = super::profile::tag_list(form.value("amnen"));
    let group = Group {
        id: creator.clone(),
        name,
        description,
        access,
        created: chrono::Utc::now().date_naive(),
        created_by: creator.clone(),
        members: vec![creator.clone()],
        district,
        topics,
    };
    for problem in group.validate() {
        if problem.field.starts_with("amnen") {
            form.add_error("amnen", format!("Ett ämne {}", problem.message));
        }
    }
    group
}

async fn create(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Csrf(csrf): Csrf,
    FormInput(mut form): FormInput,
) -> Result<Response, AppError> {
    let mut group = group_from(&mut form, &user.member);
    if form.has_errors() {
        return Ok(failed(groups::new_group(&new_page(&state), &form, &csrf)));
    }
    let mut change = state.writes().begin().await?;
    group.id = db::groups::free_id(&mut change, &group.name).await?;
    db::groups::create(&mut change, &group, now()).await?;
    let committed = change.commit().await?;
    committed.searchable(SEARCHABLE_WITHIN).await;
    let mut response = Redirect::to(&format!("/grupper/{}?klart=skapad", group.id)).into_response();
    if let Some(cookie) = fresh::remember(&committed, state.config.is_https()) {
        response.headers_mut().append(header::SET_COOKIE, cookie);
    }
    Ok(response)
}
