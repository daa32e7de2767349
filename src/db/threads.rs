//! Discussion threads and their posts.

use hallbar_index::{ContentKind, Post, Thread};

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

async fn posts(conn: &mut impl AsConn, thread_id: &str) -> sqlx::Result<Vec<Post>> {
    on_db!(conn, |c| {
        sqlx::query(
            "SELECT author_id, created, body FROM posts WHERE thread_id = $1 ORDER BY position",
        )
        .bind(thread_id)
        .fetch_all(&mut *c)
        .await?
        .iter()
        .map(post_from_row)
        .collect()
    })
}

/// Creates or updates a thread. Posts are matched by position, so a post keeps its id when
/// the thread is imported again; posts beyond the new list are removed.
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
        for (position, post) in thread.posts.iter().enumerate() {
            sqlx::query(
                "INSERT INTO posts (thread_id, position, author_id, created, body) \
                 VALUES ($1, $2, $3, $4, $5) \
                 ON CONFLICT (thread_id, position) DO UPDATE SET author_id = excluded.author_id, \
                   created = excluded.created, body = excluded.body",
            )
            .bind(thread.id.as_str())
            .bind(position as i32)
            .bind(post.author.as_str())
            .bind(post.created)
            .bind(&post.text)
            .execute(&mut *c)
            .await?;
        }
        sqlx::query("DELETE FROM posts WHERE thread_id = $1 AND position >= $2")
            .bind(thread.id.as_str())
            .bind(thread.posts.len() as i64)
            .execute(&mut *c)
            .await?;
    });
    outbox::append(conn, ContentKind::Thread, thread.id.as_str()).await?;
    Ok(())
}

pub async fn get(conn: &mut impl AsConn, id: &str) -> sqlx::Result<Option<Thread>> {
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
            thread.posts = posts(conn, thread.id.as_str()).await?;
            Ok(Some(thread))
        }
        None => Ok(None),
    }
}

/// Every thread with its posts, sorted by id.
pub async fn list(conn: &mut impl AsConn) -> sqlx::Result<Vec<Thread>> {
    let mut threads = on_db!(conn, |c| {
        sqlx::query("SELECT id, group_id, title FROM threads ORDER BY id")
            .fetch_all(&mut *c)
            .await?
            .iter()
            .map(from_row)
            .collect::<sqlx::Result<Vec<_>>>()?
    });
    for thread in &mut threads {
        thread.posts = posts(conn, thread.id.as_str()).await?;
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
