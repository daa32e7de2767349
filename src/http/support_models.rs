//! Site admins create support models on the web: `/admin/stodmodeller` lists them,
//! `/admin/stodmodeller/ny` makes a new matrix, catalogue or phased guide, which is at once
//! in the navigation, on the start page, in search and in the sitemap.

use axum::Router;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use hallbar_index::{
    Axis, AxisValue, Category, GuidePhase, MAX_STRUCTURE_VALUES, Matrix, ModelKind, Slug,
    SupportModel, Validate, competence_slug,
};
use hallbar_templates::Section;
use hallbar_templates::components::form::FormState;
use hallbar_templates::pages::support_models::{self as pages, LIST_PATH, NEW_PATH};

use super::csrf::Csrf;
use super::form::{FormInput, failed};
use super::moderation::is_admin;
use super::session::{CurrentSession, now};
use super::view::{page, uncached};
use super::{AppError, AppState, CurrentUser};
use crate::db;

type Session = Option<axum::Extension<CurrentSession>>;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(LIST_PATH, get(list))
        .route(NEW_PATH, get(new_form).post(create))
}

/// Only site admins: a visitor is sent to log in (by [`CurrentUser`]), a member gets 403.
fn require_admin(_user: &CurrentUser, session: &Session) -> Result<(), AppError> {
    if is_admin(session.as_ref().map(|s| &s.0)) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

fn admin_page(state: &AppState, path: &str, title: &str) -> hallbar_templates::Page {
    page(
        &state.config,
        path,
        title,
        "Webbplatsens stödmodeller: kunskapsmatriser, kataloger och fasguider.",
    )
    .section(Section::None)
}

async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    RawQuery(query): RawQuery,
) -> Result<Response, AppError> {
    require_admin(&user, &session)?;
    let mut conn = state.db.acquire().await?;
    let models = db::support_models::list(&mut conn).await?;
    let created = query
        .as_deref()
        .and_then(|q| q.split('&').find_map(|p| p.strip_prefix("skapad=")))
        .and_then(|id| models.iter().find(|m| m.id.as_str() == id));
    let meta = admin_page(&state, LIST_PATH, "Stödmodeller");
    Ok(uncached(
        StatusCode::OK,
        pages::list(&meta, &models, created),
    ))
}

async fn new_form(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    Csrf(csrf): Csrf,
) -> Result<Response, AppError> {
    require_admin(&user, &session)?;
    let mut form = FormState::new();
    form.set("typ", "fasguide");
    let meta = admin_page(&state, NEW_PATH, "Ny stödmodell");
    Ok(uncached(
        StatusCode::OK,
        pages::new_model(&meta, &form, &csrf),
    ))
}

async fn create(
    State(state): State<AppState>,
    admin: super::admin::Admin,
    Csrf(csrf): Csrf,
    FormInput(mut form): FormInput,
) -> Result<Response, AppError> {
    let parsed = read(&mut form);
    let mut change = state.writes().begin().await?;
    if let Some((model, _)) = &parsed {
        if db::support_models::get(&mut change, model.id.as_str())
            .await?
            .is_some()
        {
            form.add_error("adress", "Det finns redan en stödmodell med den adressen");
        } else if model.kind == ModelKind::Matrix
            && db::matrix::get(&mut change, model.id.as_str())
                .await?
                .is_some()
        {
            form.add_error("adress", "Det finns redan en matris med den adressen");
        }
    }
    let Some((model, matrix)) = parsed.filter(|_| !form.has_errors()) else {
        let meta = admin_page(&state, NEW_PATH, "Ny stödmodell");
        return Ok(failed(pages::new_model(&meta, &form, &csrf)));
    };
    db::support_models::upsert(&mut change, &model, now()).await?;
    if let Some(matrix) = &matrix {
        db::matrix::upsert(&mut change, matrix).await?;
    }
    db::admin_log::record(
        &mut change,
        admin.actor.account_id,
        &admin.actor.name,
        db::admin_log::actions::MODEL_CREATE,
        model.id.as_str(),
        &format!("{} ({})", model.name, model.kind.label()),
        now(),
    )
    .await?;
    let committed = change.commit().await?;
    // This node's list of models is read again once its indexer has read the change.
    committed
        .searchable(std::time::Duration::from_secs(10))
        .await;
    tracing::info!(model = %model.id, kind = model.kind.slug(), "ny stödmodell");
    Ok(Redirect::to(&format!("{LIST_PATH}?skapad={}", model.id)).into_response())
}

/// The form's field for a validation error's field (`faser[2].namn` → `faser`).
fn form_field(field: &str) -> &'static str {
    let head = field.split(['.', '[']).next().unwrap_or_default();
    match head {
        "id" => "adress",
        "omrade" => "omrade",
        "namn" => "namn",
        "introduktion" => "introduktion",
        "kategorier" => "kategorier",
        "faser" => "faser",
        "rader" if field.starts_with("rader.namn") => "rader-namn",
        "rader" => "rader-varden",
        "kolumner" if field.starts_with("kolumner.namn") => "kolumner-namn",
        "kolumner" => "kolumner-varden",
        _ => "namn",
    }
}

