//! The knowledge matrix: matrices with their cells, and the articles linked to cells.

use chrono::NaiveDate;
use hallbar_index::{Article, Cell, CellRef, ContentKind, Matrix, Slug};
use sqlx::sqlite::SqliteRow;
use sqlx::{Row, SqliteConnection};

use super::{codec, outbox};

async fn matrix_from_row(conn: &mut SqliteConnection, row: &SqliteRow) -> sqlx::Result<Matrix> {
    let id = codec::slug(row, "id")?;
    let cells = sqlx::query(
        "SELECT row_id, column_id, summary FROM matrix_cells WHERE matrix_id = ? ORDER BY position",
    )
    .bind(id.as_str())
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(|r| {
        Ok(Cell {
            row: codec::slug(r, "row_id")?,
            column: codec::slug(r, "column_id")?,
            summary: r.try_get("summary")?,
        })
    })
    .collect::<sqlx::Result<Vec<_>>>()?;
    Ok(Matrix {
        id,
        title: row.try_get("title")?,
        description: row.try_get("description")?,
        rows: codec::json(row, "rows_axis")?,
        columns: codec::json(row, "columns_axis")?,
        cells,
    })
}

/// Creates or updates a matrix and its cells. Removing a cell that an article still links
/// to fails with a foreign-key error (the caller's transaction then rolls back).
pub async fn upsert_matrix(conn: &mut SqliteConnection, matrix: &Matrix) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO matrices (id, title, description, rows_axis, columns_axis) \
         VALUES (?, ?, ?, ?, ?) \
         ON CONFLICT (id) DO UPDATE SET title = excluded.title, \
           description = excluded.description, rows_axis = excluded.rows_axis, \
           columns_axis = excluded.columns_axis",
    )
    .bind(matrix.id.as_str())
    .bind(&matrix.title)
    .bind(&matrix.description)
    .bind(codec::to_json(&matrix.rows))
    .bind(codec::to_json(&matrix.columns))
    .execute(&mut *conn)
    .await?;
    // Shift existing positions out of the way, upsert the new cells, then drop the rest.
    sqlx::query("UPDATE matrix_cells SET position = -1 - position WHERE matrix_id = ?")
        .bind(matrix.id.as_str())
        .execute(&mut *conn)
        .await?;
    for (position, cell) in matrix.cells.iter().enumerate() {
        sqlx::query(
            "INSERT INTO matrix_cells (matrix_id, row_id, column_id, position, summary) \
             VALUES (?, ?, ?, ?, ?) \
             ON CONFLICT (matrix_id, row_id, column_id) DO UPDATE SET \
               position = excluded.position, summary = excluded.summary",
        )
        .bind(matrix.id.as_str())
        .bind(cell.row.as_str())
        .bind(cell.column.as_str())
        .bind(position as i64)
        .bind(&cell.summary)
        .execute(&mut *conn)
        .await?;
    }
    sqlx::query("DELETE FROM matrix_cells WHERE matrix_id = ? AND position < 0")
        .bind(matrix.id.as_str())
        .execute(&mut *conn)
        .await?;
    outbox::append(conn, ContentKind::Matrix, matrix.id.as_str()).await?;
    Ok(())
}

pub async fn get_matrix(conn: &mut SqliteConnection, id: &str) -> sqlx::Result<Option<Matrix>> {
    let row = sqlx::query("SELECT * FROM matrices WHERE id = ?")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    match row {
        Some(row) => Ok(Some(matrix_from_row(conn, &row).await?)),
        None => Ok(None),
    }
}

/// Every matrix with its cells, sorted by id.
pub async fn list_matrices(conn: &mut SqliteConnection) -> sqlx::Result<Vec<Matrix>> {
    let rows = sqlx::query("SELECT * FROM matrices ORDER BY id")
        .fetch_all(&mut *conn)
        .await?;
    let mut matrices = Vec::with_capacity(rows.len());
    for row in &rows {
        matrices.push(matrix_from_row(conn, row).await?);
    }
    Ok(matrices)
}

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
pub async fn upsert_article(conn: &mut SqliteConnection, article: &Article) -> sqlx::Result<()> {
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

pub async fn get_article(conn: &mut SqliteConnection, id: &str) -> sqlx::Result<Option<Article>> {
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
pub async fn list_articles(
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
pub async fn article_counts(
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
pub async fn articles_in_cell(
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
pub async fn related_articles(
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

/// Every filled cell of every matrix, each row/column pair once, sorted by row and column.
pub async fn filled_cells(conn: &mut SqliteConnection) -> sqlx::Result<Vec<CellRef>> {
    let rows = sqlx::query(
        "SELECT DISTINCT row_id, column_id FROM matrix_cells ORDER BY row_id, column_id",
    )
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(CellRef {
                row: codec::slug(row, "row_id")?,
                column: codec::slug(row, "column_id")?,
            })
        })
        .collect()
}

/// Every article's id and publication date, sorted by id (for the sitemap).
pub async fn article_dates(conn: &mut SqliteConnection) -> sqlx::Result<Vec<(Slug, NaiveDate)>> {
    let rows = sqlx::query("SELECT id, published FROM articles ORDER BY id")
        .fetch_all(&mut *conn)
        .await?;
    rows.iter()
        .map(|row| Ok((codec::slug(row, "id")?, row.try_get("published")?)))
        .collect()
}
