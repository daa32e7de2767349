//! The app's one door to the search index: async methods for everything the app asks of it
//! (search, suggestions, colleagues, who-knows, similar entries), which hand the blocking
//! work to tokio's blocking pool and map its errors in one place. The indexer keeps the
//! index current through the [`IndexFeed`] it gets beside the handle.

mod feed;

use std::sync::{Arc, Mutex, PoisonError, RwLock};
use std::time::{Duration, Instant};

use hallbar_index::matching::{self, MatchOptions, MemberMatch};
use hallbar_index::search::{self, Filters, Hit, SearchRequest, SearchResults, Viewer, params};
use hallbar_index::vocabulary::{self, CompetenceCount, CompetencePage};
use hallbar_index::{DocKind, Member, PiviEntry, SearchIndex};
use tokio::sync::{Notify, broadcast, watch};

pub use feed::IndexFeed;

/// Why a search could not be answered.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("sökindexet kunde inte läsas: {0}")]
    Index(#[from] tantivy::TantivyError),
    #[error("sökningen avbröts: {0}")]
    Aborted(#[from] tokio::task::JoinError),
    /// The index code panicked (a damaged index, a bug): the search fails, the server lives.
    #[error("sökningen avbröts av ett internt fel")]
    Panicked,
}

/// The search side of the application state (cheap to clone): the current index
/// generation and the indexer's progress.
#[derive(Clone)]
pub struct SearchService {
    shared: Arc<Shared>,
}

/// What the handle and the indexer's feed share.
struct Shared {
    current: RwLock<SearchIndex>,
    indexed: watch::Sender<i64>,
    wake: Notify,
    health: Mutex<IndexerHealth>,
    /// Every entity the index has just taken in (for live pages).
    changes: broadcast::Sender<Changed>,
    /// Counts the support-model changes the indexer has read from the outbox, so that a
    /// node's cached list of models knows when to read them again.
    models_version: std::sync::atomic::AtomicU64,
}

/// An entity whose change the index has just taken in (its new state is in search).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Changed {
    pub kind: hallbar_index::ContentKind,
    pub entity_id: String,
}

/// How many changes a slow listener may fall behind before it is told it missed some.
const CHANGES_BUFFERED: usize = 1024;

/// How the indexer is doing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IndexerHealth {
    /// Since when every round of indexing has failed (`None`: the last one went through).
    pub failing_since: Option<Instant>,
    /// Why the last round failed.
    pub last_error: Option<String>,
    /// Whether the index has once caught up with the database since the node started.
    pub caught_up: bool,
}

impl SearchService {
    /// A handle on `index`, complete up to outbox entry `watermark`, and the feed through
    /// which the indexer reports its progress.
    pub fn new(index: SearchIndex, watermark: i64) -> (Self, IndexFeed) {
        let (indexed, _) = watch::channel(watermark);
        let (changes, _) = broadcast::channel(CHANGES_BUFFERED);
        let shared = Arc::new(Shared {
            current: RwLock::new(index),
            indexed,
            wake: Notify::new(),
            health: Mutex::new(IndexerHealth::default()),
            changes,
            models_version: std::sync::atomic::AtomicU64::new(0),
        });
        (
            SearchService {
                shared: Arc::clone(&shared),
            },
            IndexFeed::new(shared),
        )
    }

    /// Changes as the index takes them in, from now on (each node's own indexer announces
    /// what it read from the outbox, so a change made through any node reaches every
    /// node's listeners).
    pub fn subscribe(&self) -> broadcast::Receiver<Changed> {
        self.shared.changes.subscribe()
    }

    /// How many support-model changes this node's indexer has read (see
    /// [`crate::model_cache::ModelCache`]).
    pub fn models_version(&self) -> u64 {
        self.shared
            .models_version
            .load(std::sync::atomic::Ordering::Acquire)
    }

    /// The index generation searches use now (a search keeps the one it started with).
    fn current(&self) -> SearchIndex {
        self.shared.current()
    }

