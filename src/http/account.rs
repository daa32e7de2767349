//! Joining and logging in: `/registrera`, `/verifiera/…`, `/logga-in`, `/logga-ut`,
//! `/glomt-losenord` and `/aterstall/…`.

use std::time::Duration;

use axum::Router;
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use hallbar_templates::Section;
use hallbar_templates::components::form::FormState;
use hallbar_templates::pages::account as pages;
use maud::Markup;
use serde::Deserialize;

use super::csrf::Csrf;
use super::extract::SitePath;
use super::form::{FormInput, failed};
use super::session::{self, CurrentSession, now};
use super::throttle::{self, ClientKey};
use super::view::page;
use super::viewer::site_path;
use super::{AppError, AppState};
use crate::accounts;
use crate::auth::{email, password, tokens};
use crate::db::account_links::{self, Purpose};
use crate::db::accounts::{self as account_rows, NewAccount};
use crate::db::{self};

/// How long a saved change may take to reach search before the answer goes anyway.
const SEARCHABLE_WITHIN: Duration = Duration::from_secs(3);

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/registrera", get(register_form).post(register))
        .route("/verifiera/{token}", get(verify_form).post(verify))
        .route("/logga-in", get(login_form).post(login))
        .route("/logga-ut", axum::routing::post(logout))
        .route("/glomt-losenord", get(forgot_form).post(forgot))
        .route("/aterstall/{token}", get(reset_form).post(reset))
        .route("/villkor", get(terms))
        .route("/integritetspolicy", get(privacy))
}

/// Pages with forms must not be kept by caches (their token belongs to one visitor).
use super::view::uncached;

fn form_page(
    state: &AppState,
    path: &str,
    title: &str,
    description: &str,
) -> hallbar_templates::Page {
    page(&state.config, path, title, description).section(Section::LoggaIn)
}

/// A name as typed: trimmed, 1–200 characters, no control characters.
fn check_name(form: &mut FormState, field: &str) -> String {
    let name = form.value(field).trim().to_string();
    if name.is_empty() {
        form.add_error(field, "Skriv ditt namn");
    } else if name.chars().count() > 200 {
        form.add_error(field, "Namnet får vara högst 200 tecken");
    } else if name.chars().any(char::is_control) {
        form.add_error(
            field,
            "Namnet får inte innehålla radbrytningar eller kontrolltecken",
        );
    }
    name
}

/// A new password as typed, checked against the rules; the message goes to `field`.
fn check_new_password(form: &mut FormState, field: &str) -> String {
    let typed = form.value(field).to_string();
    if typed.is_empty() {
        form.add_error(field, "Välj ett lösenord");
    } else if let Err(problem) = password::check_new(&typed) {
        form.add_error(field, problem.to_string());
    }
    typed
}

fn register_page(state: &AppState) -> hallbar_templates::Page {
    form_page(
        state,
        "/registrera",
        "Skapa konto",
        "Bli medlem i hallbars nätverk.",
    )
}

fn forgot_page(state: &AppState) -> hallbar_templates::Page {
    form_page(
        state,
        "/glomt-losenord",
        "Glömt lösenordet",
        "Få en länk för att välja ett nytt lösenord.",
    )
}

fn login_page(state: &AppState) -> hallbar_templates::Page {
    form_page(
        state,
        "/logga-in",
        "Logga in",
        "Logga in som medlem i hallbar.",
    )
}

fn verify_page(state: &AppState) -> hallbar_templates::Page {
    form_page(
        state,
        "/verifiera",
        "Bekräfta e-postadressen",
        "Bekräfta din e-postadress.",
    )
}

fn reset_page(state: &AppState) -> hallbar_templates::Page {
    form_page(
        state,
        "/aterstall",
        "Välj ett nytt lösenord",
        "Välj ett nytt lösenord.",
    )
}

// ---- Register ----

async fn register_form(State(state): State<AppState>, Csrf(csrf): Csrf) -> Response {
    let meta = register_page(&state);
    uncached(
        StatusCode::OK,
        pages::register(&meta, &FormState::new(), &csrf),
    )
}

