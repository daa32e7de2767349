//! The page's hits by relevance without scoring every match. A term's best score in a
//! segment is known from its cached documents, so a document's score is bounded by the sum
//! of the best scores of the terms it contains; documents are scored exactly, highest bound
//! first, until no bound can reach the page. Scores are the BM25 sums of the query's
//! weighted terms, as tantivy computes them for the same terms and boosts.

use std::sync::Arc;

use tantivy::columnar::Column;
use tantivy::fieldnorm::FieldNormReader;
use tantivy::query::Bm25Weight;
use tantivy::{DocAddress, Score};

use super::bits::DocBits;
use super::passes::{Place, TopK};
use super::query::WeightedTerm;
use super::term_docs::{TermCache, TermDocs};
use super::visible::VisibleDocs;
use super::weights::{FieldLengths, TermWeights, Weighed};
use crate::store::SearchIndex;

/// Relative slack on a sum of bounds taken in another order than a document's score (which
/// may differ in its last bits). A document's own bound is summed in its score's order and
/// needs none: each term's score is at most its bound, so the sum is too.
const SLACK: Score = 1e-5;
/// The first candidates of a search are the documents of its highest-bound terms, up to
/// about this many, which sets a first threshold for the rest. (Few in unit tests, so that
/// their small indexes take both steps.)
#[cfg(not(test))]
const PRIMING_DOCS: u64 = 4096;
#[cfg(test)]
const PRIMING_DOCS: u64 = 16;
/// How many candidates are put in order at a time.
const BATCH: usize = 256;

/// The best `limit` hits after `offset` among the `allowed` documents of each segment,
/// scored with the statistics of the `visible` documents.
pub(super) fn top_by_score(
    index: &SearchIndex,
    visible: &VisibleDocs,
    terms: &[WeightedTerm],
    allowed: &[DocBits],
    offset: usize,
    limit: usize,
) -> tantivy::Result<Vec<(Score, DocAddress)>> {
    let searcher = visible.searcher();
    let cache: &TermCache = &index.terms(searcher);
    let weights = index.segment_cache::<TermWeights>(searcher);
    let tables = index.facet_tables(searcher);
    let segments = searcher.segment_readers();
    let docs = segments
        .iter()
        .map(|segment| {
            terms
                .iter()
                .map(|t| cache.get(segment, t.field, &t.text))
                .collect::<tantivy::Result<Vec<_>>>()
        })
        .collect::<tantivy::Result<Vec<_>>>()?;
    let weighed: Vec<Weighed> = terms
        .iter()
        .enumerate()
        .map(|(i, t)| Weighed {
            field: t.field,
            text: &t.text,
            doc_freq: docs
                .iter()
                .enumerate()
                .filter_map(|(ordinal, d)| {
                    Some(d.get(i)?.bits().and_count(visible.segment(ordinal)?))
                })
                .sum(),
        })
        .collect();
    let weights: Vec<(Bm25Weight, Arc<FieldLengths>)> = weights
        .get(visible, &weighed)?
        .into_iter()
        .zip(terms)
        .map(|((weight, lengths), t)| (weight.boost_by(t.boost), lengths))
        .collect();
    let mut best = TopK::new(offset + limit);
    for (ordinal, (segment, docs)) in segments.iter().zip(docs).enumerate() {
        let Some(allowed) = allowed.get(ordinal) else {
            continue;
        };
        let mut present = Vec::new();
        for (docs, (weight, lengths)) in docs.into_iter().zip(&weights) {
            if let Some(norms) = lengths.norms.get(ordinal)
                && docs.doc_count() > 0
            {
                present.push(SegmentTerm {
                    bound: docs.best_score(weight),
                    norms: norms.clone(),
                    weight,
                    docs,
                });
            }
        }
        SegmentScorer {
            terms: present,
            tiebreaks: tables.tiebreaks(segment)?,
            allowed,
            scored: DocBits::empty(segment.max_doc()),
            max_doc: segment.max_doc(),
            ordinal: ordinal as u32,
        }
        .run(&mut best);
    }
    Ok(best
        .into_sorted()
        .into_iter()
        .skip(offset)
        .map(|(score, address)| (Score::from_bits(score), address))
        .collect())
}

