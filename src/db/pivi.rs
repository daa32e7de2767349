//! pivi entries.

use chrono::NaiveDate;
use hallbar_index::{Contact, ContentKind, Period, PiviEntry, Slug};
use sqlx::types::Json;

use super::codec::{self, DbRow};
use super::{AsConn, on_db, outbox};

fn from_row(row: &impl DbRow) -> sqlx::Result<PiviEntry> {
    Ok(PiviEntry {
        id: codec::slug(row, "id")?,
        model: codec::slug(row, "model_id")?,
        title: row.text("title")?,
        kind: codec::slug(row, "kind")?,
        summary: row.text("summary")?,
        body: row.text("body")?,
        district: codec::closed(row, "district")?,
        organisation: row.text("organisation")?,
        target_groups: codec::json(row, "target_groups")?,
        tags: codec::json(row, "tags")?,
        period: Period {
            from: row.int32("period_from")?,
            to: row.optional_int32("period_to")?,
        },
        contact: Contact {
            name: row.text("contact_name")?,
            email: row.optional_text("contact_email")?,
            member: codec::optional_slug(row, "contact_member_id")?,
        },
        links: codec::json(row, "links")?,
        published: row.date("published")?,
    })
}

/// Creates or updates an entry, keyed by its id.
pub async fn upsert(conn: &mut impl AsConn, entry: &PiviEntry) -> sqlx::Result<()> {
    on_db!(conn, |c| {
        sqlx::query(
            "INSERT INTO pivi_entries (id, title, kind, summary, body, district, organisation, \
               target_groups, tags, period_from, period_to, contact_name, contact_email, \
               contact_member_id, links, published, model_id) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, \
               $17) \
             ON CONFLICT (id) DO UPDATE SET title = excluded.title, kind = excluded.kind, \
               model_id = excluded.model_id, \
               summary = excluded.summary, body = excluded.body, district = excluded.district, \
               organisation = excluded.organisation, target_groups = excluded.target_groups, \
               tags = excluded.tags, period_from = excluded.period_from, \
               period_to = excluded.period_to, contact_name = excluded.contact_name, \
               contact_email = excluded.contact_email, \
               contact_member_id = excluded.contact_member_id, links = excluded.links, \
               published = excluded.published",
        )
        .bind(entry.id.as_str())
        .bind(&entry.title)
        .bind(entry.kind.as_str())
        .bind(&entry.summary)
        .bind(&entry.body)
        .bind(entry.district.slug())
        .bind(&entry.organisation)
        .bind(Json(&entry.target_groups))
        .bind(Json(&entry.tags))
        .bind(entry.period.from)
        .bind(entry.period.to)
        .bind(&entry.contact.name)
        .bind(&entry.contact.email)
        .bind(entry.contact.member.as_ref().map(|m| m.as_str()))
        .bind(Json(&entry.links))
        .bind(entry.published)
        .bind(entry.model.as_str())
        .execute(&mut *c)
        .await?;
    });
    outbox::append(conn, ContentKind::Pivi, entry.id.as_str()).await?;
    Ok(())
}

pub async fn get(conn: &mut impl AsConn, id: &str) -> sqlx::Result<Option<PiviEntry>> {
    on_db!(conn, |c| {
        sqlx::query("SELECT * FROM pivi_entries WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *c)
            .await?
            .as_ref()
            .map(from_row)
            .transpose()
    })
}

/// Every entry, sorted by id.
pub async fn list(conn: &mut impl AsConn) -> sqlx::Result<Vec<PiviEntry>> {
    on_db!(conn, |c| {
        sqlx::query("SELECT * FROM pivi_entries ORDER BY id")
            .fetch_all(&mut *c)
            .await?
            .iter()
            .map(from_row)
            .collect()
    })
}

/// The newest entries first, at most `limit`.
pub async fn newest(conn: &mut impl AsConn, limit: i64) -> sqlx::Result<Vec<PiviEntry>> {
    on_db!(conn, |c| {
        sqlx::query("SELECT * FROM pivi_entries ORDER BY published DESC, id LIMIT $1")
            .bind(limit)
            .fetch_all(&mut *c)
            .await?
            .iter()
            .map(from_row)
            .collect()
    })
}

/// The newest entries of one catalogue first, at most `limit`.
pub async fn newest_in(
    conn: &mut impl AsConn,
    model: &str,
    limit: i64,
) -> sqlx::Result<Vec<PiviEntry>> {
    on_db!(conn, |c| {
        sqlx::query(
            "SELECT * FROM pivi_entries WHERE model_id = $1 ORDER BY published DESC, id LIMIT $2",
        )
        .bind(model)
        .bind(limit)
        .fetch_all(&mut *c)
        .await?
        .iter()
        .map(from_row)
        .collect()
    })
}

/// Every entry's catalogue, id and publication date, sorted by id (for the sitemap).
pub async fn dates(conn: &mut impl AsConn) -> sqlx::Result<Vec<(Slug, Slug, NaiveDate)>> {
    on_db!(conn, |c| {
        sqlx::query("SELECT model_id, id, published FROM pivi_entries ORDER BY id")
            .fetch_all(&mut *c)
            .await?
            .iter()
            .map(|row| {
                Ok((
                    codec::slug(row, "model_id")?,
                    codec::slug(row, "id")?,
                    row.date("published")?,
                ))
            })
            .collect()
    })
}

/// The entries `member_id` is the contact for, newest first.
pub async fn for_contact(conn: &mut impl AsConn, member_id: &str) -> sqlx::Result<Vec<PiviEntry>> {
    on_db!(conn, |c| {
        sqlx::query(
            "SELECT * FROM pivi_entries WHERE contact_member_id = $1 ORDER BY published DESC, id",
        )
        .bind(member_id)
        .fetch_all(&mut *c)
        .await?
        .iter()
        .map(from_row)
        .collect()
    })
}

/// Deletes the item with `id` (and tells the index); false when there was none.
pub async fn delete(conn: &mut impl AsConn, id: &str) -> sqlx::Result<bool> {
    let removed = on_db!(conn, |c| {
        sqlx::query("DELETE FROM pivi_entries WHERE id = $1")
            .bind(id)
            .execute(&mut *c)
            .await?
            .rows_affected()
    });
    if removed > 0 {
        outbox::append(conn, ContentKind::Pivi, id).await?;
    }
    Ok(removed > 0)
}
