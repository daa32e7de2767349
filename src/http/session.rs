//! Sessions: the cookie that carries a random session id, looked up (by its hash) in the
//! database on every request, so any node serves any request and a session ended anywhere
//! is ended everywhere. The middleware puts the member's [`Authenticated`] and the
//! [`CurrentSession`] into the request; handlers start and end sessions with [`start`] and
//! [`end`].

use std::sync::{Arc, Mutex};

use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use hallbar_templates::{HeaderAccount, NavModel};

use super::{AppError, AppState, Authenticated};
use crate::auth::tokens;
use crate::config::Config;
use crate::db::{self, accounts::Role};

/// A session ends after this long without use.
pub const IDLE_SECONDS: i64 = 14 * 24 * 60 * 60;
/// A session ends this long after login, however much it is used.
pub const ABSOLUTE_SECONDS: i64 = 30 * 24 * 60 * 60;
/// The last use is written at most this often (a page view does not write every time).
const TOUCH_SECONDS: i64 = 5 * 60;

/// The request's live session.
#[derive(Debug, Clone)]
pub struct CurrentSession {
    pub token_hash: String,
    pub account_id: i64,
    pub csrf_token: String,
    pub role: Role,
    /// Whether the account edits any support model's content.
    pub editor: bool,
}

/// The current time in Unix seconds (the clock sessions, links and limits use).
pub fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

/// The session cookie's name: `__Host-` prefixed (only sent to this host, only over
/// https, path `/`) when the site is served over https.
pub fn cookie_name(config: &Config) -> &'static str {
    if config.is_https() {
        "__Host-hallbar_session"
    } else {
        "hallbar_session"
    }
}

/// The CSRF cookie's name for forms shown to visitors without a session.
pub fn csrf_cookie_name(config: &Config) -> &'static str {
    if config.is_https() {
        "__Host-hallbar_csrf"
    } else {
        "hallbar_csrf"
    }
}

/// A `Set-Cookie` value: HttpOnly, SameSite=Lax, path `/`, `Secure` over https;
/// `max_age` 0 removes the cookie.
pub fn cookie(config: &Config, name: &str, value: &str, max_age: i64) -> HeaderValue {
    let secure = if config.is_https() { "; Secure" } else { "" };
    let text = format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}");
    // Names are constants and values hex tokens: always a valid header value.
    HeaderValue::from_str(&text).unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// The value of cookie `name` in the request's `Cookie` headers.
pub fn read_cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, v)| v.trim())
}

/// A CSRF token made for a visitor during this request, to be set as a cookie with the
/// response (only pages with forms make one).
#[derive(Debug, Clone, Default)]
pub struct NewCsrfCookie(Arc<Mutex<Option<String>>>);

impl NewCsrfCookie {
    fn set(&self, token: String) {
        if let Ok(mut slot) = self.0.lock() {
            *slot = Some(token);
        }
    }

    fn take(&self) -> Option<String> {
        self.0.lock().ok().and_then(|mut slot| slot.take())
    }
}

/// The CSRF token a form must carry back, as the middleware found it: the session's, or
/// the visitor's cookie.
#[derive(Debug, Clone)]
pub struct ExpectedCsrf(pub Option<String>);

tokio::task_local! {
    /// The logged-in member the page header greets (set around each request's handler).
    static HEADER_ACCOUNT: Option<HeaderAccount>;
    /// The support models the navigation lists (read once per page request).
    static NAVIGATION: Vec<NavModel>;
}

/// The support models a page rendered now lists in its navigation (empty outside a
/// request: the layout then lists the seed models).
pub fn navigation() -> Vec<NavModel> {
    NAVIGATION.try_with(Clone::clone).unwrap_or_default()
}

/// Whether a request may render a page with the site's navigation (not a file, a feed or
/// JSON).
fn renders_page(path: &str) -> bool {
    !(path.starts_with("/static/")
        || path.starts_with("/api/")
        || path.starts_with("/flode/")
        || path.ends_with(".xml")
        || path.ends_with(".txt")
        || path == "/healthz"
        || path == "/readyz")
}

/// The member the header of a page rendered now should greet.
pub fn header_account() -> Option<HeaderAccount> {
    HEADER_ACCOUNT.try_with(Clone::clone).ok().flatten()
}

