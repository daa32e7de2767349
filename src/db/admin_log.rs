//! The admin log: who did what as an admin, and when. Written by the admin pages and the
//! `hallbar admin` commands, shown at `/admin/logg`, exported and imported as `adminlogg`.

use super::codec::DbRow;
use super::{AsConn, on_db};

/// What was done (the `action` column's values).
pub mod actions {
    pub const PROMOTE: &str = "admin-ge";
    pub const DEMOTE: &str = "admin-ta-bort";
    pub const EDITOR_GRANT: &str = "redaktor-ge";
    pub const EDITOR_REVOKE: &str = "redaktor-ta-bort";
    pub const REINDEX_STARTED: &str = "omindexering-start";
    pub const REINDEX_FINISHED: &str = "omindexering-klar";
    pub const REINDEX_FAILED: &str = "omindexering-fel";
    pub const IMPORT: &str = "import";
    pub const EXPORT: &str = "export";
    pub const MODEL_CREATE: &str = "stodmodell-ny";
}

/// One entry as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub id: i64,
    /// The actor's account (`None`: the command line, an imported entry, a removed account).
    pub account_id: Option<i64>,
    pub actor_name: String,
    pub action: String,
    pub target: String,
    pub detail: String,
    /// Unix seconds.
    pub created_at: i64,
    /// Read from an export file rather than done here.
    pub imported: bool,
}

fn from_row(row: &impl DbRow) -> sqlx::Result<Entry> {
    Ok(Entry {
        id: row.int("id")?,
        account_id: row.optional_int("account_id")?,
        actor_name: row.text("actor_name")?,
        action: row.text("action")?,
        target: row.text("target")?,
        detail: row.text("detail")?,
        created_at: row.int("created_at")?,
        imported: row.flag("imported")?,
    })
}

/// The longest target or detail kept (what the import format takes back).
pub const MAX_TEXT_CHARS: usize = 2_000;

/// `text` as the log keeps it: at most [`MAX_TEXT_CHARS`] characters, control characters
/// (but line breaks and tabs) as spaces, so that every entry exports and imports again.
fn loggable(text: &str) -> String {
    text.chars()
        .take(MAX_TEXT_CHARS)
        .map(|c| {
            if c.is_control() && !matches!(c, '\n' | '\t' | '\r') {
                ' '
            } else {
                c
            }
        })
        .collect()
}

/// Records that `actor_name` (account `actor_account_id`) did `action` to `target`.
pub async fn record(
    conn: &mut impl AsConn,
    actor_account_id: Option<i64>,
    actor_name: &str,
    action: &str,
    target: &str,
    detail: &str,
    now: i64,
) -> sqlx::Result<()> {
    on_db!(conn, |c| {
        sqlx::query(
            "INSERT INTO admin_log (account_id, actor_name, action, target, detail, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(actor_account_id)
        .bind(loggable(actor_name))
        .bind(action)
        .bind(loggable(target))
        .bind(loggable(detail))
        .bind(now)
        .execute(&mut *c)
        .await?;
    });
    Ok(())
}

/// Stores an imported entry (no account) unless the same entry is stored already; true
/// when it was added.
pub async fn insert_if_absent(
    conn: &mut impl AsConn,
    actor_name: &str,
    action: &str,
    target: &str,
    detail: &str,
    created_at: i64,
) -> sqlx::Result<bool> {
    let added = on_db!(conn, |c| {
        sqlx::query(
            "INSERT INTO admin_log (actor_name, action, target, detail, created_at, imported) \
             SELECT $1, $2, $3, $4, $5, $6 WHERE NOT EXISTS (SELECT 1 FROM admin_log \
             WHERE created_at = $5 AND actor_name = $1 AND action = $2 AND target = $3 \
             AND detail = $4)",
        )
        .bind(actor_name)
        .bind(action)
        .bind(target)
        .bind(detail)
        .bind(created_at)
        .bind(true)
        .execute(&mut *c)
        .await?
        .rows_affected()
    });
    Ok(added > 0)
}

/// One page of entries, newest first.
pub async fn page(conn: &mut impl AsConn, limit: i64, offset: i64) -> sqlx::Result<Vec<Entry>> {
    on_db!(conn, |c| {
        sqlx::query("SELECT * FROM admin_log ORDER BY created_at DESC, id DESC LIMIT $1 OFFSET $2")
            .bind(limit)
            .bind(offset)
            .fetch_all(&mut *c)
            .await?
            .iter()
            .map(from_row)
            .collect()
    })
}

/// How many entries there are.
pub async fn count(conn: &mut impl AsConn) -> sqlx::Result<i64> {
    on_db!(conn, |c| {
        sqlx::query_scalar("SELECT count(*) FROM admin_log")
            .fetch_one(&mut *c)
            .await
    })
}

/// Every entry, oldest first (what the export writes).
pub async fn all(conn: &mut impl AsConn) -> sqlx::Result<Vec<Entry>> {
    on_db!(conn, |c| {
        sqlx::query("SELECT * FROM admin_log ORDER BY created_at, id")
            .fetch_all(&mut *c)
            .await?
            .iter()
            .map(from_row)
            .collect()
    })
}

/// The newest entry with `action` about `target` done here (not imported).
pub async fn last_of(
    conn: &mut impl AsConn,
    action: &str,
    target: &str,
) -> sqlx::Result<Option<Entry>> {
    on_db!(conn, |c| {
        sqlx::query(
            "SELECT * FROM admin_log WHERE action = $1 AND target = $2 AND NOT imported \
             ORDER BY created_at DESC, id DESC LIMIT 1",
        )
        .bind(action)
        .bind(target)
        .fetch_optional(&mut *c)
        .await?
        .as_ref()
        .map(from_row)
        .transpose()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_is_logged_can_be_imported_again() {
        let long = "x".repeat(MAX_TEXT_CHARS + 10);
        assert_eq!(loggable(&long).chars().count(), MAX_TEXT_CHARS);
        assert_eq!(loggable("a\u{0}b\nc"), "a b\nc");
    }
}
