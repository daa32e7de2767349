//! A reindex started from the web: the same rebuild as `hallbar reindex`, of this node's
//! own index, in the background, one at a time per node. Other nodes keep serving from their
//! replicas. Its state (running, progress, the last result) is kept here, in memory; the
//! start and the result also go to the admin log, which is what survives a restart.

use std::sync::Arc;
use std::time::Instant;

use tokio::sync::watch;

use super::roles::Actor;
use crate::db::admin_log::{self, actions};
use crate::http::AppState;
use crate::indexer::{self, IndexLocation};

/// A run in progress.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Running {
    pub by: String,
    /// Unix seconds.
    pub started_at: i64,
    pub done: u64,
    pub total: u64,
}

/// How the last run on this node ended.
#[derive(Debug, Clone, PartialEq)]
pub struct Finished {
    pub by: String,
    /// Unix seconds.
    pub finished_at: i64,
    pub seconds: f64,
    pub documents: u64,
    /// Why it failed (`None`: it went through).
    pub error: Option<String>,
}

/// What the admin page shows of this node's reindexing.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Status {
    pub running: Option<Running>,
    pub last: Option<Finished>,
}

/// This node's reindexing (cheap to clone; one per [`AppState`]).
#[derive(Clone)]
pub struct Reindexer {
    status: Arc<watch::Sender<Status>>,
}

impl Default for Reindexer {
    fn default() -> Self {
        Reindexer {
            status: Arc::new(watch::Sender::new(Status::default())),
        }
    }
}

/// The right to run the node's one reindex; the run ends (for the status) when it is
/// dropped, however the task ends.
pub struct Claim {
    status: Arc<watch::Sender<Status>>,
}

impl Claim {
    /// Records how far the run has come.
    pub fn progress(&self, done: u64, total: u64) {
        set_progress(&self.status, done, total);
    }

    fn finish(self, finished: Finished) {
        self.status.send_modify(|s| s.last = Some(finished));
    }
}

fn set_progress(status: &watch::Sender<Status>, done: u64, total: u64) {
    status.send_modify(|s| {
        if let Some(running) = &mut s.running {
            running.done = done;
            running.total = total;
        }
    });
}

impl Drop for Claim {
    fn drop(&mut self) {
        self.status.send_modify(|s| s.running = None);
    }
}

impl Reindexer {
    pub fn status(&self) -> Status {
        self.status.borrow().clone()
    }

    /// Marks a run as started by `by`, or `None` when one is running already.
    pub fn claim(&self, by: &str, now: i64) -> Option<Claim> {
        let claimed = self.status.send_if_modified(|s| {
            if s.running.is_some() {
                return false;
            }
            s.running = Some(Running {
                by: by.to_string(),
                started_at: now,
                done: 0,
                total: 0,
            });
            true
        });
        claimed.then(|| Claim {
            status: Arc::clone(&self.status),
        })
    }

    /// Waits until no run is going on.
    pub async fn wait_idle(&self) {
        let mut receiver = self.status.subscribe();
        let _ = receiver.wait_for(|s| s.running.is_none()).await;
    }
}

/// Why a reindex did not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("en omindexering pågår redan på den här servern")]
    Running,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
    #[error(transparent)]
    Index(#[from] indexer::location::LocationError),
}

/// The node's name in the admin log (its index replica's id).
pub fn node_name(state: &AppState) -> Result<String, indexer::location::LocationError> {
    IndexLocation::new(&state.config.data_dir).node_id()
}

/// Starts rebuilding this node's index in the background, as `actor`; refused while a run
/// is going on here.
pub async fn start(state: &AppState, actor: &Actor, now: i64) -> Result<(), StartError> {
    let claim = state
        .admin
        .reindex
        .claim(&actor.name, now)
        .ok_or(StartError::Running)?;
    let node = node_name(state)?;
    {
        let mut conn = state.db.acquire().await?;
        admin_log::record(
            &mut conn,
            actor.account_id,
            &actor.name,
            actions::REINDEX_STARTED,
            &node,
            "",
            now,
        )
        .await?;
    }
    let state = state.clone();
    let actor = actor.clone();
    tokio::spawn(async move {
        run(state, actor, node, claim).await;
    });
    Ok(())
}

async fn run(state: AppState, actor: Actor, node: String, claim: Claim) {
    let began = Instant::now();
    let location = IndexLocation::new(&state.config.data_dir);
    let status = Arc::clone(&claim.status);
    let progress = Arc::new(move |done: u64, total: u64| set_progress(&status, done, total));
    let outcome = indexer::rebuild::rebuild(&state.db, &location, progress).await;
    // The follower switches to the new generation on its next round.
    state.search.wake();
    let seconds = began.elapsed().as_secs_f64();
    let finished_at = crate::http::session::now();
    let (action, detail, documents, error) = match &outcome {
        Ok(rebuilt) => (
            actions::REINDEX_FINISHED,
            format!(
                "{} dokument på {} s",
                rebuilt.documents,
                format!("{seconds:.1}").replace('.', ",")
            ),
            rebuilt.documents,
            None,
        ),
        Err(e) => {
            tracing::error!(error = %format!("{e:#}"), "omindexeringen misslyckades");
            (
                actions::REINDEX_FAILED,
                format!("{e:#}"),
                0,
                Some(format!("{e:#}")),
            )
        }
    };
    match state.db.acquire().await {
        Ok(mut conn) => {
            if let Err(e) = admin_log::record(
                &mut conn,
                actor.account_id,
                &actor.name,
                action,
                &node,
                &detail,
                finished_at,
            )
            .await
            {
                tracing::warn!(error = %e, "omindexeringens resultat kunde inte loggas");
            }
        }
        Err(e) => tracing::warn!(error = %e, "omindexeringens resultat kunde inte loggas"),
    }
    claim.finish(Finished {
        by: actor.name,
        finished_at,
        seconds,
        documents,
        error,
    });
}