/// Middleware: finds the request's session, if any, and what the handler needs of it.
pub async fn load(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let config = Arc::clone(&state.config);
    let mut clear_cookie = false;
    let mut header_account = None;
    let token = read_cookie(request.headers(), cookie_name(&config)).map(str::to_string);
    if let Some(token) = token {
        match resolve(&state, &token).await {
            Ok(Some((session, user, name, unread))) => {
                header_account = Some(HeaderAccount {
                    name,
                    csrf: session.csrf_token.clone(),
                    unread,
                    admin: session.role == Role::Admin,
                    editor: session.editor,
                });
                request.extensions_mut().insert(user);
                request.extensions_mut().insert(session);
            }
            Ok(None) => clear_cookie = true,
            Err(e) => return AppError::from(e).into_response(),
        }
    }
    let expected = match request.extensions().get::<CurrentSession>() {
        Some(session) => Some(session.csrf_token.clone()),
        None => read_cookie(request.headers(), csrf_cookie_name(&config))
            .filter(|t| tokens::well_formed(t))
            .map(str::to_string),
    };
    request.extensions_mut().insert(ExpectedCsrf(expected));
    let new_csrf = NewCsrfCookie::default();
    request.extensions_mut().insert(new_csrf.clone());
    let navigation = if renders_page(request.uri().path()) {
        let models = state.models.get(&state.db, &state.search).await;
        match models {
            Ok(models) => NavModel::of(&models),
            Err(e) => return AppError::from(e).into_response(),
        }
    } else {
        Vec::new()
    };
    let mut response = HEADER_ACCOUNT
        .scope(
            header_account,
            NAVIGATION.scope(navigation, next.run(request)),
        )
        .await;
    let headers = response.headers_mut();
    if clear_cookie && !headers.contains_key(header::SET_COOKIE) {
        headers.append(
            header::SET_COOKIE,
            cookie(&config, cookie_name(&config), "", 0),
        );
    }
    if let Some(token) = new_csrf.take() {
        headers.append(
            header::SET_COOKIE,
            cookie(&config, csrf_cookie_name(&config), &token, ABSOLUTE_SECONDS),
        );
    }
    response
}

/// The live session of a cookie token with its member; `None` (and the row gone) when it
/// is unknown, expired, or its account has no profile.
async fn resolve(
    state: &AppState,
    token: &str,
) -> sqlx::Result<Option<(CurrentSession, Authenticated, String, i64)>> {
    if !tokens::well_formed(token) {
        return Ok(None);
    }
    let hash = tokens::hash(token);
    let mut conn = state.db.acquire().await?;
    let Some(found) = db::sessions::find(&mut conn, &hash).await? else {
        return Ok(None);
    };
    let now = now();
    let expired = found.seen_at + IDLE_SECONDS <= now || found.created_at + ABSOLUTE_SECONDS <= now;
    let member = match (&found.member_id, expired) {
        (Some(member), false) => member.clone(),
        _ => {
            db::sessions::delete(&mut conn, &hash).await?;
            return Ok(None);
        }
    };
    let groups = found
        .closed_groups
        .iter()
        .map(hallbar_index::Slug::new)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| sqlx::Error::Decode(Box::new(e)))?;
    if now - found.seen_at >= TOUCH_SECONDS {
        db::sessions::touch(&mut conn, &hash, now).await?;
    }
    let user = Authenticated {
        member: hallbar_index::Slug::new(&member).map_err(|e| sqlx::Error::Decode(Box::new(e)))?,
        groups,
    };
    let name = found.member_name;
    let unread = found.unread;
    Ok(Some((
        CurrentSession {
            token_hash: found.token_hash,
            account_id: found.account_id,
            csrf_token: found.csrf_token,
            role: found.role,
            editor: found.editor,
        },
        user,
        name,
        unread,
    )))
}

/// Starts a new session for `account_id` (a new id every login) and returns the
/// `Set-Cookie` value that gives it to the browser.
pub async fn start(state: &AppState, account_id: i64) -> sqlx::Result<HeaderValue> {
    let token = tokens::random();
    let now = now();
    let mut conn = state.db.acquire().await?;
    db::sessions::create(
        &mut conn,
        &tokens::hash(&token),
        account_id,
        &tokens::random(),
        now,
    )
    .await?;
    // Housekeeping at each login: sessions nobody will present again, and attempts older
    // than every limit's window.
    db::sessions::prune(&mut conn, now - IDLE_SECONDS, now - ABSOLUTE_SECONDS).await?;
    db::rate_events::prune(&mut conn, now - 24 * 60 * 60).await?;
    Ok(cookie(
        &state.config,
        cookie_name(&state.config),
        &token,
        ABSOLUTE_SECONDS,
    ))
}

/// The `Set-Cookie` value that removes the session cookie.
pub fn end_cookie(config: &Config) -> HeaderValue {
    cookie(config, cookie_name(config), "", 0)
}

/// A CSRF token for a form shown to a visitor without a session: the one in their cookie,
/// or a new one the response sets.
pub fn visitor_csrf(parts_extensions: &axum::http::Extensions) -> String {
    if let Some(ExpectedCsrf(Some(token))) = parts_extensions.get::<ExpectedCsrf>() {
        return token.clone();
    }
    let token = tokens::random();
    if let Some(slot) = parts_extensions.get::<NewCsrfCookie>() {
        slot.set(token.clone());
    }
    token
}
