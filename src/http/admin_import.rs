//! Import on the web (`/admin/import`): the upload is streamed to a file under the data
//! directory (never held in memory whole, refused past the configured size), checked in
//! full as `hallbar import` checks it, and imported only when the admin confirms with the
//! upload's token — bound to their session, expiring, used once. The import then takes the
//! same write path as the command line.

use std::collections::BTreeMap;
use std::io::BufReader;
use std::time::Duration;

use axum::Router;
use axum::extract::multipart::{Field, MultipartRejection};
use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::http::{Extensions, HeaderMap, StatusCode, header};
use axum::response::Response;
use axum::routing::{get, post};
use hallbar_templates::pages::admin as pages;
use tokio::io::AsyncWriteExt;

use super::admin::{Admin, admin_page};
use super::csrf::{Csrf, form_token_ok};
use super::form::FormInput;
use super::session::now;
use super::view::uncached;
use super::{AppError, AppState};
use crate::admin::uploads::{self, Redeemed};
use crate::db::admin_log::{self, actions};
use crate::interchange::{self, ImportError, LineError};

/// How many bad lines the page lists (the rest are counted): every one the check keeps, and
/// the line where it stopped.
const ERRORS_SHOWN: usize = interchange::MAX_CHECK_ERRORS + 1;
/// Room for the form's other parts beside the file, in bytes.
const FORM_SLACK: u64 = 64 * 1024;
/// The longest CSRF field read, in bytes.
const MAX_TOKEN_BYTES: usize = 256;
/// How long a confirmed import waits for search to include it.
const SEARCH_WAIT: Duration = Duration::from_secs(10);

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/import", get(form).post(upload))
        .route("/admin/import/bekrafta", post(confirm))
        // The upload enforces its own limit while it streams to disk.
        .layer(DefaultBodyLimit::disable())
}

fn import_page(state: &AppState, title: &str) -> hallbar_templates::Page {
    admin_page(state, "/admin/import", title)
}

fn refused(state: &AppState, status: StatusCode, heading: &str, message: &str) -> Response {
    let meta = import_page(state, heading);
    uncached(status, pages::import_refused(&meta, heading, message))
}

fn too_large(state: &AppState) -> Response {
    let max = state.config.import_max_bytes;
    refused(
        state,
        StatusCode::PAYLOAD_TOO_LARGE,
        "Filen är för stor",
        &format!(
            "Filen är större än vad som får importeras på webben ({} byte). Dela upp den, \
             eller importera den med hallbar import på servern.",
            hallbar_templates::components::swedish::thousands(max)
        ),
    )
}

async fn form(
    State(state): State<AppState>,
    _admin: Admin,
    Csrf(csrf): Csrf,
) -> Result<Response, AppError> {
    let meta = import_page(&state, "Importera");
    Ok(uncached(
        StatusCode::OK,
        pages::import_form(&meta, state.config.import_max_bytes, &csrf),
    ))
}

