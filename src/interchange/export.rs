//! Exporting the whole database as JSON Lines, in a stable order.

use std::io::Write;

use crate::db::AsConn;

use super::Record;
use super::admin_log::{AdminLogRecord, Line};
use crate::db;

/// A whole export: the content, then the admin log.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Export {
    pub records: Vec<Record>,
    pub admin_log: Vec<AdminLogRecord>,
}

impl Export {
    /// How many lines it writes.
    pub fn len(&self) -> usize {
        self.records.len() + self.admin_log.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Writes it as JSON Lines.
    pub fn write(&self, mut out: impl Write) -> std::io::Result<()> {
        write_lines(&mut out, &self.records)?;
        for entry in &self.admin_log {
            serde_json::to_writer(
                &mut out,
                &Line {
                    kind: "adminlogg",
                    record: entry,
                },
            )?;
            out.write_all(b"\n")?;
        }
        out.flush()
    }
}

/// Everything `hallbar export` writes: every record (see [`export`]), then the admin log,
/// oldest first.
pub async fn export_all(conn: &mut impl AsConn) -> sqlx::Result<Export> {
    let records = export(conn).await?;
    let admin_log = db::admin_log::all(conn)
        .await?
        .iter()
        .map(AdminLogRecord::from_entry)
        .collect();
    Ok(Export { records, admin_log })
}

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
    write_lines(&mut out, records)?;
    out.flush()
}

fn write_lines(out: &mut impl Write, records: &[Record]) -> std::io::Result<()> {
    for record in records {
        serde_json::to_writer(&mut *out, record)?;
        out.write_all(b"\n")?;
    }
    Ok(())
}
