//! Facet values of every document of a segment, unpacked once into flat arrays and cached
//! per segment, so counting facets over many matches is a few array reads per document.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use tantivy::columnar::{Column, StrColumn};
use tantivy::index::SegmentId;
use tantivy::{DocId, SegmentReader};

use super::bits::DocBits;

/// One facet field of one segment: each document's value ordinals.
pub struct FacetTable {
    /// `ords[starts[d]..starts[d + 1]]` are document `d`'s ordinals.
    starts: Vec<u32>,
    ords: Vec<u32>,
    /// Ordinal ↔ value (absent when no document of the segment has the field).
    column: Option<StrColumn>,
    /// Per value, its documents as a bit set (built on first use; only for fields with
    /// few values).
    value_bits: OnceLock<Option<Vec<DocBits>>>,
    /// The documents with at least one value (built on first use), so counting a field
    /// with many values visits only them.
    with_values: OnceLock<DocBits>,
    /// Each ordinal's value, read once on first use.
    names: OnceLock<Vec<String>>,
    max_doc: u32,
}

/// Fields with more distinct values than this are counted document by document instead
/// of by bit sets (competences: many values, each on few documents).
const MAX_VALUES_FOR_BITS: usize = 64;

impl FacetTable {
    fn build(reader: &SegmentReader, field: &str) -> tantivy::Result<Self> {
        let column = reader.fast_fields().str(field)?;
        let max_doc = reader.max_doc();
        let mut starts = Vec::with_capacity(max_doc as usize + 1);
        let mut ords = Vec::with_capacity(max_doc as usize);
        starts.push(0);
        if let Some(column) = &column {
            let column_ords = column.ords();
            for doc in 0..max_doc {
                ords.extend(column_ords.values_for_doc(doc).map(|o| o as u32));
                starts.push(ords.len() as u32);
            }
        } else {
            starts.resize(max_doc as usize + 1, 0);
        }
        Ok(FacetTable {
            starts,
            ords,
            column,
            value_bits: OnceLock::new(),
            with_values: OnceLock::new(),
            names: OnceLock::new(),
            max_doc,
        })
    }

    /// The ordinals of a document's values.
    #[inline]
    pub fn values(&self, doc: DocId) -> &[u32] {
        let doc = doc as usize;
        match (self.starts.get(doc), self.starts.get(doc + 1)) {
            (Some(&from), Some(&to)) => self.ords.get(from as usize..to as usize).unwrap_or(&[]),
            _ => &[],
        }
    }

    /// Each value's documents as bit sets, when the field has few values.
    pub fn value_bits(&self) -> Option<&[DocBits]> {
        self.value_bits
            .get_or_init(|| {
                let values = self.num_values();
                if values > MAX_VALUES_FOR_BITS {
                    return None;
                }
                let mut bits = vec![DocBits::empty(self.max_doc); values];
                for doc in 0..self.max_doc {
                    for &ord in self.values(doc) {
                        if let Some(set) = bits.get_mut(ord as usize) {
                            set.insert(doc);
                        }
                    }
                }
                Some(bits)
            })
            .as_deref()
    }

    /// The documents that have at least one value.
    pub fn with_values(&self) -> &DocBits {
        self.with_values.get_or_init(|| {
            let mut bits = DocBits::empty(self.max_doc);
            for doc in 0..self.max_doc {
                if !self.values(doc).is_empty() {
                    bits.insert(doc);
                }
            }
            bits
        })
    }

    /// How many distinct values the segment holds.
    pub fn num_values(&self) -> usize {
        self.column
            .as_ref()
            .map_or(0, |c| c.dictionary().num_terms())
    }

    /// The ordinal of a value, if any document of the segment has it.
    pub fn ordinal(&self, value: &str) -> tantivy::Result<Option<u32>> {
        match &self.column {
            Some(column) => Ok(column.dictionary().term_ord(value)?.map(|o| o as u32)),
            None => Ok(None),
        }
    }

