//! Discussion threads and their posts.

use chrono::{DateTime, Utc};
use hallbar_index::{ContentKind, Post, Slug, Thread};

use super::codec::{self, DbRow};
use super::{AsConn, on_db, outbox};

fn post_from_row(row: &impl DbRow) -> sqlx::Result<Post> {
    Ok(Post {
        author: codec::slug(row, "author_id")?,
        created: row.moment("created")?,
        text: row.text("body")?,
    })
}

/// A thread as its row holds it (its posts are read separately).
fn from_row(row: &impl DbRow) -> sqlx::Result<Thread> {
    Ok(Thread {
        id: codec::slug(row, "id")?,
        group: codec::slug(row, "group_id")?,
        title: row.text("title")?,
        posts: Vec::new(),
    })
}

/// A thread's posts in order; with `visible_only`, those a moderator hid have no text (they
/// keep their place, so the posts after them keep their numbers in search).
async fn posts(
    conn: &mut impl AsConn,
    thread_id: &str,
    visible_only: bool,
) -> sqlx::Result<Vec<Post>> {
    let sql = if visible_only {
        "SELECT author_id, created, CASE WHEN hidden_at IS NULL THEN body ELSE '' END AS body \
         FROM posts WHERE thread_id = $1 ORDER BY position"
    } else {
        "SELECT author_id, created, body FROM posts WHERE thread_id = $1 ORDER BY position"
    };
    on_db!(conn, |c| {
        sqlx::query(sql)
            .bind(thread_id)
            .fetch_all(&mut *c)
            .await?
            .iter()
            .map(post_from_row)
            .collect()
    })
}

