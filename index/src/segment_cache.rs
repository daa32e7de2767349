//! Per-index caches of what never changes within a segment (facet tables, term bit sets,
//! page documents), kept by type, each dropping what belongs to segments that are gone. The
//! store holds them without knowing what they are; the search module defines them.

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use tantivy::Searcher;
use tantivy::index::SegmentId;

/// A cache of per-segment data.
pub trait SegmentCache: Default + Send + Sync + 'static {
    /// Drops whatever belongs to segments not in `live`.
    fn retain(&self, live: &[SegmentId]);
}

/// One cache of each type, created on first use.
#[derive(Default)]
pub struct SegmentCaches {
    caches: Mutex<HashMap<TypeId, Arc<dyn Any + Send + Sync>>>,
}

impl SegmentCaches {
    /// The cache of type `C`, kept to `searcher`'s segments.
    pub fn get<C: SegmentCache>(&self, searcher: &Searcher) -> Arc<C> {
        let cache = {
            let mut caches = self.caches.lock().unwrap_or_else(PoisonError::into_inner);
            let entry = caches
                .entry(TypeId::of::<C>())
                .or_insert_with(|| Arc::new(C::default()) as Arc<dyn Any + Send + Sync>);
            Arc::clone(entry)
        };
        // The entry for `TypeId::of::<C>()` always holds a `C`.
        let cache: Arc<C> = match cache.downcast::<C>() {
            Ok(cache) => cache,
            Err(_) => Arc::new(C::default()),
        };
        let live: Vec<SegmentId> = searcher
            .segment_readers()
            .iter()
            .map(|r| r.segment_id())
            .collect();
        cache.retain(&live);
        cache
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    #[derive(Default)]
    struct Counted(AtomicUsize);

    impl SegmentCache for Counted {
        fn retain(&self, _live: &[SegmentId]) {
            self.0.fetch_add(1, Ordering::Relaxed);
        }
    }

    #[test]
    fn one_cache_per_type_kept_to_the_live_segments() {
        let index = tantivy::Index::create_in_ram(tantivy::schema::Schema::builder().build());
        let searcher = index.reader().expect("a reader").searcher();
        let caches = SegmentCaches::default();
        let first = caches.get::<Counted>(&searcher);
        let second = caches.get::<Counted>(&searcher);
        assert!(Arc::ptr_eq(&first, &second));
        assert_eq!(first.0.load(Ordering::Relaxed), 2, "retained on every use");
    }
}
