//! The tantivy schema: one document per searchable thing, text fields per kind of match,
//! and string fast fields for filters, facets and visibility.

use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};

use crate::analysis::tokenizers;

/// Every field, resolved once.
#[derive(Debug, Clone)]
pub struct Fields {
    pub schema: Schema,
    /// `kind:id` of the document itself (unique).
    pub key: Field,
    /// `kind:id` of the content entity the document belongs to (a thread's posts share it).
    pub entity: Field,
    pub kind: Field,
    pub id: Field,
    pub url: Field,
    /// Stored display text.
    pub title: Field,
    pub summary: Field,
    pub body: Field,
    /// A member's competences, one per value (stored, for match reasons).
    pub competences: Field,
    /// Lemma fields, one per source field, so each can have its own boost.
    pub title_stem: Field,
    pub competences_stem: Field,
    pub summary_stem: Field,
    pub body_stem: Field,
    /// Words as written (exact spelling ranks first).
    pub title_exact: Field,
    pub text_exact: Field,
    /// Compound parts of every word of every text field.
    pub parts: Field,
    /// Diacritic-folded words and lemmas.
    pub folded: Field,
    /// Snowball stems of every text field.
    pub snowball: Field,
    /// Words of public documents only: the source of suggestions and "did you mean".
    pub public_words: Field,
    /// Filters and facets.
    pub district: Field,
    pub sector: Field,
    pub phase: Field,
    pub pivi_kind: Field,
    pub model: Field,
    /// A pivi entry's target groups (`målgrupp`).
    pub target_group: Field,
    pub competence: Field,
    pub year: Field,
    pub cell: Field,
    pub group: Field,
    pub author: Field,
    /// `publik`, `medlemmar` or `grupp:<id>`.
    pub visibility: Field,
    /// Seconds since the epoch, for "newest first".
    pub date: Field,
    /// The date as `YYYY-MM-DD`, for display.
    pub date_text: Field,
    /// A hash of the document's key: what orders documents that tie on score or date, the
    /// same whichever segment they are in and whatever else the index holds.
    pub tiebreak: Field,
}

/// An analysed field with term frequencies (for BM25). No positions: nothing matches
/// phrases, and snippets are found by re-reading the stored text, so positions would only
/// cost index time and space.
fn text(tokenizer: &str) -> TextOptions {
    TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(tokenizer)
            .set_index_option(IndexRecordOption::WithFreqs),
    )
}

impl Fields {
    pub fn new() -> Self {
        let mut b = Schema::builder();
        let facet = STRING | FAST;
        let key = b.add_text_field("key", STRING | STORED);
        let entity = b.add_text_field("entity", STRING);
        let kind = b.add_text_field("kind", facet.clone() | STORED);
        let id = b.add_text_field("id", STRING | STORED);
        let url = b.add_text_field("url", STORED);
        let title = b.add_text_field("title", STORED);
        let summary = b.add_text_field("summary", STORED);
        let body = b.add_text_field("body", STORED);
        let competences = b.add_text_field("competences", STORED);
        let title_stem = b.add_text_field("title_stem", text(tokenizers::STEM));
        let competences_stem = b.add_text_field("competences_stem", text(tokenizers::STEM));
        let summary_stem = b.add_text_field("summary_stem", text(tokenizers::STEM));
        let body_stem = b.add_text_field("body_stem", text(tokenizers::STEM));
        let title_exact = b.add_text_field("title_exact", text(tokenizers::EXACT));
        let text_exact = b.add_text_field("text_exact", text(tokenizers::EXACT));
        let parts = b.add_text_field("parts", text(tokenizers::PARTS));
        let folded = b.add_text_field("folded", text(tokenizers::FOLDED));
        let snowball = b.add_text_field("snowball", text(tokenizers::SNOWBALL));
        // Only the term dictionary is read (suggestions): document ids are enough.
        let public_words = b.add_text_field(
            "public_words",
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(tokenizers::EXACT)
                    .set_index_option(IndexRecordOption::Basic),
            ),
        );
        let district = b.add_text_field("district", facet.clone());
        let sector = b.add_text_field("sector", facet.clone());
        let phase = b.add_text_field("phase", facet.clone());
        let pivi_kind = b.add_text_field("pivi_kind", facet.clone());
        let model = b.add_text_field("model", facet.clone());
        let competence = b.add_text_field("competence", facet.clone());
        let target_group = b.add_text_field("target_group", facet.clone());
        let year = b.add_text_field("year", facet.clone());
        let cell = b.add_text_field("cell", facet.clone());
        let group = b.add_text_field("group", facet.clone());
        let author = b.add_text_field("author", STRING | STORED);
        let visibility = b.add_text_field("visibility", STRING);
        let date = b.add_i64_field("date", INDEXED | FAST);
        let date_text = b.add_text_field("date_text", STORED);
        let tiebreak = b.add_u64_field("tiebreak", FAST);
        Fields {
            schema: b.build(),
            key,
            entity,
            kind,
            id,
            url,
            title,
            summary,
            body,
            competences,
            title_stem,
            competences_stem,
            summary_stem,
            body_stem,
            title_exact,
            text_exact,
            parts,
            folded,
            snowball,
            public_words,
            district,
            sector,
            phase,
            pivi_kind,
            model,
            target_group,
            competence,
            year,
            cell,
            group,
            author,
            visibility,
            date,
            date_text,
            tiebreak,
        }
    }

    /// Rebuilds the field handles of an existing index's schema (same layout).
    pub fn from_schema(schema: Schema) -> tantivy::Result<Self> {
        let expected = Fields::new();
        if expected.schema != schema {
            return Err(tantivy::TantivyError::SchemaError(
                "the index was built with another schema; run `hallbar reindex`".to_string(),
            ));
        }
        Ok(expected)
    }
}

impl Default for Fields {
    fn default() -> Self {
        Fields::new()
    }
}