async fn register(
    State(state): State<AppState>,
    ClientKey(client): ClientKey,
    Csrf(csrf): Csrf,
    FormInput(mut form): FormInput,
) -> Result<Response, AppError> {
    let meta = register_page(&state);
    let name = check_name(&mut form, "namn");
    let address = match email::parse(form.value("epost")) {
        Ok(address) => Some(address),
        Err(problem) => {
            form.add_error("epost", problem.to_string());
            None
        }
    };
    let typed_password = check_new_password(&mut form, "losenord");
    if !form.is_chosen("villkor", "ja") {
        form.add_error(
            "villkor",
            "Du behöver godkänna villkoren och ha läst integritetspolicyn för att skapa ett konto",
        );
    }
    let now = now();
    throttle::attempt(&state.db, throttle::REGISTER_PER_CLIENT, &client, now).await?;
    let (Some(address), false) = (address, form.has_errors()) else {
        return Ok(failed(pages::register(&meta, &form, &csrf)));
    };
    let key = email::key(&address);
    // The verification mail must be allowed before anything is stored.
    if !throttle::has_room(&state.db, throttle::MAIL_PER_ADDRESS, &key, now).await? {
        return Err(AppError::TooManyAttempts {
            minutes: (throttle::MAIL_PER_ADDRESS.window + 59) / 60,
        });
    }
    let hash = state
        .hasher
        .hash(&typed_password)
        .await
        .map_err(anyhow::Error::from)?;
    let mut conn = state.db.acquire().await?;
    // Addresses registered but never verified are free again once their links expired.
    account_rows::forget_unverified(&mut conn, now - accounts::link_lifetime(Purpose::Verify))
        .await?;
    let created = account_rows::create(
        &mut conn,
        &NewAccount {
            email: &address,
            email_key: &key,
            name: &name,
            password_hash: Some(&hash),
            member_id: None,
            verified_at: None,
            now,
        },
    )
    .await?;
    let Some(account_id) = created else {
        form.add_error(
            "epost",
            "Det finns redan ett konto med den e-postadressen. Logga in, eller välj Glömt \
             lösenordet om du inte kommer ihåg det.",
        );
        return Ok(failed(pages::register(&meta, &form, &csrf)));
    };
    let account = account_rows::by_id(&mut conn, account_id)
        .await?
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("det nya kontot försvann")))?;
    let token = accounts::issue_link(&mut conn, account_id, Purpose::Verify, now).await?;
    drop(conn);
    throttle::attempt(&state.db, throttle::MAIL_PER_ADDRESS, &key, now).await?;
    send_in_background(
        &state,
        accounts::link_mail(&state.config, &account, Purpose::Verify, &token),
    );
    let meta = form_page(
        &state,
        "/registrera",
        "Bekräfta din e-postadress",
        "Ett mejl är på väg.",
    );
    Ok(uncached(StatusCode::OK, pages::registered(&meta, &address)))
}

/// Sends a mail without making the answer wait for it (nor depend on it in time: the
/// same answer comes as fast whether or not a mail goes). A failure is logged.
fn send_in_background(state: &AppState, mail: crate::mail::Mail) {
    let mailer = state.mailer.clone();
    tokio::spawn(async move {
        if let Err(e) = mailer.send(mail).await {
            tracing::error!(error = %e, "ett mejl kunde inte skickas");
        }
    });
}

// ---- Verify ----

/// A token from the path, when it has a token's shape.
fn token_of(text: &str) -> Option<String> {
    tokens::well_formed(text).then(|| text.to_string())
}

async fn verify_form(
    State(state): State<AppState>,
    Csrf(csrf): Csrf,
    SitePath(token): SitePath<String>,
) -> Result<Response, AppError> {
    let meta = verify_page(&state);
    let Some(token) = token_of(&token) else {
        return Ok(uncached(StatusCode::NOT_FOUND, pages::link_invalid(&meta)));
    };
    let mut conn = state.db.acquire().await?;
    let usable = account_links::peek(&mut conn, &tokens::hash(&token), &[Purpose::Verify], now())
        .await?
        .is_some();
    if !usable {
        return Ok(uncached(StatusCode::NOT_FOUND, pages::link_invalid(&meta)));
    }
    Ok(uncached(
        StatusCode::OK,
        pages::verify(&meta, &format!("/verifiera/{token}"), &csrf),
    ))
}

