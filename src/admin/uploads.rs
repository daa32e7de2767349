//! Uploaded import files waiting for the admin's confirmation: each is a file under the
//! data directory's `uploads/`, named to the admin by an unguessable token that is bound to
//! their session, expires, and is used once.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime};

use crate::auth::tokens;

/// Where uploads wait, under the data directory.
pub fn dir(data_dir: &Path) -> PathBuf {
    data_dir.join("uploads")
}

struct Pending {
    path: PathBuf,
    /// The hash of the session that uploaded it.
    session: String,
    /// Unix seconds.
    expires_at: i64,
}

/// What a confirmation's token found.
#[derive(Debug, PartialEq, Eq)]
pub enum Redeemed {
    /// The file to import (the token is spent; the caller removes the file).
    File(PathBuf),
    /// No such token (never given, or used already).
    Unknown,
    /// Given to another session.
    OtherSession,
    /// Too old (the file is removed).
    Expired,
}

/// The uploads waiting on this node (cheap to clone).
#[derive(Clone, Default)]
pub struct Uploads {
    pending: Arc<Mutex<HashMap<String, Pending>>>,
}

impl Uploads {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Pending>> {
        self.pending.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Keeps `path` for the session `session` until `expires_at`; the token that names it.
    /// A session has one upload waiting at a time: its earlier one is forgotten and removed
    /// (uploads again and again do not fill the disk).
    pub fn keep(&self, path: PathBuf, session: &str, expires_at: i64) -> String {
        let token = tokens::random();
        let mut pending = self.lock();
        pending.retain(|_, p| {
            let earlier = tokens::same(&p.session, session);
            if earlier {
                remove(&p.path);
            }
            !earlier
        });
        pending.insert(
            token.clone(),
            Pending {
                path,
                session: session.to_string(),
                expires_at,
            },
        );
        token
    }

    /// Spends `token` for `session` at `now`.
    pub fn redeem(&self, token: &str, session: &str, now: i64) -> Redeemed {
        let mut pending = self.lock();
        let Some(found) = pending.get(token) else {
            return Redeemed::Unknown;
        };
        if !tokens::same(&found.session, session) {
            return Redeemed::OtherSession;
        }
        let Some(found) = pending.remove(token) else {
            return Redeemed::Unknown;
        };
        if now >= found.expires_at {
            remove(&found.path);
            return Redeemed::Expired;
        }
        Redeemed::File(found.path)
    }

    /// Forgets expired uploads and removes their files, and any file in `dir` older than
    /// `max_age` that no token names (left by a restart).
    pub fn clean(&self, dir: &Path, now: i64, max_age: Duration) {
        let mut pending = self.lock();
        pending.retain(|_, p| {
            let live = now < p.expires_at;
            if !live {
                remove(&p.path);
            }
            live
        });
        let named: Vec<PathBuf> = pending.values().map(|p| p.path.clone()).collect();
        drop(pending);
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        let oldest = SystemTime::now().checked_sub(max_age);
        for entry in entries.flatten() {
            let path = entry.path();
            let stale = entry
                .metadata()
                .and_then(|m| m.modified())
                .is_ok_and(|modified| oldest.is_some_and(|oldest| modified < oldest));
            if stale && !named.contains(&path) {
                remove(&path);
            }
        }
    }
}

fn remove(path: &Path) {
    if let Err(e) = std::fs::remove_file(path)
        && e.kind() != std::io::ErrorKind::NotFound
    {
        tracing::warn!(error = %e, path = %path.display(), "en uppladdad fil kunde inte tas bort");
    }
}
