//! Articles of the knowledge matrix: each linked to one or more cells.

use chrono::NaiveDate;
use hallbar_index::{Article, CellRef, ContentKind, Slug};
use sqlx::types::Json;

use super::codec::{self, DbRow};
use super::dialect::Dialect;
use super::{AsConn, on_db, outbox};

/// An article as its row holds it (its cells are read separately).
fn article_from_row(row: &impl DbRow) -> sqlx::Result<Article> {
    Ok(Article {
        id: codec::slug(row, "id")?,
        title: row.text("title")?,
        lead: row.text("lead")?,
        text: row.text("body")?,
        author: row.text("author")?,
        published: row.date("published")?,
        matrix: codec::slug(row, "matrix_id")?,
        cells: Vec::new(),
        tags: codec::json(row, "tags")?,
        district: codec::closed(row, "district")?,
    })
}

/// Fills in each article's cells.
async fn with_cells(
    conn: &mut impl AsConn,
    mut articles: Vec<Article>,
) -> sqlx::Result<Vec<Article>> {
    for article in &mut articles {
        article.cells = on_db!(conn, |c| {
            sqlx::query(
                "SELECT row_id, column_id FROM article_cells WHERE article_id = $1 \
                 ORDER BY position",
            )
            .bind(article.id.as_str())
            .fetch_all(&mut *c)
            .await?
            .iter()
            .map(|r| {
                Ok(CellRef {
                    row: codec::slug(r, "row_id")?,
                    column: codec::slug(r, "column_id")?,
                })
            })
            .collect::<sqlx::Result<Vec<_>>>()?
        });
    }
    Ok(articles)
}

