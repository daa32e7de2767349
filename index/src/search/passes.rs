//! The two passes of a search: counting every match from cached term bit sets (the total
//! and disjunctive facet counts), then choosing the page's hits among the documents that
//! passed: newest first here, by score in `score`.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use tantivy::DocAddress;

use super::collect::FacetSpec;
use super::facet_counts::FacetCounts;
use super::visible::VisibleDocs;
use super::{Ranking, bits, count, query};
use crate::store::SearchIndex;

/// Where a candidate stands among equals: its tie-break value (a hash of its key, the same
/// in any index), then its address (segment, document), only for equal hashes.
pub(super) type Place = (u64, u32, u32);

/// A candidate: its key, then its place reversed (on equal keys the lower place wins), so
/// the order of equals does not depend on how the index is laid out.
type Candidate<K> = (K, Reverse<Place>);

/// The best `keep` candidates by a key.
pub(super) struct TopK<K> {
    keep: usize,
    /// The worst kept candidate on top.
    heap: BinaryHeap<Reverse<Candidate<K>>>,
}

impl<K: Ord + Copy> TopK<K> {
    pub(super) fn new(keep: usize) -> Self {
        TopK {
            keep,
            heap: BinaryHeap::with_capacity(keep + 1),
        }
    }

    pub(super) fn offer(&mut self, key: K, place: Place) {
        let entry = (key, Reverse(place));
        if self.heap.len() < self.keep {
            self.heap.push(Reverse(entry));
        } else if self
            .heap
            .peek()
            .is_some_and(|Reverse(worst)| entry > *worst)
        {
            self.heap.pop();
            self.heap.push(Reverse(entry));
        }
    }

    /// The key a candidate must beat once the list is full.
    pub(super) fn worst(&self) -> Option<K> {
        self.worst_entry().map(|(key, _)| key)
    }

    /// Once the list is full, its worst candidate: a candidate enters only if its key is
    /// higher, or equal with a lower place.
    pub(super) fn worst_entry(&self) -> Option<(K, Place)> {
        (self.heap.len() == self.keep)
            .then(|| {
                self.heap
                    .peek()
                    .map(|Reverse((key, Reverse(place)))| (*key, *place))
            })
            .flatten()
    }

    /// Best first.
    pub(super) fn into_sorted(self) -> Vec<(K, DocAddress)> {
        let mut best: Vec<_> = self.heap.into_iter().map(|Reverse(e)| e).collect();
        best.sort_by(|a, b| b.cmp(a));
        best.into_iter()
            .map(|(key, Reverse((_, segment, doc)))| (key, DocAddress::new(segment, doc)))
            .collect()
    }
}

/// The total and the disjunctive facet counts of a text query among the `visible`
/// documents, from cached term bit sets, and per segment the documents that pass every
/// filter.
pub(super) fn count_matches(
    index: &SearchIndex,
    searcher: &tantivy::Searcher,
    ranking: &Ranking,
    terms: &[Vec<query::WeightedTerm>],
    visible: &VisibleDocs,
    specs: &[FacetSpec],
) -> tantivy::Result<(u64, FacetCounts, Vec<bits::DocBits>)> {
    let text = count::TextMatch {
        words: terms
            .iter()
            .map(|ts| ts.iter().map(|t| (t.field, t.text.as_str())).collect())
            .collect(),
        required: query::words_required(ranking, terms.len()),
    };
    let tables = index.facet_tables(searcher);
    let terms = index.terms(searcher);
    let mut total = 0;
    let mut counted = FacetCounts::default();
    let mut allowed = Vec::new();
    for (ordinal, segment) in searcher.segment_readers().iter().enumerate() {
        let nothing;
        let visible = match visible.segment(ordinal) {
            Some(visible) => visible,
            None => {
                nothing = bits::DocBits::empty(segment.max_doc());
                &nothing
            }
        };
        let matched = count::matching_docs(&terms, segment, &text, visible)?;
        let segment_tables = specs
            .iter()
            .map(|spec| tables.get(segment, spec.field))
            .collect::<tantivy::Result<Vec<_>>>()?;
        let mut facets = Vec::with_capacity(specs.len());
        for (spec, table) in specs.iter().zip(&segment_tables) {
            let selected = if spec.selected.is_empty() {
                None
            } else {
                let mut ords = Vec::new();
                for value in &spec.selected {
                    ords.extend(table.ordinal(value)?);
                }
                Some(ords)
            };
            facets.push(count::SegmentFacet { table, selected });
        }
        let (passing, counts) = count::count_facets(&matched, &facets);
        total += passing.len();
        allowed.push(passing);
        counted.add_segment(segment_tables.into_iter().zip(counts).collect());
    }
    Ok((total, counted, allowed))
}

/// The newest `limit` documents after `offset` among the `allowed` ones (ties: the lower
/// tie-break value first). The score reported is 0: the order is by date.
pub(super) fn newest(
    index: &SearchIndex,
    searcher: &tantivy::Searcher,
    allowed: &[bits::DocBits],
    offset: usize,
    limit: usize,
) -> tantivy::Result<Vec<(f32, tantivy::DocAddress)>> {
    let columns = index.facet_tables(searcher);
    let mut best = TopK::new(offset + limit);
    for (ordinal, segment) in searcher.segment_readers().iter().enumerate() {
        let Some(allowed) = allowed.get(ordinal) else {
            continue;
        };
        let dates = columns.dates(segment)?;
        let tiebreaks = columns.tiebreaks(segment)?;
        for doc in allowed.docs() {
            let place = (tiebreaks.first(doc).unwrap_or(0), ordinal as u32, doc);
            best.offer(dates.first(doc).unwrap_or(i64::MIN), place);
        }
    }
    Ok(best
        .into_sorted()
        .into_iter()
        .skip(offset)
        .map(|(_, address)| (0.0, address))
        .collect())
}
