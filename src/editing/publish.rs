//! Saving editors' work: drafts, publishing (with the earlier version kept as a revision),
//! deleting and restoring — each checked against what the editor started from, so a
//! change made meanwhile by someone else is never silently overwritten.

use hallbar_index::FieldError;

use super::item::{self, Item, ItemKind, hash_text};
use crate::db::{self, AsConn, Db};
use crate::write::{Committed, WriteError, Writes};

/// Who makes a change.
#[derive(Debug, Clone)]
pub struct Editor {
    pub account_id: i64,
    pub name: String,
}

/// Why a change was not made; nothing was stored.
#[derive(Debug, thiserror::Error)]
pub enum EditError {
    /// Someone changed (or deleted) the item after the editor opened it; `current` is
    /// what is stored now.
    #[error("någon annan har ändrat innehållet under tiden")]
    Conflict { current: Option<Box<Item>> },
    /// Fields break the import format's rules or refer to what does not exist.
    #[error("innehållet har fel")]
    Invalid(Vec<FieldError>),
    /// The item cannot be deleted; why.
    #[error("{0}")]
    Blocked(String),
    #[error(transparent)]
    Write(#[from] WriteError),
}

impl From<sqlx::Error> for EditError {
    fn from(e: sqlx::Error) -> Self {
        EditError::Write(WriteError::from(e))
    }
}

/// The note of the version kept from before the first change on the web.
pub const IMPORTED: &str = "Versionen före den första ändringen på webben";

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

/// Whether what is stored is what the editor started from (`expected`: its hash, `None`
/// for a new item).
fn unchanged(current: Option<&Item>, expected: Option<&str>) -> Result<(), EditError> {
    match (current, expected) {
        (None, None) => Ok(()),
        (Some(current), Some(hash)) if current.hash() == hash => Ok(()),
        (current, _) => Err(EditError::Conflict {
            current: current.cloned().map(Box::new),
        }),
    }
}

/// Keeps the version an import made before the web changes it for the first time.
async fn keep_original(conn: &mut impl AsConn, current: Option<&Item>) -> sqlx::Result<()> {
    let model = match current {
        Some(item) => item::owner(conn, item).await?,
        None => return Ok(()),
    };
    let Some(current) = current else {
        return Ok(());
    };
    let kind = current.kind().slug();
    let id = current.entity_id();
    if db::revisions::exists(conn, kind, &id).await? {
        return Ok(());
    }
    db::revisions::add(
        conn,
        &db::revisions::New {
            kind,
            model_id: &model,
            entity_id: &id,
            body: Some(&current.stored()),
            account_id: None,
            author_name: "Import",
            note: IMPORTED,
            now: now(),
        },
    )
    .await
}

/// Every rule the item breaks: the import format's, and references that do not resolve.
pub async fn problems(conn: &mut impl AsConn, item: &Item) -> sqlx::Result<Vec<FieldError>> {
    let mut problems = item.validate();
    if problems.is_empty() {
        problems = item::broken_references(conn, item).await?;
    }
    Ok(problems)
}

/// A member's proposal answered with the change that publishes it.
#[derive(Debug, Clone)]
pub struct Answer {
    pub proposal_id: i64,
    /// Who proposed it (told of the answer), if they are still a member.
    pub proposer_id: Option<String>,
    /// The notification's text and link.
    pub text: String,
    pub link: String,
}

/// Publishes `item` (new when `expected` is `None`, else replacing the version with that
/// hash), keeps it as a revision with `note`, and drops its draft. The change is in search
/// once [`Committed::searchable`] says so.
pub async fn publish(
    writes: &Writes,
    editor: &Editor,
    item: &Item,
    expected: Option<&str>,
    note: &str,
) -> Result<Committed, EditError> {
    publish_answering(writes, editor, item, expected, note, None).await
}

/// [`publish`], and in the same transaction marks a waiting proposal accepted and tells its
/// proposer; a proposal already answered (by another editor) is [`EditError::Blocked`].
pub async fn publish_answering(
    writes: &Writes,
    editor: &Editor,
    item: &Item,
    expected: Option<&str>,
    note: &str,
    answer: Option<&Answer>,
) -> Result<Committed, EditError> {
    let invalid = item.validate();
    if !invalid.is_empty() {
        return Err(EditError::Invalid(invalid));
    }
    let mut change = writes.begin().await?;
    let kind = item.kind();
    let id = item.entity_id();
    let current = item::load(&mut change, kind, &id).await?;
    unchanged(current.as_ref(), expected)?;
    let broken = item::broken_references(&mut change, item).await?;
    if !broken.is_empty() {
        return Err(EditError::Invalid(broken));
    }
    keep_original(&mut change, current.as_ref()).await?;
    item::store(&mut change, item).await?;
    let model = item::owner(&mut change, item).await?;
    db::revisions::add(
        &mut change,
        &db::revisions::New {
            kind: kind.slug(),
            model_id: &model,
            entity_id: &id,
            body: Some(&item.stored()),
            account_id: Some(editor.account_id),
            author_name: &editor.name,
            note,
            now: now(),
        },
    )
    .await?;
    db::drafts::remove(&mut change, kind.slug(), &id).await?;
    if let Some(answer) = answer {
        answer_proposal(
            &mut change,
            editor,
            answer,
            db::proposals::Status::Accepted,
            None,
        )
        .await?;
        db::proposals::set_entity(&mut change, answer.proposal_id, &id).await?;
    }
    Ok(change.commit().await?)
}

/// Marks a waiting proposal answered and tells its proposer.
async fn answer_proposal(
    conn: &mut impl AsConn,
    editor: &Editor,
    answer: &Answer,
    status: db::proposals::Status,
    reason: Option<&str>,
) -> Result<(), EditError> {
    let at = now();
    if !db::proposals::decide(
        conn,
        answer.proposal_id,
        status,
        reason,
        editor.account_id,
        at,
    )
    .await?
    {
        return Err(EditError::Blocked(
            "Förslaget har redan besvarats av någon annan.".to_string(),
        ));
    }
    if let Some(member) = &answer.proposer_id {
        db::notifications::create(
            conn,
            &db::notifications::New {
                member_id: member,
                kind: db::notifications::Kind::ProposalAnswered,
                text: &answer.text,
                link: &answer.link,
                group_id: None,
                now: at,
            },
        )
        .await?;
    }
    Ok(())
}

/// Declines a waiting proposal with `reason`, telling its proposer.
pub async fn decline(
    db_handle: &Db,
    editor: &Editor,
    answer: &Answer,
    reason: &str,
) -> Result<(), EditError> {
    let mut tx = db_handle.begin_write().await?;
    answer_proposal(
        &mut tx,
        editor,
        answer,
        db::proposals::Status::Declined,
        Some(reason),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Deletes the published item whose version has hash `expected`, keeping the deletion in
/// its history (its earlier versions stay there and can be restored).
pub async fn delete(
    writes: &Writes,
    editor: &Editor,
    kind: ItemKind,
    id: &str,
    expected: &str,
) -> Result<Committed, EditError> {
    let mut change = writes.begin().await?;
    let current = item::load(&mut change, kind, id).await?;
    unchanged(current.as_ref(), Some(expected))?;
    if let Some(why) = item::blocks_deletion(&mut change, kind, id).await? {
        return Err(EditError::Blocked(why));
    }
    let model = match &current {
        Some(item) => item::owner(&mut change, item).await?,
        None => String::new(),
    };
    keep_original(&mut change, current.as_ref()).await?;
    item::remove(&mut change, kind, id).await?;
    db::revisions::add(
        &mut change,
        &db::revisions::New {
            kind: kind.slug(),
            model_id: &model,
            entity_id: id,
            body: None,
            account_id: Some(editor.account_id),
            author_name: &editor.name,
            note: "Borttagen",
            now: now(),
        },
    )
    .await?;
    db::drafts::remove(&mut change, kind.slug(), id).await?;
    Ok(change.commit().await?)
}

/// Saves `item` as the draft of its item. `base` is the published version it started
/// from (`None`: a new item); `expected_draft` the hash of the draft the editor opened
/// (`None`: there was none). Another draft saved meanwhile is a conflict.
pub async fn save_draft(
    db_handle: &Db,
    editor: &Editor,
    item: &Item,
    base: Option<&str>,
    expected_draft: Option<&str>,
) -> Result<(), EditError> {
    let invalid = item.validate();
    if !invalid.is_empty() {
        return Err(EditError::Invalid(invalid));
    }
    let kind = item.kind();
    let id = item.entity_id();
    let mut tx = db_handle.begin_write().await?;
    let broken = item::broken_references(&mut tx, item).await?;
    if !broken.is_empty() {
        return Err(EditError::Invalid(broken));
    }
    let draft = db::drafts::get(&mut tx, kind.slug(), &id).await?;
    let draft_hash = draft.as_ref().map(|d| hash_text(&d.body));
    if draft_hash.as_deref() != expected_draft {
        let current = draft
            .and_then(|d| Item::from_stored(kind, &d.body))
            .map(Box::new);
        return Err(EditError::Conflict { current });
    }
    if base.is_none() && item::load(&mut tx, kind, &id).await?.is_some() {
        return Err(EditError::Invalid(vec![FieldError {
            field: "id".to_string(),
            message: "det finns redan innehåll med den adressen".to_string(),
        }]));
    }
    let model = item::owner(&mut tx, item).await?;
    db::drafts::save(
        &mut tx,
        kind.slug(),
        &model,
        &id,
        &item.stored(),
        base,
        editor.account_id,
        now(),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Throws away an item's draft; false when it had none.
pub async fn discard_draft(db_handle: &Db, kind: ItemKind, id: &str) -> Result<bool, EditError> {
    let mut conn = db_handle.acquire().await?;
    Ok(db::drafts::remove(&mut conn, kind.slug(), id).await?)
}
