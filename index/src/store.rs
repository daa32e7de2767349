//! Opening an index directory, the one reader per process, and the single writer with its
//! outbox watermark kept in the commit payload.

use std::path::Path;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use tantivy::directory::MmapDirectory;
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, Searcher, Term};

use crate::analysis::tokenizers;
use crate::document::{DocKind, SearchDocument};
use crate::schema::Fields;
use crate::segment_cache::{SegmentCache, SegmentCaches};

/// Memory the writer may use before it flushes a segment.
const WRITER_MEMORY: usize = 50_000_000;
/// Memory for building a whole index at once: fewer, larger segments and less merging.
const BULK_WRITER_MEMORY: usize = 400_000_000;

/// Smaller stored-document blocks than tantivy's 16 kB: a page of hits reads about twenty
/// documents from different blocks, and each read decompresses a whole block.
const DOCSTORE_BLOCK_BYTES: usize = 4096;

fn index_settings() -> tantivy::IndexSettings {
    tantivy::IndexSettings {
        docstore_blocksize: DOCSTORE_BLOCK_BYTES,
        docstore_compression: tantivy::store::Compressor::None,
        ..Default::default()
    }
}

/// What the commit payload records.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommitPayload {
    /// The last outbox sequence number whose change is in this commit.
    pub watermark: i64,
    /// The database's epoch the watermark counts in (empty: not recorded); a database
    /// restored or failed over gets a new one, and an index of another epoch is rebuilt.
    #[serde(default)]
    pub epoch: String,
    /// When the outbox row at the watermark was written, as the database recorded it: a
    /// restored database that has numbered other rows the same is told apart by it.
    #[serde(default)]
    pub mark: String,
}

/// An open index: schema fields and a reader that follows commits.
#[derive(Clone)]
pub struct SearchIndex {
    index: Index,
    reader: IndexReader,
    fields: Fields,
    caches: Arc<SegmentCaches>,
}

impl SearchIndex {
    /// Opens the index in `dir`, creating an empty one if the directory holds none.
    pub fn open_or_create(dir: &Path) -> tantivy::Result<Self> {
        std::fs::create_dir_all(dir)?;
        let directory = MmapDirectory::open(dir)?;
        let index = if Index::exists(&directory)? {
            Index::open(directory)?
        } else {
            Index::create(directory, Fields::new().schema, index_settings())?
        };
        Self::from_index(index)
    }

    /// Opens the index in `dir`; an error when there is none (nothing is created).
    pub fn open_existing(dir: &Path) -> tantivy::Result<Self> {
        let directory = MmapDirectory::open(dir)?;
        if !Index::exists(&directory)? {
            return Err(tantivy::TantivyError::InvalidArgument(format!(
                "inget sökindex i {}",
                dir.display()
            )));
        }
        Self::from_index(Index::open(directory)?)
    }

    /// Reads every file of the index and checks it against its checksum: the files that
    /// are damaged (empty when all are whole).
    pub fn damaged_files(&self) -> tantivy::Result<Vec<String>> {
        let mut damaged: Vec<String> = self
            .index
            .validate_checksum()?
            .into_iter()
            .map(|path| path.display().to_string())
            .collect();
        damaged.sort();
        Ok(damaged)
    }

    /// An index in memory (tests, benchmarks).
    pub fn in_memory() -> tantivy::Result<Self> {
        Self::from_index(Index::create_in_ram(Fields::new().schema))
    }

    pub(crate) fn from_index(index: Index) -> tantivy::Result<Self> {
        let fields = Fields::from_schema(index.schema())?;
        tokenizers::register(index.tokenizers());
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(SearchIndex {
            index,
            reader,
            fields,
            caches: Arc::default(),
        })
    }

    pub fn fields(&self) -> &Fields {
        &self.fields
    }

    /// A searcher on the latest reloaded commit.
    pub fn searcher(&self) -> Searcher {
        self.reader.searcher()
    }

    /// This index's cache of type `C`, kept to `searcher`'s segments.
    pub fn segment_cache<C: SegmentCache>(&self, searcher: &Searcher) -> Arc<C> {
        self.caches.get(searcher)
    }

    /// Makes the latest commit visible to new searchers.
    pub fn reload(&self) -> tantivy::Result<()> {
        self.reader.reload()
    }

    /// The watermark of the latest commit (0 for a new index).
    pub fn watermark(&self) -> tantivy::Result<i64> {
        Ok(self.payload()?.watermark)
    }

    /// The database epoch of the last commit's watermark (empty when none was recorded).
    pub fn epoch(&self) -> tantivy::Result<String> {
        Ok(self.payload()?.epoch)
    }

