//! The logged-in member's own pages: `/profil`, `/profil/redigera`, `/profil/losenord`,
//! `/profil/data` (everything held about them, as JSON) and `/profil/radera`.

use std::time::Duration;

use axum::Router;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use hallbar_index::{Link, Member, ProfileVisibility, Validate};
use hallbar_templates::Section;
use hallbar_templates::components::form::FormState;
use hallbar_templates::pages::profile as pages;

use super::csrf::Csrf;
use super::form::{FormInput, failed};
use super::fresh;
use super::session::{self, CurrentSession, now};
use super::throttle;
use super::view::page;
use super::{AppError, AppState, CurrentUser};
use crate::auth::password;
use crate::db::accounts::{self as account_rows, Account};
use crate::db::{self};

/// How long a saved change may take to reach search before the answer goes anyway.
const SEARCHABLE_WITHIN: Duration = Duration::from_secs(3);

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/profil", get(own))
        .route("/profil/redigera", get(edit_form).post(edit))
        .route("/profil/losenord", get(password_form).post(change_password))
        .route("/profil/data", get(data))
        .route("/profil/sammanfattning", axum::routing::post(set_digest))
        .route(
            "/sammanfattning/avsluta/{token}",
            get(unsubscribe_form).post(unsubscribe),
        )
        .route("/profil/radera", get(delete_form).post(delete))
}

use super::view::uncached;

fn own_page(state: &AppState, path: &str, title: &str) -> hallbar_templates::Page {
    page(
        &state.config,
        path,
        title,
        "Din profil och ditt konto på hallbar.",
    )
    .section(Section::Profil)
}

/// The logged-in member's profile and account (an in-process test's member may have no
/// account).
async fn mine(state: &AppState, user: &CurrentUser) -> Result<(Member, Option<Account>), AppError> {
    let mut conn = state.db.acquire().await?;
    let id = user.0.member.as_str();
    let member = db::members::get(&mut conn, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let account = account_rows::by_member(&mut conn, id).await?;
    Ok((member, account))
}

async fn own(
    State(state): State<AppState>,
    user: CurrentUser,
    Csrf(csrf): Csrf,
    RawQuery(query): RawQuery,
) -> Result<Response, AppError> {
    let (member, account) = mine(&state, &user).await?;
    let mut conn = state.db.acquire().await?;
    let digest = db::digests::frequency(&mut conn, member.id.as_str())
        .await?
        .map_or("av", |f| f.slug());
    drop(conn);
    let query = query.unwrap_or_default();
    let notice = if query.contains("sparad=1") {
        Some("Profilen är sparad.")
    } else if query.contains("sammanfattning=sparad") {
        Some("Valet av sammanfattning är sparat.")
    } else if query.contains("losenord=bytt") {
        Some("Lösenordet är bytt. Du är utloggad på alla andra enheter.")
    } else {
        None
    };
    let email = account.map_or_else(|| "–".to_string(), |a| a.email);
    let meta = own_page(&state, "/profil", "Min profil");
    Ok(uncached(
        StatusCode::OK,
        pages::own(&meta, &member, &email, notice, digest, &csrf),
    ))
}

// ---- Edit ----

/// The form filled with a profile.
fn form_of(member: &Member) -> FormState {
    let mut form = FormState::new();
    form.set("namn", member.name.clone());
    form.set("titel", member.title.clone());
    form.set("organisation", member.organisation.clone());
    form.set("sektor", member.sector.slug());
    form.set("stadsdel", member.district.slug());
    form.set("bakgrund", member.background.clone());
    form.set("kompetenser", member.competences.join(", "));
    form.set("intressen", member.interests.join(", "));
    let links: Vec<String> = member
        .links
        .iter()
        .map(|l| {
            if l.title == l.url {
                l.url.clone()
            } else {
                format!("{} {}", l.title, l.url)
            }
        })
        .collect();
    form.set("lankar", links.join("\n"));
    form.set("synlighet", member.visibility.slug());
    form
}

/// A comma-separated list as typed: each item trimmed with its inner spaces collapsed,
/// empty ones dropped, and the same item in other letter case or spacing kept once (as
/// first written).
pub fn tag_list(typed: &str) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    typed
        .split([',', '\n', ';'])
        .map(hallbar_index::normalise_competence)
        .filter(|item| !item.is_empty())
        .filter(|item| seen.insert(hallbar_index::competence_key(item)))
        .collect()
}

