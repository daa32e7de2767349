//! Reading model values out of rows of either database: text, numbers, dates, closed enums
//! as slugs, slugs, and lists stored as JSON (text in SQLite, JSONB in PostgreSQL).

use std::str::FromStr;

use chrono::{DateTime, NaiveDate, Utc};
use hallbar_index::{Slug, UnknownValue};
use serde::de::DeserializeOwned;
use sqlx::Row;
use sqlx::postgres::PgRow;
use sqlx::sqlite::SqliteRow;
use sqlx::types::Json;

fn decode_error(
    column: &str,
    source: impl std::error::Error + Send + Sync + 'static,
) -> sqlx::Error {
    sqlx::Error::ColumnDecode {
        index: column.to_string(),
        source: Box::new(source),
    }
}

/// The values the app reads from a row, by column name, whichever database it came from.
pub trait DbRow {
    fn text(&self, column: &str) -> sqlx::Result<String>;
    fn optional_text(&self, column: &str) -> sqlx::Result<Option<String>>;
    fn int(&self, column: &str) -> sqlx::Result<i64>;
    fn optional_int(&self, column: &str) -> sqlx::Result<Option<i64>>;
    /// A 32-bit number (`INTEGER` in PostgreSQL).
    fn int32(&self, column: &str) -> sqlx::Result<i32>;
    fn optional_int32(&self, column: &str) -> sqlx::Result<Option<i32>>;
    fn flag(&self, column: &str) -> sqlx::Result<bool>;
    fn date(&self, column: &str) -> sqlx::Result<NaiveDate>;
    fn moment(&self, column: &str) -> sqlx::Result<DateTime<Utc>>;
    fn optional_moment(&self, column: &str) -> sqlx::Result<Option<DateTime<Utc>>>;
    /// A value stored as JSON.
    fn json<T: DeserializeOwned>(&self, column: &str) -> sqlx::Result<T>;
}

macro_rules! db_row {
    ($row:ty) => {
        impl DbRow for $row {
            fn text(&self, column: &str) -> sqlx::Result<String> {
                self.try_get(column)
            }
            fn optional_text(&self, column: &str) -> sqlx::Result<Option<String>> {
                self.try_get(column)
            }
            fn int(&self, column: &str) -> sqlx::Result<i64> {
                self.try_get(column)
            }
            fn optional_int(&self, column: &str) -> sqlx::Result<Option<i64>> {
                self.try_get(column)
            }
            fn int32(&self, column: &str) -> sqlx::Result<i32> {
                self.try_get(column)
            }
            fn optional_int32(&self, column: &str) -> sqlx::Result<Option<i32>> {
                self.try_get(column)
            }
            fn flag(&self, column: &str) -> sqlx::Result<bool> {
                self.try_get(column)
            }
            fn date(&self, column: &str) -> sqlx::Result<NaiveDate> {
                self.try_get(column)
            }
            fn moment(&self, column: &str) -> sqlx::Result<DateTime<Utc>> {
                self.try_get(column)
            }
            fn optional_moment(&self, column: &str) -> sqlx::Result<Option<DateTime<Utc>>> {
                self.try_get(column)
            }
            fn json<T: DeserializeOwned>(&self, column: &str) -> sqlx::Result<T> {
                let Json(value) = self.try_get::<Json<T>, _>(column)?;
                Ok(value)
            }
        }
    };
}
db_row!(SqliteRow);
db_row!(PgRow);

/// A closed enum stored as its slug.
pub fn closed<T: FromStr<Err = UnknownValue>>(row: &impl DbRow, column: &str) -> sqlx::Result<T> {
    row.text(column)?
        .parse()
        .map_err(|e| decode_error(column, e))
}

/// An optional closed enum stored as its slug or NULL.
pub fn optional_closed<T: FromStr<Err = UnknownValue>>(
    row: &impl DbRow,
    column: &str,
) -> sqlx::Result<Option<T>> {
    row.optional_text(column)?
        .map(|s| s.parse().map_err(|e| decode_error(column, e)))
        .transpose()
}

/// A slug column.
pub fn slug(row: &impl DbRow, column: &str) -> sqlx::Result<Slug> {
    Slug::new(row.text(column)?).map_err(|e| decode_error(column, e))
}

/// An optional slug column.
pub fn optional_slug(row: &impl DbRow, column: &str) -> sqlx::Result<Option<Slug>> {
    row.optional_text(column)?
        .map(|v| Slug::new(v).map_err(|e| decode_error(column, e)))
        .transpose()
}

/// A value stored as JSON.
pub fn json<T: DeserializeOwned>(row: &impl DbRow, column: &str) -> sqlx::Result<T> {
    row.json(column)
}
