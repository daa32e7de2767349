//! The admin log in the interchange format: `{"type":"adminlogg",...}` lines, exported after
//! the content and imported idempotently (an entry already stored is not stored again).

use chrono::{DateTime, TimeZone, Utc};
use serde::{Deserialize, Serialize};

use crate::db::admin_log::Entry;

/// The longest actor name, in characters.
const MAX_NAME_CHARS: usize = 200;
/// The longest action slug, in characters.
const MAX_ACTION_CHARS: usize = 80;
/// The longest target or detail, in characters.
const MAX_TEXT_CHARS: usize = crate::db::admin_log::MAX_TEXT_CHARS;

/// One admin-log entry as a line of the format (no account: accounts are never exported).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AdminLogRecord {
    /// When, RFC 3339 in UTC.
    pub tid: DateTime<Utc>,
    /// Who (the actor's name, or `kommandoraden`).
    pub vem: String,
    /// What, as a slug (`admin-ge`, `redaktor-ge`, `omindexering-klar`, `import` …).
    pub atgard: String,
    /// To whom or what.
    #[serde(default)]
    pub mal: String,
    #[serde(default)]
    pub detalj: String,
}

impl AdminLogRecord {
    pub fn from_entry(entry: &Entry) -> AdminLogRecord {
        AdminLogRecord {
            tid: Utc
                .timestamp_opt(entry.created_at, 0)
                .single()
                .unwrap_or_default(),
            vem: entry.actor_name.clone(),
            atgard: entry.action.clone(),
            mal: entry.target.clone(),
            detalj: entry.detail.clone(),
        }
    }

    /// What is wrong with it, in Swedish (empty when nothing).
    pub fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        let chars = |text: &str| text.chars().count();
        if self.vem.trim().is_empty() || chars(&self.vem) > MAX_NAME_CHARS {
            problems.push(format!("vem: 1–{MAX_NAME_CHARS} tecken"));
        }
        let slug_like = self
            .atgard
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if self.atgard.is_empty() || chars(&self.atgard) > MAX_ACTION_CHARS || !slug_like {
            problems.push(format!(
                "atgard: 1–{MAX_ACTION_CHARS} tecken a-z, 0-9 och -"
            ));
        }
        for (name, text) in [("mal", &self.mal), ("detalj", &self.detalj)] {
            if chars(text) > MAX_TEXT_CHARS {
                problems.push(format!("{name}: högst {MAX_TEXT_CHARS} tecken"));
            }
        }
        // NUL cannot be stored in PostgreSQL, and no control character belongs in the log.
        for (name, text) in [
            ("vem", &self.vem),
            ("mal", &self.mal),
            ("detalj", &self.detalj),
        ] {
            if text
                .chars()
                .any(|c| c.is_control() && !matches!(c, '\n' | '\t' | '\r'))
            {
                problems.push(format!("{name}: innehåller otillåtna kontrolltecken"));
            }
        }
        problems
    }
}

/// An entry with its `"type"`, as written.
#[derive(Serialize)]
pub(super) struct Line<'a> {
    #[serde(rename = "type")]
    pub kind: &'static str,
    #[serde(flatten)]
    pub record: &'a AdminLogRecord,
}