/// A term of the query that occurs in the segment.
struct SegmentTerm<'a> {
    docs: Arc<TermDocs>,
    weight: &'a Bm25Weight,
    norms: FieldNormReader,
    /// The highest score the term gives a document of the segment.
    bound: Score,
}

/// Whether terms whose bounds add up to `bound` (summed in any order) stay below the
/// score of the page's worst hit.
fn out_of_reach(bound: Score, threshold: Option<Score>) -> bool {
    threshold.is_some_and(|t| bound * (1.0 + SLACK) < t)
}

/// Scores are non-negative, and non-negative floats order like their bits.
fn key(score: Score) -> u32 {
    score.max(0.0).to_bits()
}

/// The threshold a hit must beat once `best` is full.
fn threshold(best: &TopK<u32>) -> Option<Score> {
    best.worst().map(Score::from_bits)
}

struct SegmentScorer<'a> {
    /// In the query's order (scores are summed in that order).
    terms: Vec<SegmentTerm<'a>>,
    /// Orders documents of equal score.
    tiebreaks: Column<u64>,
    allowed: &'a DocBits,
    scored: DocBits,
    max_doc: u32,
    ordinal: u32,
}

impl SegmentScorer<'_> {
    fn run(&mut self, best: &mut TopK<u32>) {
        if self.terms.is_empty() {
            return;
        }
        let mut by_bound: Vec<usize> = (0..self.terms.len()).collect();
        by_bound.sort_by(|&a, &b| self.terms[b].bound.total_cmp(&self.terms[a].bound));
        if threshold(best).is_none() {
            // No threshold yet: score the documents of the highest-bound terms first (the
            // likeliest hits), which sets one for the rest.
            let mut primed = DocBits::empty(self.max_doc);
            let mut taken = 0;
            for &i in &by_bound {
                let docs = &self.terms[i].docs;
                if taken > 0 && taken + docs.doc_count() > PRIMING_DOCS {
                    break;
                }
                taken += docs.doc_count();
                primed.union_with(docs.bits());
            }
            primed.intersect_with(self.allowed);
            self.score_candidates(&primed, best);
        }
        // A document that has only terms whose bounds add up to less than the threshold
        // cannot reach the page: the candidates have at least one other term.
        let mut optional = 0.0;
        let mut candidates = DocBits::empty(self.max_doc);
        for &i in by_bound.iter().rev() {
            optional += self.terms[i].bound;
            if !out_of_reach(optional, threshold(best)) {
                candidates.union_with(self.terms[i].docs.bits());
            }
        }
        candidates.intersect_with(self.allowed);
        candidates.subtract(&self.scored);
        self.score_candidates(&candidates, best);
    }

    /// Scores the candidates that can still reach the page, highest bound first.
    fn score_candidates(&mut self, candidates: &DocBits, best: &mut TopK<u32>) {
        // (bound, tie-break value, document): a candidate's bound, and where it stands
        // among candidates of equal bound.
        let mut pending: Vec<(Score, u64, u32)> = candidates
            .docs()
            .map(|doc| (0.0, self.tiebreaks.first(doc).unwrap_or(0), doc))
            .collect();
        if pending.is_empty() {
            return;
        }
        // Each candidate's bound: the sum of the bounds of the terms it contains (each
        // term's bound over the candidate's 64-document word), in the query's order.
        let mut before = Vec::with_capacity(candidates.words().len());
        let mut count = 0u32;
        for word in candidates.words() {
            before.push(count);
            count += word.count_ones();
        }
        for term in &self.terms {
            let words = term.docs.bits().words().iter().zip(candidates.words());
            for (index, ((&has, &wanted), &first)) in words.zip(&before).enumerate() {
                let mut both = has & wanted;
                if both == 0 {
                    continue;
                }
                let bound = term.docs.word_best_score(index, term.weight, term.bound);
                while both != 0 {
                    let bit = both.trailing_zeros();
                    both &= both - 1;
                    let below = wanted & ((1u64 << bit) - 1);
                    if let Some(entry) = pending.get_mut((first + below.count_ones()) as usize) {
                        entry.0 += bound;
                    }
                }
            }
        }
        // Best first: highest bound, then the lowest place (which wins a tie).
        let order = |a: &(Score, u64, u32), b: &(Score, u64, u32)| {
            b.0.total_cmp(&a.0).then((a.1, a.2).cmp(&(b.1, b.2)))
        };
        loop {
            pending.retain(|&(bound, _, doc)| self.may_enter(best, bound, doc));
            if pending.is_empty() {
                return;
            }
            let batch = BATCH.min(pending.len());
            if batch < pending.len() {
                pending.select_nth_unstable_by(batch - 1, order);
            }
            pending[..batch].sort_unstable_by(order);
            for &(bound, _, doc) in &pending[..batch] {
                if !self.may_enter(best, bound, doc) {
                    // Every later candidate is worse still.
                    return;
                }
                let score = self.score(doc);
                self.scored.insert(doc);
                best.offer(key(score), self.place(doc));
            }
            pending.drain(..batch);
        }
    }

    /// Where a document of this segment stands among documents of equal score.
    fn place(&self, doc: u32) -> Place {
        (self.tiebreaks.first(doc).unwrap_or(0), self.ordinal, doc)
    }

    /// Whether a document of this segment whose score is at most `bound` could still enter
    /// the page: beat its worst hit, or tie with it at a lower place.
    fn may_enter(&self, best: &TopK<u32>, bound: Score, doc: u32) -> bool {
        best.worst_entry().is_none_or(|(worst, place)| {
            (key(bound), std::cmp::Reverse(self.place(doc))) > (worst, std::cmp::Reverse(place))
        })
    }

    /// A document's exact score: the sum of its terms' BM25 scores, in the query's order.
    fn score(&self, doc: u32) -> Score {
        let mut sum = 0.0;
        for term in &self.terms {
            let freq = term.docs.freq(doc);
            if freq > 0 {
                sum += term.weight.score(term.norms.fieldnorm_id(doc), freq);
            }
        }
        sum
    }
}

