//! BM25 weights of query terms and the field lengths they score with. Both come from the
//! whole index's statistics (how many documents have a term, how long a field is on
//! average), which change only when the segments do: each is computed once per set of
//! segments and kept until that set changes.

use std::sync::{Arc, Mutex, PoisonError};

use rustc_hash::FxHashMap;
use tantivy::fieldnorm::FieldNormReader;
use tantivy::index::SegmentId;
use tantivy::query::Bm25Weight;
use tantivy::schema::Field;
use tantivy::{Score, SegmentReader};

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
    /// What tantivy's term query scores `field` with: its length codes (a constant length
    /// when the field keeps none), and the average over every document, deleted ones
    /// included.
    fn read(segments: &[SegmentReader], field: Field) -> tantivy::Result<Self> {
        let mut norms = Vec::with_capacity(segments.len());
        let mut tokens = 0u64;
        for segment in segments {
            norms.push(
                segment
                    .fieldnorms_readers()
                    .get_field(field)?
                    .unwrap_or_else(|| FieldNormReader::constant(segment.max_doc(), 1)),
            );
            tokens += segment.inverted_index(field)?.total_num_tokens();
        }
        Ok(FieldLengths {
            norms,
            average: tokens as Score / total_docs(segments).max(1) as Score,
        })
    }
}

fn total_docs(segments: &[SegmentReader]) -> u64 {
    segments.iter().map(|s| u64::from(s.max_doc())).sum()
}

#[derive(Default)]
struct Statistics {
    /// The segments the rest is of.
    segments: Vec<SegmentId>,
    lengths: FxHashMap<Field, Arc<FieldLengths>>,
    weights: FxHashMap<Field, FxHashMap<Box<str>, Bm25Weight>>,
    count: usize,
}

/// Term weights and field lengths for the current segments.
#[derive(Default)]
pub struct TermWeights {
    statistics: Mutex<Statistics>,
}

/// A term to weigh: its field, its text, and how many documents of all segments have it.
pub struct Weighed<'a> {
    pub field: Field,
    pub text: &'a str,
    pub doc_freq: u64,
}

impl TermWeights {
    /// Each term's weight (without boost) and its field's lengths, over `segments`: the
    /// weight a tantivy term query gives it.
    pub fn get(
        &self,
        segments: &[SegmentReader],
        terms: &[Weighed],
    ) -> tantivy::Result<Vec<(Bm25Weight, Arc<FieldLengths>)>> {
        let mut statistics = self
            .statistics
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let same = statistics.segments.len() == segments.len()
            && statistics
                .segments
                .iter()
                .zip(segments)
                .all(|(id, segment)| *id == segment.segment_id());
        if !same || statistics.count > MAX_WEIGHTS {
            *statistics = Statistics {
                segments: segments.iter().map(|s| s.segment_id()).collect(),
                ..Statistics::default()
            };
        }
        let total_docs = total_docs(segments);
        let mut weighed = Vec::with_capacity(terms.len());
        for term in terms {
            let lengths = match statistics.lengths.get(&term.field) {
                Some(lengths) => Arc::clone(lengths),
                None => {
                    let lengths = Arc::new(FieldLengths::read(segments, term.field)?);
                    statistics.lengths.insert(term.field, Arc::clone(&lengths));
                    lengths
                }
            };
            let known = statistics
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
                    statistics
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
