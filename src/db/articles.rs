//! Articles of the knowledge matrix: each linked to one or more cells.

use chrono::NaiveDate;
use hallbar_index::{Article, CellRef, ContentKind, Slug};
use sqlx::sqlite::SqliteRow;
use sqlx::{Row, SqliteConnection};

use super::{codec, outbox};

async fn article_from_row(conn: &mut SqliteConnection, row: &SqliteRow) -> sqlx::Result<Article> {
    let id = codec::slug(row, "id")?;
    let cells = sqlx::query(
        "SELECT row_id, column_id FROM article_cells WHERE article_id = ? ORDER BY position",
    )
    .bind(id.as_str())
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(|r| {
        Ok(CellRef {
            row: codec::slug(r, "row_id")?,
            column: codec::slug(r, "column_id")?,
        })
    })
    .collect::<sqlx::Result<Vec<_>>>()?;
    Ok(Article {
        id,
        title: row.try_get("title")?,
        lead: row.try_get("lead")?,
        text: row.try_get("body")?,
        author: row.try_get("author")?,
        published: row.try_get("published")?,
        matrix: codec::slug(row, "matrix_id")?,
        cells,
        tags: codec::json(row, "tags")?,
        district: codec::closed(row, "district")?,
    })
}

/// Articles from rows of the `articles` table, each with its cells.
async fn articles_from_rows(
    conn: &mut SqliteConnection,
    rows: &[SqliteRow],
) -> sqlx::Result<Vec<Article>> {
    let mut articles = Vec::with_capacity(rows.len());
    for row in rows {
        articles.push(article_from_row(conn, row).await?);
    }
    Ok(articles)
}

/// Creates or updates an article and replaces its cell links.
pub async fn upsert(conn: &mut SqliteConnection, article: &Article) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO articles (id, title, lead, body, author, published, matrix_id, tags, district) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) \
         ON CONFLICT (id) DO UPDATE SET title = excluded.title, lead = excluded.lead, \
           body = excluded.body, author = excluded.author, published = excluded.published, \
           matrix_id = excluded.matrix_id, tags = excluded.tags, district = excluded.district",
    )
    .bind(article.id.as_str())
    .bind(&article.title)
    .bind(&article.lead)
    .bind(&article.text)
    .bind(&article.author)
    .bind(article.published)
    .bind(article.matrix.as_str())
    .bind(codec::to_json(&article.tags))
    .bind(article.district.slug())
    .execute(&mut *conn)
    .await?;
    sqlx::query("DELETE FROM article_cells WHERE article_id = ?")
        .bind(article.id.as_str())
        .execute(&mut *conn)
        .await?;
    for (position, cell) in article.cells.iter().enumerate() {
        sqlx::query(
            "INSERT INTO article_cells (article_id, matrix_id, row_id, column_id, position) \
             VALUES (?, ?, ?, ?, ?)",
        )
        .bind(article.id.as_str())
        .bind(article.matrix.as_str())
        .bind(cell.row.as_str())
        .bind(cell.column.as_str())
        .bind(position as i64)
        .execute(&mut *conn)
        .await?;
    }
    outbox::append(conn, ContentKind::Article, article.id.as_str()).await?;
    Ok(())
}

pub async fn get(conn: &mut SqliteConnection, id: &str) -> sqlx::Result<Option<Article>> {
    let row = sqlx::query("SELECT * FROM articles WHERE id = ?")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    match row {
        Some(row) => Ok(Some(article_from_row(conn, &row).await?)),
        None => Ok(None),
    }
}

/// Every article, sorted by id (`newest_first` sorts by publication date instead).
pub async fn list(
    conn: &mut SqliteConnection,
    newest_first: bool,
    limit: i64,
) -> sqlx::Result<Vec<Article>> {
    let query = if newest_first {
        "SELECT * FROM articles ORDER BY published DESC, id LIMIT ?"
    } else {
        "SELECT * FROM articles ORDER BY id LIMIT ?"
    };
    let rows = sqlx::query(query).bind(limit).fetch_all(&mut *conn).await?;
    articles_from_rows(conn, &rows).await
}

/// How many articles each cell holds: `(matrix, row, column, articles)`, cells without
/// articles left out.
pub async fn counts_per_cell(
    conn: &mut SqliteConnection,
) -> sqlx::Result<Vec<(String, String, String, i64)>> {
    let rows = sqlx::query(
        "SELECT matrix_id, row_id, column_id, COUNT(*) AS articles FROM article_cells \
         GROUP BY matrix_id, row_id, column_id",
    )
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|row| {
            Ok((
                row.try_get("matrix_id")?,
                row.try_get("row_id")?,
                row.try_get("column_id")?,
                row.try_get("articles")?,
            ))
        })
        .collect()
}

/// The articles of one cell, newest first.
pub async fn in_cell(
    conn: &mut SqliteConnection,
    matrix: &str,
    row: &str,
    column: &str,
) -> sqlx::Result<Vec<Article>> {
    let rows = sqlx::query(
        "SELECT a.* FROM articles a JOIN article_cells c ON c.article_id = a.id \
         WHERE c.matrix_id = ? AND c.row_id = ? AND c.column_id = ? \
         ORDER BY a.published DESC, a.id",
    )
    .bind(matrix)
    .bind(row)
    .bind(column)
    .fetch_all(&mut *conn)
    .await?;
    articles_from_rows(conn, &rows).await
}

/// Up to `limit` articles related to `article`: those sharing more cells first (a shared
/// cell outweighs any number of shared tags), then more tags, then the newest.
pub async fn related(
    conn: &mut SqliteConnection,
    article: &Article,
    limit: i64,
) -> sqlx::Result<Vec<Article>> {
    let rows = sqlx::query(
        "SELECT a.*, \
           (SELECT COUNT(*) FROM article_cells mine JOIN article_cells theirs \
              ON theirs.matrix_id = mine.matrix_id AND theirs.row_id = mine.row_id \
             AND theirs.column_id = mine.column_id \
             WHERE mine.article_id = ?1 AND theirs.article_id = a.id) AS shared_cells, \
           (SELECT COUNT(*) FROM json_each(a.tags) t \
             WHERE t.value IN (SELECT value FROM json_each(?2))) AS shared_tags \
         FROM articles a \
         WHERE a.id != ?1 AND (shared_cells > 0 OR shared_tags > 0) \
         ORDER BY shared_cells DESC, shared_tags DESC, a.published DESC, a.id \
         LIMIT ?3",
    )
    .bind(article.id.as_str())
    .bind(codec::to_json(&article.tags))
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    articles_from_rows(conn, &rows).await
}

/// Every article's id and publication date, sorted by id (for the sitemap).
pub async fn dates(conn: &mut SqliteConnection) -> sqlx::Result<Vec<(Slug, NaiveDate)>> {
    let rows = sqlx::query("SELECT id, published FROM articles ORDER BY id")
        .fetch_all(&mut *conn)
        .await?;
    rows.iter()
        .map(|row| Ok((codec::slug(row, "id")?, row.try_get("published")?)))
        .collect()
}

/// Which cells of a matrix articles link to: `(article, row, column)`.
pub async fn cell_links_in_matrix(
    conn: &mut SqliteConnection,
    matrix_id: &str,
) -> sqlx::Result<Vec<(String, String, String)>> {
    sqlx::query_as(
        "SELECT article_id, row_id, column_id FROM article_cells WHERE matrix_id = ? \
         ORDER BY article_id, row_id, column_id",
    )
    .bind(matrix_id)
    .fetch_all(&mut *conn)
    .await
}
