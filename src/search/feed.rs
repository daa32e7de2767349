//! The indexer's side of the search handle: what it is told (wake-ups) and what it
//! reports (how far the index has caught up, a switch to a rebuilt generation).

use std::sync::Arc;

use hallbar_index::SearchIndex;

use super::Shared;

/// Given to the one indexer task; the only way the index a handle serves can change.
pub struct IndexFeed {
    shared: Arc<Shared>,
}

impl IndexFeed {
    pub(super) fn new(shared: Arc<Shared>) -> Self {
        IndexFeed { shared }
    }

    /// The generation searches use now.
    pub fn current(&self) -> SearchIndex {
        self.shared.current()
    }

    /// The outbox position searches have been told the index includes.
    pub fn indexed(&self) -> i64 {
        *self.shared.indexed.borrow()
    }

    /// Resolves when a writer asks the indexer to look for work.
    pub async fn woken(&self) {
        self.shared.wake.notified().await;
    }

    /// The index now includes every outbox entry up to `watermark` (its reader reloaded).
    pub fn advanced(&self, watermark: i64) {
        self.shared.indexed.send_replace(watermark);
    }

    /// Tells live pages that these entities' changes are in search now.
    pub fn announce(&self, changed: impl IntoIterator<Item = super::Changed>) {
        for change in changed {
            if change.kind == hallbar_index::ContentKind::Model {
                self.shared
                    .models_version
                    .fetch_add(1, std::sync::atomic::Ordering::AcqRel);
            }
            // Nobody listening is fine.
            let _ = self.shared.changes.send(change);
        }
    }

    /// A round of indexing went through: the indexer is healthy.
    pub fn succeeded(&self) {
        self.shared.set_health(None);
    }

    /// Whether searches now see everything the database held when the round began (set
    /// after a round that reached the end of the outbox; cleared while a new generation
    /// is built).
    pub fn caught_up(&self, caught_up: bool) {
        self.shared.set_caught_up(caught_up);
    }

    /// A round of indexing failed; `error` says why.
    pub fn failed(&self, error: String) {
        self.shared.set_health(Some(error));
    }

    /// Searches use `index` from now on; it is complete up to `watermark`.
    pub fn switched(&self, index: SearchIndex, watermark: i64) {
        self.shared.replace(index);
        self.shared.indexed.send_replace(watermark);
    }
}
