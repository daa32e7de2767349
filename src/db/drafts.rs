//! Drafts: one saved, unpublished version per item, seen only by its model's editors.

use super::codec::DbRow;
use super::{AsConn, on_db};

/// A stored draft.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    pub kind: String,
    pub model_id: String,
    pub entity_id: String,
    /// The item in the import format.
    pub body: String,
    /// The published version it started from (`None`: a new item).
    pub base_hash: Option<String>,
    pub saved_by_name: Option<String>,
    pub saved_at: i64,
}

fn read(row: &impl DbRow) -> sqlx::Result<Draft> {
    Ok(Draft {
        kind: row.text("kind")?,
        model_id: row.text("model_id")?,
        entity_id: row.text("entity_id")?,
        body: row.text("body")?,
        base_hash: row.optional_text("base_hash")?,
        saved_by_name: row.optional_text("saved_by_name")?,
        saved_at: row.int("saved_at")?,
    })
}

const SELECT: &str = "SELECT d.kind, d.model_id, d.entity_id, d.body, d.base_hash, d.saved_at, \
     a.name AS saved_by_name FROM content_drafts d LEFT JOIN accounts a ON a.id = d.saved_by";

/// Saves (creates or replaces) the draft of an item.
#[allow(clippy::too_many_arguments)]
pub async fn save(
    conn: &mut impl AsConn,
    kind: &str,
    model_id: &str,
    entity_id: &str,
    body: &str,
    base_hash: Option<&str>,
    account_id: i64,
    now: i64,
) -> sqlx::Result<()> {
    on_db!(conn, |c| {
        sqlx::query(
            "INSERT INTO content_drafts (kind, model_id, entity_id, body, base_hash, saved_by, \
               saved_at) VALUES ($1, $2, $3, $4, $5, $6, $7) \
             ON CONFLICT (kind, model_id, entity_id) DO UPDATE SET body = excluded.body, \
               base_hash = excluded.base_hash, saved_by = excluded.saved_by, \
               saved_at = excluded.saved_at",
        )
        .bind(kind)
        .bind(model_id)
        .bind(entity_id)
        .bind(body)
        .bind(base_hash)
        .bind(account_id)
        .bind(now)
        .execute(&mut *c)
        .await?;
    });
    Ok(())
}

/// The draft of an item, whatever model it is filed under.
pub async fn get(
    conn: &mut impl AsConn,
    kind: &str,
    entity_id: &str,
) -> sqlx::Result<Option<Draft>> {
    on_db!(conn, |c| {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "{SELECT} WHERE d.kind = $1 AND d.entity_id = $2 ORDER BY d.saved_at DESC LIMIT 1"
        )))
        .bind(kind)
        .bind(entity_id)
        .fetch_optional(&mut *c)
        .await?
        .as_ref()
        .map(read)
        .transpose()
    })
}

/// Removes an item's draft (it was published, or thrown away); false when it had none.
pub async fn remove(conn: &mut impl AsConn, kind: &str, entity_id: &str) -> sqlx::Result<bool> {
    let removed = on_db!(conn, |c| {
        sqlx::query("DELETE FROM content_drafts WHERE kind = $1 AND entity_id = $2")
            .bind(kind)
            .bind(entity_id)
            .execute(&mut *c)
            .await?
            .rows_affected()
    });
    Ok(removed > 0)
}

/// Every draft of the given models (all models when `models` is `None`), newest first.
pub async fn list(conn: &mut impl AsConn, models: Option<&[String]>) -> sqlx::Result<Vec<Draft>> {
    let all: Vec<Draft> = on_db!(conn, |c| {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "{SELECT} ORDER BY d.saved_at DESC, d.entity_id"
        )))
        .fetch_all(&mut *c)
        .await?
        .iter()
        .map(read)
        .collect::<sqlx::Result<_>>()?
    });
    Ok(match models {
        None => all,
        Some(models) => all
            .into_iter()
            .filter(|d| models.contains(&d.model_id))
            .collect(),
    })
}