/// Creates or updates a thread. Posts are matched by their order: the thread's n-th post
/// updates the n-th stored one (so a post keeps its id when the thread is imported again,
/// also after posts were deleted on the site); posts beyond the new list are removed.
pub async fn upsert(conn: &mut impl AsConn, thread: &Thread) -> sqlx::Result<()> {
    on_db!(conn, |c| {
        sqlx::query(
            "INSERT INTO threads (id, group_id, title) VALUES ($1, $2, $3) \
             ON CONFLICT (id) DO UPDATE SET group_id = excluded.group_id, title = excluded.title",
        )
        .bind(thread.id.as_str())
        .bind(thread.group.as_str())
        .bind(&thread.title)
        .execute(&mut *c)
        .await?;
        let stored: Vec<i64> =
            sqlx::query_scalar("SELECT id FROM posts WHERE thread_id = $1 ORDER BY position")
                .bind(thread.id.as_str())
                .fetch_all(&mut *c)
                .await?;
        for id in stored.iter().skip(thread.posts.len()) {
            sqlx::query("DELETE FROM posts WHERE id = $1")
                .bind(id)
                .execute(&mut *c)
                .await?;
        }
        // Ascending, each row moves to its rank, never above its old position: no two
        // rows ever share a position.
        for (position, post) in thread.posts.iter().enumerate() {
            match stored.get(position) {
                Some(id) => sqlx::query(
                    "UPDATE posts SET position = $1, author_id = $2, created = $3, body = $4 \
                     WHERE id = $5",
                )
                .bind(position as i32)
                .bind(post.author.as_str())
                .bind(post.created)
                .bind(&post.text)
                .bind(id),
                None => sqlx::query(
                    "INSERT INTO posts (position, author_id, created, body, thread_id) \
                     VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(position as i32)
                .bind(post.author.as_str())
                .bind(post.created)
                .bind(&post.text)
                .bind(thread.id.as_str()),
            }
            .execute(&mut *c)
            .await?;
        }
    });
    outbox::append(conn, ContentKind::Thread, thread.id.as_str()).await?;
    Ok(())
}

/// A thread with all its posts (as exported).
pub async fn get(conn: &mut impl AsConn, id: &str) -> sqlx::Result<Option<Thread>> {
    get_posts(conn, id, false).await
}

/// A thread with the posts search may hold: those no moderator hid.
pub async fn get_searchable(conn: &mut impl AsConn, id: &str) -> sqlx::Result<Option<Thread>> {
    get_posts(conn, id, true).await
}

async fn get_posts(
    conn: &mut impl AsConn,
    id: &str,
    visible_only: bool,
) -> sqlx::Result<Option<Thread>> {
    let thread = on_db!(conn, |c| {
        sqlx::query("SELECT id, group_id, title FROM threads WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *c)
            .await?
            .as_ref()
            .map(from_row)
            .transpose()?
    });
    match thread {
        Some(mut thread) => {
            thread.posts = posts(conn, thread.id.as_str(), visible_only).await?;
            Ok(Some(thread))
        }
        None => Ok(None),
    }
}

/// Every thread with its posts, sorted by id.
pub async fn list(conn: &mut impl AsConn) -> sqlx::Result<Vec<Thread>> {
    list_posts(conn, false).await
}

/// Every thread with the posts search may hold (none a moderator hid), sorted by id.
pub async fn list_searchable(conn: &mut impl AsConn) -> sqlx::Result<Vec<Thread>> {
    list_posts(conn, true).await
}

async fn list_posts(conn: &mut impl AsConn, visible_only: bool) -> sqlx::Result<Vec<Thread>> {
    let mut threads = on_db!(conn, |c| {
        sqlx::query("SELECT id, group_id, title FROM threads ORDER BY id")
            .fetch_all(&mut *c)
            .await?
            .iter()
            .map(from_row)
            .collect::<sqlx::Result<Vec<_>>>()?
    });
    for thread in &mut threads {
        thread.posts = posts(conn, thread.id.as_str(), visible_only).await?;
    }
    Ok(threads)
}

/// The ids of a group's threads, sorted.
pub async fn ids_in_group(conn: &mut impl AsConn, group_id: &str) -> sqlx::Result<Vec<String>> {
    on_db!(conn, |c| {
        sqlx::query_scalar("SELECT id FROM threads WHERE group_id = $1 ORDER BY id")
            .bind(group_id)
            .fetch_all(&mut *c)
            .await
    })
}

/// Who has written in a group's threads: `(author, thread)` pairs, each once, by thread.
pub async fn authors_in_group(
    conn: &mut impl AsConn,
    group_id: &str,
) -> sqlx::Result<Vec<(String, String)>> {
    on_db!(conn, |c| {
        sqlx::query_as(
            "SELECT DISTINCT p.author_id, t.id AS thread_id FROM posts p \
             JOIN threads t ON t.id = p.thread_id WHERE t.group_id = $1 \
             ORDER BY t.id, p.author_id",
        )
        .bind(group_id)
        .fetch_all(&mut *c)
        .await
    })
}

/// A thread's own row: what its pages need before its posts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThreadHead {
    pub id: Slug,
    pub group: Slug,
    pub title: String,
}

/// One stored post, as the thread page shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredPost {
    /// Stable: kept when the thread is imported again.
    pub id: i64,
    pub thread_id: Slug,
    pub author: Slug,
    /// The author's name, when their profile still exists.
    pub author_name: Option<String>,
    pub created: DateTime<Utc>,
    /// When the author last edited it (Unix seconds).
    pub edited_at: Option<i64>,
    pub text: String,
    /// Hidden by a moderator: shown without its text, and not in search.
    pub hidden: bool,
}

/// A thread in its group's list.
#[derive(Debug, Clone, PartialEq)]
pub struct ThreadSummary {
    pub id: Slug,
    pub title: String,
    pub posts: i64,
    /// When its newest post was written.
    pub last_activity: DateTime<Utc>,
}

/// Words that are pages under `/grupper/{grupp}/` (or may become ones) are never a
/// thread's id.
pub const RESERVED_IDS: &[&str] = &[
    "ny-trad",
    "ny",
    "redigera",
    "installningar",
    "medlemmar",
    "ga-med",
    "lamna",
    "forfragningar",
    "ansokningar",
    "roller",
    "bjud-in",
    "inbjudningar",
    "radera",
    "ta-bort",
    "trad",
    "tradar",
    "diskussioner",
    "sok",
    "inlagg",
    "flode",
];

/// A new thread id from a title: its slug and eight random letters and digits.
pub async fn free_id(conn: &mut impl AsConn, title: &str) -> sqlx::Result<Slug> {
    // Ids are shared by all groups, so an id must not tell whether a title is taken in a
    // group the writer cannot see: every web-made id ends in random letters.
    let base = super::members::slug_or(title, "trad");
    let base: String = base
        .chars()
        .take(60)
        .collect::<String>()
        .trim_end_matches('-')
        .to_string();
    loop {
        let token = crate::auth::tokens::random();
        let candidate = format!("{base}-{}", &token[..8]);
        if !RESERVED_IDS.contains(&candidate.as_str()) && head(conn, &candidate).await?.is_none() {
            return Slug::new(&candidate).map_err(|e| sqlx::Error::Decode(Box::new(e)));
        }
    }
}

