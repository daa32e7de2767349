//! Searchable documents: what each piece of content contributes to the index, and who may
//! see it.

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use tantivy::TantivyDocument;

use crate::analysis::plain::markdown_to_text;
use crate::model::{
    Article, DialogueText, District, Group, Matrix, Member, PiviEntry, Sector, Slug, TargetGroup,
    Thread,
};
use crate::schema::Fields;

/// The kinds of search hit (the `typ` facet).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DocKind {
    Member,
    Pivi,
    Article,
    MatrixCell,
    Dialogue,
    Group,
    Thread,
    Post,
}

impl DocKind {
    pub const ALL: &'static [DocKind] = &[
        DocKind::Member,
        DocKind::Pivi,
        DocKind::Article,
        DocKind::MatrixCell,
        DocKind::Dialogue,
        DocKind::Group,
        DocKind::Thread,
        DocKind::Post,
    ];

    /// The slug used in URLs (`typ=pivi`) and in the index.
    pub fn slug(self) -> &'static str {
        match self {
            DocKind::Member => "medlem",
            DocKind::Pivi => "pivi",
            DocKind::Article => "artikel",
            DocKind::MatrixCell => "matriscell",
            DocKind::Dialogue => "dialog",
            DocKind::Group => "grupp",
            DocKind::Thread => "diskussion",
            DocKind::Post => "inlagg",
        }
    }

    /// The Swedish label.
    pub fn label(self) -> &'static str {
        match self {
            DocKind::Member => "Medlemmar",
            DocKind::Pivi => "pivi",
            DocKind::Article => "Artiklar",
            DocKind::MatrixCell => "Kunskapsmatrisen",
            DocKind::Dialogue => "Dialogverktyget",
            DocKind::Group => "Grupper",
            DocKind::Thread => "Diskussioner",
            DocKind::Post => "Inlägg",
        }
    }

    /// The Swedish name of one such document, as a hit is labelled.
    pub fn singular(self) -> &'static str {
        match self {
            DocKind::Member => "Medlem",
            DocKind::Pivi => "pivi",
            DocKind::Article => "Artikel",
            DocKind::MatrixCell => "Kunskapsmatrisen",
            DocKind::Dialogue => "Dialogverktyget",
            DocKind::Group => "Grupp",
            DocKind::Thread => "Diskussion",
            DocKind::Post => "Inlägg",
        }
    }

    pub fn from_slug(slug: &str) -> Option<Self> {
        DocKind::ALL.iter().copied().find(|k| k.slug() == slug)
    }
}

impl serde::Serialize for DocKind {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.slug())
    }
}

/// Who may see a document.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Visibility {
    /// Anyone, logged in or not.
    Public,
    /// Logged-in members.
    Members,
    /// Only the members of one closed group.
    Group(Slug),
}

impl Visibility {
    /// The term stored in the `visibility` field.
    pub fn term(&self) -> String {
        match self {
            Visibility::Public => "publik".to_string(),
            Visibility::Members => "medlemmar".to_string(),
            Visibility::Group(id) => format!("grupp:{id}"),
        }
    }
}

/// One document for the index, built from a piece of content.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchDocument {
    pub kind: DocKind,
    /// Unique within the kind (a post is `<thread>/<position>`).
    pub id: String,
    /// `kind:id` of the content entity whose change re-indexes this document.
    pub entity: String,
    pub url: String,
    pub title: String,
    pub summary: String,
    pub body: String,
    pub competences: Vec<String>,
    pub tags: Vec<String>,
    pub district: Option<District>,
    pub sector: Option<Sector>,
    /// A guide text's phase (a slug of its model's phases).
    pub phase: Option<Slug>,
    /// A catalogue entry's category (a slug of its model's categories).
    pub pivi_kind: Option<Slug>,
    /// The support model the document belongs to (the `modell` facet).
    pub model: Option<Slug>,
    pub target_groups: Vec<TargetGroup>,
    /// `row/column` for matrix cells and articles.
    pub cells: Vec<String>,
    pub group: Option<Slug>,
    pub authors: Vec<Slug>,
    /// [`NO_DATE`] when the entity has none (a matrix cell): it then has no year and no
    /// date is shown, and it sorts as the oldest.
    pub date: DateTime<Utc>,
    pub visibility: Visibility,
}

