//! What a viewer may see, as statistics: the live documents of their visibility classes, how
//! many of them hold a term, how many there are and how long their fields are. Every
//! decision and score of a search (typo variants, "did you mean", completions, BM25
//! weights) is taken from these, so content the viewer may not see — and deleted content
//! not yet merged away — changes nothing they get.
//!
//! Field lengths are the lengths BM25 scores each document with (its field norm, which
//! tantivy rounds for long fields), summed over the visible documents: the same average
//! for the same visible documents whatever else the index holds (tantivy's own average
//! counts exact tokens of every document, deleted ones included).

use std::sync::{Arc, Mutex, PoisonError};

use rustc_hash::FxHashMap;
use tantivy::index::SegmentId;
use tantivy::postings::TermInfo;
use tantivy::query::Bm25StatisticsProvider;
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocSet, InvertedIndexReader, Searcher, SegmentReader, TERMINATED, Term};

use super::bits::DocBits;
use super::term_docs::{TermCache, field_norms};
use crate::segment_cache::SegmentCache;
use crate::store::SearchIndex;

/// One visibility class's live documents in one segment, and their fields' lengths.
pub struct ClassDocs {
    docs: DocBits,
    /// The sum of each field's lengths over `docs`, read on first use.
    tokens: Mutex<FxHashMap<Field, u64>>,
}

impl ClassDocs {
    fn read(
        terms: &TermCache,
        segment: &SegmentReader,
        field: Field,
        class: &str,
    ) -> tantivy::Result<Self> {
        let mut docs = terms.get(segment, field, class)?.bits().clone();
        if let Some(alive) = segment.alive_bitset() {
            let mut live = docs.empty_like();
            for doc in docs.docs().filter(|doc| alive.is_alive(*doc)) {
                live.insert(doc);
            }
            docs = live;
        }
        Ok(ClassDocs {
            docs,
            tokens: Mutex::default(),
        })
    }