async fn verify(
    State(state): State<AppState>,
    SitePath(token): SitePath<String>,
    FormInput(_form): FormInput,
) -> Result<Response, AppError> {
    let meta = verify_page(&state);
    let Some(token) = token_of(&token) else {
        return Ok(uncached(StatusCode::NOT_FOUND, pages::link_invalid(&meta)));
    };
    let now = now();
    let mut change = state.writes().begin().await?;
    let Some((account_id, _)) =
        account_links::take(&mut change, &tokens::hash(&token), &[Purpose::Verify], now).await?
    else {
        return Ok(uncached(StatusCode::NOT_FOUND, pages::link_invalid(&meta)));
    };
    let account = account_rows::by_id(&mut change, account_id)
        .await?
        .ok_or(AppError::NotFound)?;
    accounts::activate(&mut change, &account, now).await?;
    let committed = change.commit().await?;
    committed.searchable(SEARCHABLE_WITHIN).await;
    Ok(Redirect::to("/logga-in?bekraftad=1").into_response())
}

// ---- Log in and out ----

#[derive(Debug, Deserialize)]
struct LoginQuery {
    tillbaka: Option<String>,
    bekraftad: Option<String>,
    aterstallt: Option<String>,
    utloggad: Option<String>,
}

async fn login_form(
    State(state): State<AppState>,
    Csrf(csrf): Csrf,
    Query(query): Query<LoginQuery>,
) -> Response {
    let meta = login_page(&state);
    let mut form = FormState::new();
    form.set(
        "tillbaka",
        site_path(query.tillbaka.as_deref().unwrap_or("/")),
    );
    let notice = if query.bekraftad.is_some() {
        Some("Din e-postadress är bekräftad. Logga in för att fylla i din profil.")
    } else if query.aterstallt.is_some() {
        Some("Ditt lösenord är sparat. Logga in med det nya lösenordet.")
    } else if query.utloggad.is_some() {
        Some("Du är utloggad.")
    } else {
        None
    };
    uncached(StatusCode::OK, pages::login(&meta, &form, &csrf, notice))
}

/// The one message for every failed login: it does not tell whether the address exists.
const WRONG_LOGIN: &str = "Fel e-postadress eller lösenord";

