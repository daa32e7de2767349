//! The knowledge matrix: matrices with their cells.

use hallbar_index::{Cell, CellRef, ContentKind, Matrix};
use sqlx::types::Json;

use super::codec::{self, DbRow};
use super::{AsConn, on_db, outbox};

/// A matrix as its row holds it (its cells are read separately).
fn matrix_from_row(row: &impl DbRow) -> sqlx::Result<Matrix> {
    Ok(Matrix {
        id: codec::slug(row, "id")?,
        title: row.text("title")?,
        description: row.text("description")?,
        rows: codec::json(row, "rows_axis")?,
        columns: codec::json(row, "columns_axis")?,
        cells: Vec::new(),
    })
}

async fn cells(conn: &mut impl AsConn, matrix_id: &str) -> sqlx::Result<Vec<Cell>> {
    on_db!(conn, |c| {
        sqlx::query(
            "SELECT row_id, column_id, summary FROM matrix_cells WHERE matrix_id = $1 \
             ORDER BY position",
        )
        .bind(matrix_id)
        .fetch_all(&mut *c)
        .await?
        .iter()
        .map(|r| {
            Ok(Cell {
                row: codec::slug(r, "row_id")?,
                column: codec::slug(r, "column_id")?,
                summary: r.text("summary")?,
            })
        })
        .collect()
    })
}

/// Creates or updates a matrix and its cells. Removing a cell that an article still links
/// to fails with a foreign-key error (the caller's transaction then rolls back).
pub async fn upsert(conn: &mut impl AsConn, matrix: &Matrix) -> sqlx::Result<()> {
    on_db!(conn, |c| {
        sqlx::query(
            "INSERT INTO matrices (id, title, description, rows_axis, columns_axis) \
             VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (id) DO UPDATE SET title = excluded.title, \
               description = excluded.description, rows_axis = excluded.rows_axis, \
               columns_axis = excluded.columns_axis",
        )
        .bind(matrix.id.as_str())
        .bind(&matrix.title)
        .bind(&matrix.description)
        .bind(Json(&matrix.rows))
        .bind(Json(&matrix.columns))
        .execute(&mut *c)
        .await?;
        // Shift existing positions out of the way, upsert the new cells, then drop the rest.
        sqlx::query("UPDATE matrix_cells SET position = -1 - position WHERE matrix_id = $1")
            .bind(matrix.id.as_str())
            .execute(&mut *c)
            .await?;
        for (position, cell) in matrix.cells.iter().enumerate() {
            sqlx::query(
                "INSERT INTO matrix_cells (matrix_id, row_id, column_id, position, summary) \
                 VALUES ($1, $2, $3, $4, $5) \
                 ON CONFLICT (matrix_id, row_id, column_id) DO UPDATE SET \
                   position = excluded.position, summary = excluded.summary",
            )
            .bind(matrix.id.as_str())
            .bind(cell.row.as_str())
            .bind(cell.column.as_str())
            .bind(position as i32)
            .bind(&cell.summary)
            .execute(&mut *c)
            .await?;
        }
        sqlx::query("DELETE FROM matrix_cells WHERE matrix_id = $1 AND position < 0")
            .bind(matrix.id.as_str())
            .execute(&mut *c)
            .await?;
    });
    outbox::append(conn, ContentKind::Matrix, matrix.id.as_str()).await?;
    Ok(())
}

pub async fn get(conn: &mut impl AsConn, id: &str) -> sqlx::Result<Option<Matrix>> {
    let matrix = on_db!(conn, |c| {
        sqlx::query("SELECT * FROM matrices WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *c)
            .await?
            .as_ref()
            .map(matrix_from_row)
            .transpose()?
    });
    match matrix {
        Some(mut matrix) => {
            matrix.cells = cells(conn, matrix.id.as_str()).await?;
            Ok(Some(matrix))
        }
        None => Ok(None),
    }
}

/// Every matrix with its cells, sorted by id.
pub async fn list(conn: &mut impl AsConn) -> sqlx::Result<Vec<Matrix>> {
    let mut matrices = on_db!(conn, |c| {
        sqlx::query("SELECT * FROM matrices ORDER BY id")
            .fetch_all(&mut *c)
            .await?
            .iter()
            .map(matrix_from_row)
            .collect::<sqlx::Result<Vec<_>>>()?
    });
    for matrix in &mut matrices {
        matrix.cells = cells(conn, matrix.id.as_str()).await?;
    }
    Ok(matrices)
}

/// Every filled cell of every matrix, each row/column pair once, sorted by row and column.
pub async fn filled_cells(conn: &mut impl AsConn) -> sqlx::Result<Vec<CellRef>> {
    on_db!(conn, |c| {
        sqlx::query(
            "SELECT DISTINCT row_id, column_id FROM matrix_cells ORDER BY row_id, column_id",
        )
        .fetch_all(&mut *c)
        .await?
        .iter()
        .map(|row| {
            Ok(CellRef {
                row: codec::slug(row, "row_id")?,
                column: codec::slug(row, "column_id")?,
            })
        })
        .collect()
    })
}