    fn tokens(&self, segment: &SegmentReader, field: Field) -> tantivy::Result<u64> {
        if let Some(&known) = self.lock().get(&field) {
            return Ok(known);
        }
        let norms = field_norms(segment, field)?;
        let sum = self
            .docs
            .docs()
            .map(|doc| u64::from(norms.fieldnorm(doc)))
            .sum();
        self.lock().insert(field, sum);
        Ok(sum)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, FxHashMap<Field, u64>> {
        self.tokens.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// (segment, class) → (the segment's deleted documents when read, the class's documents).
type ClassMap = FxHashMap<(SegmentId, Box<str>), (u32, Arc<ClassDocs>)>;

/// Each segment's visibility classes, read on first use and kept until the segment goes or
/// its deletions change.
#[derive(Default)]
pub struct VisibilityClasses {
    classes: Mutex<ClassMap>,
}

impl VisibilityClasses {
    fn get(
        &self,
        terms: &TermCache,
        segment: &SegmentReader,
        field: Field,
        class: &str,
    ) -> tantivy::Result<Arc<ClassDocs>> {
        let deleted = segment.num_deleted_docs();
        let key = (segment.segment_id(), Box::<str>::from(class));
        if let Some((when, docs)) = self.lock().get(&key)
            && *when == deleted
        {
            return Ok(Arc::clone(docs));
        }
        let docs = Arc::new(ClassDocs::read(terms, segment, field, class)?);
        self.lock().insert(key, (deleted, Arc::clone(&docs)));
        Ok(docs)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, ClassMap> {
        self.classes.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl SegmentCache for VisibilityClasses {
    fn retain(&self, live: &[SegmentId]) {
        self.lock().retain(|(segment, _), _| live.contains(segment));
    }
}

/// The documents one viewer may see in one searcher, and their statistics.
pub struct VisibleDocs {
    searcher: Searcher,
    terms: Arc<TermCache>,
    /// Per segment, in the searcher's order: the viewer's classes there.
    classes: Vec<Vec<Arc<ClassDocs>>>,
    /// Per segment: the union of the classes.
    docs: Vec<DocBits>,
    total: u64,
    key: Box<str>,
}

impl VisibleDocs {
    /// The live documents of `searcher` with any of the `visibility` terms.
    pub fn new(
        index: &SearchIndex,
        searcher: &Searcher,
        visibility: &[String],
    ) -> tantivy::Result<Self> {
        let field = index.fields().visibility;
        let terms = index.terms(searcher);
        let cache: Arc<VisibilityClasses> = index.segment_cache(searcher);
        let mut sorted: Vec<&str> = visibility.iter().map(String::as_str).collect();
        sorted.sort_unstable();
        sorted.dedup();
        let mut classes = Vec::with_capacity(searcher.segment_readers().len());
        let mut docs = Vec::with_capacity(classes.capacity());
        let mut total = 0;
        for segment in searcher.segment_readers() {
            let mut union = DocBits::empty(segment.max_doc());
            let mut held = Vec::with_capacity(sorted.len());
            for class in &sorted {
                let class_docs = cache.get(&terms, segment, field, class)?;
                union.union_with(&class_docs.docs);
                held.push(class_docs);
            }
            total += union.len();
            docs.push(union);
            classes.push(held);
        }
        Ok(VisibleDocs {
            searcher: searcher.clone(),
            terms,
            classes,
            docs,
            total,
            key: sorted.join("\u{1f}").into(),
        })
    }

    /// Names the set of classes (equal keys, equal documents within one searcher).
    pub fn key(&self) -> &str {
        &self.key
    }

    pub fn searcher(&self) -> &Searcher {
        &self.searcher
    }

    /// The visible documents of the `ordinal`-th segment.
    pub fn segment(&self, ordinal: usize) -> Option<&DocBits> {
        self.docs.get(ordinal)
    }

    /// How many documents the viewer may see.
    pub fn total_docs(&self) -> u64 {
        self.total
    }

    /// The sum of `field`'s lengths over the visible documents.
    pub fn total_tokens(&self, field: Field) -> tantivy::Result<u64> {
        let mut sum = 0;
        for (segment, classes) in self.searcher.segment_readers().iter().zip(&self.classes) {
            for class in classes {
                sum += class.tokens(segment, field)?;
            }
        }
        Ok(sum)
    }

    /// The average length of `field` over the visible documents.
    pub fn average_length(&self, field: Field) -> tantivy::Result<f32> {
        Ok(self.total_tokens(field)? as f32 / self.total.max(1) as f32)
    }

    /// How many visible documents hold `text` in `field`, from the term cache (for terms a
    /// search reads anyway).
    pub fn doc_freq(&self, field: Field, text: &str) -> tantivy::Result<u64> {
        let mut count = 0;
        for (segment, visible) in self.searcher.segment_readers().iter().zip(&self.docs) {
            count += self
                .terms
                .get(segment, field, text)?
                .bits()
                .and_count(visible);
        }
        Ok(count)
    }

    /// How many visible documents of the `ordinal`-th segment hold the term `info`
    /// describes, read from its postings (for the many rare terms a walk of the term
    /// dictionary meets, which are not worth caching).
    pub fn count_in_segment(
        &self,
        ordinal: usize,
        inverted: &InvertedIndexReader,
        info: &TermInfo,
    ) -> tantivy::Result<u64> {
        let (Some(visible), Some(segment)) = (
            self.docs.get(ordinal),
            self.searcher.segment_readers().get(ordinal),
        ) else {
            return Ok(0);
        };
        if visible.len() == u64::from(segment.max_doc()) {
            return Ok(u64::from(info.doc_freq));
        }
        if visible.is_empty() {
            return Ok(0);
        }
        let mut postings = inverted.read_postings_from_terminfo(info, IndexRecordOption::Basic)?;
        let mut count = 0;
        let mut doc = postings.doc();
        while doc != TERMINATED {
            count += u64::from(visible.contains(doc));
            doc = postings.advance();
        }
        Ok(count)
    }
}

impl Bm25StatisticsProvider for VisibleDocs {
    fn total_num_tokens(&self, field: Field) -> tantivy::Result<u64> {
        self.total_tokens(field)
    }

    fn total_num_docs(&self) -> tantivy::Result<u64> {
        Ok(self.total)
    }

    fn doc_freq(&self, term: &Term) -> tantivy::Result<u64> {
        match term.value().as_str() {
            Some(text) => VisibleDocs::doc_freq(self, term.field(), text),
            None => Ok(0),
        }
    }
}
