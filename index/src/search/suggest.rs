//! Search-as-you-type suggestions and "did you mean", drawn only from words of public
//! documents, so no suggestion can reveal members' or closed groups' content.

use std::collections::HashMap;

use tantivy::schema::Field;

use crate::analysis::tokenize;

use super::query;
use super::visible::VisibleDocs;

/// The most suggestions returned.
pub const MAX_SUGGESTIONS: usize = 10;

/// Words of `field` (which only public documents fill, and `visible` holds every public
/// document) that start with `prefix` and that some live document holds, most frequent
/// first. In a segment without deletions the dictionary's counts are exact; only segments
/// with deleted documents have their postings read.
pub fn prefix_terms(
    visible: &VisibleDocs,
    field: Field,
    prefix: &str,
    limit: usize,
) -> tantivy::Result<Vec<String>> {
    if prefix.is_empty() {
        return Ok(Vec::new());
    }
    let mut found: HashMap<String, u64> = HashMap::new();
    for (ordinal, segment) in visible.searcher().segment_readers().iter().enumerate() {
        let inverted = segment.inverted_index(field)?;
        let mut stream = inverted
            .terms()
            .range()
            .ge(prefix.as_bytes())
            .into_stream()?;
        while stream.advance() {
            let key = stream.key();
            if !key.starts_with(prefix.as_bytes()) {
                break;
            }
            if let Ok(term) = std::str::from_utf8(key) {
                let count = if segment.num_deleted_docs() == 0 {
                    u64::from(stream.value().doc_freq)
                } else {
                    visible.count_in_segment(ordinal, &inverted, stream.value())?
                };
                if count > 0 {
                    *found.entry(term.to_string()).or_default() += count;
                }
            }
        }
    }
    let mut terms: Vec<(String, u64)> = found.into_iter().collect();
    terms.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    Ok(terms.into_iter().take(limit).map(|(t, _)| t).collect())
}

/// Completions for what has been typed so far: the last word is completed, the words
/// before it are kept as typed.
pub fn complete(visible: &VisibleDocs, field: Field, typed: &str) -> tantivy::Result<Vec<String>> {
    let words = tokenize::words(typed);
    let Some(last) = words.last() else {
        return Ok(Vec::new());
    };
    let ends_with_space = typed.ends_with(char::is_whitespace);
    if ends_with_space {
        return Ok(Vec::new());
    }
    let head = typed[..last.offset_from].trim_end().to_lowercase();
    Ok(prefix_terms(visible, field, &last.text, MAX_SUGGESTIONS)?
        .into_iter()
        .map(|term| {
            if head.is_empty() {
                term
            } else {
                format!("{head} {term}")
            }
        })
        .collect())
}

/// A respelling of the query where each word the `visible` documents do not know is
/// replaced by its most frequent close term among them; `None` when nothing changes. It
/// reaches one edit further than typo tolerance (which has already failed when nothing
/// matched). Only the words the search used are looked at (the first
/// [`query::MAX_QUERY_WORDS`]); each unknown word uses one of the `walks` left, and once
/// none are left the rest are kept as typed.
pub fn did_you_mean(
    visible: &VisibleDocs,
    field: Field,
    typed: &str,
    walks: &mut usize,
) -> tantivy::Result<Option<String>> {
    let mut changed = false;
    let mut out = Vec::new();
    for w in tokenize::words(typed)
        .into_iter()
        .take(query::MAX_QUERY_WORDS)
    {
        let chars = w.text.chars().count();
        let budget = if chars < 3 {
            0
        } else {
            query::typo_budget(chars) + 1
        };
        if budget == 0 || *walks == 0 || visible.doc_freq(field, &w.text)? > 0 {
            out.push(w.text);
            continue;
        }
        *walks -= 1;
        match query::close_terms_within(visible, field, &w.text, budget, 1)?
            .into_iter()
            .next()
        {
            Some(close) => {
                changed = true;
                out.push(close);
            }
            None => out.push(w.text),
        }
    }
    Ok(changed.then(|| out.join(" ")))
}
