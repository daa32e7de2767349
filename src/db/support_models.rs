//! Support models (stödmodeller): the matrices, catalogues and phased guides the site shows,
//! in navigation order. Look one up with [`get`], all with [`list`].

use hallbar_index::{Category, GuidePhase, ModelKind, SupportModel};
use serde::{Deserialize, Serialize};
use sqlx::types::Json;

use super::codec::{self, DbRow};
use super::{AsConn, on_db};

/// A model's own structure, as the `structure` column holds it (the import format's names).
#[derive(Debug, Default, Serialize, Deserialize)]
struct Structure {
    #[serde(rename = "kategorier", default, skip_serializing_if = "Vec::is_empty")]
    categories: Vec<Category>,
    #[serde(rename = "faser", default, skip_serializing_if = "Vec::is_empty")]
    phases: Vec<GuidePhase>,
}

fn from_row(row: &impl DbRow) -> sqlx::Result<SupportModel> {
    let structure: Structure = codec::json(row, "structure")?;
    Ok(SupportModel {
        id: codec::slug(row, "id")?,
        kind: codec::closed::<ModelKind>(row, "kind")?,
        area: row.text("area")?,
        name: row.text("name")?,
        intro: row.text("intro")?,
        categories: structure.categories,
        phases: structure.phases,
    })
}

/// Every model, in navigation order.
pub async fn list(conn: &mut impl AsConn) -> sqlx::Result<Vec<SupportModel>> {
    on_db!(conn, |c| {
        sqlx::query("SELECT * FROM support_models ORDER BY position, id")
            .fetch_all(&mut *c)
            .await?
            .iter()
            .map(from_row)
            .collect()
    })
}

/// The model at `/{id}`, if any.
pub async fn get(conn: &mut impl AsConn, id: &str) -> sqlx::Result<Option<SupportModel>> {
    on_db!(conn, |c| {
        sqlx::query("SELECT * FROM support_models WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *c)
            .await?
            .as_ref()
            .map(from_row)
            .transpose()
    })
}

/// Creates a model (last in the navigation) or updates one, keeping its place. The caller
/// validates it first; changing a model's kind is the caller's to refuse.
pub async fn upsert(conn: &mut impl AsConn, model: &SupportModel, now: i64) -> sqlx::Result<()> {
    let structure = Structure {
        categories: model.categories.clone(),
        phases: model.phases.clone(),
    };
    on_db!(conn, |c| {
        sqlx::query(
            "INSERT INTO support_models (id, kind, area, name, intro, structure, position, \
               created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, \
               (SELECT COALESCE(MAX(position), -1) + 1 FROM support_models), $7) \
             ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, area = excluded.area, \
               name = excluded.name, intro = excluded.intro, structure = excluded.structure",
        )
        .bind(model.id.as_str())
        .bind(model.kind.slug())
        .bind(&model.area)
        .bind(&model.name)
        .bind(&model.intro)
        .bind(Json(&structure))
        .bind(now)
        .execute(&mut *c)
        .await?;
    });
    // Every node's indexer reads it and reads the models again (see `model_cache`).
    super::outbox::append(conn, hallbar_index::ContentKind::Model, model.id.as_str()).await?;
    Ok(())
}

/// The `(item, value)` pairs that the stored items of `model` use of its structure: a
/// catalogue's entries with their category, a guide's texts with their phase (none for a
/// matrix, whose cells are checked with the matrix).
pub async fn structure_in_use(
    conn: &mut impl AsConn,
    model: &SupportModel,
) -> sqlx::Result<Vec<(String, String)>> {
    let sql = match model.kind {
        ModelKind::Catalogue => "SELECT id, kind FROM pivi_entries WHERE model_id = $1 ORDER BY id",
        ModelKind::Guide => "SELECT id, phase FROM dialogue_texts WHERE model_id = $1 ORDER BY id",
        ModelKind::Matrix => return Ok(Vec::new()),
    };
    on_db!(conn, |c| {
        sqlx::query_as(sql)
            .bind(model.id.as_str())
            .fetch_all(&mut *c)
            .await
    })
}

/// How many items each model holds, by the id they name: catalogue entries and guide texts
/// by their model, articles by their matrix (see [`hallbar_index::model_of_matrix`]).
pub async fn item_counts(conn: &mut impl AsConn) -> sqlx::Result<Vec<(String, i64)>> {
    on_db!(conn, |c| {
        sqlx::query(
            "SELECT model_id AS id, COUNT(*) AS n FROM pivi_entries GROUP BY model_id \
             UNION ALL SELECT model_id AS id, COUNT(*) AS n FROM dialogue_texts GROUP BY model_id \
             UNION ALL SELECT matrix_id AS id, COUNT(*) AS n FROM articles GROUP BY matrix_id",
        )
        .fetch_all(&mut *c)
        .await?
        .iter()
        .map(|row| Ok((row.text("id")?, row.int("n")?)))
        .collect()
    })
}