/// The key of an entity, shared by all its documents.
pub fn entity_key(kind: crate::model::ContentKind, id: &str) -> String {
    format!("{}:{id}", kind.slug())
}

/// The date of a document whose entity has none.
pub const NO_DATE: DateTime<Utc> = DateTime::<Utc>::UNIX_EPOCH;

fn midnight(date: NaiveDate) -> DateTime<Utc> {
    date.and_time(NaiveTime::MIN).and_utc()
}

impl SearchDocument {
    fn new(kind: DocKind, id: &str, entity: String, url: String, title: &str) -> Self {
        SearchDocument {
            kind,
            id: id.to_string(),
            entity,
            url,
            title: title.to_string(),
            summary: String::new(),
            body: String::new(),
            competences: Vec::new(),
            tags: Vec::new(),
            district: None,
            sector: None,
            phase: None,
            pivi_kind: None,
            model: None,
            target_groups: Vec::new(),
            cells: Vec::new(),
            group: None,
            authors: Vec::new(),
            date: NO_DATE,
            visibility: Visibility::Public,
        }
    }

    /// The unique key of this document.
    pub fn key(&self) -> String {
        format!("{}:{}", self.kind.slug(), self.id)
    }

    /// A public text with no other metadata (benchmarks and evaluation corpora).
    pub fn plain_text(id: &str, title: &str, body: &str) -> Self {
        let mut d = SearchDocument::new(
            DocKind::Article,
            id,
            format!("text:{id}"),
            format!("/text/{id}"),
            title,
        );
        d.body = body.to_string();
        d
    }

    /// A member profile: public or members-only, as the member chose.
    pub fn member(m: &Member) -> Self {
        let entity = entity_key(crate::model::ContentKind::Member, m.id.as_str());
        let mut d = SearchDocument::new(
            DocKind::Member,
            m.id.as_str(),
            entity,
            crate::paths::member(&m.id),
            &m.name,
        );
        d.summary = format!("{}, {}", m.title, m.organisation);
        d.body = markdown_to_text(&m.background);
        d.competences = m.competences.clone();
        d.tags = m.interests.clone();
        d.district = Some(m.district);
        d.sector = Some(m.sector);
        d.authors = vec![m.id.clone()];
        d.date = midnight(m.member_since);
        d.visibility = Visibility::of_member(m);
        d
    }

    /// A pivi entry (public). Its contact, when a member, counts as its author.
    pub fn pivi(p: &PiviEntry) -> Self {
        let entity = entity_key(crate::model::ContentKind::Pivi, p.id.as_str());
        let mut d = SearchDocument::new(
            DocKind::Pivi,
            p.id.as_str(),
            entity,
            crate::paths::pivi_entry(&p.model, &p.id),
            &p.title,
        );
        d.summary = p.summary.clone();
        d.body = format!("{}\n\n{}", markdown_to_text(&p.body), p.organisation);
        d.tags = p.tags.clone();
        d.district = Some(p.district);
        d.pivi_kind = Some(p.kind.clone());
        d.model = Some(p.model.clone());
        d.target_groups = p.target_groups.clone();
        d.authors = p.contact.member.iter().cloned().collect();
        d.date = midnight(p.published);
        d
    }

    /// The filled cells of a matrix of `model`, one public document each.
    pub fn matrix_cells(m: &Matrix, model: &Slug) -> Vec<Self> {
        let entity = entity_key(crate::model::ContentKind::Matrix, m.id.as_str());
        m.cells
            .iter()
            .map(|cell| {
                let row = m
                    .row(cell.row.as_str())
                    .map(|v| v.name.as_str())
                    .unwrap_or_default();
                let column = m
                    .column(cell.column.as_str())
                    .map(|v| v.name.as_str())
                    .unwrap_or_default();
                let mut d = SearchDocument::new(
                    DocKind::MatrixCell,
                    &format!("{}/{}/{}", m.id, cell.row, cell.column),
                    entity.clone(),
                    crate::paths::matrix_cell(model, &cell.row, &cell.column),
                    &format!("{row} – {column}"),
                );
                d.model = Some(model.clone());
                d.summary = cell.summary.clone();
                d.body = m.title.clone();
                d.cells = vec![format!("{}/{}", cell.row, cell.column)];
                d
            })
            .collect()
    }