    /// When the outbox row at the watermark was written (empty when none was recorded).
    pub fn mark(&self) -> tantivy::Result<String> {
        Ok(self.payload()?.mark)
    }

    fn payload(&self) -> tantivy::Result<CommitPayload> {
        let metas = self.index.load_metas()?;
        Ok(metas
            .payload
            .and_then(|p| serde_json::from_str::<CommitPayload>(&p).ok())
            .unwrap_or_default())
    }

    /// The one writer of this index. Fails if another process holds it.
    pub fn writer(&self) -> tantivy::Result<SearchWriter> {
        Ok(SearchWriter {
            writer: self.index.writer(WRITER_MEMORY)?,
            fields: self.fields.clone(),
            epoch: String::new(),
            mark: String::new(),
        })
    }

    /// A writer for building a complete index in one go (more memory, fewer merges).
    pub fn bulk_writer(&self) -> tantivy::Result<SearchWriter> {
        Ok(SearchWriter {
            writer: self.index.writer(BULK_WRITER_MEMORY)?,
            fields: self.fields.clone(),
            epoch: String::new(),
            mark: String::new(),
        })
    }

    /// How many documents the latest reloaded commit holds.
    pub fn num_docs(&self) -> u64 {
        self.searcher().num_docs()
    }

    /// How many documents of each kind the latest reloaded commit holds, in
    /// [`DocKind::ALL`]'s order.
    pub fn documents_per_kind(&self) -> tantivy::Result<Vec<(DocKind, u64)>> {
        use tantivy::query::{Query, TermQuery};
        let searcher = self.searcher();
        DocKind::ALL
            .iter()
            .map(|&kind| {
                let query = TermQuery::new(
                    Term::from_field_text(self.fields.kind, kind.slug()),
                    tantivy::schema::IndexRecordOption::Basic,
                );
                Ok((kind, query.count(&searcher)? as u64))
            })
            .collect()
    }
}

/// The index writer: replaces the documents of entities and commits with a watermark.
pub struct SearchWriter {
    writer: IndexWriter,
    fields: Fields,
    /// Recorded with every commit's watermark.
    epoch: String,
    /// Recorded with the next commit's watermark.
    mark: String,
}

impl SearchWriter {
    /// Removes every document of an entity (`kind:id`).
    pub fn delete_entity(&mut self, entity: &str) {
        self.writer
            .delete_term(Term::from_field_text(self.fields.entity, entity));
    }

    /// Replaces an entity's documents with `docs` (which may be empty: a deletion).
    pub fn replace_entity(&mut self, entity: &str, docs: &[SearchDocument]) -> tantivy::Result<()> {
        self.delete_entity(entity);
        for doc in docs {
            self.writer.add_document(doc.to_tantivy(&self.fields))?;
        }
        Ok(())
    }

    /// Adds documents without deleting anything first (building a fresh index).
    pub fn add(&mut self, doc: &SearchDocument) -> tantivy::Result<()> {
        self.writer.add_document(doc.to_tantivy(&self.fields))?;
        Ok(())
    }

    /// Records `epoch` with the watermark of this writer's commits from now on.
    pub fn set_epoch(&mut self, epoch: &str) {
        self.epoch = epoch.to_string();
    }

    /// Records `mark` (when the watermark's outbox row was written) with the next commit.
    pub fn set_mark(&mut self, mark: &str) {
        self.mark = mark.to_string();
    }

    /// Commits everything so far, recording `watermark` (and the epoch) in the payload.
    pub fn commit(&mut self, watermark: i64) -> tantivy::Result<()> {
        let payload = serde_json::to_string(&CommitPayload {
            watermark,
            epoch: self.epoch.clone(),
            mark: self.mark.clone(),
        })
        .map_err(|e| tantivy::TantivyError::InternalError(e.to_string()))?;
        let mut prepared = self.writer.prepare_commit()?;
        prepared.set_payload(&payload);
        prepared.commit()?;
        Ok(())
    }

    /// Merges every committed segment into one and waits for it.
    pub fn merge_all(&mut self) -> tantivy::Result<()> {
        let segments = self.writer.index().searchable_segment_ids()?;
        if segments.len() > 1 {
            self.writer.merge(&segments).wait()?;
        }
        Ok(())
    }

    /// Drops everything not committed.
    pub fn rollback(&mut self) -> tantivy::Result<()> {
        self.writer.rollback()?;
        Ok(())
    }

    /// Waits for merges to finish and releases the writer lock.
    pub fn wait_merging_threads(self) -> tantivy::Result<()> {
        self.writer.wait_merging_threads()
    }
}