/// Links as typed, one per line: an address, optionally after a title.
fn links_of(typed: &str) -> Vec<Link> {
    typed
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .map(|line| match line.rsplit_once(char::is_whitespace) {
            Some((title, url)) => Link {
                title: title.trim().to_string(),
                url: url.to_string(),
            },
            None => Link {
                title: line.to_string(),
                url: line.to_string(),
            },
        })
        .collect()
}

/// The form's field for a field of the profile's rules (`kompetenser[2]` → `kompetenser`).
fn form_field(rule_field: &str) -> &str {
    let end = rule_field.find(['[', '.']).unwrap_or(rule_field.len());
    match &rule_field[..end] {
        "namn" => "namn",
        "titel" => "titel",
        "organisation" => "organisation",
        "bakgrund" => "bakgrund",
        "kompetenser" => "kompetenser",
        "intressen" => "intressen",
        "lankar" => "lankar",
        _ => "namn",
    }
}

/// What a field is called in messages.
fn label_of(field: &str) -> &'static str {
    match field {
        "titel" => "Titeln",
        "organisation" => "Organisationen",
        "bakgrund" => "Bakgrunden",
        "kompetenser" => "En kompetens",
        "intressen" => "Ett intresse",
        "lankar" => "En länk",
        _ => "Namnet",
    }
}

/// The profile the form describes, keeping what the form does not change; field messages
/// are added to the form.
fn profile_from(form: &mut FormState, current: &Member) -> Member {
    let text = |name: &str| form.value(name).trim().to_string();
    let mut member = current.clone();
    member.name = text("namn");
    member.title = text("titel");
    member.organisation = text("organisation");
    member.background = form.value("bakgrund").trim_end().to_string();
    member.competences = tag_list(form.value("kompetenser"));
    member.interests = tag_list(form.value("intressen"));
    member.links = links_of(form.value("lankar"));
    match form.value("sektor").parse() {
        Ok(sector) => member.sector = sector,
        Err(_) => form.add_error("sektor", "Välj en sektor i listan"),
    }
    match form.value("stadsdel").parse() {
        Ok(district) => member.district = district,
        Err(_) => form.add_error("stadsdel", "Välj en stadsdel i listan"),
    }
    match form.value("synlighet") {
        "publik" => member.visibility = ProfileVisibility::Public,
        "medlemmar" => member.visibility = ProfileVisibility::Members,
        _ => form.add_error("synlighet", "Välj vem som får se profilen"),
    }
    if member.name.is_empty() {
        form.add_error("namn", "Skriv ditt namn");
    }
    // One-line fields: no line breaks or other control characters.
    for (field, value) in [
        ("namn", &member.name),
        ("titel", &member.title),
        ("organisation", &member.organisation),
    ] {
        if value.chars().any(char::is_control) {
            form.add_error(
                field,
                format!(
                    "{} får inte innehålla radbrytningar eller kontrolltecken",
                    label_of(field)
                ),
            );
        }
    }
    for problem in member.validate() {
        let field = form_field(&problem.field);
        form.add_error(field, format!("{} {}", label_of(field), problem.message));
    }
    member
}

async fn edit_form(
    State(state): State<AppState>,
    user: CurrentUser,
    Csrf(csrf): Csrf,
) -> Result<Response, AppError> {
    let (member, _) = mine(&state, &user).await?;
    let meta = own_page(&state, "/profil/redigera", "Redigera profilen").with_competence_script();
    Ok(uncached(
        StatusCode::OK,
        pages::edit(&meta, &form_of(&member), &csrf),
    ))
}

async fn edit(
    State(state): State<AppState>,
    user: CurrentUser,
    Csrf(csrf): Csrf,
    FormInput(mut form): FormInput,
) -> Result<Response, AppError> {
    let (current, _) = mine(&state, &user).await?;
    let member = profile_from(&mut form, &current);
    if form.has_errors() {
        let meta =
            own_page(&state, "/profil/redigera", "Redigera profilen").with_competence_script();
        return Ok(failed(pages::edit(&meta, &form, &csrf)));
    }
    let mut change = state.writes().begin().await?;
    // Saved only while the profile still exists (a deletion in another tab wins).
    if !db::members::update(&mut change, &member).await? {
        return Err(AppError::NotFound);
    }
    let committed = change.commit().await?;
    committed.searchable(SEARCHABLE_WITHIN).await;
    let mut response = Redirect::to("/profil?sparad=1").into_response();
    if let Some(cookie) = fresh::remember(&committed, state.config.is_https()) {
        response.headers_mut().append(header::SET_COOKIE, cookie);
    }
    Ok(response)
}

// ---- Password ----

