//! The site admin's pages: the overview (`/admin`) with this node's search index and its
//! reindex button, members and roles (`/admin/medlemmar`), the admin log (`/admin/logg`)
//! and the export (`/admin/export`). Every route is for site admins only: a visitor is sent
//! to log in, any other member gets 403. Import is in [`super::admin_import`].

use axum::Router;
use axum::extract::{FromRequestParts, Path, RawQuery, State};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::{TimeZone, Utc};
use hallbar_index::DocKind;
use hallbar_templates::pages::admin::{
    self as pages, LastView, LogLine, MemberRow, Overview, Pager, RunningView,
};

use super::csrf::Csrf;
use super::form::FormInput;
use super::session::{CurrentSession, now};
use super::view::{page, uncached};
use super::{AppError, AppState, CurrentUser};
use crate::admin::models;
use crate::admin::reindex::{self, StartError};
use crate::admin::roles::{self, Actor};
use crate::db::accounts::Role;
use crate::db::admin_log::{self, actions};
use crate::indexer::IndexLocation;
use crate::{db, interchange};

/// Entries per page of the admin log.
const LOG_PAGE: i64 = 50;
/// Accounts per page of the members page.
const MEMBERS_PAGE: i64 = 100;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin", get(overview))
        .route("/admin/indexera", post(start_reindex))
        .route("/admin/medlemmar", get(members))
        .route("/admin/medlemmar/{konto}/roll", post(set_role))
        .route("/admin/medlemmar/{konto}/redaktor", post(set_editor))
        .route("/admin/logg", get(log))
        .route("/admin/export", get(export))
}

/// A site admin, as the request's session says: a visitor is sent to log in, anyone else
/// is refused with 403.
pub(super) struct Admin {
    pub actor: Actor,
    /// The session's token hash (what an upload's confirmation is bound to).
    pub session: String,
}

impl FromRequestParts<AppState> for Admin {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        CurrentUser::from_request_parts(parts, state).await?;
        let session = match parts.extensions.get::<CurrentSession>() {
            Some(session) if session.role == Role::Admin => session.clone(),
            _ => return Err(AppError::Forbidden),
        };
        let mut conn = state.db.acquire().await?;
        let account = db::accounts::by_id(&mut conn, session.account_id)
            .await?
            .ok_or(AppError::Forbidden)?;
        Ok(Admin {
            actor: Actor {
                account_id: Some(account.id),
                name: account.name,
            },
            session: session.token_hash,
        })
    }
}

pub(super) fn admin_page(state: &AppState, path: &str, title: &str) -> hallbar_templates::Page {
    page(
        &state.config,
        path,
        title,
        "Administration av hallbar för webbplatsens administratörer.",
    )
}

/// The value of `name` in a query string.
pub(super) fn query_value(query: Option<&str>, name: &str) -> Option<String> {
    form_urlencoded::parse(query.unwrap_or_default().as_bytes())
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.into_owned())
}

/// The page number asked for (`?sida=`), at least 1.
fn page_number(query: Option<&str>) -> i64 {
    query_value(query, "sida")
        .and_then(|v| v.parse::<i64>().ok())
        .unwrap_or(1)
        .clamp(1, 1_000_000)
}

fn moment_of(seconds: i64) -> chrono::DateTime<Utc> {
    Utc.timestamp_opt(seconds, 0).single().unwrap_or_default()
}

// ---- The overview ----

/// The size of the files of the generation in use on disk.
fn index_size(state: &AppState) -> Option<u64> {
    let location = IndexLocation::new(&state.config.data_dir);
    let dir = location.dir(&location.current().ok()??);
    let entries = std::fs::read_dir(dir).ok()?;
    Some(
        entries
            .flatten()
            .filter_map(|e| e.metadata().ok())
            .filter(|m| m.is_file())
            .map(|m| m.len())
            .sum(),
    )
}

async fn overview_page(state: &AppState, notice: Option<String>) -> Result<Overview, AppError> {
    let mut conn = state.db.acquire().await?;
    let accounts = db::admin::account_count(&mut conn).await?;
    let open_reports = db::admin::open_reports(&mut conn).await?;
    let waiting_proposals = db::admin::waiting_proposals(&mut conn).await?;
    let newest = db::outbox::latest(&mut conn).await?;
    let node = reindex::node_name(state).map_err(anyhow::Error::from)?;
    let status = state.admin.reindex.status();
    let last = match status.last {
        Some(last) => Some(LastView {
            at: moment_of(last.finished_at),
            by: last.by,
            ok: last.error.is_none(),
            text: last.error.unwrap_or_else(|| {
                format!(
                    "{} dokument på {} s",
                    last.documents,
                    format!("{:.1}", last.seconds).replace('.', ",")
                )
            }),
        }),
        // After a restart: the last run this node logged.
        None => admin_log::last_of(&mut conn, actions::REINDEX_FINISHED, &node)
            .await?
            .map(|e| LastView {
                at: moment_of(e.created_at),
                by: e.actor_name,
                text: e.detail,
                ok: true,
            }),
    };
    drop(conn);
    let kinds = state.search.documents_per_kind().await?;
    Ok(Overview {
        accounts,
        open_reports,
        waiting_proposals,
        documents: kinds.iter().map(|(_, n)| n).sum(),
        kinds: kinds
            .into_iter()
            .map(|(kind, n): (DocKind, u64)| (kind.label().to_string(), n))
            .collect(),
        indexed: state.search.indexed(),
        newest,
        size_bytes: index_size(state),
        node,
        running: status.running.map(|r| RunningView {
            by: r.by,
            started: moment_of(r.started_at),
            done: r.done,
            total: r.total,
        }),
        last,
        notice,
    })
}

