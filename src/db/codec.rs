//! Reading model values out of rows: closed enums as slugs, lists as JSON text.

use std::str::FromStr;

use hallbar_index::{Slug, UnknownValue};
use serde::Serialize;
use serde::de::DeserializeOwned;
use sqlx::Row;
use sqlx::sqlite::SqliteRow;

fn decode_error(
    column: &str,
    source: impl std::error::Error + Send + Sync + 'static,
) -> sqlx::Error {
    sqlx::Error::ColumnDecode {
        index: column.to_string(),
        source: Box::new(source),
    }
}

/// A closed enum stored as its slug.
pub fn closed<T: FromStr<Err = UnknownValue>>(row: &SqliteRow, column: &str) -> sqlx::Result<T> {
    let slug: String = row.try_get(column)?;
    slug.parse().map_err(|e| decode_error(column, e))
}

/// An optional closed enum stored as its slug or NULL.
pub fn optional_closed<T: FromStr<Err = UnknownValue>>(
    row: &SqliteRow,
    column: &str,
) -> sqlx::Result<Option<T>> {
    let slug: Option<String> = row.try_get(column)?;
    slug.map(|s| s.parse().map_err(|e| decode_error(column, e)))
        .transpose()
}

/// A slug column.
pub fn slug(row: &SqliteRow, column: &str) -> sqlx::Result<Slug> {
    let value: String = row.try_get(column)?;
    Slug::new(value).map_err(|e| decode_error(column, e))
}

/// An optional slug column.
pub fn optional_slug(row: &SqliteRow, column: &str) -> sqlx::Result<Option<Slug>> {
    let value: Option<String> = row.try_get(column)?;
    value
        .map(|v| Slug::new(v).map_err(|e| decode_error(column, e)))
        .transpose()
}

/// A value stored as JSON text.
pub fn json<T: DeserializeOwned>(row: &SqliteRow, column: &str) -> sqlx::Result<T> {
    let text: String = row.try_get(column)?;
    serde_json::from_str(&text).map_err(|e| decode_error(column, e))
}

/// Encodes a value as JSON text for storage.
pub fn to_json<T: Serialize>(value: &T) -> String {
    // Serialising plain lists and structs of strings cannot fail.
    serde_json::to_string(value).unwrap_or_else(|_| "[]".to_string())
}
