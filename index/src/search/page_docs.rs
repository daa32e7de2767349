//! What a page of hits shows of a document, read once from the document store, its texts'
//! words found for snippets, and cached (segments never change): a hit on a page then
//! costs a lookup and the highlighting of the query's words.

use std::collections::hash_map::Entry;
use std::sync::{Arc, Mutex, PoisonError};

use rustc_hash::FxHashMap;
use tantivy::index::SegmentId;
use tantivy::schema::Value;
use tantivy::{DocAddress, DocId, Searcher, TantivyDocument};

use super::request::Hit;
use super::snippet::{Highlighter, ScannedText};
use crate::document::DocKind;
use crate::schema::Fields;

/// The most memory the cached documents may take before the cache starts over.
const CACHE_BYTES: usize = 32 * 1024 * 1024;

/// A document's stored fields that a hit shows.
#[derive(Debug)]
pub struct PageDoc {
    /// `None` for a kind this version does not know (an index from a newer one).
    kind: Option<DocKind>,
    id: String,
    title: String,
    url: String,
    date: String,
    summary: ScannedText,
    body: ScannedText,
}

impl PageDoc {
    fn read(searcher: &Searcher, f: &Fields, address: DocAddress) -> tantivy::Result<Self> {
        let doc: TantivyDocument = searcher.doc(address)?;
        let text = |field| {
            doc.get_first(field)
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_string()
        };
        Ok(PageDoc {
            kind: DocKind::from_slug(&text(f.kind)),
            id: text(f.id),
            title: text(f.title),
            url: text(f.url),
            date: text(f.date_text),
            summary: ScannedText::new(text(f.summary)),
            body: ScannedText::new(text(f.body)),
        })
    }

    /// The hit for a query (`None` for a document of an unknown kind).
    pub fn hit(&self, highlighter: &Highlighter, score: f32) -> Option<Hit> {
        // The summary when it mentions what was searched for (it is the text written to
        // introduce the item), otherwise the best passage of the body.
        let snippet = match highlighter.snippet_of_if_matched(&self.summary) {
            Some(snippet) => snippet,
            None if self.body.is_empty() => highlighter.snippet_of(&self.summary),
            None => highlighter.snippet_of(&self.body),
        };
        Some(Hit {
            kind: self.kind?,
            id: self.id.clone(),
            title: self.title.clone(),
            url: self.url.clone(),
            snippet,
            date: self.date.clone(),
            score,
            label: None,
        })
    }

    fn bytes(&self) -> usize {
        let strings = self.id.len() + self.title.len() + self.url.len() + self.date.len();
        std::mem::size_of::<Self>() + strings + self.summary.bytes() + self.body.bytes()
    }
}

#[derive(Default)]
struct Cache {
    by_segment: FxHashMap<SegmentId, FxHashMap<DocId, Arc<PageDoc>>>,
    bytes: usize,
}

/// Page documents by segment, read on first use.
#[derive(Default)]
pub struct PageDocs {
    cache: Mutex<Cache>,
}

impl PageDocs {
    /// The document at `address` of `searcher`.
    pub fn get(
        &self,
        searcher: &Searcher,
        f: &Fields,
        address: DocAddress,
    ) -> tantivy::Result<Arc<PageDoc>> {
        let segment = searcher.segment_reader(address.segment_ord).segment_id();
        let cached = self
            .lock()
            .by_segment
            .get(&segment)
            .and_then(|docs| docs.get(&address.doc_id))
            .cloned();
        if let Some(doc) = cached {
            return Ok(doc);
        }
        // Read outside the lock: two searches may both read it; one result is kept.
        let doc = Arc::new(PageDoc::read(searcher, f, address)?);
        let bytes = doc.bytes();
        let mut cache = self.lock();
        if cache.bytes + bytes > CACHE_BYTES {
            cache.by_segment.clear();
            cache.bytes = 0;
        }
        let docs = cache.by_segment.entry(segment).or_default();
        let (kept, added) = match docs.entry(address.doc_id) {
            Entry::Occupied(kept) => (Arc::clone(kept.get()), 0),
            Entry::Vacant(place) => (Arc::clone(place.insert(doc)), bytes),
        };
        cache.bytes += added;
        Ok(kept)
    }

    /// Forgets every document (benchmarks measure pages read afresh with it).
    pub fn clear(&self) {
        let mut cache = self.lock();
        cache.by_segment.clear();
        cache.bytes = 0;
    }

    /// Forgets the documents of segments not in `live`.
    pub fn retain(&self, live: &[SegmentId]) {
        let mut cache = self.lock();
        if cache
            .by_segment
            .keys()
            .any(|segment| !live.contains(segment))
        {
            cache.by_segment.retain(|segment, _| live.contains(segment));
            cache.bytes = cache
                .by_segment
                .values()
                .flat_map(|docs| docs.values())
                .map(|doc| doc.bytes())
                .sum();
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Cache> {
        self.cache.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl crate::segment_cache::SegmentCache for PageDocs {
    fn retain(&self, live: &[tantivy::index::SegmentId]) {
        PageDocs::retain(self, live);
    }
}