    /// An article (public) of a matrix of `model`, under the cells it belongs to.
    pub fn article(a: &Article, model: &Slug) -> Self {
        let entity = entity_key(crate::model::ContentKind::Article, a.id.as_str());
        let mut d = SearchDocument::new(
            DocKind::Article,
            a.id.as_str(),
            entity,
            crate::paths::article(model, &a.id),
            &a.title,
        );
        d.model = Some(model.clone());
        d.summary = a.lead.clone();
        d.body = format!("{}\n\n{}", markdown_to_text(&a.text), a.author);
        d.tags = a.tags.clone();
        d.district = Some(a.district);
        d.cells = a.cells.iter().map(ToString::to_string).collect();
        d.date = midnight(a.published);
        d
    }

    /// A dialogue-tool text (public); a checklist's items are part of its text.
    pub fn dialogue(t: &DialogueText) -> Self {
        let entity = entity_key(crate::model::ContentKind::Dialogue, t.id.as_str());
        let mut d = SearchDocument::new(
            DocKind::Dialogue,
            t.id.as_str(),
            entity,
            crate::paths::dialogue_text(&t.model, &t.phase, &t.id),
            &t.title,
        );
        d.summary = t.lead.clone();
        d.body = if t.checklist.is_empty() {
            markdown_to_text(&t.text)
        } else {
            format!(
                "{}\n\n{}",
                markdown_to_text(&t.text),
                t.checklist.join("\n")
            )
        };
        d.tags = t.tags.clone();
        d.district = t.district;
        d.phase = Some(t.phase.clone());
        d.model = Some(t.model.clone());
        d.date = midnight(t.published);
        d
    }

    /// Who may see a group's content: members for an open group, its own members for a
    /// closed one.
    pub fn group_visibility(g: &Group) -> Visibility {
        Visibility::of_group_content(g)
    }

    /// A group's own document (its name, description, district and topics), seen by
    /// everyone: only the content of a closed group is its members' own.
    pub fn group(g: &Group) -> Self {
        let entity = entity_key(crate::model::ContentKind::Group, g.id.as_str());
        let mut d = SearchDocument::new(
            DocKind::Group,
            g.id.as_str(),
            entity,
            crate::paths::group(&g.id),
            &g.name,
        );
        d.summary = markdown_to_text(&g.description);
        d.group = Some(g.id.clone());
        d.date = midnight(g.created);
        d.district = g.district;
        d.tags = g.topics.clone();
        // A group's name and description are public, closed or not; its content is not.
        d.visibility = Visibility::Public;
        d
    }

    /// A thread (title and opening post) and one document per post, visible as the group.
    pub fn thread(t: &Thread, g: &Group) -> Vec<Self> {
        let entity = entity_key(crate::model::ContentKind::Thread, t.id.as_str());
        let visibility = SearchDocument::group_visibility(g);
        let url = crate::paths::thread(&g.id, &t.id);
        let mut docs = Vec::with_capacity(t.posts.len() + 1);
        let mut thread = SearchDocument::new(
            DocKind::Thread,
            t.id.as_str(),
            entity.clone(),
            url.clone(),
            &t.title,
        );
        thread.summary = t
            .posts
            .first()
            .map(|p| markdown_to_text(&p.text))
            .unwrap_or_default();
        thread.group = Some(g.id.clone());
        thread.authors = t.author().into_iter().cloned().collect();
        thread.date = t.last_activity().unwrap_or(NO_DATE);
        thread.visibility = visibility.clone();
        docs.push(thread);
        for (position, post) in t.posts.iter().enumerate() {
            // A post without text (hidden by a moderator) is not searchable, but keeps its
            // place: the posts after it link to their own numbers.
            if post.text.trim().is_empty() {
                continue;
            }
            let mut d = SearchDocument::new(
                DocKind::Post,
                &format!("{}/{position}", t.id),
                entity.clone(),
                crate::paths::post(&g.id, &t.id, position),
                &t.title,
            );
            d.body = markdown_to_text(&post.text);
            d.group = Some(g.id.clone());
            d.authors = vec![post.author.clone()];
            d.date = post.created;
            d.visibility = visibility.clone();
            docs.push(d);
        }
        docs
    }

