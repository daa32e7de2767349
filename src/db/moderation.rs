//! Reports of posts, the moderators' queue of open ones, and the log of moderation actions.

use hallbar_index::Slug;

use super::codec::{self, DbRow};
use super::group_members::Role;
use super::{AsConn, on_db};

/// What a moderator does about a reported post.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Hide,
    Delete,
    Lock,
    Unlock,
    RemoveMember,
    Dismiss,
}

impl Action {
    pub const ALL: [Action; 6] = [
        Action::Hide,
        Action::Delete,
        Action::Lock,
        Action::Unlock,
        Action::RemoveMember,
        Action::Dismiss,
    ];

    /// As stored, and as the last part of its form's address.
    pub fn slug(self) -> &'static str {
        match self {
            Action::Hide => "dolj",
            Action::Delete => "ta-bort",
            Action::Lock => "las",
            Action::Unlock => "las-upp",
            Action::RemoveMember => "ta-bort-ur-gruppen",
            Action::Dismiss => "avfarda",
        }
    }

    pub fn from_slug(slug: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|a| a.slug() == slug)
    }

    /// Its button.
    pub fn label(self) -> &'static str {
        match self {
            Action::Hide => "Dölj inlägget",
            Action::Delete => "Ta bort inlägget",
            Action::Lock => "Lås tråden",
            Action::Unlock => "Lås upp tråden",
            Action::RemoveMember => "Ta bort ur gruppen",
            Action::Dismiss => "Avfärda",
        }
    }

    /// As the log says it.
    pub fn done(self) -> &'static str {
        match self {
            Action::Hide => "dolde inlägget",
            Action::Delete => "tog bort inlägget",
            Action::Lock => "låste tråden",
            Action::Unlock => "låste upp tråden",
            Action::RemoveMember => "tog bort medlemmen ur gruppen",
            Action::Dismiss => "avfärdade anmälan",
        }
    }
}

/// Reports `post_id` for `reporter_id`; false when they already have an open report of it.
pub async fn report(
    conn: &mut impl AsConn,
    post_id: i64,
    reporter_id: &str,
    reason: &str,
    now: i64,
) -> sqlx::Result<bool> {
    let added = on_db!(conn, |c| {
        sqlx::query(
            "INSERT INTO post_reports (post_id, reporter_id, reason, created_at) \
             VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
        )
        .bind(post_id)
        .bind(reporter_id)
        .bind(reason)
        .bind(now)
        .execute(&mut *c)
        .await?
        .rows_affected()
    });
    Ok(added > 0)
}

/// Closes every open report of a post.
pub async fn close_reports(conn: &mut impl AsConn, post_id: i64, now: i64) -> sqlx::Result<()> {
    on_db!(conn, |c| {
        sqlx::query(
            "UPDATE post_reports SET closed_at = $1 WHERE post_id = $2 AND closed_at IS NULL",
        )
        .bind(now)
        .bind(post_id)
        .execute(&mut *c)
        .await?;
    });
    Ok(())
}

/// One open report, with what the queue shows of its post.
#[derive(Debug, Clone, PartialEq)]
pub struct OpenReport {
    pub post_id: i64,
    pub body: String,
    pub hidden: bool,
    pub author: Slug,
    pub author_name: Option<String>,
    /// The author's role in the group, when they still belong to it.
    pub author_role: Option<Role>,
    pub thread_id: Slug,
    pub thread_title: String,
    pub locked: bool,
    pub group_id: Slug,
    pub group_name: String,
    pub reporter: Slug,
    pub reporter_name: Option<String>,
    pub reason: String,
    /// Unix seconds.
    pub created_at: i64,
}

