//! Search-as-you-type suggestions and "did you mean", drawn only from words of public
//! documents, so no suggestion can reveal members' or closed groups' content.

use std::collections::HashMap;

use tantivy::schema::Field;

use crate::analysis::tokenize;

use super::query;
use super::visible::VisibleDocs;

/// The most suggestions returned.
pub const MAX_SUGGESTIONS: usize = 10;

/// Words of `field` that start with `prefix` and that some `visible` document holds, most
/// frequent among them first.
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
                let count = visible.count_in_segment(ordinal, &inverted, stream.value())?;
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

/// The most unknown words of one query that are respelled (each costs a walk of the term
/// dictionary); the rest are kept as typed.
pub const MAX_RESPELLED: usize = 4;

/// A respelling of the query where each word the `visible` documents do not know is
/// replaced by its most frequent close term among them; `None` when nothing changes. It
/// reaches one edit further than typo tolerance (which has already failed when nothing
/// matched). At most [`MAX_RESPELLED`] words are tried.
pub fn did_you_mean(
    visible: &VisibleDocs,
    field: Field,
    typed: &str,
) -> tantivy::Result<Option<String>> {
    let mut changed = false;
    let mut walks = 0;
    let mut out = Vec::new();
    for w in tokenize::words(typed) {
        let chars = w.text.chars().count();
        let budget = if chars < 3 {
            0
        } else {
            query::typo_budget(chars) + 1
        };
        if budget == 0 || walks == MAX_RESPELLED || visible.doc_freq(field, &w.text)? > 0 {
            out.push(w.text);
            continue;
        }
        walks += 1;
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
