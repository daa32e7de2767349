//! Logged-in sessions, stored server-side under the hash of their cookie token, so any
//! node can serve any request and ending a session ends it everywhere.

use super::accounts::Role;
use super::codec::DbRow;
use super::{AsConn, on_db};

/// A live session and what the request needs of its account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub token_hash: String,
    pub account_id: i64,
    pub csrf_token: String,
    pub created_at: i64,
    pub seen_at: i64,
    pub member_id: Option<String>,
    /// The profile's name (empty without a profile).
    pub member_name: String,
    /// The closed groups the member belongs to, sorted (what they may see beyond public
    /// content), read in the same query.
    pub closed_groups: Vec<String>,
    /// How many notifications the member has not read (that they may still see).
    pub unread: i64,
    pub role: Role,
    /// Whether the account edits any support model's content.
    pub editor: bool,
}

/// A session as listed for its owner (the data export).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SessionSummary {
    #[serde(rename = "skapad")]
    pub created_at: i64,
    #[serde(rename = "senast_anvand")]
    pub seen_at: i64,
}

pub async fn create(
    conn: &mut impl AsConn,
    token_hash: &str,
    account_id: i64,
    csrf_token: &str,
    now: i64,
) -> sqlx::Result<()> {
    on_db!(conn, |c| {
        sqlx::query(
            "INSERT INTO sessions (token_hash, account_id, csrf_token, created_at, seen_at) \
             VALUES ($1, $2, $3, $4, $4)",
        )
        .bind(token_hash)
        .bind(account_id)
        .bind(csrf_token)
        .bind(now)
        .execute(&mut *c)
        .await?;
    });
    Ok(())
}

/// The session stored under `token_hash`, with its account's member, role and closed
/// groups: one query, as every page view of a logged-in member asks it.
pub async fn find(conn: &mut impl AsConn, token_hash: &str) -> sqlx::Result<Option<Session>> {
    on_db!(conn, |c| {
        let sql = format!(
            "SELECT s.token_hash, s.account_id, s.csrf_token, s.created_at, s.seen_at, \
                    a.member_id, a.role, COALESCE(m.name, '') AS member_name, \
                    (SELECT {groups} FROM group_members gm JOIN groups g ON g.id = gm.group_id \
                     WHERE gm.member_id = a.member_id AND g.access = 'stangd') AS closed_groups, \
                    {unread} AS unread, \
                    EXISTS (SELECT 1 FROM model_editors e WHERE e.account_id = s.account_id) \
                      AS editor \
             FROM sessions s JOIN accounts a ON a.id = s.account_id \
             LEFT JOIN members m ON m.id = a.member_id WHERE s.token_hash = $1",
            groups = <Db as super::dialect::Dialect>::comma_list("gm.group_id"),
            unread = super::notifications::unread_count_sql("a.member_id"),
        );
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(token_hash)
            .fetch_optional(&mut *c)
            .await?;
        let Some(row) = row else {
            return Ok(None);
        };
        let role = match row.text("role")?.as_str() {
            "admin" => Role::Admin,
            _ => Role::Member,
        };
        Ok(Some(Session {
            token_hash: row.text("token_hash")?,
            account_id: row.int("account_id")?,
            csrf_token: row.text("csrf_token")?,
            created_at: row.int("created_at")?,
            seen_at: row.int("seen_at")?,
            member_id: row.optional_text("member_id")?,
            member_name: row.text("member_name")?,
            closed_groups: {
                let mut groups: Vec<String> = row
                    .optional_text("closed_groups")?
                    .unwrap_or_default()
                    .split(',')
                    .filter(|g| !g.is_empty())
                    .map(str::to_string)
                    .collect();
                groups.sort();
                groups
            },
            unread: row.int("unread")?,
            role,
            editor: row.flag("editor")?,
        }))
    })
}

/// Notes that the session was used at `now` (for the idle timeout).
pub async fn touch(conn: &mut impl AsConn, token_hash: &str, now: i64) -> sqlx::Result<()> {
    on_db!(conn, |c| {
        sqlx::query("UPDATE sessions SET seen_at = $1 WHERE token_hash = $2")
            .bind(now)
            .bind(token_hash)
            .execute(&mut *c)
            .await?;
    });
    Ok(())
}

pub async fn delete(conn: &mut impl AsConn, token_hash: &str) -> sqlx::Result<()> {
    on_db!(conn, |c| {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(&mut *c)
            .await?;
    });
    Ok(())
}

/// Ends every session of an account (a password change or reset).
pub async fn delete_for_account(conn: &mut impl AsConn, account_id: i64) -> sqlx::Result<u64> {
    on_db!(conn, |c| {
        let done = sqlx::query("DELETE FROM sessions WHERE account_id = $1")
            .bind(account_id)
            .execute(&mut *c)
            .await?;
        Ok(done.rows_affected())
    })
}

/// Removes sessions idle since `idle_before` or created before `created_before`.
pub async fn prune(
    conn: &mut impl AsConn,
    idle_before: i64,
    created_before: i64,
) -> sqlx::Result<u64> {
    on_db!(conn, |c| {
        let done = sqlx::query("DELETE FROM sessions WHERE seen_at < $1 OR created_at < $2")
            .bind(idle_before)
            .bind(created_before)
            .execute(&mut *c)
            .await?;
        Ok(done.rows_affected())
    })
}

/// An account's sessions, newest first.
pub async fn of_account(
    conn: &mut impl AsConn,
    account_id: i64,
) -> sqlx::Result<Vec<SessionSummary>> {
    on_db!(conn, |c| {
        let rows = sqlx::query(
            "SELECT created_at, seen_at FROM sessions WHERE account_id = $1 \
             ORDER BY created_at DESC",
        )
        .bind(account_id)
        .fetch_all(&mut *c)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(SessionSummary {
                    created_at: row.int("created_at")?,
                    seen_at: row.int("seen_at")?,
                })
            })
            .collect()
    })
}
