//! `/admin/innehall`: the content of every model the viewer edits, drafts included.

#[allow(clippy::wildcard_imports)]
use super::*;

pub(super) async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
) -> Result<Response, AppError> {
    let ctx = editor_ctx(&state, &user, &session).await?;
    let mut conn = state.db.acquire().await?;
    let drafts = db::drafts::list(&mut conn, Some(&ctx.models)).await?;
    let status = |kind: ItemKind, id: &str, published: bool| {
        let drafted = drafts
            .iter()
            .any(|d| d.kind == kind.slug() && d.entity_id == id);
        match (published, drafted) {
            (true, true) => "Publicerad, med utkast",
            (true, false) => "Publicerad",
            _ => "Utkast",
        }
        .to_string()
    };
    let new_drafts =
        |kind: ItemKind, model: &str, items: &mut Vec<ListedItem>, published: &[String]| {
            for d in drafts
                .iter()
                .filter(|d| d.kind == kind.slug() && d.model_id == model)
                .filter(|d| !published.contains(&d.entity_id))
            {
                let title =
                    Item::from_stored(kind, &d.body).map_or(d.entity_id.clone(), |i| i.title());
                items.push(ListedItem {
                    title,
                    edit_url: edit_path(kind, &d.entity_id),
                    status: "Utkast (ny)".to_string(),
                    public_url: None,
                });
            }
        };
    let mut models = Vec::new();
    let all = db::support_models::list(&mut conn).await?;
    for model in all.iter().filter(|m| ctx.may_edit(m.id.as_str())) {
        let id = model.id.as_str();
        let mut kinds = Vec::new();
        match model.kind {
            ModelKind::Catalogue => {
                let entries: Vec<_> = db::pivi::list(&mut conn)
                    .await?
                    .into_iter()
                    .filter(|e| e.model.as_str() == id)
                    .collect();
                let ids: Vec<String> = entries.iter().map(|e| e.id.to_string()).collect();
                let mut items: Vec<ListedItem> = entries
                    .iter()
                    .map(|e| ListedItem {
                        title: e.title.clone(),
                        edit_url: edit_path(ItemKind::Pivi, e.id.as_str()),
                        status: status(ItemKind::Pivi, e.id.as_str(), true),
                        public_url: Some(hallbar_index::paths::pivi_entry(id, &e.id)),
                    })
                    .collect();
                new_drafts(ItemKind::Pivi, id, &mut items, &ids);
                kinds.push(ListedKind {
                    heading: "Poster".to_string(),
                    new_url: Some((new_path(ItemKind::Pivi, id), "Ny post".to_string())),
                    items,
                });
            }
            ModelKind::Guide => {
                let texts = db::dialogue::in_model(&mut conn, id).await?;
                let ids: Vec<String> = texts.iter().map(|t| t.id.to_string()).collect();
                let mut items: Vec<ListedItem> = texts
                    .iter()
                    .map(|t| ListedItem {
                        title: format!("{} ({})", t.title, model.phase_name(t.phase.as_str())),
                        edit_url: edit_path(ItemKind::Dialogue, t.id.as_str()),
                        status: status(ItemKind::Dialogue, t.id.as_str(), true),
                        public_url: Some(hallbar_index::paths::dialogue_text(id, &t.phase, &t.id)),
                    })
                    .collect();
                new_drafts(ItemKind::Dialogue, id, &mut items, &ids);
                kinds.push(ListedKind {
                    heading: "Texter, checklistor och erfarenheter".to_string(),
                    new_url: Some((new_path(ItemKind::Dialogue, id), "Ny text".to_string())),
                    items,
                });
            }
            ModelKind::Matrix => {
                let Some(matrix) = db::matrix::get(&mut conn, id).await? else {
                    continue;
                };
                let mut cell_ids = Vec::new();
                let mut cells: Vec<ListedItem> = Vec::new();
                for cell in &matrix.cells {
                    let cell_id = item::cell_id(&matrix.id, &cell.row, &cell.column);
                    cells.push(ListedItem {
                        title: format!(
                            "{} × {}",
                            matrix
                                .row(cell.row.as_str())
                                .map_or("?", |v| v.name.as_str()),
                            matrix
                                .column(cell.column.as_str())
                                .map_or("?", |v| v.name.as_str())
                        ),
                        edit_url: edit_path(ItemKind::Cell, &cell_id),
                        status: status(ItemKind::Cell, &cell_id, true),
                        public_url: Some(hallbar_index::paths::matrix_cell(
                            id,
                            &cell.row,
                            &cell.column,
                        )),
                    });
                    cell_ids.push(cell_id);
                }
                new_drafts(ItemKind::Cell, id, &mut cells, &cell_ids);
                kinds.push(ListedKind {
                    heading: "Rutor".to_string(),
                    new_url: Some((new_path(ItemKind::Cell, id), "Ny ruta".to_string())),
                    items: cells,
                });
                let articles: Vec<_> = db::articles::list(&mut conn, false, i64::MAX)
                    .await?
                    .into_iter()
                    .filter(|a| a.matrix.as_str() == id)
                    .collect();
                let ids: Vec<String> = articles.iter().map(|a| a.id.to_string()).collect();
                let mut items: Vec<ListedItem> = articles
                    .iter()
                    .map(|a| ListedItem {
                        title: a.title.clone(),
                        edit_url: edit_path(ItemKind::Article, a.id.as_str()),
                        status: status(ItemKind::Article, a.id.as_str(), true),
                        public_url: Some(hallbar_index::paths::article(id, &a.id)),
                    })
                    .collect();
                new_drafts(ItemKind::Article, id, &mut items, &ids);
                kinds.push(ListedKind {
                    heading: "Artiklar".to_string(),
                    new_url: Some((new_path(ItemKind::Article, id), "Ny artikel".to_string())),
                    items,
                });
            }
        }
        models.push(ListedModel {
            name: model.title(),
            kinds,
        });
    }
    let waiting = db::proposals::waiting_count(&mut conn, Some(&ctx.models)).await?;
    drop(conn);
    let meta = admin_page(&state, "/admin/innehall", "Innehåll");
    Ok(uncached(
        StatusCode::OK,
        pages::content_list(&meta, &models, waiting as usize),
    ))
}
