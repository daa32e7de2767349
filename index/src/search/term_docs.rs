//! One term's documents in one segment, read once from its postings and cached (segments
//! never change): a bit set for counting, and for scoring each document's term frequency
//! and the term's highest frequency per field length, which bounds its BM25 score.

use std::collections::hash_map::Entry;
use std::sync::{Arc, Mutex, PoisonError};

use rustc_hash::FxHashMap;
use tantivy::fieldnorm::FieldNormReader;
use tantivy::index::SegmentId;
use tantivy::postings::Postings;
use tantivy::query::Bm25Weight;
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocSet, Score, SegmentReader, TERMINATED, Term};

use super::bits::DocBits;

/// The most memory the cached terms may take before the cache starts over.
const CACHE_BYTES: usize = 64 * 1024 * 1024;

/// A term's documents in one segment (deleted ones included).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TermDocs {
    bits: DocBits,
    /// For each 64-document word of `bits`, how many documents come before it.
    ranks: Vec<u32>,
    /// Each document's term frequency, in document order; 255 stands for 255 or more.
    freqs: Vec<u8>,
    /// The frequencies of 255 and more, by document.
    large_freqs: Vec<(u32, u32)>,
    /// The highest term frequency at each field length code where it beats every shorter
    /// length's (field length codes rising, frequencies rising): the candidates for the
    /// term's best score, since a score grows with the frequency and shrinks with length.
    peaks: Vec<(u8, u32)>,
    /// For each 64-document word of `bits`: the shortest field length code and the highest
    /// frequency (255 for 255 or more) among its documents, which bound their scores.
    word_peaks: Vec<(u8, u8)>,
}

impl TermDocs {
    /// Reads `text` of `field` in `segment`; `None` when the segment lacks the term.
    pub fn read(
        segment: &SegmentReader,
        field: Field,
        text: &str,
    ) -> tantivy::Result<Option<Self>> {
        let term = Term::from_field_text(field, text);
        let Some(mut postings) = segment
            .inverted_index(field)?
            .read_postings(&term, IndexRecordOption::WithFreqs)?
        else {
            return Ok(None);
        };
        let max_doc = segment.max_doc();
        let mut bits = DocBits::empty(max_doc);
        let mut freqs = Vec::new();
        let mut large_freqs = Vec::new();
        let mut best_at_length = [0u32; 256];
        let mut word_peaks = vec![(u8::MAX, 0u8); (max_doc as usize).div_ceil(64)];
        let norms = field_norms(segment, field)?;
        let mut doc = postings.doc();
        while doc != TERMINATED {
            bits.insert(doc);
            let freq = postings.term_freq();
            freqs.push(u8::try_from(freq).unwrap_or(u8::MAX));
            if freq >= u32::from(u8::MAX) {
                large_freqs.push((doc, freq));
            }
            let length = norms.fieldnorm_id(doc);
            let best = &mut best_at_length[usize::from(length)];
            *best = (*best).max(freq);
            if let Some(peak) = word_peaks.get_mut(doc as usize / 64) {
                *peak = (
                    peak.0.min(length),
                    peak.1.max(u8::try_from(freq).unwrap_or(u8::MAX)),
                );
            }
            doc = postings.advance();
        }
        let mut ranks = Vec::with_capacity(bits.words().len());
        let mut before = 0u32;
        for word in bits.words() {
            ranks.push(before);
            before += word.count_ones();
        }
        let mut peaks = Vec::new();
        for (length, &freq) in best_at_length.iter().enumerate() {
            if freq > peaks.last().map_or(0, |&(_, f)| f) {
                peaks.push((length as u8, freq));
            }
        }
        Ok(Some(TermDocs {
            bits,
            ranks,
            freqs,
            large_freqs,
            peaks,
            word_peaks,
        }))
    }

    /// No document of a segment of `max_doc` documents.
    fn none(max_doc: u32) -> Self {
        TermDocs {
            bits: DocBits::empty(max_doc),
            ranks: vec![0; (max_doc as usize).div_ceil(64)],
            freqs: Vec::new(),
            large_freqs: Vec::new(),
            peaks: Vec::new(),
            word_peaks: vec![(u8::MAX, 0); (max_doc as usize).div_ceil(64)],
        }
    }

    pub fn bits(&self) -> &DocBits {
        &self.bits
    }

    /// How many documents contain the term (its document frequency in the segment).
    pub fn doc_count(&self) -> u64 {
        self.freqs.len() as u64
    }