async fn password_form(
    State(state): State<AppState>,
    _user: CurrentUser,
    Csrf(csrf): Csrf,
) -> Response {
    let meta = own_page(&state, "/profil/losenord", "Byt lösenord");
    uncached(
        StatusCode::OK,
        pages::change_password(&meta, &FormState::new(), &csrf),
    )
}

/// Checks `typed` against the account's password, counted in the account's login limit
/// (so these forms cannot be used to guess it faster than the login page).
async fn password_matches(
    state: &AppState,
    account: &Account,
    typed: &str,
) -> Result<bool, AppError> {
    throttle::attempt(
        &state.db,
        throttle::LOGIN_PER_ACCOUNT,
        &account.email_key,
        now(),
    )
    .await?;
    Ok(match account.password_hash.as_deref() {
        Some(hash) if typed.chars().count() <= password::MAX_CHARS => {
            state.hasher.verify(typed, hash).await
        }
        _ => {
            state.hasher.verify_dummy(typed).await;
            false
        }
    })
}

async fn change_password(
    State(state): State<AppState>,
    user: CurrentUser,
    Csrf(csrf): Csrf,
    FormInput(mut form): FormInput,
) -> Result<Response, AppError> {
    let meta = own_page(&state, "/profil/losenord", "Byt lösenord");
    let (_, account) = mine(&state, &user).await?;
    let account = account.ok_or(AppError::Forbidden)?;
    let current = form.value("nuvarande").to_string();
    let new = form.value("losenord").to_string();
    if current.is_empty() {
        form.add_error("nuvarande", "Skriv ditt nuvarande lösenord");
    } else if !password_matches(&state, &account, &current).await? {
        form.add_error("nuvarande", "Det nuvarande lösenordet stämmer inte");
    }
    if new.is_empty() {
        form.add_error("losenord", "Välj ett nytt lösenord");
    } else if let Err(problem) = password::check_new(&new) {
        form.add_error("losenord", problem.to_string());
    }
    if form.has_errors() {
        return Ok(failed(pages::change_password(&meta, &form, &csrf)));
    }
    let hash = state.hasher.hash(&new).await.map_err(anyhow::Error::from)?;
    let mut conn = state.db.acquire().await?;
    account_rows::set_password(&mut conn, account.id, &hash).await?;
    crate::db::account_links::void_password_links(&mut conn, account.id, now()).await?;
    // Every session ends, this one too; this browser gets a new one at once.
    db::sessions::delete_for_account(&mut conn, account.id).await?;
    drop(conn);
    let cookie = session::start(&state, account.id).await?;
    let mut response = Redirect::to("/profil?losenord=bytt").into_response();
    response.headers_mut().append(header::SET_COOKIE, cookie);
    Ok(response)
}

// ---- Data export ----

async fn data(State(state): State<AppState>, user: CurrentUser) -> Result<Response, AppError> {
    let (member, account) = mine(&state, &user).await?;
    let mut conn = state.db.acquire().await?;
    let sessions = match &account {
        Some(a) => db::sessions::of_account(&mut conn, a.id).await?,
        None => Vec::new(),
    };
    let (groups, posts) = db::members::activity(&mut conn, member.id.as_str()).await?;
    let proposals: Vec<serde_json::Value> = db::proposals::of_member(&mut conn, member.id.as_str())
        .await?
        .into_iter()
        .map(|p| {
            serde_json::json!({
                "typ": p.kind,
                "modell": p.model_id,
                "innehall": p.entity_id,
                "forslag": serde_json::from_str::<serde_json::Value>(&p.body)
                    .unwrap_or(serde_json::Value::String(p.body)),
                "meddelande": p.message,
                "status": p.status.slug(),
                "anledning": p.reason,
                "skickat": p.created_at,
            })
        })
        .collect();
    let edits = match &account {
        Some(a) => db::editors::models_of(&mut conn, a.id).await?,
        None => Vec::new(),
    };
    let account_json = account.as_ref().map(|a| {
        serde_json::json!({
            "epost": a.email,
            "namn": a.name,
            "roll": a.role.slug(),
            "skapat": a.created_at,
            "bekraftat": a.verified_at,
            "har_losenord": a.password_hash.is_some(),
        })
    });
    let body = serde_json::json!({
        "beskrivning": "Allt hallbar har sparat om dig. Tider är sekunder sedan 1970-01-01 UTC.",
        "konto": account_json,
        "profil": member,
        "inloggningar": sessions,
        "grupper": groups,
        "inlagg": posts,
        "forslag": proposals,
        "redaktor_for": edits,
    });
    let text =
        serde_json::to_string_pretty(&body).map_err(|e| AppError::Internal(anyhow::anyhow!(e)))?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json; charset=utf-8"),
            ),
            (
                header::CONTENT_DISPOSITION,
                HeaderValue::from_static("attachment; filename=\"mina-uppgifter-hallbar.json\""),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        text,
    )
        .into_response())
}

