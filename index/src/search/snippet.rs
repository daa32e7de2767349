//! Snippets: the passage of a hit's text with the most matched words, HTML-escaped, with
//! every match (exact, inflected, compound part, folded or misspelt) in `<mark>`.

use std::collections::HashSet;

use crate::analysis::tokenize::MAX_WORD_CHARS;
use crate::analysis::{fold, word};

use super::query::QueryWord;

/// How many words a snippet shows.
pub const SNIPPET_WORDS: usize = 28;

/// What counts as a match of the query.
#[derive(Debug, Default)]
pub struct Highlighter {
    exact: HashSet<String>,
    lemmas: HashSet<String>,
    folded: HashSet<String>,
    /// The first three letters (folded) of everything that can match: a text word that
    /// contains none of them cannot match, which spares analysing most words.
    probes: Vec<String>,
}

impl Highlighter {
    pub fn new(words: &[QueryWord]) -> Self {
        let mut h = Highlighter::default();
        for w in words {
            h.exact.insert(w.exact.clone());
            h.exact.extend(w.typos.iter().cloned());
            h.lemmas.extend(w.lemmas.iter().cloned());
            h.folded.insert(w.folded.clone());
        }
        let mut probes: Vec<String> = h
            .exact
            .iter()
            .chain(&h.lemmas)
            .chain(&h.folded)
            .map(|t| fold::folded(t).chars().take(3).collect())
            .collect();
        probes.sort();
        probes.dedup();
        h.probes = probes;
        h
    }

    /// Whether a word could match at all (cheap; false means it certainly does not).
    fn may_match(&self, text_word: &str, folded: &mut String) -> bool {
        // A byte-window comparison: the probes are a few bytes long, and setting up a
        // substring searcher per word would cost more than the search.
        let contains_probe = |word: &[u8]| {
            self.probes.iter().any(|p| {
                let p = p.as_bytes();
                // First byte before the slice comparison: most windows fail there.
                !p.is_empty() && word.windows(p.len()).any(|w| w[0] == p[0] && w == p)
            })
        };
        if fold::fold_into(text_word, folded) {
            contains_probe(folded.as_bytes())
        } else {
            contains_probe(text_word.as_bytes())
        }
    }

    /// Whether a lower-cased word of a text matches.
    pub fn matches(&self, text_word: &str) -> bool {
        if self.exact.contains(text_word) {
            return true;
        }
        let analysis = word::analyse(text_word);
        analysis
            .lemmas
            .iter()
            .chain(&analysis.parts)
            .any(|l| self.lemmas.contains(l))
            || self.folded.contains(&fold::folded(text_word))
            || analysis
                .lemmas
                .iter()
                .any(|l| self.folded.contains(&fold::folded(l)))
    }

    /// The best passage of `text`: the window of words with the most matches (the start of
    /// the text when nothing matches). Returns HTML.
    pub fn snippet(&self, text: &str) -> String {
        self.passage(text, false).unwrap_or_default()
    }

    /// The best passage of `text` if any word of it matches, else `None`.
    pub fn snippet_if_matched(&self, text: &str) -> Option<String> {
        self.passage(text, true)
    }

    fn passage(&self, text: &str, only_if_matched: bool) -> Option<String> {
        let words = word_spans(text);
        if words.is_empty() {
            return (!only_if_matched).then(|| escape(text.trim()));
        }
        let mut lower = String::new();
        let mut folded = String::new();
        let hits: Vec<bool> = words
            .iter()
            .map(|w| {
                let original = &text[w.offset_from..w.offset_to];
                let word = if lower_into(original, &mut lower) {
                    lower.as_str()
                } else {
                    original
                };
                self.may_match(word, &mut folded) && self.matches(word)
            })
            .collect();
        if only_if_matched && !hits.contains(&true) {
            return None;
        }
        let window = SNIPPET_WORDS.min(words.len());
        let mut best = (0usize, 0usize);
        let mut current = hits[..window].iter().filter(|&&h| h).count();
        best.1 = current;
        for start in 1..=(words.len() - window) {
            if hits[start - 1] {
                current -= 1;
            }
            if hits[start + window - 1] {
                current += 1;
            }
            if current > best.1 {
                best = (start, current);
            }
        }
        // Start a few words before the first match, so it has context.
        let first_match = (best.0..best.0 + window).find(|&i| hits[i]);
        let start = match first_match {
            Some(i) => i
                .saturating_sub(4)
                .max(best.0.saturating_sub(4))
                .min(words.len() - window),
            None => 0,
        };
        let end = (start + window).min(words.len());
        let mut html = Html::default();
        if start > 0 {
            html.markup("… ");
        }
        let mut cursor = if start == 0 {
            0
        } else {
            words[start].offset_from
        };
        for (i, w) in words.iter().enumerate().take(end).skip(start) {
            html.text(&text[cursor..w.offset_from]);
            let original = &text[w.offset_from..w.offset_to];
            if hits[i] {
                html.markup("<mark>");
                html.text(original);
                html.markup("</mark>");
            } else {
                html.text(original);
            }
            cursor = w.offset_to;
        }
        if end < words.len() {
            // Keep closing punctuation of the last word, then elide.
            let tail = &text[cursor..words[end].offset_from];
            let punctuation = tail.split(char::is_whitespace).next().unwrap_or_default();
            html.text(punctuation);
            html.markup(" …");
        } else {
            html.text(&text[cursor..]);
        }
        Some(html.out)
    }
}

