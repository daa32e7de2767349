//! Changing roles — admin, and editor (redaktör) of a support model — the same way from the
//! web and the command line: the change and its admin-log entry in one transaction.

use crate::db::accounts::{Account, Role};
use crate::db::admin_log::{self, actions};
use crate::db::{self, Db};

/// Who does an admin action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// `None` on the command line.
    pub account_id: Option<i64>,
    pub name: String,
}

impl Actor {
    /// The command line (whoever can run `hallbar` on the server).
    pub fn command_line() -> Actor {
        Actor {
            account_id: None,
            name: "kommandoraden".to_string(),
        }
    }
}

/// How an account is named in the log: its name and profile id (never its address: the
/// log is exported, and exports carry no account details).
pub fn target(account: &Account) -> String {
    match &account.member_id {
        Some(member) => format!("{} ({member})", account.name),
        None => format!("{} (konto {})", account.name, account.id),
    }
}

/// Why a role was not taken back.
#[derive(Debug, thiserror::Error)]
pub enum RoleError {
    #[error("det måste finnas minst en administratör; gör någon annan till administratör först")]
    LastAdmin,
    #[error("du är inte längre administratör")]
    NotAdmin,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// Makes the verified `account` an admin (or takes the role back); false when it already
/// had that role. Logged when changed. Checked under the write lock, so that two admins
/// taking each other's role at once cannot leave the site without one: only an actor who is
/// still an admin changes roles, and the last admin keeps theirs on the web.
pub async fn set_admin(
    db: &Db,
    actor: &Actor,
    account: &Account,
    admin: bool,
    now: i64,
) -> Result<bool, RoleError> {
    let role = if admin { Role::Admin } else { Role::Member };
    if account.role == role {
        return Ok(false);
    }
    let mut tx = db.begin_write().await?;
    let admins = still_admin(&mut tx, actor).await?;
    // The command line may (it can always give the role back).
    let by_admin = actor.account_id.is_some();
    if !admin && by_admin && admins.iter().all(|id| *id == account.id) {
        return Err(RoleError::LastAdmin);
    }
    let changed = db::admin::set_role_of(&mut tx, account.id, role).await?;
    if changed {
        let action = if admin {
            actions::PROMOTE
        } else {
            actions::DEMOTE
        };
        admin_log::record(
            &mut tx,
            actor.account_id,
            &actor.name,
            action,
            &target(account),
            "",
            now,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(changed)
}

/// The site's admins, when `actor` (an account) is still one of them.
async fn still_admin(tx: &mut db::Tx, actor: &Actor) -> Result<Vec<i64>, RoleError> {
    let admins = db::admin::admin_ids(tx).await?;
    if actor.account_id.is_some_and(|id| !admins.contains(&id)) {
        return Err(RoleError::NotAdmin);
    }
    Ok(admins)
}

/// Gives `account` the editing of `model` (or takes it back); false when nothing changed.
/// Logged when changed; only by an actor who is still an admin.
pub async fn set_editor(
    db: &Db,
    actor: &Actor,
    account: &Account,
    model: &str,
    grant: bool,
    now: i64,
) -> Result<bool, RoleError> {
    let mut tx = db.begin_write().await?;
    still_admin(&mut tx, actor).await?;
    let changed = if grant {
        db::editors::grant(&mut tx, account.id, model, now).await?
    } else {
        db::editors::revoke(&mut tx, account.id, model).await?
    };
    if changed {
        let action = if grant {
            actions::EDITOR_GRANT
        } else {
            actions::EDITOR_REVOKE
        };
        admin_log::record(
            &mut tx,
            actor.account_id,
            &actor.name,
            action,
            &target(account),
            &format!("stödmodell {model}"),
            now,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(changed)
}
