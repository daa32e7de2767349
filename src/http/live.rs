//! `/handelser`: server-sent events for live pages. A thread page listens for new posts in
//! its thread (`inlagg`) and the header's unread count (`antal`). Changes reach every node
//! through the outbox: each node's indexer announces what it took in, so a post written
//! through one node reaches listeners on all of them, once it is searchable.

use std::convert::Infallible;
use std::time::Duration;

use axum::Router;
use axum::extract::{RawQuery, State};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::routing::get;
use futures_util::stream::{self, Stream};
use hallbar_index::ContentKind;
use hallbar_index::search::params;
use tokio::sync::broadcast::error::RecvError;

use super::{AppError, AppState, CurrentUser};
use crate::db;
use crate::search::Changed;

/// How often the unread count is looked at even when nothing was announced (mentions and
/// join requests also arrive without a change to the listened thread).
const RECOUNT_EVERY: Duration = Duration::from_secs(30);

/// After a change elsewhere (another thread, a group), the unread count is looked at again
/// at most this often per listener: with many listeners every change would otherwise cost
/// one query each.
const RECOUNT_AFTER_OTHER_CHANGES: Duration = Duration::from_secs(10);

pub fn router() -> Router<AppState> {
    Router::new().route("/handelser", get(events))
}

/// What one listener listens to.
struct Listener {
    state: AppState,
    member: String,
    thread: Option<String>,
    changes: tokio::sync::broadcast::Receiver<Changed>,
    /// The unread count last sent (`None`: nothing sent yet).
    sent_count: Option<i64>,
    /// An event found while another was being sent (the count that changed with a post).
    pending: Option<Event>,
    /// When the unread count was last looked at.
    counted_at: tokio::time::Instant,
    recount: tokio::time::Interval,
}

impl Listener {
    /// The next event to send, or `None` when the server is shutting down.
    async fn next(&mut self) -> Option<Event> {
        if let Some(event) = self.pending.take() {
            return Some(event);
        }
        loop {
            if self.sent_count.is_none() {
                return Some(
                    self.count_event()
                        .await
                        .unwrap_or_else(|| Event::default().comment("")),
                );
            }
            tokio::select! {
                received = self.changes.recv() => match received {
                    Ok(change) => {
                        let in_thread = change.kind == ContentKind::Thread
                            && self.thread.as_deref() == Some(change.entity_id.as_str());
                        if in_thread {
                            // Still allowed to read it? (A member removed from a closed
                            // group hears no more of it: the stream ends.)
                            if !self.may_still_read(&change.entity_id).await {
                                return None;
                            }
                            // The count may have changed with the post (a reply notifies).
                            self.pending = self.count_event().await;
                            return Some(Event::default().event("inlagg").data(change.entity_id));
                        }
                        if matches!(change.kind, ContentKind::Thread | ContentKind::Group)
                            && self.counted_at.elapsed() >= RECOUNT_AFTER_OTHER_CHANGES
                            && let Some(event) = self.count_event().await
                        {
                            return Some(event);
                        }
                    }
                    // Fell behind: the thread may have changed, look again.
                    Err(RecvError::Lagged(_)) => {
                        if let Some(thread) = &self.thread {
                            return Some(Event::default().event("inlagg").data(thread.clone()));
                        }
                    }
                    Err(RecvError::Closed) => return None,
                },
                _ = self.recount.tick() => {
                    if let Some(event) = self.count_event().await {
                        return Some(event);
                    }
                }
            }
        }
    }

    /// Whether the member may still read `thread` (its group open, or theirs), asked of the
    /// database now: membership may have changed since the stream opened.
    async fn may_still_read(&self, thread: &str) -> bool {
        let Ok(mut conn) = self.state.db.acquire().await else {
            return false;
        };
        match db::notifications::thread_group(&mut conn, thread).await {
            Ok(Some((_, false))) => true,
            Ok(Some((group, true))) => db::groups::is_member(&mut conn, &group, &self.member)
                .await
                .unwrap_or(false),
            _ => false,
        }
    }

    /// An `antal` event when the unread count differs from the one last sent.
    async fn count_event(&mut self) -> Option<Event> {
        self.counted_at = tokio::time::Instant::now();
        let mut conn = self.state.db.acquire().await.ok()?;
        let count = db::notifications::unread_count(&mut conn, &self.member)
            .await
            .ok()?;
        if self.sent_count == Some(count) {
            return None;
        }
        self.sent_count = Some(count);
        Some(Event::default().event("antal").data(count.to_string()))
    }
}

async fn events(
    State(state): State<AppState>,
    user: CurrentUser,
    RawQuery(raw): RawQuery,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, AppError> {
    let pairs = params::pairs(raw.as_deref());
    let thread = params::value(&pairs, "trad").map(str::to_string);
    // Not a thread id (a NUL would not even reach PostgreSQL): no such thread.
    if thread
        .as_deref()
        .is_some_and(|t| hallbar_index::Slug::new(t).is_err())
    {
        return Err(AppError::NotFound);
    }
    if let Some(thread) = &thread {
        // A thread the member may not read does not exist for them.
        let mut conn = state.db.acquire().await?;
        let (group, closed) = db::notifications::thread_group(&mut conn, thread)
            .await?
            .ok_or(AppError::NotFound)?;
        if closed && !user.0.groups.iter().any(|g| g.as_str() == group) {
            return Err(AppError::NotFound);
        }
    }
    let mut recount = tokio::time::interval(RECOUNT_EVERY);
    recount.reset();
    let listener = Listener {
        changes: state.search.subscribe(),
        member: user.0.member.as_str().to_string(),
        state,
        thread,
        sent_count: None,
        pending: None,
        counted_at: tokio::time::Instant::now(),
        recount,
    };
    let events = stream::unfold(listener, |mut listener| async move {
        let event = listener.next().await?;
        Some((Ok(event), listener))
    });
    Ok(Sse::new(events).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))))
}
