//! Texts, checklists and experiences of the dialogue tool.

use chrono::NaiveDate;
use hallbar_index::{ContentKind, DialogueText, Phase, Slug};
use sqlx::sqlite::SqliteRow;
use sqlx::{Row, SqliteConnection};

use super::{codec, outbox};

fn from_row(row: &SqliteRow) -> sqlx::Result<DialogueText> {
    Ok(DialogueText {
        id: codec::slug(row, "id")?,
        title: row.try_get("title")?,
        phase: codec::closed(row, "phase")?,
        kind: codec::closed(row, "kind")?,
        lead: row.try_get("lead")?,
        text: row.try_get("body")?,
        checklist: codec::json(row, "checklist")?,
        district: codec::optional_closed(row, "district")?,
        author: row.try_get("author")?,
        published: row.try_get("published")?,
        tags: codec::json(row, "tags")?,
    })
}

/// Creates or updates a text, keyed by its id.
pub async fn upsert(conn: &mut SqliteConnection, text: &DialogueText) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO dialogue_texts (id, title, phase, kind, lead, body, checklist, district, \
           author, published, tags) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) \
         ON CONFLICT (id) DO UPDATE SET title = excluded.title, phase = excluded.phase, \
           kind = excluded.kind, lead = excluded.lead, body = excluded.body, \
           checklist = excluded.checklist, district = excluded.district, \
           author = excluded.author, published = excluded.published, tags = excluded.tags",
    )
    .bind(text.id.as_str())
    .bind(&text.title)
    .bind(text.phase.slug())
    .bind(text.kind.slug())
    .bind(&text.lead)
    .bind(&text.text)
    .bind(codec::to_json(&text.checklist))
    .bind(text.district.map(|d| d.slug()))
    .bind(&text.author)
    .bind(text.published)
    .bind(codec::to_json(&text.tags))
    .execute(&mut *conn)
    .await?;
    outbox::append(conn, ContentKind::Dialogue, text.id.as_str()).await?;
    Ok(())
}

pub async fn get(conn: &mut SqliteConnection, id: &str) -> sqlx::Result<Option<DialogueText>> {
    sqlx::query("SELECT * FROM dialogue_texts WHERE id = ?")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .as_ref()
        .map(from_row)
        .transpose()
}

/// Every text, sorted by id.
pub async fn list(conn: &mut SqliteConnection) -> sqlx::Result<Vec<DialogueText>> {
    let rows = sqlx::query("SELECT * FROM dialogue_texts ORDER BY id")
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(from_row).collect()
}

/// One phase's texts, oldest first.
pub async fn in_phase(
    conn: &mut SqliteConnection,
    phase: Phase,
) -> sqlx::Result<Vec<DialogueText>> {
    let rows = sqlx::query("SELECT * FROM dialogue_texts WHERE phase = ? ORDER BY published, id")
        .bind(phase.slug())
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(from_row).collect()
}

/// Every text's id, phase and publication date, sorted by phase slug and id (for the sitemap).
pub async fn dates(conn: &mut SqliteConnection) -> sqlx::Result<Vec<(Slug, Phase, NaiveDate)>> {
    let rows = sqlx::query("SELECT id, phase, published FROM dialogue_texts ORDER BY phase, id")
        .fetch_all(&mut *conn)
        .await?;
    rows.iter()
        .map(|row| {
            Ok((
                codec::slug(row, "id")?,
                codec::closed(row, "phase")?,
                row.try_get("published")?,
            ))
        })
        .collect()
}