    /// The value of an ordinal.
    pub fn value(&self, ordinal: u32) -> Option<&str> {
        self.names
            .get_or_init(|| {
                // Every value once, in ordinal order: looking ordinals up one by one in
                // the dictionary would cost a block scan each, per search.
                let mut names = Vec::with_capacity(self.num_values());
                if let Some(column) = &self.column {
                    for ordinal in 0..self.num_values() as u64 {
                        let mut value = String::new();
                        let found = column.ord_to_str(ordinal, &mut value).unwrap_or(false);
                        names.push(if found { value } else { String::new() });
                    }
                }
                names
            })
            .get(ordinal as usize)
            .map(String::as_str)
            .filter(|name| !name.is_empty())
    }
}

/// Facet tables by segment and field. Segments never change once written, so an entry
/// stays right for as long as its segment exists; [`FacetTables::retain`] drops the rest.
#[derive(Default)]
pub struct FacetTables {
    tables: Mutex<HashMap<(SegmentId, &'static str), Arc<FacetTable>>>,
    /// Each segment's `date` column (opening it looks the column up by name).
    dates: Mutex<HashMap<SegmentId, Column<i64>>>,
    tiebreaks: Mutex<HashMap<SegmentId, Column<u64>>>,
}

impl FacetTables {
    /// The table of `field` in the segment, built on first use.
    pub fn get(
        &self,
        reader: &SegmentReader,
        field: &'static str,
    ) -> tantivy::Result<Arc<FacetTable>> {
        let key = (reader.segment_id(), field);
        if let Some(table) = self.lock().get(&key) {
            return Ok(Arc::clone(table));
        }
        // Built outside the lock: two searches may both build it; one result is kept.
        let table = Arc::new(FacetTable::build(reader, field)?);
        Ok(Arc::clone(self.lock().entry(key).or_insert(table)))
    }

    /// The segment's `date` column (seconds since the epoch), opened on first use.
    pub fn dates(&self, reader: &SegmentReader) -> tantivy::Result<Column<i64>> {
        let segment = reader.segment_id();
        let lock = || self.dates.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(dates) = lock().get(&segment) {
            return Ok(dates.clone());
        }
        let dates = reader.fast_fields().i64("date")?;
        Ok(lock().entry(segment).or_insert(dates).clone())
    }

    /// The tie-break column of `reader`'s segment (see [`crate::schema::Fields::tiebreak`]).
    pub fn tiebreaks(&self, reader: &SegmentReader) -> tantivy::Result<Column<u64>> {
        let segment = reader.segment_id();
        let lock = || {
            self.tiebreaks
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
        };
        if let Some(column) = lock().get(&segment) {
            return Ok(column.clone());
        }
        let column = reader.fast_fields().u64("tiebreak")?;
        Ok(lock().entry(segment).or_insert(column).clone())
    }

    /// Forgets the tables of segments not in `live` (merged away or deleted).
    pub fn retain(&self, live: &[SegmentId]) {
        let mut tables = self.lock();
        if tables.keys().any(|(segment, _)| !live.contains(segment)) {
            tables.retain(|(segment, _), _| live.contains(segment));
        }
        drop(tables);
        let mut dates = self.dates.lock().unwrap_or_else(PoisonError::into_inner);
        if dates.keys().any(|segment| !live.contains(segment)) {
            dates.retain(|segment, _| live.contains(segment));
        }
        drop(dates);
        self.tiebreaks
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .retain(|segment, _| live.contains(segment));
    }

    fn lock(
        &self,
    ) -> std::sync::MutexGuard<'_, HashMap<(SegmentId, &'static str), Arc<FacetTable>>> {
        self.tables.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl crate::segment_cache::SegmentCache for FacetTables {
    fn retain(&self, live: &[tantivy::index::SegmentId]) {
        FacetTables::retain(self, live);
    }
}