/// Reads a small text field, at most `max` bytes (`None` when longer).
async fn small_text(field: &mut Field<'_>, max: usize) -> Result<Option<String>, AppError> {
    let mut bytes = Vec::new();
    while let Some(chunk) = field.chunk().await.map_err(broken)? {
        if bytes.len() + chunk.len() > max {
            return Ok(None);
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(Some(String::from_utf8_lossy(&bytes).into_owned()))
}

fn broken(e: axum::extract::multipart::MultipartError) -> AppError {
    AppError::invalid("fil", format!("uppladdningen kom inte fram helt: {e}"))
}

/// What storing the file came to.
enum Stored {
    File(tempfile::TempPath),
    TooLarge,
}

/// Streams the file field to a new file in the uploads directory, at most `max` bytes.
async fn store(field: &mut Field<'_>, dir: &std::path::Path, max: u64) -> Result<Stored, AppError> {
    let named = tempfile::Builder::new()
        .prefix("import-")
        .suffix(".jsonl")
        .tempfile_in(dir)
        .map_err(|e| anyhow::anyhow!("uppladdningen kunde inte sparas: {e}"))?;
    let (file, path) = named.into_parts();
    let mut out = tokio::fs::File::from_std(file);
    let mut written: u64 = 0;
    while let Some(chunk) = field.chunk().await.map_err(broken)? {
        written += chunk.len() as u64;
        if written > max {
            // Dropping the path removes the file.
            return Ok(Stored::TooLarge);
        }
        out.write_all(&chunk)
            .await
            .map_err(|e| anyhow::anyhow!("uppladdningen kunde inte sparas: {e}"))?;
    }
    out.flush()
        .await
        .map_err(|e| anyhow::anyhow!("uppladdningen kunde inte sparas: {e}"))?;
    Ok(Stored::File(path))
}

/// `(type, lines)` for the summary tables.
fn counts(
    records: &BTreeMap<hallbar_index::ContentKind, usize>,
    admin_log: usize,
) -> Vec<(String, usize)> {
    let mut out: Vec<(String, usize)> = records
        .iter()
        .map(|(kind, n)| (kind.slug().to_string(), *n))
        .collect();
    if admin_log > 0 {
        out.push(("adminlogg".to_string(), admin_log));
    }
    out
}

fn error_page(state: &AppState, errors: &[LineError]) -> Response {
    let shown: Vec<(usize, String)> = errors
        .iter()
        .take(ERRORS_SHOWN)
        .map(|e| (e.line, e.message.clone()))
        .collect();
    let meta = import_page(state, "Filen har fel");
    uncached(
        StatusCode::UNPROCESSABLE_ENTITY,
        pages::import_errors(&meta, &shown, errors.len()),
    )
}

async fn upload(
    State(state): State<AppState>,
    admin: Admin,
    Csrf(csrf): Csrf,
    extensions: Extensions,
    headers: HeaderMap,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, AppError> {
    let max = state.config.import_max_bytes;
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > max.saturating_add(FORM_SLACK)) {
        return Ok(too_large(&state));
    }
    let mut multipart = multipart.map_err(|_| AppError::UnsupportedMediaType)?;
    let dir = uploads::dir(&state.config.data_dir);
    std::fs::create_dir_all(&dir)
        .map_err(|e| anyhow::anyhow!("uppladdningskatalogen kunde inte skapas: {e}"))?;
    let wait = state.config.import_confirm_seconds.max(0);
    state.admin.uploads.clean(
        &dir,
        now(),
        Duration::from_secs(u64::try_from(wait).unwrap_or(0) + 3600),
    );
    let mut token_ok = false;
    let mut stored = None;
    while let Some(mut field) = multipart.next_field().await.map_err(broken)? {
        match field.name() {
            Some("csrf") => {
                let sent = small_text(&mut field, MAX_TOKEN_BYTES).await?;
                token_ok = sent.is_some_and(|t| form_token_ok(&extensions, &t));
            }
            // The token comes before the file (as the form orders them): nothing is
            // stored for a request that is not the admin's own.
            Some("fil") if !token_ok => return Err(AppError::StaleForm),
            Some("fil") if stored.is_none() => match store(&mut field, &dir, max).await? {
                Stored::File(path) => stored = Some(path),
                Stored::TooLarge => return Ok(too_large(&state)),
            },
            _ => {}
        }
    }
    if !token_ok {
        return Err(AppError::StaleForm);
    }
    let Some(path) = stored else {
        return Ok(refused(
            &state,
            StatusCode::UNPROCESSABLE_ENTITY,
            "Ingen fil",
            "Välj en fil att importera.",
        ));
    };
    let file = std::fs::File::open(&path)
        .map_err(|e| anyhow::anyhow!("uppladdningen kunde inte läsas: {e}"))?;
    let checked = match interchange::check(&state.db, BufReader::new(file)).await {
        Ok(checked) => checked,
        Err(ImportError::Db(e)) => return Err(e.into()),
        Err(e) => return Err(anyhow::anyhow!("{e}").into()),
    };
    if !checked.errors.is_empty() {
        // Dropping the path removes the file.
        return Ok(error_page(&state, &checked.errors));
    }
    let counts = counts(&checked.records, checked.admin_log);
    if counts.is_empty() {
        return Ok(refused(
            &state,
            StatusCode::UNPROCESSABLE_ENTITY,
            "Filen är tom",
            "Filen innehåller inga poster att importera.",
        ));
    }
    let path = path
        .keep()
        .map_err(|e| anyhow::anyhow!("uppladdningen kunde inte sparas: {e}"))?;
    let token = state.admin.uploads.keep(path, &admin.session, now() + wait);
    let meta = import_page(&state, "Filen är kontrollerad");
    Ok(uncached(
        StatusCode::OK,
        pages::import_ready(&meta, &counts, &token, &csrf),
    ))
}

async fn confirm(
    State(state): State<AppState>,
    admin: Admin,
    FormInput(form): FormInput,
) -> Result<Response, AppError> {
    let path = match state
        .admin
        .uploads
        .redeem(form.value("uppladdning"), &admin.session, now())
    {
        Redeemed::File(path) => path,
        Redeemed::OtherSession => {
            return Ok(refused(
                &state,
                StatusCode::FORBIDDEN,
                "Uppladdningen är inte din",
                "Den här uppladdningen gjordes i en annan inloggning. Ladda upp filen själv.",
            ));
        }
        Redeemed::Expired => {
            return Ok(refused(
                &state,
                StatusCode::GONE,
                "Uppladdningen har gått ut",
                "Det dröjde för länge innan importen bekräftades. Ladda upp filen igen.",
            ));
        }
        Redeemed::Unknown => {
            return Ok(refused(
                &state,
                StatusCode::GONE,
                "Uppladdningen finns inte",
                "Uppladdningen är redan importerad eller finns inte. Ladda upp filen igen.",
            ));
        }
    };
    let outcome = match std::fs::File::open(&path) {
        Ok(file) => interchange::import(&state.writes(), BufReader::new(file), false).await,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Ok(refused(
                &state,
                StatusCode::GONE,
                "Uppladdningen finns inte",
                "Den uppladdade filen finns inte längre på servern; ingenting importerades. \
                 Ladda upp filen igen.",
            ));
        }
        Err(e) => Err(ImportError::Read(e)),
    };
    if let Err(e) = std::fs::remove_file(&path) {
        tracing::warn!(error = %e, "den importerade filen kunde inte tas bort");
    }
    let report = match outcome {
        Ok(report) => report,
        // The database changed since the check.
        Err(ImportError::Invalid(errors)) => return Ok(error_page(&state, &errors)),
        Err(ImportError::Busy) => {
            return Ok(refused(
                &state,
                StatusCode::SERVICE_UNAVAILABLE,
                "Databasen är upptagen",
                "En annan skrivning pågår; ingenting importerades. Ladda upp filen igen om en \
                 stund.",
            ));
        }
        Err(ImportError::Db(e)) => return Err(e.into()),
        Err(ImportError::Read(e)) => {
            return Err(anyhow::anyhow!("uppladdningen kunde inte läsas: {e}").into());
        }
    };
    if let Some(seq) = report.committed_seq {
        state.search.wait_for(seq, SEARCH_WAIT).await;
    }
    let counts = counts(&report.written, report.admin_log);
    let detail = counts
        .iter()
        .map(|(kind, n)| format!("{kind} {n}"))
        .collect::<Vec<_>>()
        .join(", ");
    let mut conn = state.db.acquire().await?;
    admin_log::record(
        &mut conn,
        admin.actor.account_id,
        &admin.actor.name,
        actions::IMPORT,
        "",
        &format!("{} poster ({detail})", report.total()),
        now(),
    )
    .await?;
    drop(conn);
    let meta = import_page(&state, "Importen är klar");
    Ok(uncached(StatusCode::OK, pages::import_done(&meta, &counts)))
}