async fn login(
    State(state): State<AppState>,
    ClientKey(client): ClientKey,
    Csrf(csrf): Csrf,
    session: Option<axum::Extension<CurrentSession>>,
    FormInput(mut form): FormInput,
) -> Result<Response, AppError> {
    let meta = login_page(&state);
    let typed_email = form.value("epost").trim().to_string();
    let typed_password = form.value("losenord").to_string();
    let return_to = site_path(form.value("tillbaka")).to_string();
    form.set("tillbaka", return_to.clone());
    if typed_email.is_empty() {
        form.add_error("epost", "Skriv din e-postadress");
    }
    if typed_password.is_empty() {
        form.add_error("losenord", "Skriv ditt lösenord");
    }
    if typed_email.chars().count() > email::MAX_LENGTH {
        form.add_error("epost", "E-postadressen får vara högst 254 tecken");
    }
    if typed_password.chars().count() > password::MAX_CHARS
        || typed_email.chars().any(char::is_control)
    {
        // No account has such an address or password: the usual answer, no lookup.
        form.add_error("epost", WRONG_LOGIN);
    }
    if form.has_errors() {
        return Ok(failed(pages::login(&meta, &form, &csrf, None)));
    }
    let now = now();
    let key = email::key(&typed_email);
    throttle::attempt(&state.db, throttle::LOGIN_PER_CLIENT, &client, now).await?;
    throttle::attempt(
        &state.db,
        throttle::LOGIN_PER_ACCOUNT_AND_CLIENT,
        &format!("{key}|{client}"),
        now,
    )
    .await?;
    throttle::attempt(&state.db, throttle::LOGIN_PER_ACCOUNT, &key, now).await?;
    let mut conn = state.db.acquire().await?;
    let account = account_rows::by_email_key(&mut conn, &key).await?;
    drop(conn);
    let verified = match account.as_ref().and_then(|a| a.password_hash.as_deref()) {
        Some(hash) => state.hasher.verify(&typed_password, hash).await,
        None => {
            state.hasher.verify_dummy(&typed_password).await;
            false
        }
    };
    let account = match account {
        Some(account) if verified => account,
        _ => {
            form.add_error("epost", WRONG_LOGIN);
            return Ok(failed(pages::login(&meta, &form, &csrf, None)));
        }
    };
    if account.verified_at.is_none() || account.member_id.is_none() {
        form.add_error(
            "epost",
            "Du behöver bekräfta din e-postadress först: följ länken i mejlet vi skickade. \
             Hittar du det inte kan du välja Glömt lösenordet och få en ny länk.",
        );
        return Ok(failed(pages::login(&meta, &form, &csrf, None)));
    }
    if let Some(hash) = account.password_hash.as_deref()
        && state.hasher.needs_rehash(hash)
    {
        let stronger = state
            .hasher
            .hash(&typed_password)
            .await
            .map_err(anyhow::Error::from)?;
        let mut conn = state.db.acquire().await?;
        account_rows::set_password(&mut conn, account.id, &stronger).await?;
    }
    let mut conn = state.db.acquire().await?;
    if let Some(axum::Extension(old)) = session {
        db::sessions::delete(&mut conn, &old.token_hash).await?;
    }
    drop(conn);
    let cookie = session::start(&state, account.id).await?;
    let mut response = Redirect::to(&return_to).into_response();
    response.headers_mut().append(header::SET_COOKIE, cookie);
    Ok(response)
}

async fn logout(
    State(state): State<AppState>,
    session: Option<axum::Extension<CurrentSession>>,
    FormInput(_form): FormInput,
) -> Result<Response, AppError> {
    if let Some(axum::Extension(session)) = session {
        let mut conn = state.db.acquire().await?;
        db::sessions::delete(&mut conn, &session.token_hash).await?;
    }
    let mut response = Redirect::to("/logga-in?utloggad=1").into_response();
    response
        .headers_mut()
        .append(header::SET_COOKIE, session::end_cookie(&state.config));
    Ok(response)
}

// ---- Forgotten password ----

async fn forgot_form(State(state): State<AppState>, Csrf(csrf): Csrf) -> Response {
    let meta = forgot_page(&state);
    uncached(
        StatusCode::OK,
        pages::forgot(&meta, &FormState::new(), &csrf),
    )
}

async fn forgot(
    State(state): State<AppState>,
    ClientKey(client): ClientKey,
    Csrf(csrf): Csrf,
    FormInput(mut form): FormInput,
) -> Result<Response, AppError> {
    let meta = forgot_page(&state);
    let address = match email::parse(form.value("epost")) {
        Ok(address) => address,
        Err(problem) => {
            form.add_error("epost", problem.to_string());
            return Ok(failed(pages::forgot(&meta, &form, &csrf)));
        }
    };
    let now = now();
    let key = email::key(&address);
    throttle::attempt(&state.db, throttle::RESET_PER_CLIENT, &client, now).await?;
    // Over the per-address mail limit nothing more is sent, but the answer stays the same
    // (it must not tell whether the address has an account). Only mails actually sent
    // count, so asking for an address without an account uses up nothing of it.
    let mut conn = state.db.acquire().await?;
    if let Some(account) = account_rows::by_email_key(&mut conn, &key).await?
        && throttle::has_room(&state.db, throttle::MAIL_PER_ADDRESS, &key, now).await?
    {
        throttle::attempt(&state.db, throttle::MAIL_PER_ADDRESS, &key, now).await?;
        let token = accounts::issue_link(&mut conn, account.id, Purpose::Reset, now).await?;
        send_in_background(
            &state,
            accounts::link_mail(&state.config, &account, Purpose::Reset, &token),
        );
    }
    drop(conn);
    let meta = form_page(
        &state,
        "/glomt-losenord",
        "Kolla din e-post",
        "En länk är på väg.",
    );
    Ok(uncached(StatusCode::OK, pages::forgot_sent(&meta)))
}