#[cfg(test)]
mod tests {
    use crate::schema::Fields;
    use crate::search::{self, SearchRequest};
    use crate::{SearchDocument, SearchIndex};

    /// One segment, documents in the order given (`d0`, `d1`, …).
    fn one_segment(texts: &[(&str, &str)]) -> SearchIndex {
        let fields = Fields::new();
        let index = tantivy::Index::create_in_ram(fields.schema.clone());
        crate::analysis::tokenizers::register(index.tokenizers());
        let mut writer: tantivy::IndexWriter = index
            .writer_with_num_threads(1, 15_000_000)
            .expect("a writer");
        for (i, (title, body)) in texts.iter().enumerate() {
            let doc = SearchDocument::plain_text(&format!("d{i}"), title, body);
            writer.add_document(doc.to_tantivy(&fields)).expect("added");
        }
        writer.commit().expect("committed");
        SearchIndex::from_index(index).expect("opened")
    }

    fn page(index: &SearchIndex, query: &str, per_page: usize) -> Vec<String> {
        let request = SearchRequest {
            query: query.into(),
            per_page,
            ..Default::default()
        };
        let results = search::search(index, &request).expect("searched");
        results.hits.into_iter().map(|h| h.id).collect()
    }

    #[test]
    fn a_tie_with_the_worst_hit_goes_to_the_lower_tiebreak() {
        // d0–d63 and d65–d80 score the same; d64 scores highest and raises the bound of
        // its 64-document word, so d65 is scored before d0. The page must still hold the
        // tied documents with the lowest tie-break values (hashes of their keys), whatever
        // order they were scored in.
        let mut texts = vec![("Torget", "Dialog om torget."); 81];
        texts[64] = ("Dialog", "Dialog.");
        let index = one_segment(&texts);
        let mut tied: Vec<(u64, String)> = (0..81)
            .filter(|&i| i != 64)
            .map(|i| {
                let doc = SearchDocument::plain_text(&format!("d{i}"), "Torget", "");
                (crate::document::tiebreak(&doc.key()), format!("d{i}"))
            })
            .collect();
        tied.sort();
        let expected = |n: usize| -> Vec<String> {
            std::iter::once("d64".to_string())
                .chain(tied.iter().take(n - 1).map(|(_, id)| id.clone()))
                .collect()
        };
        assert_eq!(page(&index, "dialog", 2), expected(2));
        assert_eq!(page(&index, "dialog", 4), expected(4));
        assert_eq!(page(&index, "dialog", 81), expected(81));
    }