/// The open reports `member_id` may act on, oldest first: every one for a site admin,
/// else those in the groups they own or moderate.
pub async fn open_reports(
    conn: &mut impl AsConn,
    member_id: &str,
    admin: bool,
) -> sqlx::Result<Vec<OpenReport>> {
    on_db!(conn, |c| {
        sqlx::query(
            "SELECT r.post_id, r.reason, r.created_at, r.reporter_id, rm.name AS reporter_name, \
               p.body, p.hidden_at, p.author_id, am.name AS author_name, t.id AS thread_id, \
               t.title AS thread_title, t.locked, g.id AS group_id, g.name AS group_name, \
               (SELECT a.role FROM group_members a WHERE a.group_id = t.group_id \
                 AND a.member_id = p.author_id) AS author_role \
             FROM post_reports r JOIN posts p ON p.id = r.post_id \
             JOIN threads t ON t.id = p.thread_id JOIN groups g ON g.id = t.group_id \
             LEFT JOIN members rm ON rm.id = r.reporter_id \
             LEFT JOIN members am ON am.id = p.author_id \
             WHERE r.closed_at IS NULL AND ($2 OR EXISTS (SELECT 1 FROM group_members gm \
               WHERE gm.group_id = t.group_id AND gm.member_id = $1 \
               AND gm.role IN ('agare', 'moderator'))) \
             ORDER BY r.created_at, r.id",
        )
        .bind(member_id)
        .bind(admin)
        .fetch_all(&mut *c)
        .await?
        .iter()
        .map(|row| {
            Ok(OpenReport {
                post_id: row.int("post_id")?,
                body: row.text("body")?,
                hidden: row.optional_int("hidden_at")?.is_some(),
                author: codec::slug(row, "author_id")?,
                author_name: row.optional_text("author_name")?,
                author_role: row
                    .optional_text("author_role")?
                    .as_deref()
                    .map(Role::from_slug)
                    .transpose()?,
                thread_id: codec::slug(row, "thread_id")?,
                thread_title: row.text("thread_title")?,
                locked: row.flag("locked")?,
                group_id: codec::slug(row, "group_id")?,
                group_name: row.text("group_name")?,
                reporter: codec::slug(row, "reporter_id")?,
                reporter_name: row.optional_text("reporter_name")?,
                reason: row.text("reason")?,
                created_at: row.int("created_at")?,
            })
        })
        .collect()
    })
}

/// Whether `member_id` owns or moderates any group.
pub async fn moderates_any(conn: &mut impl AsConn, member_id: &str) -> sqlx::Result<bool> {
    on_db!(conn, |c| {
        sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM group_members WHERE member_id = $1 \
             AND role IN ('agare', 'moderator')) AS found",
        )
        .bind(member_id)
        .fetch_one(&mut *c)
        .await
    })
}

/// One moderation action as the log keeps it.
#[derive(Debug, Clone, PartialEq)]
pub struct LogEntry {
    pub moderator: String,
    pub action: Action,
    pub post_id: Option<i64>,
    pub thread_id: Option<String>,
    pub group_id: Option<String>,
    /// The member the action was about (the post's author).
    pub member_id: Option<String>,
    pub reason: String,
    /// Unix seconds.
    pub created_at: i64,
}

/// Adds an action to the log.
pub async fn log(conn: &mut impl AsConn, entry: &LogEntry) -> sqlx::Result<()> {
    on_db!(conn, |c| {
        sqlx::query(
            "INSERT INTO moderation_log (moderator_id, action, post_id, thread_id, group_id, \
             member_id, reason, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(&entry.moderator)
        .bind(entry.action.slug())
        .bind(entry.post_id)
        .bind(entry.thread_id.as_deref())
        .bind(entry.group_id.as_deref())
        .bind(entry.member_id.as_deref())
        .bind(&entry.reason)
        .bind(entry.created_at)
        .execute(&mut *c)
        .await?;
    });
    Ok(())
}

/// The newest `limit` log entries, newest first.
pub async fn log_entries(conn: &mut impl AsConn, limit: i64) -> sqlx::Result<Vec<LogEntry>> {
    on_db!(conn, |c| {
        sqlx::query(
            "SELECT moderator_id, action, post_id, thread_id, group_id, member_id, reason, \
             created_at FROM moderation_log ORDER BY created_at DESC, id DESC LIMIT $1",
        )
        .bind(limit)
        .fetch_all(&mut *c)
        .await?
        .iter()
        .map(|row| {
            let action = row.text("action")?;
            Ok(LogEntry {
                moderator: row.text("moderator_id")?,
                action: Action::from_slug(&action).ok_or_else(|| {
                    sqlx::Error::Decode(format!("okänd moderering i loggen: {action}").into())
                })?,
                post_id: row.optional_int("post_id")?,
                thread_id: row.optional_text("thread_id")?,
                group_id: row.optional_text("group_id")?,
                member_id: row.optional_text("member_id")?,
                reason: row.text("reason")?,
                created_at: row.int("created_at")?,
            })
        })
        .collect()
    })
}

/// Whether the post has a report no one has acted on.
pub async fn has_open_report(conn: &mut impl AsConn, post_id: i64) -> sqlx::Result<bool> {
    on_db!(conn, |c| {
        let n: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM post_reports WHERE post_id = $1 AND closed_at IS NULL",
        )
        .bind(post_id)
        .fetch_one(&mut *c)
        .await?;
        Ok(n > 0)
    })
}
