//! The index outbox: a growing log of which entities changed, read by the indexer.

use hallbar_index::ContentKind;
use sqlx::{Row, SqliteConnection};

use super::codec;

/// One outbox row: entity `kind`/`entity_id` changed (or was deleted) at `seq`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxEntry {
    pub seq: i64,
    pub kind: ContentKind,
    pub entity_id: String,
}

/// Records that an entity changed; returns the new sequence number.
pub async fn append(conn: &mut SqliteConnection, kind: ContentKind, id: &str) -> sqlx::Result<i64> {
    let row = sqlx::query("INSERT INTO index_outbox (kind, entity_id) VALUES (?, ?) RETURNING seq")
        .bind(kind.slug())
        .bind(id)
        .fetch_one(&mut *conn)
        .await?;
    row.try_get("seq")
}

/// Up to `limit` entries after `seq`, oldest first.
pub async fn after(
    conn: &mut SqliteConnection,
    seq: i64,
    limit: i64,
) -> sqlx::Result<Vec<OutboxEntry>> {
    let rows = sqlx::query(
        "SELECT seq, kind, entity_id FROM index_outbox WHERE seq > ? ORDER BY seq LIMIT ?",
    )
    .bind(seq)
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(OutboxEntry {
                seq: row.try_get("seq")?,
                kind: codec::closed(row, "kind")?,
                entity_id: row.try_get("entity_id")?,
            })
        })
        .collect()
}

/// The newest sequence number, 0 when the outbox is empty.
pub async fn latest(conn: &mut SqliteConnection) -> sqlx::Result<i64> {
    let row = sqlx::query("SELECT coalesce(max(seq), 0) AS seq FROM index_outbox")
        .fetch_one(&mut *conn)
        .await?;
    row.try_get("seq")
}

/// How far behind an index at `watermark` is: the outbox rows past it, and when the
/// oldest of them was written (`None` when there are none).
pub async fn lag(
    conn: &mut SqliteConnection,
    watermark: i64,
) -> sqlx::Result<(i64, Option<chrono::DateTime<chrono::Utc>>)> {
    let row = sqlx::query(
        "SELECT count(*) AS behind, min(created_at) AS oldest FROM index_outbox WHERE seq > ?",
    )
    .bind(watermark)
    .fetch_one(&mut *conn)
    .await?;
    let behind: i64 = row.try_get("behind")?;
    let oldest: Option<String> = row.try_get("oldest")?;
    let oldest = oldest
        .map(|text| {
            chrono::DateTime::parse_from_rfc3339(&text)
                .map(|t| t.with_timezone(&chrono::Utc))
                .map_err(|e| sqlx::Error::Decode(Box::new(e)))
        })
        .transpose()?;
    Ok((behind, oldest))
}
