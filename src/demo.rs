//! The Swedish demo corpus, embedded in the binary so a fresh install starts with content.

use crate::db::Db;

use crate::db;
use crate::interchange::{ImportError, ImportReport, import};
use crate::write::Writes;

/// The corpus files of `data/demo/`, in load order.
const FILES: &[(&str, &str)] = &[
    (
        "01-medlemmar.jsonl",
        include_str!("../data/demo/01-medlemmar.jsonl"),
    ),
    (
        "02-grupper.jsonl",
        include_str!("../data/demo/02-grupper.jsonl"),
    ),
    (
        "03-tradar.jsonl",
        include_str!("../data/demo/03-tradar.jsonl"),
    ),
    ("04-pivi.jsonl", include_str!("../data/demo/04-pivi.jsonl")),
    (
        "05-matris.jsonl",
        include_str!("../data/demo/05-matris.jsonl"),
    ),
    (
        "06-artiklar.jsonl",
        include_str!("../data/demo/06-artiklar.jsonl"),
    ),
    (
        "07-dialog.jsonl",
        include_str!("../data/demo/07-dialog.jsonl"),
    ),
];

/// The whole corpus as one JSON Lines text.
pub fn corpus() -> String {
    FILES
        .iter()
        .map(|(_, text)| text.trim_end())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Loads the demo corpus (an idempotent import: loading twice changes nothing).
pub async fn load(writes: &Writes) -> Result<ImportReport, ImportError> {
    import(writes, corpus().as_bytes(), false).await
}

/// Loads the demo corpus only into a database that holds no content yet.
/// Returns whether it was loaded. Nodes that start together on one empty PostgreSQL
/// database take turns (an advisory lock), so only the first loads it.
pub async fn load_if_empty(pool: &Db) -> Result<bool, ImportError> {
    let turn = db::Exclusive::take(pool, db::Exclusive::DEMO).await?;
    let mut conn = pool.acquire().await?;
    if !db::stats::is_empty(&mut conn).await? {
        drop(conn);
        turn.release().await?;
        return Ok(false);
    }
    drop(conn);
    load(&Writes::new(pool.clone(), None)).await?;
    turn.release().await?;
    Ok(true)
}