/// The values of a one-per-line field: trimmed, blank lines dropped.
fn lines(form: &FormState, name: &str) -> Vec<String> {
    form.value(name)
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

/// Names with their slugs: an error at `name` for too many, a name with no letters or
/// digits, or two names with the same slug.
fn slugged(form: &mut FormState, name: &str, what: &str, max: usize) -> Vec<(Slug, String)> {
    let values = lines(form, name);
    if values.len() > max {
        form.add_error(
            name,
            format!("Skriv högst {max} {what} (du skrev {})", values.len()),
        );
        return Vec::new();
    }
    let mut out: Vec<(Slug, String)> = Vec::new();
    for value in values {
        match Slug::new(competence_slug(&value)) {
            Err(_) => {
                form.add_error(
                    name,
                    format!("\"{}\" behöver minst en bokstav eller siffra", clip(&value)),
                );
                return Vec::new();
            }
            Ok(slug) if out.iter().any(|(s, _)| *s == slug) => {
                form.add_error(name, format!("\"{}\" står mer än en gång", clip(&value)));
                return Vec::new();
            }
            Ok(slug) => out.push((slug, value)),
        }
    }
    out
}

fn clip(text: &str) -> String {
    text.chars().filter(|c| !c.is_control()).take(60).collect()
}

/// Reads the form as a model (and a matrix model's empty matrix), adding a Swedish message
/// at each field that is wrong; `None` when something is.
fn read(form: &mut FormState) -> Option<(SupportModel, Option<Matrix>)> {
    let name = form.value("namn").trim().to_string();
    let area = match form.value("omrade").trim() {
        "" => name.clone(),
        area => area.to_string(),
    };
    let intro = form.value("introduktion").trim().to_string();
    let address = form.value("adress").trim().to_string();
    let id = match Slug::new(address.clone()) {
        Ok(id) => Some(id),
        Err(_) if address.is_empty() => {
            form.add_error("adress", "Skriv en adress, t.ex. ungas-inflytande");
            None
        }
        Err(_) => {
            form.add_error(
                "adress",
                "Adressen får bara innehålla a–z, 0–9 och bindestreck, och får inte börja \
                 eller sluta med bindestreck (högst 80 tecken)",
            );
            None
        }
    };
    let kind = match ModelKind::from_slug(form.value("typ")) {
        Ok(kind) => Some(kind),
        Err(_) => {
            form.add_error("typ", "Välj vilken typ av stödmodell det är");
            None
        }
    };
    let mut categories = Vec::new();
    let mut phases = Vec::new();
    let mut axes = None;
    match kind {
        Some(ModelKind::Catalogue) => {
            categories = slugged(form, "kategorier", "kategorier", MAX_STRUCTURE_VALUES)
                .into_iter()
                .map(|(id, name)| Category { id, name })
                .collect();
            if categories.is_empty() && form.error("kategorier").is_none() {
                form.add_error("kategorier", "Skriv minst en kategori, en per rad");
            }
        }
        Some(ModelKind::Guide) => {
            phases = slugged(form, "faser", "faser", MAX_STRUCTURE_VALUES)
                .into_iter()
                .map(|(id, name)| GuidePhase {
                    id,
                    name,
                    description: String::new(),
                })
                .collect();
            if phases.is_empty() && form.error("faser").is_none() {
                form.add_error("faser", "Skriv minst en fas, en per rad");
            }
        }
        Some(ModelKind::Matrix) => {
            let axis = |form: &mut FormState, prefix: &str, what: &str| {
                let values = slugged(
                    form,
                    &format!("{prefix}-varden"),
                    what,
                    hallbar_index::MAX_AXIS_VALUES,
                );
                if values.is_empty() && form.error(&format!("{prefix}-varden")).is_none() {
                    form.add_error(
                        &format!("{prefix}-varden"),
                        format!("Skriv minst ett värde för {what}, ett per rad"),
                    );
                }
                Axis {
                    name: form.value(&format!("{prefix}-namn")).trim().to_string(),
                    values: values
                        .into_iter()
                        .map(|(id, name)| AxisValue {
                            id,
                            description: name.clone(),
                            name,
                        })
                        .collect(),
                }
            };
            let rows = axis(form, "rader", "raderna");
            let columns = axis(form, "kolumner", "kolumnerna");
            axes = Some((rows, columns));
        }
        None => {}
    }
    let (id, kind) = (id?, kind?);
    let model = SupportModel {
        id,
        kind,
        area,
        name,
        intro,
        categories,
        phases,
    };
    let matrix = axes.map(|(rows, columns)| Matrix {
        id: model.id.clone(),
        title: model.name.clone(),
        description: model.intro.clone(),
        rows,
        columns,
        cells: Vec::new(),
    });
    let mut errors = model.validate();
    if let Some(matrix) = &matrix {
        errors.extend(matrix.validate().into_iter().filter(|e| {
            // The title and description are the model's own, checked above.
            !matches!(e.field.as_str(), "titel" | "beskrivning")
        }));
    }
    for error in errors {
        let field = form_field(&error.field);
        if form.error(field).is_none() {
            form.add_error(field, swedish_message(field, &error.message));
        }
    }
    (!form.has_errors()).then_some((model, matrix))
}

/// A validation message as the form says it, naming the field.
fn swedish_message(field: &str, message: &str) -> String {
    let label = match field {
        "adress" => "Adressen",
        "omrade" => "Området",
        "namn" => "Namnet",
        "introduktion" => "Introduktionen",
        "kategorier" => "Kategorierna",
        "faser" => "Faserna",
        "rader-namn" => "Radernas namn",
        "rader-varden" => "Raderna",
        "kolumner-namn" => "Kolumnernas namn",
        _ => "Kolumnerna",
    };
    format!("{label} {message}")
}
