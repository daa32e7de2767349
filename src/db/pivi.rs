//! pivi entries.

use chrono::NaiveDate;
use hallbar_index::{Contact, ContentKind, Period, PiviEntry, Slug};
use sqlx::sqlite::SqliteRow;
use sqlx::{Row, SqliteConnection};

use super::{codec, outbox};

fn from_row(row: &SqliteRow) -> sqlx::Result<PiviEntry> {
    Ok(PiviEntry {
        id: codec::slug(row, "id")?,
        title: row.try_get("title")?,
        kind: codec::closed(row, "kind")?,
        summary: row.try_get("summary")?,
        body: row.try_get("body")?,
        district: codec::closed(row, "district")?,
        organisation: row.try_get("organisation")?,
        target_groups: codec::json(row, "target_groups")?,
        tags: codec::json(row, "tags")?,
        period: Period {
            from: row.try_get("period_from")?,
            to: row.try_get("period_to")?,
        },
        contact: Contact {
            name: row.try_get("contact_name")?,
            email: row.try_get("contact_email")?,
            member: codec::optional_slug(row, "contact_member_id")?,
        },
        links: codec::json(row, "links")?,
        published: row.try_get("published")?,
    })
}

/// Creates or updates an entry, keyed by its id.
pub async fn upsert(conn: &mut SqliteConnection, entry: &PiviEntry) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO pivi_entries (id, title, kind, summary, body, district, organisation, \
           target_groups, tags, period_from, period_to, contact_name, contact_email, \
           contact_member_id, links, published) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) \
         ON CONFLICT (id) DO UPDATE SET title = excluded.title, kind = excluded.kind, \
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
    .bind(entry.kind.slug())
    .bind(&entry.summary)
    .bind(&entry.body)
    .bind(entry.district.slug())
    .bind(&entry.organisation)
    .bind(codec::to_json(&entry.target_groups))
    .bind(codec::to_json(&entry.tags))
    .bind(entry.period.from)
    .bind(entry.period.to)
    .bind(&entry.contact.name)
    .bind(&entry.contact.email)
    .bind(entry.contact.member.as_ref().map(|m| m.as_str()))
    .bind(codec::to_json(&entry.links))
    .bind(entry.published)
    .execute(&mut *conn)
    .await?;
    outbox::append(conn, ContentKind::Pivi, entry.id.as_str()).await?;
    Ok(())
}

pub async fn get(conn: &mut SqliteConnection, id: &str) -> sqlx::Result<Option<PiviEntry>> {
    sqlx::query("SELECT * FROM pivi_entries WHERE id = ?")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .as_ref()
        .map(from_row)
        .transpose()
}

/// Every entry, sorted by id.
pub async fn list(conn: &mut SqliteConnection) -> sqlx::Result<Vec<PiviEntry>> {
    let rows = sqlx::query("SELECT * FROM pivi_entries ORDER BY id")
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(from_row).collect()
}

/// The newest entries first, at most `limit`.
pub async fn newest(conn: &mut SqliteConnection, limit: i64) -> sqlx::Result<Vec<PiviEntry>> {
    let rows = sqlx::query("SELECT * FROM pivi_entries ORDER BY published DESC, id LIMIT ?")
        .bind(limit)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(from_row).collect()
}

/// Every entry's id and publication date, sorted by id (for the sitemap).
pub async fn dates(conn: &mut SqliteConnection) -> sqlx::Result<Vec<(Slug, NaiveDate)>> {
    let rows = sqlx::query("SELECT id, published FROM pivi_entries ORDER BY id")
        .fetch_all(&mut *conn)
        .await?;
    rows.iter()
        .map(|row| Ok((codec::slug(row, "id")?, row.try_get("published")?)))
        .collect()
}