async fn overview(
    State(state): State<AppState>,
    _admin: Admin,
    RawQuery(query): RawQuery,
    Csrf(csrf): Csrf,
) -> Result<Response, AppError> {
    let notice = match query_value(query.as_deref(), "klart").as_deref() {
        Some("indexering") => Some("Omindexeringen har startat.".to_string()),
        _ => None,
    };
    let overview = overview_page(&state, notice).await?;
    let meta = admin_page(&state, "/admin", "Administration");
    Ok(uncached(
        StatusCode::OK,
        pages::overview(&meta, &overview, &csrf),
    ))
}

async fn start_reindex(
    State(state): State<AppState>,
    admin: Admin,
    Csrf(csrf): Csrf,
    FormInput(_form): FormInput,
) -> Result<Response, AppError> {
    match reindex::start(&state, &admin.actor, now()).await {
        Ok(()) => Ok(Redirect::to("/admin?klart=indexering").into_response()),
        Err(StartError::Running) => {
            let notice = "En omindexering pågår redan på den här servern. Vänta tills den är \
                          klar innan du startar en ny."
                .to_string();
            let overview = overview_page(&state, Some(notice)).await?;
            let meta = admin_page(&state, "/admin", "Administration");
            Ok(uncached(
                StatusCode::CONFLICT,
                pages::overview(&meta, &overview, &csrf),
            ))
        }
        Err(StartError::Db(e)) => Err(e.into()),
        Err(StartError::Index(e)) => Err(anyhow::Error::from(e).into()),
    }
}

// ---- Members and roles ----

async fn members(
    State(state): State<AppState>,
    _admin: Admin,
    RawQuery(query): RawQuery,
    Csrf(csrf): Csrf,
) -> Result<Response, AppError> {
    let number = page_number(query.as_deref());
    let notice = match query_value(query.as_deref(), "klart").as_deref() {
        Some("roll") => Some("Rollen är ändrad."),
        Some("redaktor") => Some("Redaktörskapet är ändrat."),
        Some("oforandrad") => Some("Ingenting behövde ändras."),
        _ => None,
    };
    let mut conn = state.db.acquire().await?;
    let total = db::admin::account_count(&mut conn).await?;
    let accounts =
        db::admin::accounts(&mut conn, MEMBERS_PAGE, (number - 1) * MEMBERS_PAGE).await?;
    let editors = db::admin::editors(&mut conn).await?;
    let models = models::list(&mut conn).await?;
    drop(conn);
    let rows: Vec<MemberRow> = accounts
        .into_iter()
        .map(|a| MemberRow {
            models: editors
                .iter()
                .filter(|(id, _)| *id == a.id)
                .map(|(_, model)| model.clone())
                .collect(),
            account_id: a.id,
            profile_url: a.member_id.as_deref().map(hallbar_index::paths::member),
            name: a.name,
            email: a.email,
            admin: a.admin,
        })
        .collect();
    let models: Vec<(String, String)> = models.into_iter().map(|m| (m.slug, m.name)).collect();
    let paging = Pager {
        path: "/admin/medlemmar".to_string(),
        page: number,
        pages: (total + MEMBERS_PAGE - 1) / MEMBERS_PAGE,
    };
    let meta = admin_page(&state, "/admin/medlemmar", "Medlemmar och roller");
    Ok(uncached(
        StatusCode::OK,
        pages::members(&meta, &rows, &models, &paging, notice, &csrf),
    ))
}

/// The verified account `id` (404 when there is none).
async fn account(state: &AppState, id: &str) -> Result<db::accounts::Account, AppError> {
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    let mut conn = state.db.acquire().await?;
    match db::accounts::by_id(&mut conn, id).await? {
        Some(account) if account.verified_at.is_some() => Ok(account),
        _ => Err(AppError::NotFound),
    }
}

fn changed_or_not(changed: bool, done: &str) -> Response {
    let to = if changed {
        format!("/admin/medlemmar?klart={done}")
    } else {
        "/admin/medlemmar?klart=oforandrad".to_string()
    };
    Redirect::to(&to).into_response()
}

