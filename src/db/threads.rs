//! Discussion threads and their posts.

use hallbar_index::{ContentKind, Post, Thread};
use sqlx::sqlite::SqliteRow;
use sqlx::{Row, SqliteConnection};

use super::{codec, outbox};

fn post_from_row(row: &SqliteRow) -> sqlx::Result<Post> {
    Ok(Post {
        author: codec::slug(row, "author_id")?,
        created: row.try_get("created")?,
        text: row.try_get("body")?,
    })
}

async fn from_row(conn: &mut SqliteConnection, row: &SqliteRow) -> sqlx::Result<Thread> {
    let id = codec::slug(row, "id")?;
    let posts = sqlx::query(
        "SELECT author_id, created, body FROM posts WHERE thread_id = ? ORDER BY position",
    )
    .bind(id.as_str())
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(post_from_row)
    .collect::<sqlx::Result<Vec<_>>>()?;
    Ok(Thread {
        id,
        group: codec::slug(row, "group_id")?,
        title: row.try_get("title")?,
        posts,
    })
}

/// Creates or updates a thread. Posts are matched by position, so a post keeps its id when
/// the thread is imported again; posts beyond the new list are removed.
pub async fn upsert(conn: &mut SqliteConnection, thread: &Thread) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO threads (id, group_id, title) VALUES (?, ?, ?) \
         ON CONFLICT (id) DO UPDATE SET group_id = excluded.group_id, title = excluded.title",
    )
    .bind(thread.id.as_str())
    .bind(thread.group.as_str())
    .bind(&thread.title)
    .execute(&mut *conn)
    .await?;
    for (position, post) in thread.posts.iter().enumerate() {
        sqlx::query(
            "INSERT INTO posts (thread_id, position, author_id, created, body) \
             VALUES (?, ?, ?, ?, ?) \
             ON CONFLICT (thread_id, position) DO UPDATE SET author_id = excluded.author_id, \
               created = excluded.created, body = excluded.body",
        )
        .bind(thread.id.as_str())
        .bind(position as i64)
        .bind(post.author.as_str())
        .bind(post.created)
        .bind(&post.text)
        .execute(&mut *conn)
        .await?;
    }
    sqlx::query("DELETE FROM posts WHERE thread_id = ? AND position >= ?")
        .bind(thread.id.as_str())
        .bind(thread.posts.len() as i64)
        .execute(&mut *conn)
        .await?;
    outbox::append(conn, ContentKind::Thread, thread.id.as_str()).await?;
    Ok(())
}

pub async fn get(conn: &mut SqliteConnection, id: &str) -> sqlx::Result<Option<Thread>> {
    let row = sqlx::query("SELECT id, group_id, title FROM threads WHERE id = ?")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    match row {
        Some(row) => Ok(Some(from_row(conn, &row).await?)),
        None => Ok(None),
    }
}

/// Every thread with its posts, sorted by id.
pub async fn list(conn: &mut SqliteConnection) -> sqlx::Result<Vec<Thread>> {
    let rows = sqlx::query("SELECT id, group_id, title FROM threads ORDER BY id")
        .fetch_all(&mut *conn)
        .await?;
    let mut threads = Vec::with_capacity(rows.len());
    for row in &rows {
        threads.push(from_row(conn, row).await?);
    }
    Ok(threads)
}

/// The ids of a group's threads, sorted.
pub async fn ids_in_group(
    conn: &mut SqliteConnection,
    group_id: &str,
) -> sqlx::Result<Vec<String>> {
    let rows = sqlx::query("SELECT id FROM threads WHERE group_id = ? ORDER BY id")
        .bind(group_id)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(|r| r.try_get("id")).collect()
}

/// Who has written in a group's threads: `(author, thread)` pairs, each once, by thread.
pub async fn authors_in_group(
    conn: &mut SqliteConnection,
    group_id: &str,
) -> sqlx::Result<Vec<(String, String)>> {
    sqlx::query_as(
        "SELECT DISTINCT p.author_id, t.id AS thread_id FROM posts p \
         JOIN threads t ON t.id = p.thread_id WHERE t.group_id = ? ORDER BY t.id, p.author_id",
    )
    .bind(group_id)
    .fetch_all(&mut *conn)
    .await
}
