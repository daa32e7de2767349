//! The two passes of a search: counting every match from cached term bit sets (the total
//! and disjunctive facet counts), then choosing the page's hits among the documents that
//! passed: by pruned scoring, by the nested query, or newest first.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};

use tantivy::DocAddress;

use super::collect::{Collected, FacetSpec};
use super::{Ranking, count, query};
use crate::store::SearchIndex;

/// A candidate: its key, then its address reversed (on equal keys the lower address wins).
type Candidate<K> = (K, Reverse<(u32, u32)>);

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

    pub(super) fn offer(&mut self, key: K, segment: u32, doc: u32) {
        let entry = (key, Reverse((segment, doc)));
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
        (self.heap.len() == self.keep)
            .then(|| self.heap.peek().map(|Reverse((key, _))| *key))
            .flatten()
    }

    /// Best first.
    pub(super) fn into_sorted(self) -> Vec<(K, DocAddress)> {
        let mut best: Vec<_> = self.heap.into_iter().map(|Reverse(e)| e).collect();
        best.sort_by(|a, b| b.cmp(a));
        best.into_iter()
            .map(|(key, Reverse((segment, doc)))| (key, DocAddress::new(segment, doc)))
            .collect()
    }
}

/// `query` restricted to the selected facet values, which add nothing to the score.
pub(super) fn with_facet_filters(
    index: &SearchIndex,
    query: Box<dyn tantivy::query::Query>,
    specs: &[FacetSpec],
) -> Box<dyn tantivy::query::Query> {
    use tantivy::query::{BooleanQuery, ConstScoreQuery, Occur, Query, TermQuery};
    let schema = &index.fields().schema;
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, query)];
    for spec in specs.iter().filter(|s| !s.selected.is_empty()) {
        let Ok(field) = schema.get_field(spec.field) else {
            continue;
        };
        let any_value: Vec<(Occur, Box<dyn Query>)> = spec
            .selected
            .iter()
            .map(|value| {
                let term: Box<dyn Query> = Box::new(TermQuery::new(
                    tantivy::Term::from_field_text(field, value),
                    tantivy::schema::IndexRecordOption::Basic,
                ));
                (Occur::Should, term)
            })
            .collect();
        clauses.push((
            Occur::Must,
            Box::new(ConstScoreQuery::new(
                Box::new(BooleanQuery::new(any_value)),
                0.0,
            )),
        ));
    }
    Box::new(tantivy::query::BooleanQuery::new(clauses))
}

/// The total and the disjunctive facet counts of a text query, from cached term bit sets,
/// and per segment the documents that pass every filter.
pub(super) fn count_matches(
    index: &SearchIndex,
    searcher: &tantivy::Searcher,
    ranking: &Ranking,
    words: &[query::QueryWord],
    visibility: &[String],
    specs: Vec<FacetSpec>,
) -> tantivy::Result<(Collected, Vec<count::DocBits>)> {
    let f = index.fields();
    let terms: Vec<Vec<query::WeightedTerm>> = words
        .iter()
        .map(|w| query::word_terms(f, ranking, w))
        .collect();
    let text = count::TextMatch {
        words: terms
            .iter()
            .map(|ts| ts.iter().map(|t| (t.field, t.text.as_str())).collect())
            .collect(),
        required: query::words_required(ranking, words.len()),
        visibility: visibility
            .iter()
            .map(|v| (f.visibility, v.as_str()))
            .collect(),
    };
    let tables = index.facet_tables(searcher);
    let bits = index.term_bits(searcher);
    let mut collected = Collected {
        counts: vec![HashMap::new(); specs.len()],
        ..Collected::default()
    };
    let mut allowed = Vec::new();
    for segment in searcher.segment_readers() {
        let matched = count::matching_docs(&bits, segment, &text)?;
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
        collected.total += passing.len();
        allowed.push(passing);
        for ((merged, counts), table) in
            collected.counts.iter_mut().zip(counts).zip(&segment_tables)
        {
            for (ord, n) in counts.into_iter().enumerate().filter(|(_, n)| *n > 0) {
                if let Some(value) = table.value(ord as u32) {
                    match merged.get_mut(value) {
                        Some(count) => *count += n,
                        None => {
                            merged.insert(value.to_string(), n);
                        }
                    }
                }
            }
        }
    }
    Ok((collected, allowed))
}

/// The newest `limit` documents after `offset` among the `allowed` ones (ties: the lower
/// address first). The score reported is 0: the order is by date.
pub(super) fn newest(
    searcher: &tantivy::Searcher,
    allowed: &[count::DocBits],
    offset: usize,
    limit: usize,
) -> tantivy::Result<Vec<(f32, tantivy::DocAddress)>> {
    let mut best = TopK::new(offset + limit);
    for (ordinal, segment) in searcher.segment_readers().iter().enumerate() {
        let Some(allowed) = allowed.get(ordinal) else {
            continue;
        };
        let dates = segment.fast_fields().i64("date")?;
        for doc in allowed.docs() {
            best.offer(dates.first(doc).unwrap_or(i64::MIN), ordinal as u32, doc);
        }
    }
    Ok(best
        .into_sorted()
        .into_iter()
        .skip(offset)
        .map(|(_, address)| (0.0, address))
        .collect())
}

/// The best `limit` hits after `offset` among the `allowed` documents, scoring a flat
/// disjunction of every word's terms (the same sum as the nested query) so tantivy can
/// skip blocks that cannot reach the page (block-max WAND).
pub(super) fn pruned_top(
    searcher: &tantivy::Searcher,
    terms: &[query::WeightedTerm],
    allowed: &[count::DocBits],
    offset: usize,
    limit: usize,
) -> tantivy::Result<Vec<(f32, tantivy::DocAddress)>> {
    use tantivy::query::{BooleanQuery, BoostQuery, EnableScoring, Occur, Query, TermQuery};
    let clauses: Vec<(Occur, Box<dyn Query>)> = terms
        .iter()
        .map(|t| {
            let term: Box<dyn Query> = Box::new(BoostQuery::new(
                Box::new(TermQuery::new(
                    tantivy::Term::from_field_text(t.field, &t.text),
                    tantivy::schema::IndexRecordOption::WithFreqs,
                )),
                t.boost,
            ));
            (Occur::Should, term)
        })
        .collect();
    let weight =
        BooleanQuery::new(clauses).weight(EnableScoring::enabled_from_searcher(searcher))?;
    // Scores are non-negative, and non-negative floats order like their bit patterns.
    let key = |score: f32| score.max(0.0).to_bits();
    let floor = |best: &TopK<u32>| best.worst().map_or(0.0, f32::from_bits);
    let mut best = TopK::new(offset + limit);
    for (ordinal, segment) in searcher.segment_readers().iter().enumerate() {
        let Some(allowed) = allowed.get(ordinal) else {
            continue;
        };
        let mut threshold = floor(&best);
        weight.for_each_pruning(threshold, segment, &mut |doc, score| {
            if allowed.contains(doc) {
                best.offer(key(score), ordinal as u32, doc);
                threshold = floor(&best);
            }
            threshold
        })?;
    }
    Ok(best
        .into_sorted()
        .into_iter()
        .skip(offset)
        .map(|(score, address)| (f32::from_bits(score), address))
        .collect())
}