    /// The outbox position the index has caught up with.
    pub fn indexed(&self) -> i64 {
        *self.shared.indexed.borrow()
    }

    /// How the indexer is doing.
    pub fn indexer_health(&self) -> IndexerHealth {
        self.shared
            .health
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// The database epoch the index in use counts its watermark in (empty: not recorded).
    pub fn index_epoch(&self) -> tantivy::Result<String> {
        self.current().epoch()
    }

    /// How many documents the current index generation holds.
    pub fn document_count(&self) -> u64 {
        self.current().num_docs()
    }

    /// How many documents of each kind the current generation holds.
    pub async fn documents_per_kind(&self) -> Result<Vec<(DocKind, u64)>, SearchError> {
        self.run(|index| index.documents_per_kind()).await
    }

    /// Tells the indexer there is new work (it also polls on its own).
    pub fn wake(&self) {
        self.shared.wake.notify_one();
    }

    /// Waits until the index includes outbox entry `seq` (a writer's own change), at most
    /// `timeout`. Returns whether it got there.
    pub async fn wait_for(&self, seq: i64, timeout: Duration) -> bool {
        self.wake();
        self.wait_until(seq, timeout).await
    }

    /// Waits, without waking the indexer, until the index includes outbox entry `seq`
    /// (another node's write: this node's indexer hears of it from the database), at most
    /// `timeout`. Returns whether it got there.
    pub async fn wait_until(&self, seq: i64, timeout: Duration) -> bool {
        let mut receiver = self.shared.indexed.subscribe();
        tokio::time::timeout(timeout, receiver.wait_for(|&indexed| indexed >= seq))
            .await
            .is_ok_and(|r| r.is_ok())
    }

    /// Runs blocking index work against the current generation. On the multi-threaded
    /// runtime (the server) it runs in place, telling tokio to move this worker's other
    /// tasks elsewhere meanwhile: a search is far shorter than the hand-off to the blocking
    /// pool, which cost more CPU than the search itself (`benches/RESULTS.md`). Elsewhere
    /// (single-threaded tests) it goes to the blocking pool.
    async fn run<T: Send + 'static>(
        &self,
        job: impl FnOnce(&SearchIndex) -> tantivy::Result<T> + Send + 'static,
    ) -> Result<T, SearchError> {
        let index = self.current();
        let flavor = tokio::runtime::Handle::current().runtime_flavor();
        if flavor == tokio::runtime::RuntimeFlavor::MultiThread {
            let outcome = tokio::task::block_in_place(|| {
                std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| job(&index)))
            });
            Ok(outcome.map_err(|_| SearchError::Panicked)??)
        } else {
            Ok(tokio::task::spawn_blocking(move || job(&index)).await??)
        }
    }

    /// A faceted search, filtered by what the request's viewer may see.
    pub async fn search(&self, request: SearchRequest) -> Result<SearchResults, SearchError> {
        self.run(move |index| search::search(index, &request)).await
    }

    /// Completions for search-as-you-type (public words only).
    pub async fn suggestions(&self, typed: String) -> Result<Vec<String>, SearchError> {
        self.run(move |index| search::suggestions(index, &typed))
            .await
    }

    /// Members like `member` whom `viewer` may see, with the reasons.
    pub async fn colleagues(
        &self,
        member: Member,
        viewer: Viewer,
        options: MatchOptions,
    ) -> Result<Vec<MemberMatch>, SearchError> {
        self.run(move |index| matching::match_members(index, &member, &viewer, options))
            .await
    }

    /// Members who know about `need`, with the evidence.
    pub async fn who_knows(
        &self,
        need: String,
        viewer: Viewer,
        limit: usize,
    ) -> Result<Vec<MemberMatch>, SearchError> {
        self.run(move |index| matching::who_knows(index, &need, &viewer, limit))
            .await
    }

    /// Members who know about a page's topic (its texts, weightiest first), with the
    /// evidence.
    pub async fn who_knows_topic(
        &self,
        topic: Vec<String>,
        viewer: Viewer,
        limit: usize,
    ) -> Result<Vec<MemberMatch>, SearchError> {
        self.run(move |index| {
            let topic: Vec<&str> = topic.iter().map(String::as_str).collect();
            matching::who_knows_topic(index, &topic, &viewer, limit)
        })
        .await
    }

    /// Competences of profiles `viewer` may see with a word starting with `typed`, the
    /// most common first, at most `limit`.
    pub async fn competence_suggestions(
        &self,
        typed: String,
        viewer: Viewer,
        limit: usize,
    ) -> Result<Vec<CompetenceCount>, SearchError> {
        self.run(move |index| vocabulary::suggest(index, &typed, &viewer, limit))
            .await
    }

    /// The competence with this slug among profiles `viewer` may see: its holders and
    /// related competences (`None`: nobody visible has it).
    pub async fn competence_page(
        &self,
        slug: String,
        viewer: Viewer,
        max_holders: usize,
        max_related: usize,
    ) -> Result<Option<CompetencePage>, SearchError> {
        self.run(move |index| {
            vocabulary::competence_page(index, &slug, &viewer, max_holders, max_related)
        })
        .await
    }

    /// Other pivi entries like `entry` (its title and subjects as a query), at most `limit`.
    pub async fn similar_pivi(
        &self,
        entry: &PiviEntry,
        viewer: Viewer,
        limit: usize,
    ) -> Result<Vec<Hit>, SearchError> {
        let mut like = entry.title.clone();
        for tag in &entry.tags {
            like.push(' ');
            like.push_str(tag);
        }
        let request = SearchRequest {
            query: like.chars().take(params::MAX_QUERY_CHARS).collect(),
            per_page: limit + 1,
            viewer,
            filters: Filters {
                kinds: vec![DocKind::Pivi],
                ..Default::default()
            },
            ..SearchRequest::default()
        };
        let id = entry.id.to_string();
        Ok(self
            .search(request)
            .await?
            .hits
            .into_iter()
            .filter(|hit| hit.id != id)
            .take(limit)
            .collect())
    }
}

