//! BM25 weights of query terms and the field lengths they score with. Both come from the
//! statistics of the documents the viewer may see (how many of them have a term, how long a
//! field is on average: see [`super::visible`]), which change only when the segments or
//! their deletions do: each is computed once per set of segments and viewer's classes and
//! kept until that set changes.

use std::sync::{Arc, Mutex, PoisonError};

use rustc_hash::FxHashMap;
use tantivy::fieldnorm::FieldNormReader;
use tantivy::index::SegmentId;
use tantivy::query::Bm25Weight;
use tantivy::schema::Field;
use tantivy::{Score, SegmentReader};

use super::visible::VisibleDocs;

/// The most term weights kept before they are computed afresh (each holds a 1 kB table of
/// field length factors, so about 8 MB at most).
const MAX_WEIGHTS: usize = 8192;

/// A field's length codes in every segment and its average length over the index.
pub struct FieldLengths {
    /// In the segments' order.
    pub norms: Vec<FieldNormReader>,
    pub average: Score,
}

impl FieldLengths {
    /// What the viewer's BM25 scores `field` with: its length codes (a constant length when
    /// the field keeps none), and its average length over the documents they may see.
    fn read(visible: &VisibleDocs, field: Field) -> tantivy::Result<Self> {
        let segments = visible.searcher().segment_readers();
        let mut norms = Vec::with_capacity(segments.len());
        for segment in segments {
            norms.push(super::term_docs::field_norms(segment, field)?);
        }
        Ok(FieldLengths {
            norms,
            average: visible.average_length(field)?,
        })
    }
}

/// A segment as its statistics see it: its id and how many of its documents are deleted.
type SegmentState = (SegmentId, u32);

fn states(segments: &[SegmentReader]) -> Vec<SegmentState> {
    segments
        .iter()
        .map(|s| (s.segment_id(), s.num_deleted_docs()))
        .collect()
}

/// One viewer's (one set of classes') lengths and weights.
#[derive(Default)]
struct ViewerStatistics {
    lengths: FxHashMap<Field, Arc<FieldLengths>>,
    weights: FxHashMap<Field, FxHashMap<Box<str>, Bm25Weight>>,
}

#[derive(Default)]
struct Statistics {
    /// The segments the rest is of.
    segments: Vec<SegmentState>,
    /// By [`VisibleDocs::key`].
    viewers: FxHashMap<Box<str>, ViewerStatistics>,
    count: usize,
}

/// Term weights and field lengths for the current segments, per set of visibility classes.
#[derive(Default)]
pub struct TermWeights {
    statistics: Mutex<Statistics>,
}

/// A term to weigh: its field, its text, and how many documents the viewer may see have it.
pub struct Weighed<'a> {
    pub field: Field,
    pub text: &'a str,
    pub doc_freq: u64,
}

impl TermWeights {
    /// Each term's weight (without boost) and its field's lengths for the viewer whose
    /// documents are `visible`: the weight a tantivy term query gives it with `visible` as
    /// its statistics.
    pub fn get(
        &self,
        visible: &VisibleDocs,
        terms: &[Weighed],
    ) -> tantivy::Result<Vec<(Bm25Weight, Arc<FieldLengths>)>> {
        let mut statistics = self
            .statistics
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let segments = states(visible.searcher().segment_readers());
        if statistics.segments != segments || statistics.count > MAX_WEIGHTS {
            *statistics = Statistics {
                segments,
                ..Statistics::default()
            };
        }
        let statistics = &mut *statistics;
        let viewer = statistics.viewers.entry(visible.key().into()).or_default();
        let total_docs = visible.total_docs();
        let mut weighed = Vec::with_capacity(terms.len());
        for term in terms {
            let lengths = match viewer.lengths.get(&term.field) {
                Some(lengths) => Arc::clone(lengths),
                None => {
                    let lengths = Arc::new(FieldLengths::read(visible, term.field)?);
                    viewer.lengths.insert(term.field, Arc::clone(&lengths));
                    lengths
                }
            };
            let known = viewer
                .weights
                .get(&term.field)
                .and_then(|weights| weights.get(term.text))
                .cloned();
            let weight = match known {
                Some(weight) => weight,
                None => {
                    let weight = Bm25Weight::for_one_term_without_explain(
                        term.doc_freq,
                        total_docs,
                        lengths.average,
                    );
                    viewer
                        .weights
                        .entry(term.field)
                        .or_default()
                        .insert(term.text.into(), weight.clone());
                    statistics.count += 1;
                    weight
                }
            };
            weighed.push((weight, lengths));
        }
        Ok(weighed)
    }
}

impl crate::segment_cache::SegmentCache for TermWeights {
    /// The weights follow the segments by themselves (see [`TermWeights::get`]).
    fn retain(&self, _live: &[SegmentId]) {}
}
