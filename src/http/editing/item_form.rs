//! An item's form: the fields and options it offers, showing it, and what its buttons do
//! (preview, save a draft, publish) with a conflict shown when someone else saved first.

#[allow(clippy::wildcard_imports)]
use super::*;

// ---- The options a form offers ----

pub(crate) async fn options_for(
    state: &AppState,
    kind: ItemKind,
    model: &str,
) -> Result<Options, AppError> {
    let mut conn = state.db.acquire().await?;
    let mut options = Options::default();
    if let Some(found) = db::support_models::get(&mut conn, model).await? {
        options.categories = found
            .categories
            .iter()
            .map(|c| (c.id.to_string(), c.name.clone()))
            .collect();
        options.phases = found
            .phases
            .iter()
            .map(|p| (p.id.to_string(), p.name.clone()))
            .collect();
    }
    // A matrix model's matrix has the model's id.
    if kind == ItemKind::Article
        && let Some(matrix) = db::matrix::get(&mut conn, model).await?
    {
        options.cells = item::cell_choices(&matrix);
    }
    Ok(options)
}

/// Rows and columns of a matrix, for a new cell's place.
pub(crate) async fn axes(
    state: &AppState,
    model: &str,
) -> Result<(Vec<(String, String)>, Vec<(String, String)>), AppError> {
    let mut conn = state.db.acquire().await?;
    let matrix = db::matrix::get(&mut conn, model)
        .await?
        .ok_or(AppError::NotFound)?;
    let values = |axis: &hallbar_index::Axis| {
        axis.values
            .iter()
            .map(|v| (v.id.to_string(), v.name.clone()))
            .collect::<Vec<_>>()
    };
    Ok((values(&matrix.rows), values(&matrix.columns)))
}

/// The fields of a form for `kind`: new items choose their address (and a new cell its
/// row and column); an existing item's address is fixed.
pub(crate) async fn edit_fields(
    state: &AppState,
    kind: ItemKind,
    model: &str,
    options: &Options,
    existing: bool,
) -> Result<Vec<EditField>, AppError> {
    let cell_axes = if kind == ItemKind::Cell && !existing {
        Some(axes(state, model).await?)
    } else {
        None
    };
    Ok(specs(kind)
        .iter()
        .map(|spec| {
            let widget = match spec.input {
                Input::Line | Input::Year | Input::OptionalYear | Input::Date => Widget::Line,
                Input::Text => Widget::Text { rows: 4 },
                Input::Markdown => Widget::Text { rows: 16 },
                Input::Lines | Input::Links => Widget::Text { rows: 5 },
                Input::Select(choices) => Widget::Select {
                    options: options.of(choices),
                    empty: (choices == Choices::OptionalDistrict)
                        .then(|| "Ingen särskild stadsdel".to_string()),
                },
                Input::Checks(choices) => Widget::Checks {
                    options: options.of(choices),
                },
                Input::Fixed => match &cell_axes {
                    Some((rows, columns)) => Widget::Select {
                        options: if spec.path == "rad" {
                            rows.clone()
                        } else {
                            columns.clone()
                        },
                        empty: None,
                    },
                    None => Widget::Fixed {
                        shown: String::new(),
                    },
                },
            };
            let widget = if spec.path == "id" && existing {
                Widget::Fixed {
                    shown: String::new(),
                }
            } else {
                widget
            };
            EditField {
                name: spec.path.to_string(),
                label: spec.label.to_string(),
                hint: spec.hint.map(str::to_string),
                required: spec.required,
                widget,
            }
        })
        .collect())
}

/// Fixed fields show the form's value.
pub(crate) fn show_fixed(fields: &mut [EditField], form: &FormState) {
    for f in fields {
        if let Widget::Fixed { shown } = &mut f.widget {
            *shown = form.value(&f.name).to_string();
        }
    }
}

/// The Markdown fields of a form, rendered as the public pages render them.
pub(crate) fn preview(kind: ItemKind, form: &FormState) -> Vec<(String, Markup)> {
    specs(kind)
        .iter()
        .filter(|s| s.input == Input::Markdown)
        .map(|s| {
            (
                s.label.to_string(),
                hallbar_templates::markdown::to_html(form.value(s.path)),
            )
        })
        .collect()
}

/// Puts a checker's messages at the fields they are about.
pub(crate) fn place_errors(kind: ItemKind, form: &mut FormState, errors: &[FieldError]) {
    for error in errors {
        let (spec, index) = fields::owner(kind, &error.field);
        let (name, label) = match spec {
            Some(spec) => (spec.path, spec.label),
            None => (specs(kind)[0].path, specs(kind)[0].label),
        };
        let message = match index {
            Some(i) => format!("{label}, rad {}: {}", i + 1, error.message),
            None => format!("{label}: {}", error.message),
        };
        form.add_error(name, message);
    }
}