    /// The term's frequency in `doc` (0 when the document lacks it).
    pub fn freq(&self, doc: u32) -> u32 {
        let word_index = doc as usize / 64;
        let Some(&word) = self.bits.words().get(word_index) else {
            return 0;
        };
        let bit = 1u64 << (doc % 64);
        if word & bit == 0 {
            return 0;
        }
        let rank =
            self.ranks.get(word_index).copied().unwrap_or(0) + (word & (bit - 1)).count_ones();
        match self.freqs.get(rank as usize) {
            Some(&u8::MAX) => self
                .large_freqs
                .binary_search_by_key(&doc, |&(d, _)| d)
                .map_or(u32::from(u8::MAX), |i| self.large_freqs[i].1),
            Some(&freq) => u32::from(freq),
            None => 0,
        }
    }

    /// The highest score `weight` gives any document of the term (0 when there is none).
    pub fn best_score(&self, weight: &Bm25Weight) -> Score {
        self.peaks
            .iter()
            .map(|&(length, freq)| weight.score(length, freq))
            .fold(0.0, Score::max)
    }

    /// The highest score `weight` gives a document of the `index`-th 64-document word, at
    /// most `best` (the term's best score).
    pub fn word_best_score(&self, index: usize, weight: &Bm25Weight, best: Score) -> Score {
        match self.word_peaks.get(index) {
            Some(&(length, freq)) if freq < u8::MAX => {
                weight.score(length, u32::from(freq)).min(best)
            }
            _ => best,
        }
    }

    fn bytes(&self) -> usize {
        self.bits.words().len() * 14 + self.freqs.len() + self.large_freqs.len() * 8 + 64
    }
}

/// The field length codes BM25 scores `field` with: tantivy's own choice for a term query
/// (a constant length when the field keeps none).
pub fn field_norms(segment: &SegmentReader, field: Field) -> tantivy::Result<FieldNormReader> {
    Ok(segment
        .fieldnorms_readers()
        .get_field(field)?
        .unwrap_or_else(|| FieldNormReader::constant(segment.max_doc(), 1)))
}

/// The cached terms of one segment's field.
type FieldTerms = FxHashMap<Box<str>, Arc<TermDocs>>;

#[derive(Default)]
struct Cache {
    by_field: FxHashMap<(SegmentId, Field), FieldTerms>,
    /// One shared answer per segment for every term it lacks (unknown words cost no
    /// memory of their own).
    absent: FxHashMap<SegmentId, Arc<TermDocs>>,
    bytes: usize,
}

/// Terms by segment, read on first use.
#[derive(Default)]
pub struct TermCache {
    cache: Mutex<Cache>,
}

impl TermCache {
    /// The documents of `segment` that contain `text` in `field`.
    pub fn get(
        &self,
        segment: &SegmentReader,
        field: Field,
        text: &str,
    ) -> tantivy::Result<Arc<TermDocs>> {
        let key = (segment.segment_id(), field);
        if let Some(found) = self
            .lock()
            .by_field
            .get(&key)
            .and_then(|terms| terms.get(text))
        {
            return Ok(Arc::clone(found));
        }
        // Read outside the lock: two searches may both read it; one result is kept.
        let Some(docs) = TermDocs::read(segment, field, text)? else {
            let mut cache = self.lock();
            let none = cache
                .absent
                .entry(key.0)
                .or_insert_with(|| Arc::new(TermDocs::none(segment.max_doc())));
            return Ok(Arc::clone(none));
        };
        let docs = Arc::new(docs);
        let bytes = docs.bytes();
        let mut cache = self.lock();
        if cache.bytes + bytes > CACHE_BYTES {
            cache.by_field.clear();
            cache.bytes = 0;
        }
        let terms = cache.by_field.entry(key).or_default();
        let (kept, added) = match terms.entry(text.into()) {
            Entry::Occupied(kept) => (Arc::clone(kept.get()), 0),
            Entry::Vacant(place) => (Arc::clone(place.insert(docs)), bytes),
        };
        cache.bytes += added;
        Ok(kept)
    }

    /// Forgets the terms of segments not in `live`.
    pub fn retain(&self, live: &[SegmentId]) {
        let mut cache = self.lock();
        cache.absent.retain(|segment, _| live.contains(segment));
        if cache
            .by_field
            .keys()
            .any(|(segment, _)| !live.contains(segment))
        {
            cache
                .by_field
                .retain(|(segment, _), _| live.contains(segment));
            cache.bytes = cache
                .by_field
                .values()
                .flat_map(|terms| terms.values())
                .map(|docs| docs.bytes())
                .sum();
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Cache> {
        self.cache.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl crate::segment_cache::SegmentCache for TermCache {
    fn retain(&self, live: &[tantivy::index::SegmentId]) {
        TermCache::retain(self, live);
    }
}
