//! The competence vocabulary of the profiles a viewer may see: suggestions while typing,
//! and a competence's page (who has it, and which competences go with it most often).

use std::collections::{HashMap, HashSet};

use serde::Serialize;
use tantivy::schema::Value;
use tantivy::{DocAddress, TantivyDocument};

use crate::analysis::fold::push_folded;
use crate::model::{competence_key, competence_slug, normalise_competence};
use crate::search::Viewer;
use crate::search::bits::DocBits;
use crate::search::visible::VisibleDocs;
use crate::store::SearchIndex;

/// A competence and how many visible profiles name it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CompetenceCount {
    /// As the member who joined first of those who name it wrote it.
    pub name: String,
    pub members: u64,
}

/// A member who has a competence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Holder {
    pub id: String,
    pub name: String,
    /// Title and organisation.
    pub summary: String,
    pub url: String,
    /// All the member's competences, as they wrote them.
    pub competences: Vec<String>,
}

/// A competence's page: its holders by name, and the competences they also have, the most
/// common first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CompetencePage {
    pub name: String,
    /// How many visible profiles have it (more than `holders` when they were cut).
    pub total: usize,
    pub holders: Vec<Holder>,
    pub related: Vec<CompetenceCount>,
}

fn stored(doc: &TantivyDocument, field: tantivy::schema::Field) -> String {
    doc.get_first(field)
        .and_then(|v| v.as_str())
        .unwrap_or_default()
        .to_string()
}

fn stored_all(doc: &TantivyDocument, field: tantivy::schema::Field) -> Vec<String> {
    doc.get_all(field)
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect()
}

/// Every competence key of the visible profiles, with how many of them hold it.
fn counts(index: &SearchIndex, visible: &VisibleDocs) -> tantivy::Result<HashMap<String, u64>> {
    let field = index.fields().competence;
    let mut counts: HashMap<String, u64> = HashMap::new();
    for (ordinal, segment) in visible.searcher().segment_readers().iter().enumerate() {
        let inverted = segment.inverted_index(field)?;
        let mut stream = inverted.terms().stream()?;
        while stream.advance() {
            let Ok(key) = std::str::from_utf8(stream.key()) else {
                continue;
            };
            let n = visible.count_in_segment(ordinal, &inverted, stream.value())?;
            if n > 0 {
                *counts.entry(key.to_string()).or_default() += n;
            }
        }
    }
    Ok(counts)
}

/// The visible profiles holding any of `keys`, those who joined first first (equal dates
/// in tie-break order, so the order does not depend on how the index is laid out): the
/// first of them is where the competence first occurs.
fn holders(
    index: &SearchIndex,
    visible: &VisibleDocs,
    keys: &[&str],
    limit: usize,
) -> tantivy::Result<Vec<DocAddress>> {
    let field = index.fields().competence;
    let searcher = visible.searcher();
    let terms = index.terms(searcher);
    let tables = index.facet_tables(searcher);
    let mut found = Vec::new();
    for (ordinal, segment) in searcher.segment_readers().iter().enumerate() {
        let Some(seen) = visible.segment(ordinal) else {
            continue;
        };
        let mut held = DocBits::empty(segment.max_doc());
        for key in keys {
            held.union_with(terms.get(segment, field, key)?.bits());
        }
        let dates = tables.dates(segment)?;
        let tiebreaks = tables.tiebreaks(segment)?;
        for doc in held.and_docs(seen) {
            let place = (
                dates.first(doc).unwrap_or(i64::MAX),
                tiebreaks.first(doc).unwrap_or(u64::MAX),
            );
            found.push((place, DocAddress::new(ordinal as u32, doc)));
        }
    }
    found.sort_unstable();
    found.truncate(limit);
    Ok(found.into_iter().map(|(_, address)| address).collect())
}

/// How the first visible profile holding `key` wrote it (the key itself if none does).
fn name_of(index: &SearchIndex, visible: &VisibleDocs, key: &str) -> tantivy::Result<String> {
    for address in holders(index, visible, &[key], 1)? {
        let doc: TantivyDocument = visible.searcher().doc(address)?;
        if let Some(name) = stored_all(&doc, index.fields().competences)
            .iter()
            .find(|c| competence_key(c) == key)
        {
            return Ok(normalise_competence(name));
        }
    }
    Ok(key.to_string())
}

/// Lower case with diacritics folded, for matching what was typed.
fn folded(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in competence_key(text).chars() {
        push_folded(c, &mut out);
    }
    out
}

