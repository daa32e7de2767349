//! Counts of what the corpus holds.

use hallbar_index::CorpusCounts;
use hallbar_index::search::Viewer;

use super::codec::DbRow;
use super::{AsConn, on_db};

/// How many of each kind of content the database holds.
pub async fn counts(conn: &mut impl AsConn) -> sqlx::Result<CorpusCounts> {
    on_db!(conn, |c| {
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
        .fetch_one(&mut *c)
        .await?;
        Ok(CorpusCounts {
            members: row.int("members")?,
            groups: row.int("groups")?,
            threads: row.int("threads")?,
            posts: row.int("posts")?,
            pivi_entries: row.int("pivi_entries")?,
            matrix_cells: row.int("matrix_cells")?,
            articles: row.int("articles")?,
            dialogue_texts: row.int("dialogue_texts")?,
        })
    })
}

/// How many members' profiles `viewer` may see.
pub async fn visible_members(conn: &mut impl AsConn, viewer: &Viewer) -> sqlx::Result<i64> {
    let choices = super::members::visible_choices(viewer);
    let sql = format!(
        "SELECT count(*) FROM members WHERE visibility IN ({})",
        super::placeholders(1, choices.len())
    );
    on_db!(conn, |c| {
        let mut query = sqlx::query_scalar(sqlx::AssertSqlSafe(sql));
        for choice in &choices {
            query = query.bind(*choice);
        }
        query.fetch_one(&mut *c).await
    })
}

/// True when no content at all has been stored yet (a fresh install).
pub async fn is_empty(conn: &mut impl AsConn) -> sqlx::Result<bool> {
    Ok(counts(conn).await? == CorpusCounts::default())
}