impl Shared {
    fn set_health(&self, error: Option<String>) {
        let mut health = self.health.lock().unwrap_or_else(PoisonError::into_inner);
        match error {
            None => {
                health.failing_since = None;
                health.last_error = None;
            }
            Some(error) => {
                health.failing_since.get_or_insert_with(Instant::now);
                health.last_error = Some(error);
            }
        }
    }

    fn set_caught_up(&self, caught_up: bool) {
        self.health
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .caught_up = caught_up;
    }

    fn current(&self) -> SearchIndex {
        match self.current.read() {
            Ok(index) => index.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    fn replace(&self, index: SearchIndex) {
        match self.current.write() {
            Ok(mut current) => *current = index,
            Err(poisoned) => *poisoned.into_inner() = index,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_panic_inside_the_index_is_an_error_not_a_crash() {
        let index = SearchIndex::in_memory().expect("an index in memory");
        let (service, _feed) = SearchService::new(index, 0);
        let outcome = service
            .run(|_| -> tantivy::Result<()> { panic!("range start index out of range") })
            .await;
        assert!(
            matches!(outcome, Err(SearchError::Aborted(_))),
            "{outcome:?}"
        );
        // The handle still answers afterwards.
        assert!(service.search(SearchRequest::default()).await.is_ok());
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn on_the_servers_runtime_a_panic_is_caught_in_place() {
        let index = SearchIndex::in_memory().expect("an index in memory");
        let (service, _feed) = SearchService::new(index, 0);
        let outcome = service
            .run(|_| -> tantivy::Result<()> { panic!("range start index out of range") })
            .await;
        assert!(matches!(outcome, Err(SearchError::Panicked)), "{outcome:?}");
        assert!(service.search(SearchRequest::default()).await.is_ok());
    }
}