    #[test]
    fn scores_equal_the_query_over_every_match() {
        // Enough documents that the first candidates (the documents of the highest-bound
        // terms) are a part of them, and words of every weight.
        let words = [
            "dialog",
            "trygghet",
            "parken",
            "unga",
            "kultur",
            "torget",
            "läxhjälp",
        ];
        let mut texts = Vec::new();
        for i in 0..300usize {
            let pick = |n: usize| words[(i * 7 + n * 13 + i / 5) % words.len()];
            let title = if i % 3 == 0 { pick(1) } else { "Text" };
            texts.push((
                title,
                format!("{} {} {} om {}", pick(2), pick(3), pick(2), pick(4)),
            ));
        }
        let texts: Vec<(&str, &str)> = texts.iter().map(|(t, b)| (*t, b.as_str())).collect();
        let index = one_segment(&texts);
        let queries = [
            "dialog",
            "dialog trygghet",
            "unga kultur parken torget läxhjälp",
        ];
        for query in queries {
            for per_page in [5, 15, 60] {
                assert_scores_match(&index, query, per_page);
            }
        }
    }

    /// The page's scores against tantivy's own query over every match, with the statistics of
    /// the public documents.
    fn assert_scores_match(index: &SearchIndex, query: &str, per_page: usize) {
        let words = crate::search::query::analyse_query(query);
        let everything = crate::search::query::full_query(
            index.fields(),
            &crate::search::Ranking::default(),
            &words,
            &["publik".to_string()],
        );
        let best = tantivy::collector::TopDocs::with_limit(per_page).order_by_score();
        let searcher = index.searcher();
        let visible =
            crate::search::visible::VisibleDocs::new(index, &searcher, &["publik".to_string()])
                .expect("visible documents");
        let want = searcher
            .search_with_statistics_provider(&*everything, &best, &visible)
            .expect("searched");
        let request = SearchRequest {
            query: query.into(),
            per_page,
            ..Default::default()
        };
        let got = search::search(index, &request).expect("searched");
        assert_eq!(got.hits.len(), want.len(), "{query}");
        for (hit, (score, _)) in got.hits.iter().zip(&want) {
            assert!(
                (hit.score - score).abs() < 1e-4,
                "{query}: {} vs {score}",
                hit.score
            );
        }
    }

    #[test]
    fn weights_follow_new_segments() {
        let index = SearchIndex::in_memory().expect("an index");
        let mut writer = index.writer().expect("a writer");
        let mut add = |from: usize, texts: &[&str]| {
            for (i, text) in texts.iter().enumerate() {
                let doc = SearchDocument::plain_text(&format!("d{}", from + i), "Text", text);
                writer.add(&doc).expect("added");
            }
            writer.commit(from as i64).expect("committed");
            index.reload().expect("reloaded");
        };
        add(0, &["dialog i parken", "parken", "trygghet och dialog"]);
        assert_scores_match(&index, "dialog parken", 10);
        // Another segment where "dialog" is common: every weight changes.
        add(
            10,
            &["dialog", "dialog dialog", "dialog om dialog", "parken"],
        );
        assert_scores_match(&index, "dialog parken", 10);
    }
}