/// Whether a word of `key` (both folded) starts with `typed`.
fn word_prefix(key: &str, typed: &str) -> bool {
    key.starts_with(typed)
        || key
            .char_indices()
            .any(|(i, c)| !c.is_alphanumeric() && key[i + c.len_utf8()..].starts_with(typed))
}

/// Competences of visible profiles with a word starting with `typed` (case and å/ä/ö
/// insensitive), the most common first; all of them when `typed` is blank. At most `limit`.
pub fn suggest(
    index: &SearchIndex,
    typed: &str,
    viewer: &Viewer,
    limit: usize,
) -> tantivy::Result<Vec<CompetenceCount>> {
    let searcher = index.searcher();
    let visible = VisibleDocs::new(index, &searcher, &viewer.visibility_terms())?;
    let typed = folded(typed);
    let mut found: Vec<(String, u64)> = counts(index, &visible)?
        .into_iter()
        .filter(|(key, _)| word_prefix(&folded(key), &typed))
        .collect();
    found.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    found.truncate(limit);
    found
        .into_iter()
        .map(|(key, members)| {
            Ok(CompetenceCount {
                name: name_of(index, &visible, &key)?,
                members,
            })
        })
        .collect()
}

/// The page of the competence whose slug is `slug`, from the profiles `viewer` may see:
/// `None` when none of them has it. At most `max_holders` holders (by name) and
/// `max_related` related competences.
pub fn competence_page(
    index: &SearchIndex,
    slug: &str,
    viewer: &Viewer,
    max_holders: usize,
    max_related: usize,
) -> tantivy::Result<Option<CompetencePage>> {
    let f = index.fields();
    let searcher = index.searcher();
    let visible = VisibleDocs::new(index, &searcher, &viewer.visibility_terms())?;
    let all = counts(index, &visible)?;
    // Several spellings may share a slug ("Barn- och unga", "barn och unga").
    let mut keys: Vec<&str> = all
        .keys()
        .filter(|key| competence_slug(key) == slug)
        .map(String::as_str)
        .collect();
    if slug.is_empty() || keys.is_empty() {
        return Ok(None);
    }
    keys.sort_unstable();
    let own: HashSet<&str> = keys.iter().copied().collect();

    let mut name = None;
    let mut related: HashMap<String, (String, u64)> = HashMap::new();
    let mut people = Vec::new();
    for address in holders(index, &visible, &keys, usize::MAX)? {
        let doc: TantivyDocument = searcher.doc(address)?;
        let competences = stored_all(&doc, f.competences);
        let mut counted = HashSet::new();
        for competence in &competences {
            let key = competence_key(competence);
            if own.contains(key.as_str()) {
                name.get_or_insert_with(|| normalise_competence(competence));
            } else if counted.insert(key.clone()) {
                related
                    .entry(key)
                    .or_insert_with(|| (normalise_competence(competence), 0))
                    .1 += 1;
            }
        }
        people.push(Holder {
            id: stored(&doc, f.id),
            name: stored(&doc, f.title),
            summary: stored(&doc, f.summary),
            url: stored(&doc, f.url),
            competences,
        });
    }
    people.sort_by(|a, b| {
        a.name
            .to_lowercase()
            .cmp(&b.name.to_lowercase())
            .then_with(|| a.id.cmp(&b.id))
    });
    let total = people.len();
    people.truncate(max_holders);
    let mut related: Vec<(String, String, u64)> = related
        .into_iter()
        .map(|(key, (name, n))| (key, name, n))
        .collect();
    related.sort_by(|a, b| b.2.cmp(&a.2).then_with(|| a.0.cmp(&b.0)));
    related.truncate(max_related);
    Ok(Some(CompetencePage {
        name: name.unwrap_or_else(|| keys[0].to_string()),
        total,
        holders: people,
        related: related
            .into_iter()
            .map(|(_, name, members)| CompetenceCount { name, members })
            .collect(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_text_matches_the_start_of_any_word() {
        assert!(word_prefix("medborgardialog", "med"));
        assert!(word_prefix("social medverkan", "med"));
        assert!(word_prefix("barn- och ungdomsarbete", "ungdom"));
        assert!(word_prefix("foreningsutveckling", &folded("FÖRE")));
        assert!(!word_prefix("trygghetsvandringar", "vandring"));
        assert!(word_prefix("allt", ""));
    }
}
