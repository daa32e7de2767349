//! Revisions: every published version of an item (who, when, why), newest last.

use super::codec::DbRow;
use super::{AsConn, on_db};

/// One stored version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revision {
    pub id: i64,
    /// The support model the item belonged to.
    pub model_id: String,
    /// The item in the import format; `None` records a deletion.
    pub body: Option<String>,
    pub account_id: Option<i64>,
    pub author_name: String,
    pub note: String,
    pub created_at: i64,
}

/// A new revision of an item.
pub struct New<'a> {
    pub kind: &'a str,
    pub model_id: &'a str,
    pub entity_id: &'a str,
    pub body: Option<&'a str>,
    pub account_id: Option<i64>,
    pub author_name: &'a str,
    pub note: &'a str,
    pub now: i64,
}

pub async fn add(conn: &mut impl AsConn, new: &New<'_>) -> sqlx::Result<()> {
    on_db!(conn, |c| {
        sqlx::query(
            "INSERT INTO content_revisions (kind, model_id, entity_id, body, account_id, \
               author_name, note, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(new.kind)
        .bind(new.model_id)
        .bind(new.entity_id)
        .bind(new.body)
        .bind(new.account_id)
        .bind(new.author_name)
        .bind(new.note)
        .bind(new.now)
        .execute(&mut *c)
        .await?;
    });
    Ok(())
}

/// An item's revisions, oldest first.
pub async fn of_item(
    conn: &mut impl AsConn,
    kind: &str,
    entity_id: &str,
) -> sqlx::Result<Vec<Revision>> {
    on_db!(conn, |c| {
        sqlx::query(
            "SELECT id, model_id, body, account_id, author_name, note, created_at \
             FROM content_revisions \
             WHERE kind = $1 AND entity_id = $2 ORDER BY id",
        )
        .bind(kind)
        .bind(entity_id)
        .fetch_all(&mut *c)
        .await?
        .iter()
        .map(|row| {
            Ok(Revision {
                id: row.int("id")?,
                model_id: row.text("model_id")?,
                body: row.optional_text("body")?,
                account_id: row.optional_int("account_id")?,
                author_name: row.text("author_name")?,
                note: row.text("note")?,
                created_at: row.int("created_at")?,
            })
        })
        .collect()
    })
}

/// Whether an item has any revision yet.
pub async fn exists(conn: &mut impl AsConn, kind: &str, entity_id: &str) -> sqlx::Result<bool> {
    on_db!(conn, |c| {
        sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM content_revisions WHERE kind = $1 \
             AND entity_id = $2) AS found",
        )
        .bind(kind)
        .bind(entity_id)
        .fetch_one(&mut *c)
        .await
    })
}
