//! The database's epoch: a name for one history of the outbox. Every search index records
//! it beside its watermark. When the outbox goes back (a restore from a backup, a fail-over
//! to a standby that had not received everything) the first node to notice gives the
//! database a new epoch, and every node rebuilds an index of another epoch.

use super::codec::DbRow;
use super::{AsConn, on_db};

fn fresh() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

/// The database's epoch, created on first use (only then does it write: on SQLite a write
/// would wait for a long import's lock).
pub async fn current(conn: &mut impl AsConn) -> sqlx::Result<String> {
    let known = read(conn).await?;
    if !known.is_empty() {
        return Ok(known);
    }
    on_db!(conn, |c| {
        sqlx::query(
            "INSERT INTO search_epoch (id, epoch) VALUES (1, $1) ON CONFLICT (id) DO NOTHING",
        )
        .bind(fresh())
        .execute(&mut *c)
        .await?;
        sqlx::query("SELECT epoch FROM search_epoch WHERE id = 1")
            .fetch_one(&mut *c)
            .await?
            .text("epoch")
    })
}

/// The epoch as it stands, without creating it (for a read-only snapshot); empty when no
/// node has created it yet.
pub async fn read(conn: &mut impl AsConn) -> sqlx::Result<String> {
    on_db!(conn, |c| {
        sqlx::query_scalar("SELECT epoch FROM search_epoch WHERE id = 1")
            .fetch_optional(&mut *c)
            .await
            .map(Option::unwrap_or_default)
    })
}

/// Starts a new epoch, unless another node already replaced `old`; returns the epoch now
/// in force either way.
pub async fn renew(conn: &mut impl AsConn, old: &str) -> sqlx::Result<String> {
    on_db!(conn, |c| {
        sqlx::query("UPDATE search_epoch SET epoch = $1 WHERE id = 1 AND epoch = $2")
            .bind(fresh())
            .bind(old)
            .execute(&mut *c)
            .await?;
    });
    current(conn).await
}

/// Whether an index at `watermark` of `epoch`, whose watermark row was written at `mark`
/// (empty: not recorded), can keep following this database: same epoch (or none recorded),
/// the outbox has not gone back behind the watermark, nor been pruned past it, and its row
/// at the watermark is the one the index read.
pub async fn index_matches(
    conn: &mut impl AsConn,
    index_epoch: &str,
    watermark: i64,
    mark: &str,
) -> sqlx::Result<Verdict> {
    let epoch = current(conn).await?;
    if !index_epoch.is_empty() && index_epoch != epoch {
        return Ok(Verdict::OtherEpoch { epoch });
    }
    let latest = super::outbox::latest(conn).await?;
    if latest < watermark {
        let epoch = renew(conn, &epoch).await?;
        return Ok(Verdict::WentBack { latest, epoch });
    }
    let oldest = super::outbox::oldest(conn).await?;
    if let Some(oldest) = oldest
        && watermark < oldest - 1
    {
        return Ok(Verdict::Pruned { watermark, oldest });
    }
    // The row at the watermark is kept (retention keeps every row at or past the lowest
    // live watermark): another one there, or none while older rows remain, is another
    // history that reused the numbers.
    if !mark.is_empty() && oldest.is_some_and(|oldest| oldest <= watermark) {
        let found = super::outbox::mark(conn, watermark).await?;
        if found.as_deref() != Some(mark) {
            let epoch = renew(conn, &epoch).await?;
            return Ok(Verdict::Rewritten { watermark, epoch });
        }
    }
    Ok(Verdict::Matches { epoch })
}

/// How an index stands to the database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// It can keep following; `epoch` is the database's.
    Matches { epoch: String },
    /// The database is of another epoch (restored or failed over, and noticed by another
    /// node): rebuild.
    OtherEpoch { epoch: String },
    /// The outbox ends at `latest`, behind the index: the database went back. A new epoch
    /// has been started; rebuild.
    WentBack { latest: i64, epoch: String },
    /// The outbox row at the index's watermark is another than the one it read: the
    /// database was restored and has written again since. A new epoch has been started;
    /// rebuild.
    Rewritten { watermark: i64, epoch: String },
    /// The outbox has been pruned past the index's watermark (a node away longer than the
    /// other nodes waited): rebuild.
    Pruned { watermark: i64, oldest: i64 },
}