pub async fn head(conn: &mut impl AsConn, id: &str) -> sqlx::Result<Option<ThreadHead>> {
    on_db!(conn, |c| {
        sqlx::query("SELECT id, group_id, title FROM threads WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *c)
            .await?
            .as_ref()
            .map(|row| {
                Ok(ThreadHead {
                    id: codec::slug(row, "id")?,
                    group: codec::slug(row, "group_id")?,
                    title: row.text("title")?,
                })
            })
            .transpose()
    })
}

/// Starts a thread with its first post; returns the post's id.
pub async fn create(
    conn: &mut impl AsConn,
    head: &ThreadHead,
    author: &str,
    created: DateTime<Utc>,
    text: &str,
) -> sqlx::Result<i64> {
    on_db!(conn, |c| {
        sqlx::query("INSERT INTO threads (id, group_id, title) VALUES ($1, $2, $3)")
            .bind(head.id.as_str())
            .bind(head.group.as_str())
            .bind(&head.title)
            .execute(&mut *c)
            .await?;
    });
    add_post(conn, head.id.as_str(), author, created, text).await
}

/// Adds a post after the thread's last; returns its id.
pub async fn add_post(
    conn: &mut impl AsConn,
    thread_id: &str,
    author: &str,
    created: DateTime<Utc>,
    text: &str,
) -> sqlx::Result<i64> {
    let id: i64 = on_db!(conn, |c| {
        sqlx::query_scalar(
            "INSERT INTO posts (thread_id, position, author_id, created, body) \
             SELECT $1, COALESCE(MAX(position) + 1, 0), $2, $3, $4 FROM posts \
             WHERE thread_id = $1 RETURNING id",
        )
        .bind(thread_id)
        .bind(author)
        .bind(created)
        .bind(text)
        .fetch_one(&mut *c)
        .await?
    });
    outbox::append(conn, ContentKind::Thread, thread_id).await?;
    Ok(id)
}

fn stored_from_row(row: &impl DbRow) -> sqlx::Result<StoredPost> {
    Ok(StoredPost {
        id: row.int("id")?,
        thread_id: codec::slug(row, "thread_id")?,
        author: codec::slug(row, "author_id")?,
        author_name: row.optional_text("author_name")?,
        created: row.moment("created")?,
        edited_at: row.optional_int("edited_at")?,
        text: row.text("body")?,
        hidden: row.optional_int("hidden_at")?.is_some(),
    })
}

const STORED_POST: &str = "SELECT p.id, p.thread_id, p.author_id, m.name AS author_name, \
     p.created, p.edited_at, p.body, p.hidden_at FROM posts p LEFT JOIN members m ON m.id = p.author_id";

pub async fn post(conn: &mut impl AsConn, id: i64) -> sqlx::Result<Option<StoredPost>> {
    let sql = format!("{STORED_POST} WHERE p.id = $1");
    on_db!(conn, |c| {
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .fetch_optional(&mut *c)
            .await?
            .as_ref()
            .map(stored_from_row)
            .transpose()
    })
}

/// A page of a thread's posts in order: `limit` posts after the first `offset`.
pub async fn posts_page(
    conn: &mut impl AsConn,
    thread_id: &str,
    offset: usize,
    limit: usize,
) -> sqlx::Result<Vec<StoredPost>> {
    let sql =
        format!("{STORED_POST} WHERE p.thread_id = $1 ORDER BY p.position LIMIT $2 OFFSET $3");
    on_db!(conn, |c| {
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(thread_id)
            .bind(limit as i64)
            .bind(offset as i64)
            .fetch_all(&mut *c)
            .await?
            .iter()
            .map(stored_from_row)
            .collect()
    })
}

pub async fn post_count(conn: &mut impl AsConn, thread_id: &str) -> sqlx::Result<i64> {
    on_db!(conn, |c| {
        sqlx::query_scalar("SELECT COUNT(*) FROM posts WHERE thread_id = $1")
            .bind(thread_id)
            .fetch_one(&mut *c)
            .await
    })
}

/// Replaces a post's text, marking it edited at `now`; false when it is gone.
pub async fn edit_post(
    conn: &mut impl AsConn,
    post: &StoredPost,
    text: &str,
    now: i64,
) -> sqlx::Result<bool> {
    let changed = on_db!(conn, |c| {
        sqlx::query("UPDATE posts SET body = $1, edited_at = $2 WHERE id = $3")
            .bind(text)
            .bind(now)
            .bind(post.id)
            .execute(&mut *c)
            .await?
            .rows_affected()
    });
    if changed == 0 {
        return Ok(false);
    }
    outbox::append(conn, ContentKind::Thread, post.thread_id.as_str()).await?;
    Ok(true)
}

/// Removes a post; a thread left without posts goes with it. False when it was gone.
pub async fn delete_post(conn: &mut impl AsConn, post: &StoredPost) -> sqlx::Result<bool> {
    let thread_id = post.thread_id.as_str();
    let removed = on_db!(conn, |c| {
        let removed = sqlx::query("DELETE FROM posts WHERE id = $1")
            .bind(post.id)
            .execute(&mut *c)
            .await?
            .rows_affected();
        sqlx::query(
            "DELETE FROM threads WHERE id = $1 \
             AND NOT EXISTS (SELECT 1 FROM posts WHERE thread_id = $1)",
        )
        .bind(thread_id)
        .execute(&mut *c)
        .await?;
        removed
    });
    if removed == 0 {
        return Ok(false);
    }
    outbox::append(conn, ContentKind::Thread, thread_id).await?;
    Ok(true)
}

/// A group's threads, the one with the newest post first (then by id).
pub async fn list_for_group(
    conn: &mut impl AsConn,
    group_id: &str,
) -> sqlx::Result<Vec<ThreadSummary>> {
    on_db!(conn, |c| {
        sqlx::query(
            "SELECT t.id, t.title, COUNT(p.id) AS posts, MAX(p.created) AS last_activity \
             FROM threads t JOIN posts p ON p.thread_id = t.id WHERE t.group_id = $1 \
             GROUP BY t.id, t.title ORDER BY MAX(p.created) DESC, t.id",
        )
        .bind(group_id)
        .fetch_all(&mut *c)
        .await?
        .iter()
        .map(|row| {
            Ok(ThreadSummary {
                id: codec::slug(row, "id")?,
                title: row.text("title")?,
                posts: row.int("posts")?,
                last_activity: row.moment("last_activity")?,
            })
        })
        .collect()
    })
}

/// How many posts come before `post` in its thread.
pub async fn rank_of(conn: &mut impl AsConn, post: &StoredPost) -> sqlx::Result<usize> {
    let before: i64 = on_db!(conn, |c| {
        sqlx::query_scalar(
            "SELECT COUNT(*) FROM posts WHERE thread_id = $1 \
             AND position < (SELECT position FROM posts WHERE id = $2)",
        )
        .bind(post.thread_id.as_str())
        .bind(post.id)
        .fetch_one(&mut *c)
        .await?
    });
    Ok(usize::try_from(before).unwrap_or(0))
}

/// Whether a thread is locked (takes no more replies); false when it is gone.
pub async fn is_locked(conn: &mut impl AsConn, thread_id: &str) -> sqlx::Result<bool> {
    let row = on_db!(conn, |c| {
        sqlx::query("SELECT locked FROM threads WHERE id = $1")
            .bind(thread_id)
            .fetch_optional(&mut *c)
            .await?
            .as_ref()
            .map(|row| row.flag("locked"))
            .transpose()?
    });
    Ok(row.unwrap_or(false))
}

/// Locks or unlocks a thread; false when it is gone.
pub async fn set_locked(
    conn: &mut impl AsConn,
    thread_id: &str,
    locked: bool,
) -> sqlx::Result<bool> {
    let changed = on_db!(conn, |c| {
        sqlx::query("UPDATE threads SET locked = $1 WHERE id = $2")
            .bind(locked)
            .bind(thread_id)
            .execute(&mut *c)
            .await?
            .rows_affected()
    });
    Ok(changed > 0)
}

/// Hides a post at `now` (it stays in its thread without its text) and takes it out of
/// search; false when it is gone.
pub async fn hide_post(conn: &mut impl AsConn, post: &StoredPost, now: i64) -> sqlx::Result<bool> {
    let changed = on_db!(conn, |c| {
        sqlx::query("UPDATE posts SET hidden_at = COALESCE(hidden_at, $1) WHERE id = $2")
            .bind(now)
            .bind(post.id)
            .execute(&mut *c)
            .await?
            .rows_affected()
    });
    if changed == 0 {
        return Ok(false);
    }
    outbox::append(conn, ContentKind::Thread, post.thread_id.as_str()).await?;
    Ok(true)
}
