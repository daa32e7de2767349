//! Texts, checklists and experiences of the dialogue tool.

use chrono::NaiveDate;
use hallbar_index::{ContentKind, DialogueText, Slug};
use sqlx::types::Json;

use super::codec::{self, DbRow};
use super::{AsConn, on_db, outbox};

fn from_row(row: &impl DbRow) -> sqlx::Result<DialogueText> {
    Ok(DialogueText {
        id: codec::slug(row, "id")?,
        model: codec::slug(row, "model_id")?,
        title: row.text("title")?,
        phase: codec::slug(row, "phase")?,
        kind: codec::closed(row, "kind")?,
        lead: row.text("lead")?,
        text: row.text("body")?,
        checklist: codec::json(row, "checklist")?,
        district: codec::optional_closed(row, "district")?,
        author: row.text("author")?,
        published: row.date("published")?,
        tags: codec::json(row, "tags")?,
    })
}

/// Creates or updates a text, keyed by its id.
pub async fn upsert(conn: &mut impl AsConn, text: &DialogueText) -> sqlx::Result<()> {
    on_db!(conn, |c| {
        sqlx::query(
            "INSERT INTO dialogue_texts (id, title, phase, kind, lead, body, checklist, \
               district, author, published, tags, model_id) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) \
             ON CONFLICT (id) DO UPDATE SET title = excluded.title, phase = excluded.phase, \
               model_id = excluded.model_id, \
               kind = excluded.kind, lead = excluded.lead, body = excluded.body, \
               checklist = excluded.checklist, district = excluded.district, \
               author = excluded.author, published = excluded.published, tags = excluded.tags",
        )
        .bind(text.id.as_str())
        .bind(&text.title)
        .bind(text.phase.as_str())
        .bind(text.kind.slug())
        .bind(&text.lead)
        .bind(&text.text)
        .bind(Json(&text.checklist))
        .bind(text.district.map(|d| d.slug()))
        .bind(&text.author)
        .bind(text.published)
        .bind(Json(&text.tags))
        .bind(text.model.as_str())
        .execute(&mut *c)
        .await?;
    });
    outbox::append(conn, ContentKind::Dialogue, text.id.as_str()).await?;
    Ok(())
}

pub async fn get(conn: &mut impl AsConn, id: &str) -> sqlx::Result<Option<DialogueText>> {
    on_db!(conn, |c| {
        sqlx::query("SELECT * FROM dialogue_texts WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *c)
            .await?
            .as_ref()
            .map(from_row)
            .transpose()
    })
}

/// One guide's texts, sorted by id.
pub async fn in_model(conn: &mut impl AsConn, model: &str) -> sqlx::Result<Vec<DialogueText>> {
    on_db!(conn, |c| {
        sqlx::query("SELECT * FROM dialogue_texts WHERE model_id = $1 ORDER BY id")
            .bind(model)
            .fetch_all(&mut *c)
            .await?
            .iter()
            .map(from_row)
            .collect()
    })
}

/// Every text, sorted by id.
pub async fn list(conn: &mut impl AsConn) -> sqlx::Result<Vec<DialogueText>> {
    on_db!(conn, |c| {
        sqlx::query("SELECT * FROM dialogue_texts ORDER BY id")
            .fetch_all(&mut *c)
            .await?
            .iter()
            .map(from_row)
            .collect()
    })
}

/// One phase's texts of one guide, oldest first.
pub async fn in_phase(
    conn: &mut impl AsConn,
    model: &str,
    phase: &str,
) -> sqlx::Result<Vec<DialogueText>> {
    on_db!(conn, |c| {
        sqlx::query(
            "SELECT * FROM dialogue_texts WHERE model_id = $1 AND phase = $2 \
             ORDER BY published, id",
        )
        .bind(model)
        .bind(phase)
        .fetch_all(&mut *c)
        .await?
        .iter()
        .map(from_row)
        .collect()
    })
}

/// Every text's guide, id, phase and publication date, sorted by guide, phase slug and id
/// (for the sitemap).
pub async fn dates(conn: &mut impl AsConn) -> sqlx::Result<Vec<(Slug, Slug, Slug, NaiveDate)>> {
    on_db!(conn, |c| {
        sqlx::query(
            "SELECT model_id, id, phase, published FROM dialogue_texts \
             ORDER BY model_id, phase, id",
        )
        .fetch_all(&mut *c)
        .await?
        .iter()
        .map(|row| {
            Ok((
                codec::slug(row, "model_id")?,
                codec::slug(row, "id")?,
                codec::slug(row, "phase")?,
                row.date("published")?,
            ))
        })
        .collect()
    })
}

/// Deletes the item with `id` (and tells the index); false when there was none.
pub async fn delete(conn: &mut impl AsConn, id: &str) -> sqlx::Result<bool> {
    let removed = on_db!(conn, |c| {
        sqlx::query("DELETE FROM dialogue_texts WHERE id = $1")
            .bind(id)
            .execute(&mut *c)
            .await?
            .rows_affected()
    });
    if removed > 0 {
        outbox::append(conn, ContentKind::Dialogue, id).await?;
    }
    Ok(removed > 0)
}
