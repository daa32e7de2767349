//! The knowledge matrix: matrices with their cells.

use hallbar_index::{Cell, CellRef, ContentKind, Matrix};
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
pub async fn upsert(conn: &mut SqliteConnection, matrix: &Matrix) -> sqlx::Result<()> {
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

pub async fn get(conn: &mut SqliteConnection, id: &str) -> sqlx::Result<Option<Matrix>> {
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
pub async fn list(conn: &mut SqliteConnection) -> sqlx::Result<Vec<Matrix>> {
    let rows = sqlx::query("SELECT * FROM matrices ORDER BY id")
        .fetch_all(&mut *conn)
        .await?;
    let mut matrices = Vec::with_capacity(rows.len());
    for row in &rows {
        matrices.push(matrix_from_row(conn, row).await?);
    }
    Ok(matrices)
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