// ---- Delete ----

async fn delete_form(
    State(state): State<AppState>,
    _user: CurrentUser,
    Csrf(csrf): Csrf,
) -> Response {
    let meta = own_page(&state, "/profil/radera", "Radera kontot");
    uncached(
        StatusCode::OK,
        pages::delete(&meta, &FormState::new(), &csrf),
    )
}

async fn delete(
    State(state): State<AppState>,
    user: CurrentUser,
    Csrf(csrf): Csrf,
    session: Option<axum::Extension<CurrentSession>>,
    FormInput(mut form): FormInput,
) -> Result<Response, AppError> {
    let meta = own_page(&state, "/profil/radera", "Radera kontot");
    let (member, account) = mine(&state, &user).await?;
    let account = account.ok_or(AppError::Forbidden)?;
    let typed = form.value("losenord").to_string();
    if typed.is_empty() {
        form.add_error("losenord", "Skriv ditt lösenord för att bekräfta");
    } else if !password_matches(&state, &account, &typed).await? {
        form.add_error("losenord", "Lösenordet stämmer inte");
    }
    if form.has_errors() {
        return Ok(failed(pages::delete(&meta, &form, &csrf)));
    }
    let mut change = state.writes().begin().await?;
    db::members::delete(&mut change, member.id.as_str()).await?;
    account_rows::delete(&mut change, account.id).await?;
    let committed = change.commit().await?;
    committed.searchable(SEARCHABLE_WITHIN).await;
    drop(session);
    let meta = page(
        &state.config,
        "/profil/radera",
        "Ditt konto är raderat",
        "Kontot är raderat.",
    );
    let mut response = uncached(StatusCode::OK, pages::deleted(&meta.account(None)));
    let headers = response.headers_mut();
    headers.append(header::SET_COOKIE, session::end_cookie(&state.config));
    if let Some(cookie) = fresh::remember(&committed, state.config.is_https()) {
        headers.append(header::SET_COOKIE, cookie);
    }
    Ok(response)
}

// ---- E-mail digest ----

async fn set_digest(
    State(state): State<AppState>,
    user: CurrentUser,
    FormInput(form): FormInput,
) -> Result<Response, AppError> {
    let choice = match form.value("sammanfattning") {
        "av" => None,
        other => Some(db::digests::Frequency::from_slug(other).ok_or_else(|| {
            AppError::invalid("sammanfattning", "välj ingen, varje dag eller varje vecka")
        })?),
    };
    let mut conn = state.db.acquire().await?;
    db::digests::set(&mut conn, user.0.member.as_str(), choice, now()).await?;
    Ok(Redirect::to("/profil?sammanfattning=sparad").into_response())
}

/// The member a mailed unsubscribe token belongs to.
async fn unsubscriber(state: &AppState, token: &str) -> Result<String, AppError> {
    if !crate::auth::tokens::well_formed(token) {
        return Err(AppError::NotFound);
    }
    let mut conn = state.db.acquire().await?;
    db::digests::unsubscriber(&mut conn, &crate::auth::tokens::hash(token))
        .await?
        .ok_or(AppError::NotFound)
}

async fn unsubscribe_form(
    State(state): State<AppState>,
    Csrf(csrf): Csrf,
    super::extract::SitePath(token): super::extract::SitePath<String>,
) -> Result<Response, AppError> {
    unsubscriber(&state, &token).await?;
    let path = crate::digest::unsubscribe_path(&token);
    let meta = page(
        &state.config,
        &path,
        "Avsluta sammanfattningen",
        "Sluta få sammanfattningar via e-post.",
    );
    Ok(uncached(
        StatusCode::OK,
        pages::unsubscribe(&meta, &path, &csrf),
    ))
}

async fn unsubscribe(
    State(state): State<AppState>,
    super::extract::SitePath(token): super::extract::SitePath<String>,
    FormInput(_form): FormInput,
) -> Result<Response, AppError> {
    let member = unsubscriber(&state, &token).await?;
    let mut conn = state.db.acquire().await?;
    db::digests::set(&mut conn, &member, None, now()).await?;
    let meta = page(
        &state.config,
        "/sammanfattning/avsluta",
        "Sammanfattningen är avslutad",
        "Sammanfattningen är avslutad.",
    );
    Ok(uncached(StatusCode::OK, pages::unsubscribed(&meta)))
}
