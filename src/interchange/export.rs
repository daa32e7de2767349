//! Exporting the whole database as JSON Lines, in a stable order.

use std::io::Write;

use crate::db::AsConn;

use super::Record;
use crate::db;

/// Every record, in the order the format documents: by kind (support models first, in
/// navigation order), then by id.
pub async fn export(conn: &mut impl AsConn) -> sqlx::Result<Vec<Record>> {
    let mut records = Vec::new();
    records.extend(
        db::support_models::list(conn)
            .await?
            .into_iter()
            .map(Record::Model),
    );
    records.extend(
        db::members::list(conn)
            .await?
            .into_iter()
            .map(Record::Member),
    );
    records.extend(db::groups::list(conn).await?.into_iter().map(Record::Group));
    records.extend(
        db::threads::list(conn)
            .await?
            .into_iter()
            .map(Record::Thread),
    );
    records.extend(db::pivi::list(conn).await?.into_iter().map(Record::Pivi));
    records.extend(
        db::matrix::list(conn)
            .await?
            .into_iter()
            .map(Record::Matrix),
    );
    records.extend(
        db::articles::list(conn, false, i64::MAX)
            .await?
            .into_iter()
            .map(Record::Article),
    );
    records.extend(
        db::dialogue::list(conn)
            .await?
            .into_iter()
            .map(Record::Dialogue),
    );
    Ok(records)
}

/// Writes records as JSON Lines.
pub fn write_records(mut out: impl Write, records: &[Record]) -> std::io::Result<()> {
    for record in records {
        serde_json::to_writer(&mut out, record)?;
        out.write_all(b"\n")?;
    }
    out.flush()
}
