//! The JSON Lines interchange format (`hallbar import` / `export` and the demo corpus).
//!
//! One record per line with a `"type"` field; see "The import format" in README.md.

mod admin_log;
mod export;
mod import;
mod parse;
mod references;

pub use admin_log::AdminLogRecord;
pub use export::{Export, export, export_all, write_records};
pub use import::{Checked, ImportError, ImportReport, MAX_CHECK_ERRORS, check, import};
pub use parse::{LineError, Parsed, ParsedLine, ParsedLogLine, parse_all, parse_lines};
pub use references::check as check_references;

use hallbar_index::{
    Article, ContentKind, DialogueText, Group, Matrix, Member, PiviEntry, Slug, SupportModel,
    Thread,
};
use serde::Serialize;

/// One record of the interchange format.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type")]
pub enum Record {
    #[serde(rename = "stodmodell")]
    Model(SupportModel),
    #[serde(rename = "medlem")]
    Member(Member),
    #[serde(rename = "grupp")]
    Group(Group),
    #[serde(rename = "trad")]
    Thread(Thread),
    #[serde(rename = "pivi")]
    Pivi(PiviEntry),
    #[serde(rename = "matris")]
    Matrix(Matrix),
    #[serde(rename = "artikel")]
    Article(Article),
    #[serde(rename = "dialog")]
    Dialogue(DialogueText),
}

impl Record {
    pub fn kind(&self) -> ContentKind {
        match self {
            Record::Model(_) => ContentKind::Model,
            Record::Member(_) => ContentKind::Member,
            Record::Group(_) => ContentKind::Group,
            Record::Thread(_) => ContentKind::Thread,
            Record::Pivi(_) => ContentKind::Pivi,
            Record::Matrix(_) => ContentKind::Matrix,
            Record::Article(_) => ContentKind::Article,
            Record::Dialogue(_) => ContentKind::Dialogue,
        }
    }

    pub fn id(&self) -> &Slug {
        match self {
            Record::Model(m) => &m.id,
            Record::Member(m) => &m.id,
            Record::Group(g) => &g.id,
            Record::Thread(t) => &t.id,
            Record::Pivi(p) => &p.id,
            Record::Matrix(m) => &m.id,
            Record::Article(a) => &a.id,
            Record::Dialogue(d) => &d.id,
        }
    }

    /// The order in which kinds are written, so references point backwards (models first).
    pub fn write_rank(&self) -> u8 {
        match self.kind() {
            ContentKind::Model => 0,
            ContentKind::Member => 1,
            ContentKind::Group => 2,
            ContentKind::Thread => 3,
            ContentKind::Pivi => 4,
            ContentKind::Matrix => 5,
            ContentKind::Article => 6,
            ContentKind::Dialogue => 7,
        }
    }
}