pub(super) struct FormPage<'a> {
    pub(super) kind: ItemKind,
    pub(super) model: &'a str,
    pub(super) id: Option<&'a str>,
    pub(super) form: FormState,
    pub(super) preview: bool,
    pub(super) conflict: Option<Conflict>,
    pub(super) notice: Option<String>,
    pub(super) has_draft: bool,
    pub(super) proposal: Option<i64>,
    pub(super) public_url: Option<String>,
}

pub(super) async fn render_form(
    state: &AppState,
    csrf: &str,
    p: FormPage<'_>,
) -> Result<Markup, AppError> {
    let options = options_for(state, p.kind, p.model).await?;
    let mut fields = edit_fields(state, p.kind, p.model, &options, p.id.is_some()).await?;
    show_fixed(&mut fields, &p.form);
    let (heading, action) = match p.id {
        Some(id) => (
            format!("Redigera {}", p.kind.one().trim_start_matches("en ")),
            edit_path(p.kind, id),
        ),
        None => (
            format!("Ny {}", p.kind.one().trim_start_matches("en ")),
            new_path(p.kind, p.model),
        ),
    };
    let heading = match p.form.value("titel") {
        "" => heading,
        title => format!("{heading}: {title}"),
    };
    let title = heading.clone();
    let meta = admin_page(state, &action, &title);
    let view = EditView {
        back: ("/admin/innehall".to_string(), "Innehåll".to_string()),
        heading,
        intro: None,
        comparison: None,
        action: action.clone(),
        fields: &fields,
        form: &p.form,
        csrf,
        preview: p.preview.then(|| preview(p.kind, &p.form)),
        conflict: p.conflict,
        notice: p.notice,
        has_draft: p.has_draft,
        history_url: p.id.map(|id| format!("{}/historik", edit_path(p.kind, id))),
        delete_url: p
            .id
            .filter(|_| p.public_url.is_some())
            .map(|id| format!("{}/ta-bort", edit_path(p.kind, id))),
        public_url: p.public_url,
        proposal: p.proposal,
        publish_label: if p.proposal.is_some() {
            "Godkänn och publicera"
        } else {
            "Publicera"
        },
        drafts: p.proposal.is_none(),
    };
    Ok(pages::edit(&meta, &view))
}

/// The item a form holds: `id` (an existing item's) and the model are fixed, whatever
/// the form says; `None` when a field cannot be read (the form then holds the messages).
pub(crate) fn read_item(
    kind: ItemKind,
    model: &str,
    id: Option<&str>,
    form: &mut FormState,
    options: &Options,
) -> Result<Option<Item>, AppError> {
    let mut fixed: Vec<(&str, Value)> = Vec::new();
    if let Some(id) = id {
        match kind {
            ItemKind::Cell => {
                let (_, row, column) = split_cell_id(id).ok_or(AppError::NotFound)?;
                fixed.push(("rad", json!(row.as_str())));
                fixed.push(("kolumn", json!(column.as_str())));
            }
            _ => fixed.push(("id", json!(id))),
        }
    }
    if matches!(kind, ItemKind::Cell | ItemKind::Article) {
        fixed.push(("matris", json!(model)));
    } else {
        fixed.push(("modell", json!(model)));
    }
    Ok(
        values::from_form(kind, form, options, &fixed).and_then(|value| {
            match Item::from_json(kind, value) {
                Ok(item) => Some(item),
                Err(error) => {
                    place_errors(kind, form, &[error]);
                    None
                }
            }
        }),
    )
}