    /// The tantivy document.
    pub fn to_tantivy(&self, f: &Fields) -> TantivyDocument {
        let mut doc = TantivyDocument::default();
        doc.add_text(f.key, self.key());
        doc.add_u64(f.tiebreak, tiebreak(&self.key()));
        doc.add_text(f.entity, &self.entity);
        doc.add_text(f.kind, self.kind.slug());
        doc.add_text(f.id, &self.id);
        doc.add_text(f.url, &self.url);
        doc.add_text(f.title, &self.title);
        doc.add_text(f.summary, &self.summary);
        doc.add_text(f.body, &self.body);
        doc.add_text(f.title_stem, &self.title);
        doc.add_text(f.title_exact, &self.title);
        for text in self.competences.iter().chain(&self.tags) {
            doc.add_text(f.competences_stem, text);
            doc.add_text(f.text_exact, text);
            doc.add_text(f.parts, text);
            doc.add_text(f.folded, text);
            doc.add_text(f.snowball, text);
        }
        doc.add_text(f.summary_stem, &self.summary);
        doc.add_text(f.body_stem, &self.body);
        for text in [&self.title, &self.summary, &self.body] {
            doc.add_text(f.text_exact, text);
            doc.add_text(f.parts, text);
            doc.add_text(f.folded, text);
            doc.add_text(f.snowball, text);
        }
        if self.visibility == Visibility::Public {
            for text in [&self.title, &self.summary, &self.body]
                .into_iter()
                .chain(&self.competences)
                .chain(&self.tags)
            {
                doc.add_text(f.public_words, text);
            }
        }
        if let Some(district) = self.district {
            doc.add_text(f.district, district.slug());
        }
        if let Some(sector) = self.sector {
            doc.add_text(f.sector, sector.slug());
        }
        if let Some(phase) = &self.phase {
            doc.add_text(f.phase, phase.as_str());
        }
        if let Some(kind) = &self.pivi_kind {
            doc.add_text(f.pivi_kind, kind.as_str());
        }
        if let Some(model) = &self.model {
            doc.add_text(f.model, model.as_str());
        }
        for group in &self.target_groups {
            doc.add_text(f.target_group, group.slug());
        }
        for competence in &self.competences {
            doc.add_text(f.competences, competence);
        }
        if self.kind == DocKind::Member {
            let mut seen = std::collections::HashSet::new();
            for competence in &self.competences {
                let normal = crate::model::competence_key(competence);
                if seen.insert(normal.clone()) {
                    doc.add_text(f.competence, normal);
                }
            }
        }
        if self.date != NO_DATE {
            doc.add_text(f.year, self.date.format("%Y").to_string());
            doc.add_text(f.date_text, self.date.format("%Y-%m-%d").to_string());
        }
        for cell in &self.cells {
            doc.add_text(f.cell, cell);
        }
        if let Some(group) = &self.group {
            doc.add_text(f.group, group.as_str());
        }
        for author in &self.authors {
            doc.add_text(f.author, author.as_str());
        }
        doc.add_text(f.visibility, self.visibility.term());
        doc.add_i64(f.date, self.date.timestamp());
        doc
    }
}

/// A stable 64-bit hash of a document key (FNV-1a): equal keys, equal values, in every
/// build and on every machine.
pub fn tiebreak(key: &str) -> u64 {
    key.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}
