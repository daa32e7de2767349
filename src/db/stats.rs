//! Counts of what the corpus holds.

use hallbar_index::CorpusCounts;
use hallbar_index::search::Viewer;
use sqlx::{Row, SqliteConnection};

/// How many of each kind of content the database holds.
pub async fn counts(conn: &mut SqliteConnection) -> sqlx::Result<CorpusCounts> {
    let row = sqlx::query(
        "SELECT (SELECT count(*) FROM members) AS members, \
                (SELECT count(*) FROM groups) AS groups, \
                (SELECT count(*) FROM threads) AS threads, \
                (SELECT count(*) FROM posts) AS posts, \
                (SELECT count(*) FROM pivi_entries) AS pivi_entries, \
                (SELECT count(*) FROM matrix_cells) AS matrix_cells, \
                (SELECT count(*) FROM articles) AS articles, \
                (SELECT count(*) FROM dialogue_texts) AS dialogue_texts",
    )
    .fetch_one(&mut *conn)
    .await?;
    Ok(CorpusCounts {
        members: row.try_get("members")?,
        groups: row.try_get("groups")?,
        threads: row.try_get("threads")?,
        posts: row.try_get("posts")?,
        pivi_entries: row.try_get("pivi_entries")?,
        matrix_cells: row.try_get("matrix_cells")?,
        articles: row.try_get("articles")?,
        dialogue_texts: row.try_get("dialogue_texts")?,
    })
}

/// How many members' profiles `viewer` may see.
pub async fn visible_members(conn: &mut SqliteConnection, viewer: &Viewer) -> sqlx::Result<i64> {
    let choices = super::members::visible_choices(viewer);
    let sql = format!(
        "SELECT count(*) FROM members WHERE visibility IN ({})",
        super::placeholders(choices.len())
    );
    let mut query = sqlx::query_scalar(sqlx::AssertSqlSafe(sql));
    for choice in choices {
        query = query.bind(choice);
    }
    query.fetch_one(&mut *conn).await
}

/// True when no content at all has been stored yet (a fresh install).
pub async fn is_empty(conn: &mut SqliteConnection) -> sqlx::Result<bool> {
    Ok(counts(conn).await? == CorpusCounts::default())
}