/// Creates or updates an article and replaces its cell links.
pub async fn upsert(conn: &mut impl AsConn, article: &Article) -> sqlx::Result<()> {
    on_db!(conn, |c| {
        sqlx::query(
            "INSERT INTO articles (id, title, lead, body, author, published, matrix_id, tags, \
               district) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
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
        .bind(Json(&article.tags))
        .bind(article.district.slug())
        .execute(&mut *c)
        .await?;
        sqlx::query("DELETE FROM article_cells WHERE article_id = $1")
            .bind(article.id.as_str())
            .execute(&mut *c)
            .await?;
        for (position, cell) in article.cells.iter().enumerate() {
            sqlx::query(
                "INSERT INTO article_cells (article_id, matrix_id, row_id, column_id, position) \
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(article.id.as_str())
            .bind(article.matrix.as_str())
            .bind(cell.row.as_str())
            .bind(cell.column.as_str())
            .bind(position as i32)
            .execute(&mut *c)
            .await?;
        }
    });
    outbox::append(conn, ContentKind::Article, article.id.as_str()).await?;
    Ok(())
}

pub async fn get(conn: &mut impl AsConn, id: &str) -> sqlx::Result<Option<Article>> {
    let found = on_db!(conn, |c| {
        sqlx::query("SELECT * FROM articles WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *c)
            .await?
            .as_ref()
            .map(article_from_row)
            .transpose()?
    });
    Ok(with_cells(conn, found.into_iter().collect()).await?.pop())
}

/// Every article, sorted by id (`newest_first` sorts by publication date instead).
pub async fn list(
    conn: &mut impl AsConn,
    newest_first: bool,
    limit: i64,
) -> sqlx::Result<Vec<Article>> {
    let query = if newest_first {
        "SELECT * FROM articles ORDER BY published DESC, id LIMIT $1"
    } else {
        "SELECT * FROM articles ORDER BY id LIMIT $1"
    };
    let articles = on_db!(conn, |c| {
        sqlx::query(query)
            .bind(limit)
            .fetch_all(&mut *c)
            .await?
            .iter()
            .map(article_from_row)
            .collect::<sqlx::Result<Vec<_>>>()?
    });
    with_cells(conn, articles).await
}

/// How many articles each cell holds: `(matrix, row, column, articles)`, cells without
/// articles left out.
pub async fn counts_per_cell(
    conn: &mut impl AsConn,
) -> sqlx::Result<Vec<(String, String, String, i64)>> {
    on_db!(conn, |c| {
        sqlx::query(
            "SELECT matrix_id, row_id, column_id, COUNT(*) AS articles FROM article_cells \
             GROUP BY matrix_id, row_id, column_id",
        )
        .fetch_all(&mut *c)
        .await?
        .iter()
        .map(|row| {
            Ok((
                row.text("matrix_id")?,
                row.text("row_id")?,
                row.text("column_id")?,
                row.int("articles")?,
            ))
        })
        .collect()
    })
}

/// The articles of one cell, newest first.
pub async fn in_cell(
    conn: &mut impl AsConn,
    matrix: &str,
    row: &str,
    column: &str,
) -> sqlx::Result<Vec<Article>> {
    let articles = on_db!(conn, |c| {
        sqlx::query(
            "SELECT a.* FROM articles a JOIN article_cells c ON c.article_id = a.id \
             WHERE c.matrix_id = $1 AND c.row_id = $2 AND c.column_id = $3 \
             ORDER BY a.published DESC, a.id",
        )
        .bind(matrix)
        .bind(row)
        .bind(column)
        .fetch_all(&mut *c)
        .await?
        .iter()
        .map(article_from_row)
        .collect::<sqlx::Result<Vec<_>>>()?
    });
    with_cells(conn, articles).await
}

/// Up to `limit` articles related to `article`: those sharing more cells first (a shared
/// cell outweighs any number of shared tags), then more tags, then the newest.
pub async fn related(
    conn: &mut impl AsConn,
    article: &Article,
    limit: i64,
) -> sqlx::Result<Vec<Article>> {
    let articles = on_db!(conn, |c| {
        let sql = format!(
            "SELECT * FROM (SELECT a.*, \
               (SELECT COUNT(*) FROM article_cells mine JOIN article_cells theirs \
                  ON theirs.matrix_id = mine.matrix_id AND theirs.row_id = mine.row_id \
                 AND theirs.column_id = mine.column_id \
                 WHERE mine.article_id = $1 AND theirs.article_id = a.id) AS shared_cells, \
               (SELECT COUNT(*) FROM {theirs} \
                 WHERE t.value IN (SELECT mine.value FROM {mine})) AS shared_tags \
             FROM articles a WHERE a.id <> $1) related \
             WHERE shared_cells > 0 OR shared_tags > 0 \
             ORDER BY shared_cells DESC, shared_tags DESC, published DESC, id \
             LIMIT $3",
            theirs = <Db as Dialect>::json_elements("a.tags", "t"),
            mine = <Db as Dialect>::json_elements("$2", "mine"),
        );
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(article.id.as_str())
            .bind(Json(&article.tags))
            .bind(limit)
            .fetch_all(&mut *c)
            .await?
            .iter()
            .map(article_from_row)
            .collect::<sqlx::Result<Vec<_>>>()?
    });
    with_cells(conn, articles).await
}

/// Every article's id and publication date, sorted by id (for the sitemap).
pub async fn dates(conn: &mut impl AsConn) -> sqlx::Result<Vec<(Slug, Slug, NaiveDate)>> {
    on_db!(conn, |c| {
        sqlx::query("SELECT matrix_id, id, published FROM articles ORDER BY id")
            .fetch_all(&mut *c)
            .await?
            .iter()
            .map(|row| {
                Ok((
                    codec::slug(row, "matrix_id")?,
                    codec::slug(row, "id")?,
                    row.date("published")?,
                ))
            })
            .collect()
    })
}

/// Which cells of a matrix articles link to: `(article, row, column)`.
pub async fn cell_links_in_matrix(
    conn: &mut impl AsConn,
    matrix_id: &str,
) -> sqlx::Result<Vec<(String, String, String)>> {
    on_db!(conn, |c| {
        sqlx::query_as(
            "SELECT article_id, row_id, column_id FROM article_cells WHERE matrix_id = $1 \
             ORDER BY article_id, row_id, column_id",
        )
        .bind(matrix_id)
        .fetch_all(&mut *c)
        .await
    })
}

/// Deletes the item with `id` (and tells the index); false when there was none.
pub async fn delete(conn: &mut impl AsConn, id: &str) -> sqlx::Result<bool> {
    let removed = on_db!(conn, |c| {
        sqlx::query("DELETE FROM articles WHERE id = $1")
            .bind(id)
            .execute(&mut *c)
            .await?
            .rows_affected()
    });
    if removed > 0 {
        outbox::append(conn, ContentKind::Article, id).await?;
    }
    Ok(removed > 0)
}