/// What a form's submit does with the item typed.
#[allow(clippy::too_many_arguments)]
pub(super) async fn save(
    state: &AppState,
    ctx: &EditorCtx,
    csrf: &str,
    kind: ItemKind,
    model: &str,
    id: Option<&str>,
    mut form: FormState,
    stored: Option<Stored>,
) -> Result<Response, AppError> {
    let options = options_for(state, kind, model).await?;
    let item = read_item(kind, model, id, &mut form, &options)?;
    let has_draft = stored.as_ref().is_some_and(|s| s.draft.is_some());
    let public_url = stored
        .as_ref()
        .and_then(|s| s.published.as_ref())
        .map(|item| item.public_path(model));
    let action = form.value("atgard").to_string();
    let proposal = None;
    let render = |form: FormState, preview: bool, conflict: Option<Conflict>| FormPage {
        kind,
        model,
        id,
        form,
        preview,
        conflict,
        notice: None,
        has_draft,
        proposal,
        public_url: public_url.clone(),
    };
    let Some(item) = item else {
        let page =
            render_form(state, csrf, render(form, action == "forhandsgranska", None)).await?;
        return Ok(uncached(StatusCode::UNPROCESSABLE_ENTITY, page));
    };
    // The model is fixed by the address (a forged `modell` or `matris` changes nothing).
    let mut conn = state.db.acquire().await?;
    if item::owner(&mut conn, &item).await? != model {
        return Err(AppError::Forbidden);
    }
    drop(conn);
    let entity = item.entity_id();
    // A new item's address may hold another model's item or draft: not theirs to see or
    // replace.
    if id.is_none()
        && let Some(existing) = super::stored(state, kind, &entity).await?
    {
        ctx.require(&existing.model)?;
    }
    match action.as_str() {
        "forhandsgranska" => {
            place_errors(kind, &mut form, &item.validate());
            let page = render_form(state, csrf, render(form, true, None)).await?;
            Ok(uncached(StatusCode::OK, page))
        }
        "utkast" => {
            // Only a version's hash is kept with a draft; anything else is no version.
            let base = Some(form.value("version").to_string()).filter(|v| is_hash(v));
            let expected = Some(form.value("utkast").to_string()).filter(|v| !v.is_empty());
            match publish::save_draft(
                &state.db,
                &ctx.editor,
                &item,
                base.as_deref(),
                expected.as_deref(),
            )
            .await
            {
                Ok(()) => Ok(
                    Redirect::to(&format!("{}?sparat=utkast", edit_path(kind, &entity)))
                        .into_response(),
                ),
                Err(EditError::Conflict { current }) => {
                    form.set(
                        "utkast",
                        current.as_ref().map(|c| c.hash()).unwrap_or_default(),
                    );
                    let conflict =
                        conflict_view(kind, "utkastet", current.as_deref(), &item, &options);
                    let page =
                        render_form(state, csrf, render(form, false, Some(conflict))).await?;
                    Ok(uncached(StatusCode::CONFLICT, page))
                }
                Err(EditError::Invalid(errors)) => {
                    place_errors(kind, &mut form, &errors);
                    let page = render_form(state, csrf, render(form, false, None)).await?;
                    Ok(uncached(StatusCode::UNPROCESSABLE_ENTITY, page))
                }
                Err(e) => Err(edit_error(e)),
            }
        }
        "publicera" => {
            let expected = Some(form.value("version").to_string()).filter(|v| !v.is_empty());
            match publish::publish(
                &state.writes(),
                &ctx.editor,
                &item,
                expected.as_deref(),
                "Publicerad",
            )
            .await
            {
                Ok(committed) => {
                    committed.searchable(SEARCHABLE_WITHIN).await;
                    Ok(
                        Redirect::to(&format!("{}?sparat=publicerat", edit_path(kind, &entity)))
                            .into_response(),
                    )
                }
                Err(EditError::Conflict { current }) => {
                    form.set(
                        "version",
                        current.as_ref().map(|c| c.hash()).unwrap_or_default(),
                    );
                    let what = if expected.is_none() && current.is_some() {
                        "en sida med samma adress"
                    } else {
                        "den publicerade versionen"
                    };
                    let conflict = conflict_view(kind, what, current.as_deref(), &item, &options);
                    let page =
                        render_form(state, csrf, render(form, false, Some(conflict))).await?;
                    Ok(uncached(StatusCode::CONFLICT, page))
                }
                Err(EditError::Invalid(errors)) => {
                    place_errors(kind, &mut form, &errors);
                    let page = render_form(state, csrf, render(form, false, None)).await?;
                    Ok(uncached(StatusCode::UNPROCESSABLE_ENTITY, page))
                }
                Err(e) => Err(edit_error(e)),
            }
        }
        _ => Err(AppError::invalid(
            "atgard",
            "välj Förhandsgranska, Spara utkast eller Publicera",
        )),
    }
}

/// Whether `text` looks like a version's hash ([`hash_text`]).
fn is_hash(text: &str) -> bool {
    text.len() == 64 && text.bytes().all(|b| b.is_ascii_hexdigit())
}

/// The conflict shown when `current` (the stored version, `None`: deleted) is not what
/// the editor started from.
pub(crate) fn conflict_view(
    kind: ItemKind,
    what: &str,
    current: Option<&Item>,
    mine: &Item,
    options: &Options,
) -> Conflict {
    Conflict {
        what: what.to_string(),
        changes: crate::editing::diff::fields(
            kind,
            &current.map(Item::to_json).unwrap_or(Value::Null),
            &mine.to_json(),
            options,
        ),
        deleted: current.is_none() && what != "utkastet",
    }
}