/// Snippet HTML being written: text is escaped, every run of whitespace becomes one
/// space, and there is none at either end.
#[derive(Default)]
struct Html {
    out: String,
    space_pending: bool,
}

impl Html {
    fn push(&mut self, s: &str, escape_it: bool) {
        for c in s.chars() {
            if c.is_whitespace() {
                self.space_pending = true;
                continue;
            }
            if std::mem::take(&mut self.space_pending) && !self.out.is_empty() {
                self.out.push(' ');
            }
            match c {
                '&' if escape_it => self.out.push_str("&amp;"),
                '<' if escape_it => self.out.push_str("&lt;"),
                '>' if escape_it => self.out.push_str("&gt;"),
                '"' if escape_it => self.out.push_str("&quot;"),
                '\'' if escape_it => self.out.push_str("&#39;"),
                _ => self.out.push(c),
            }
        }
    }

    fn text(&mut self, s: &str) {
        self.push(s, true);
    }

    fn markup(&mut self, s: &str) {
        self.push(s, false);
    }
}

/// Lower-cases `word` into `out` when it has anything to lower-case (false: use `word`
/// as it is). Swedish letters take a fast path.
fn lower_into(word: &str, out: &mut String) -> bool {
    let has_upper = if word.is_ascii() {
        word.bytes().any(|b| b.is_ascii_uppercase())
    } else {
        word.chars().any(char::is_uppercase)
    };
    if !has_upper {
        return false;
    }
    out.clear();
    for c in word.chars() {
        match c {
            'A'..='Z' => out.push(c.to_ascii_lowercase()),
            'Å' => out.push('å'),
            'Ä' => out.push('ä'),
            'Ö' => out.push('ö'),
            c if c.is_ascii() => out.push(c),
            c => out.extend(c.to_lowercase()),
        }
    }
    true
}

/// Whether a character belongs to a word: ASCII and Swedish letters without a table
/// lookup, others by Unicode.
fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || matches!(c, 'å' | 'ä' | 'ö' | 'Å' | 'Ä' | 'Ö' | 'é' | 'É')
        || (!c.is_ascii() && c.is_alphanumeric())
}

/// A word's byte range in a text.
struct Span {
    offset_from: usize,
    offset_to: usize,
}

/// The words of a text for highlighting: runs of letters and digits. Cheaper than full
/// Unicode word segmentation, and where the two differ (an apostrophe inside a word) the
/// only effect is which letters get the mark.
fn word_spans(text: &str) -> Vec<Span> {
    let mut spans = Vec::new();
    let mut start: Option<usize> = None;
    let mut chars = 0;
    let mut close = |start: &mut Option<usize>, end: usize, chars: usize| {
        if let Some(from) = start.take()
            && chars <= MAX_WORD_CHARS
        {
            spans.push(Span {
                offset_from: from,
                offset_to: end,
            });
        }
    };
    for (i, c) in text.char_indices() {
        if is_word_char(c) {
            if start.is_none() {
                start = Some(i);
                chars = 0;
            }
            chars += 1;
        } else {
            close(&mut start, i, chars);
        }
    }
    close(&mut start, text.len(), chars);
    spans
}

/// Escapes text for HTML (element content and quoted attributes).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}
