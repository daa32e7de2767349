//! The index outbox: a growing log of which entities changed, read by the indexer.

use hallbar_index::ContentKind;

use super::codec::{self, DbRow};
use super::dialect::Dialect;
use super::{AsConn, on_db};

/// One outbox row: entity `kind`/`entity_id` changed (or was deleted) at `seq`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxEntry {
    pub seq: i64,
    pub kind: ContentKind,
    pub entity_id: String,
    /// When the row was written, as the database recorded it (see [`mark`]).
    pub mark: String,
}

/// Records that an entity changed; returns the new sequence number. On PostgreSQL this
/// serialises the transaction's outbox writes with every other writer's until it ends
/// (see [`Dialect::OUTBOX_APPEND`]).
pub async fn append(conn: &mut impl AsConn, kind: ContentKind, id: &str) -> sqlx::Result<i64> {
    on_db!(conn, |c| {
        sqlx::query(<Db as Dialect>::OUTBOX_APPEND)
            .bind(kind.slug())
            .bind(id)
            .fetch_one(&mut *c)
            .await?
            .int("seq")
    })
}

/// Up to `limit` entries after `seq`, oldest first.
pub async fn after(conn: &mut impl AsConn, seq: i64, limit: i64) -> sqlx::Result<Vec<OutboxEntry>> {
    on_db!(conn, |c| {
        let rows = sqlx::query(
            "SELECT seq, kind, entity_id, created_at FROM index_outbox WHERE seq > $1 \
             ORDER BY seq LIMIT $2",
        )
        .bind(seq)
        .bind(limit)
        .fetch_all(&mut *c)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(OutboxEntry {
                    seq: row.int("seq")?,
                    kind: codec::closed(row, "kind")?,
                    entity_id: row.text("entity_id")?,
                    mark: row.moment("created_at")?.to_rfc3339(),
                })
            })
            .collect()
    })
}

/// The newest sequence number, 0 when the outbox is empty.
pub async fn latest(conn: &mut impl AsConn) -> sqlx::Result<i64> {
    on_db!(conn, |c| {
        sqlx::query("SELECT coalesce(max(seq), 0) AS seq FROM index_outbox")
            .fetch_one(&mut *c)
            .await?
            .int("seq")
    })
}

/// When the outbox row `seq` was written, as text (`None` when there is no such row): what
/// an index records beside its watermark, to tell a restored database that numbered other
/// rows the same from the one it read.
pub async fn mark(conn: &mut impl AsConn, seq: i64) -> sqlx::Result<Option<String>> {
    on_db!(conn, |c| {
        Ok(
            sqlx::query("SELECT created_at FROM index_outbox WHERE seq = $1")
                .bind(seq)
                .fetch_optional(&mut *c)
                .await?
                .map(|row| row.moment("created_at"))
                .transpose()?
                .map(|at| at.to_rfc3339()),
        )
    })
}

/// The oldest sequence number the outbox still holds (`None` when it is empty).
pub async fn oldest(conn: &mut impl AsConn) -> sqlx::Result<Option<i64>> {
    on_db!(conn, |c| {
        sqlx::query_scalar("SELECT min(seq) FROM index_outbox")
            .fetch_one(&mut *c)
            .await
    })
}

/// How far behind an index at `watermark` is: the outbox rows past it, and when the
/// oldest of them was written (`None` when there are none).
pub async fn lag(
    conn: &mut impl AsConn,
    watermark: i64,
) -> sqlx::Result<(i64, Option<chrono::DateTime<chrono::Utc>>)> {
    on_db!(conn, |c| {
        let row = sqlx::query(
            "SELECT count(*) AS behind, min(created_at) AS oldest FROM index_outbox \
             WHERE seq > $1",
        )
        .bind(watermark)
        .fetch_one(&mut *c)
        .await?;
        Ok((row.int("behind")?, row.optional_moment("oldest")?))
    })
}
