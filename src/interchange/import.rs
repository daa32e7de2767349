//! Importing a JSON Lines file: validate everything, then write it in one transaction.

use std::collections::BTreeMap;
use std::io::BufRead;

use crate::db::AsConn;
use hallbar_index::ContentKind;

use super::parse::parse_until;
use super::{LineError, Parsed, Record, parse_all, references};
use crate::db;
use crate::write::{WriteError, Writes};

/// What an import wrote, and which lines it skipped (only with `skip_invalid`).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ImportReport {
    pub written: BTreeMap<ContentKind, usize>,
    pub skipped: Vec<LineError>,
    /// Admin-log entries stored (those stored before are not stored again).
    pub admin_log: usize,
    /// The outbox position search must reach to include the import (`None`: nothing written).
    pub committed_seq: Option<i64>,
}

impl ImportReport {
    pub fn total(&self) -> usize {
        self.written.values().sum()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("filen kunde inte läsas: {0}")]
    Read(#[from] std::io::Error),
    #[error(
        "{} rad(er) i filen har fel, så ingenting importerades \
         (med --skip-invalid importeras de felfria raderna):\n{}",
        .0.len(),
        .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n")
    )]
    Invalid(Vec<LineError>),
    #[error("importen kunde inte skrivas till databasen, ingenting ändrades: {0}")]
    Db(#[from] sqlx::Error),
    #[error(
        "databasen är upptagen av en annan skrivning (kör en annan import?); ingenting \
         ändrades, försök igen om en stund"
    )]
    Busy,
}

impl From<WriteError> for ImportError {
    fn from(e: WriteError) -> Self {
        match e {
            WriteError::Busy => ImportError::Busy,
            WriteError::Db(e) => ImportError::Db(e),
        }
    }
}

/// Imports every record of `input`. With errors and without `skip_invalid`, nothing is
/// written; with `skip_invalid`, the bad lines (and records that refer to them) are skipped.
/// The import is one change on the write path: the references are checked and every record
/// written in the same transaction, which is committed only when nothing is wrong (or the
/// bad lines are skipped).
pub async fn import(
    writes: &Writes,
    input: impl BufRead,
    skip_invalid: bool,
) -> Result<ImportReport, ImportError> {
    let Parsed {
        mut lines,
        admin_log,
        mut errors,
    } = parse_all(input)?;
    let mut change = writes.begin().await?;
    let reference_errors = references::check(&mut change, &lines)
        .await
        .map_err(WriteError::from)?;
    if !reference_errors.is_empty() {
        let rejected: std::collections::HashSet<usize> =
            reference_errors.iter().map(|e| e.line).collect();
        lines.retain(|l| !rejected.contains(&l.line));
        errors.extend(reference_errors);
        errors.sort_by_key(|e| e.line);
    }
    if !errors.is_empty() && !skip_invalid {
        return Err(ImportError::Invalid(errors));
    }
    lines.sort_by_key(|l| l.record.write_rank());
    let mut report = ImportReport {
        skipped: errors,
        ..ImportReport::default()
    };
    for line in &lines {
        write_record(&mut change, &line.record)
            .await
            .map_err(WriteError::from)?;
        *report.written.entry(line.record.kind()).or_default() += 1;
    }
    for line in &admin_log {
        let e = &line.entry;
        if db::admin_log::insert_if_absent(
            &mut change,
            &e.vem,
            &e.atgard,
            &e.mal,
            &e.detalj,
            e.tid.timestamp(),
        )
        .await
        .map_err(WriteError::from)?
        {
            report.admin_log += 1;
        }
    }
    report.committed_seq = change.commit().await?.seq;
    Ok(report)
}

/// Writes one record (an upsert), appending to the index outbox.
pub async fn write_record(conn: &mut impl AsConn, record: &Record) -> sqlx::Result<()> {
    match record {
        Record::Model(m) => {
            db::support_models::upsert(conn, m, chrono::Utc::now().timestamp()).await
        }
        Record::Member(m) => db::members::upsert(conn, m).await,
        Record::Group(g) => db::groups::upsert(conn, g).await,
        Record::Thread(t) => db::threads::upsert(conn, t).await,
        Record::Pivi(p) => db::pivi::upsert(conn, p).await,
        Record::Matrix(m) => db::matrix::upsert(conn, m).await,
        Record::Article(a) => db::articles::upsert(conn, a).await,
        Record::Dialogue(d) => db::dialogue::upsert(conn, d).await,
    }
}

/// What a file holds, checked in full (every line, and every reference against the file and
/// the database) without writing anything.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Checked {
    /// Good content records per kind.
    pub records: BTreeMap<ContentKind, usize>,
    /// Good admin-log lines.
    pub admin_log: usize,
    /// Every bad line, in order.
    pub errors: Vec<LineError>,
}

/// The bad lines [`check`] reads before it stops.
pub const MAX_CHECK_ERRORS: usize = 1_000;

/// Checks `input` as [`import`] would, writing nothing (stopping after
/// [`MAX_CHECK_ERRORS`] bad lines). The file is read on the blocking
/// pool; the references are checked on one connection of `db`.
pub async fn check(
    db: &db::Db,
    input: impl BufRead + Send + 'static,
) -> Result<Checked, ImportError> {
    let parsed = tokio::task::spawn_blocking(move || parse_until(input, MAX_CHECK_ERRORS))
        .await
        .map_err(|e| ImportError::Read(std::io::Error::other(e)))??;
    let mut conn = db.acquire().await?;
    let reference_errors = references::check(&mut conn, &parsed.lines).await?;
    drop(conn);
    let rejected: std::collections::HashSet<usize> =
        reference_errors.iter().map(|e| e.line).collect();
    let mut checked = Checked {
        admin_log: parsed.admin_log.len(),
        errors: parsed.errors,
        ..Checked::default()
    };
    for line in parsed.lines.iter().filter(|l| !rejected.contains(&l.line)) {
        *checked.records.entry(line.record.kind()).or_default() += 1;
    }
    checked.errors.extend(reference_errors);
    checked.errors.sort_by_key(|e| e.line);
    Ok(checked)
}