const RESET_PURPOSES: &[Purpose] = &[Purpose::Reset, Purpose::Invite];

async fn reset_form(
    State(state): State<AppState>,
    Csrf(csrf): Csrf,
    SitePath(token): SitePath<String>,
) -> Result<Response, AppError> {
    let meta = reset_page(&state);
    let Some(token) = token_of(&token) else {
        return Ok(uncached(StatusCode::NOT_FOUND, pages::link_invalid(&meta)));
    };
    let mut conn = state.db.acquire().await?;
    let Some((_, purpose)) =
        account_links::peek(&mut conn, &tokens::hash(&token), RESET_PURPOSES, now()).await?
    else {
        return Ok(uncached(StatusCode::NOT_FOUND, pages::link_invalid(&meta)));
    };
    Ok(uncached(
        StatusCode::OK,
        pages::new_password(
            &meta,
            &FormState::new(),
            &format!("/aterstall/{token}"),
            &csrf,
            purpose == Purpose::Invite,
        ),
    ))
}

async fn reset(
    State(state): State<AppState>,
    Csrf(csrf): Csrf,
    SitePath(token): SitePath<String>,
    FormInput(mut form): FormInput,
) -> Result<Response, AppError> {
    let meta = reset_page(&state);
    let Some(token) = token_of(&token) else {
        return Ok(uncached(StatusCode::NOT_FOUND, pages::link_invalid(&meta)));
    };
    let hash_of_token = tokens::hash(&token);
    let now = now();
    let typed = check_new_password(&mut form, "losenord");
    if form.has_errors() {
        let mut conn = state.db.acquire().await?;
        let Some((_, purpose)) =
            account_links::peek(&mut conn, &hash_of_token, RESET_PURPOSES, now).await?
        else {
            return Ok(uncached(StatusCode::NOT_FOUND, pages::link_invalid(&meta)));
        };
        let action = format!("/aterstall/{token}");
        return Ok(failed(pages::new_password(
            &meta,
            &form,
            &action,
            &csrf,
            purpose == Purpose::Invite,
        )));
    }
    let hash = state
        .hasher
        .hash(&typed)
        .await
        .map_err(anyhow::Error::from)?;
    let mut change = state.writes().begin().await?;
    let Some((account_id, purpose)) =
        account_links::take(&mut change, &hash_of_token, RESET_PURPOSES, now).await?
    else {
        return Ok(uncached(StatusCode::NOT_FOUND, pages::link_invalid(&meta)));
    };
    let account = account_rows::by_id(&mut change, account_id)
        .await?
        .ok_or(AppError::NotFound)?;
    account_rows::set_password(&mut change, account_id, &hash).await?;
    // Following the mailed link proves the address: an unverified account opens too.
    accounts::activate(&mut change, &account, now).await?;
    let _ = purpose;
    account_links::void_password_links(&mut change, account_id, now).await?;
    db::sessions::delete_for_account(&mut change, account_id).await?;
    let committed = change.commit().await?;
    committed.searchable(SEARCHABLE_WITHIN).await;
    let mut response = Redirect::to("/logga-in?aterstallt=1").into_response();
    response
        .headers_mut()
        .append(header::SET_COOKIE, session::end_cookie(&state.config));
    Ok(response)
}

// ---- Terms and privacy ----

async fn terms(State(state): State<AppState>) -> Markup {
    pages::terms(&page(
        &state.config,
        "/villkor",
        "Villkor",
        "Villkoren för medlemmar i hallbar.",
    ))
}

async fn privacy(State(state): State<AppState>) -> Markup {
    pages::privacy(&page(
        &state.config,
        "/integritetspolicy",
        "Integritetspolicy",
        "Hur hallbar hanterar dina personuppgifter.",
    ))
}