fn role_error(e: roles::RoleError) -> AppError {
    match e {
        roles::RoleError::NotAdmin => AppError::Forbidden,
        roles::RoleError::LastAdmin => AppError::invalid("roll", e.to_string()),
        roles::RoleError::Db(e) => e.into(),
    }
}

async fn set_role(
    State(state): State<AppState>,
    admin: Admin,
    Path(id): Path<String>,
    FormInput(form): FormInput,
) -> Result<Response, AppError> {
    let account = account(&state, &id).await?;
    let make_admin = match form.value("roll") {
        "admin" => true,
        "medlem" => false,
        _ => return Err(AppError::invalid("roll", "Välj rollen admin eller medlem")),
    };
    if !make_admin && admin.actor.account_id == Some(account.id) {
        return Err(AppError::invalid(
            "roll",
            "Du kan inte ta bort din egen administratörsroll; be en annan administratör",
        ));
    }
    let changed = roles::set_admin(&state.db, &admin.actor, &account, make_admin, now())
        .await
        .map_err(role_error)?;
    Ok(changed_or_not(changed, "roll"))
}

async fn set_editor(
    State(state): State<AppState>,
    admin: Admin,
    Path(id): Path<String>,
    FormInput(form): FormInput,
) -> Result<Response, AppError> {
    let account = account(&state, &id).await?;
    let grant = match form.value("atgard") {
        "ge" => true,
        "ta-bort" => false,
        _ => return Err(AppError::invalid("atgard", "Välj att ge eller ta bort")),
    };
    let mut conn = state.db.acquire().await?;
    let model = models::find(&mut conn, form.value("modell"))
        .await?
        .map_err(|message| AppError::invalid("modell", message))?;
    drop(conn);
    let changed = roles::set_editor(&state.db, &admin.actor, &account, &model.slug, grant, now())
        .await
        .map_err(role_error)?;
    Ok(changed_or_not(changed, "redaktor"))
}

// ---- The log ----

/// What an action is called in the log.
fn action_text(action: &str) -> String {
    match action {
        actions::PROMOTE => "gjorde till administratör",
        actions::DEMOTE => "tog bort administratörsrollen",
        actions::EDITOR_GRANT => "gjorde till redaktör",
        actions::EDITOR_REVOKE => "tog bort som redaktör",
        actions::REINDEX_STARTED => "startade en omindexering",
        actions::REINDEX_FINISHED => "omindexeringen blev klar",
        actions::REINDEX_FAILED => "omindexeringen misslyckades",
        actions::IMPORT => "importerade",
        actions::EXPORT => "exporterade",
        actions::MODEL_CREATE => "skapade stödmodellen",
        other => other,
    }
    .to_string()
}

async fn log(
    State(state): State<AppState>,
    _admin: Admin,
    RawQuery(query): RawQuery,
) -> Result<Response, AppError> {
    let number = page_number(query.as_deref());
    let mut conn = state.db.acquire().await?;
    let total = admin_log::count(&mut conn).await?;
    let entries = admin_log::page(&mut conn, LOG_PAGE, (number - 1) * LOG_PAGE).await?;
    drop(conn);
    let lines: Vec<LogLine> = entries
        .into_iter()
        .map(|e| LogLine {
            at: moment_of(e.created_at),
            actor: e.actor_name,
            action: action_text(&e.action),
            target: e.target,
            detail: if e.imported {
                format!("{} (importerad från en exportfil)", e.detail)
                    .trim_start()
                    .to_string()
            } else {
                e.detail
            },
        })
        .collect();
    let paging = Pager {
        path: "/admin/logg".to_string(),
        page: number,
        pages: (total + LOG_PAGE - 1) / LOG_PAGE,
    };
    let meta = admin_page(&state, "/admin/logg", "Adminlogg");
    Ok(uncached(StatusCode::OK, pages::log(&meta, &lines, &paging)))
}

// ---- Export ----

/// The whole export as a download: the same snapshot and lines as `hallbar export`.
async fn export(State(state): State<AppState>, admin: Admin) -> Result<Response, AppError> {
    let mut snapshot = state.db.begin_snapshot().await?;
    let exported = interchange::export_all(&mut snapshot).await?;
    snapshot.rollback().await?;
    let mut body = Vec::new();
    exported
        .write(&mut body)
        .map_err(|e| anyhow::anyhow!("exporten kunde inte skrivas: {e}"))?;
    let at = now();
    let mut conn = state.db.acquire().await?;
    admin_log::record(
        &mut conn,
        admin.actor.account_id,
        &admin.actor.name,
        actions::EXPORT,
        "",
        &format!("{} poster", exported.len()),
        at,
    )
    .await?;
    drop(conn);
    let name = format!("hallbar-{}.jsonl", moment_of(at).format("%Y-%m-%d"));
    Ok((
        StatusCode::OK,
        [
            (
                header::CONTENT_TYPE,
                "application/x-ndjson; charset=utf-8".to_string(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        body,
    )
        .into_response())
}
