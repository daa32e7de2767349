//! Snippets: the passage of a hit's text with the most matched words, HTML-escaped, with
//! every match (exact, inflected, compound part, folded or misspelt) in `<mark>`.

use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use memchr::memmem;
use rustc_hash::{FxHashMap, FxHashSet};

use crate::analysis::tokenize::MAX_WORD_CHARS;
use crate::analysis::{fold, word};

use super::query::QueryWord;

/// How many words a snippet shows.
pub const SNIPPET_WORDS: usize = 28;

/// What counts as a match of the query.
#[derive(Debug, Default)]
pub struct Highlighter {
    exact: FxHashSet<String>,
    lemmas: FxHashSet<String>,
    folded: FxHashSet<String>,
    /// The first three letters (folded) of everything that can match: a text word that
    /// contains none of them cannot match, which spares analysing most words. Searched
    /// for in a whole text at once (SIMD substring search) rather than word by word.
    probes: Vec<Arc<memmem::Finder<'static>>>,
}

/// The most probe searchers kept.
const MAX_FINDERS: usize = 4096;

/// A searcher for `probe`, built once and kept: building one costs more than searching a
/// page's texts with it, and queries share their first letters.
fn finder(probe: &str) -> Arc<memmem::Finder<'static>> {
    static FINDERS: OnceLock<Mutex<FxHashMap<Box<str>, Arc<memmem::Finder<'static>>>>> =
        OnceLock::new();
    let finders = FINDERS.get_or_init(Mutex::default);
    let lock = || finders.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(found) = lock().get(probe) {
        return Arc::clone(found);
    }
    let built = Arc::new(memmem::Finder::new(probe.as_bytes()).into_owned());
    let mut kept = lock();
    if kept.len() >= MAX_FINDERS {
        kept.clear();
    }
    Arc::clone(kept.entry(probe.into()).or_insert(built))
}

impl Highlighter {
    pub fn new(words: &[QueryWord]) -> Self {
        let mut h = Highlighter::default();
        for w in words {
            h.exact.insert(w.exact.clone());
            h.exact.extend(w.typos.iter().cloned());
            h.lemmas.extend(w.lemmas.iter().cloned());
            for restored in &w.restored {
                h.lemmas.extend(restored.lemmas.iter().cloned());
            }
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
        h.probes = probes
            .iter()
            .filter(|p| !p.is_empty())
            .map(|p| finder(p))
            .collect();
        h
    }

    /// Which words could match at all, in order: those whose lower-cased, folded form
    /// contains a probe (any other word certainly does not match).
    fn candidates(&self, words: &Words) -> Vec<usize> {
        let mut candidates = Vec::new();
        for probe in &self.probes {
            for at in probe.find_iter(&words.keys) {
                let after = words.key_starts.partition_point(|&s| s <= at);
                candidates.extend(after.checked_sub(1));
            }
        }
        candidates.sort_unstable();
        candidates.dedup();
        candidates
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

    /// Which of a text's words match, in order.
    fn marks(&self, text: &str, words: &Words) -> Vec<usize> {
        let mut lower = String::new();
        let mut marks = self.candidates(words);
        marks.retain(|&i| {
            words.spans.get(i).is_some_and(|w| {
                let original = &text[w.offset_from..w.offset_to];
                let word = if lower_into(original, &mut lower) {
                    lower.as_str()
                } else {
                    original
                };
                self.matches(word)
            })
        });
        marks
    }

    /// The best passage of `text`: the window of words with the most matches (the start of
    /// the text when nothing matches). Returns HTML.
    pub fn snippet(&self, text: &str) -> String {
        self.passage(text, &scan(text), false).unwrap_or_default()
    }

    /// The best passage of `text` if any word of it matches, else `None`.
    pub fn snippet_if_matched(&self, text: &str) -> Option<String> {
        self.passage(text, &scan(text), true)
    }

    /// [`Highlighter::snippet`] of a text scanned beforehand.
    pub fn snippet_of(&self, text: &ScannedText) -> String {
        self.passage(&text.text, &text.words, false)
            .unwrap_or_default()
    }

    /// [`Highlighter::snippet_if_matched`] of a text scanned beforehand.
    pub fn snippet_of_if_matched(&self, text: &ScannedText) -> Option<String> {
        self.passage(&text.text, &text.words, true)
    }

    fn passage(&self, text: &str, scanned: &Words, only_if_matched: bool) -> Option<String> {
        let words = &scanned.spans;
        if words.is_empty() {
            return (!only_if_matched).then(|| escape(text.trim()));
        }
        let marks = self.marks(text, scanned);
        if only_if_matched && marks.is_empty() {
            return None;
        }
        let window = SNIPPET_WORDS.min(words.len());
        let best = best_window(&marks, words.len(), window);
        // Start a few words before the first match, so it has context.
        let first_match = marks.iter().find(|&&i| i >= best && i < best + window);
        let start = match first_match {
            Some(i) => i
                .saturating_sub(4)
                .max(best.saturating_sub(4))
                .min(words.len() - window),
            None => 0,
        };
        let end = (start + window).min(words.len());
        Some(write_passage(text, words, &marks, start, end))
    }
}

/// The first start of a window of `window` of `count` words that holds the most of the
/// marked words (`marks` in order). The count only grows where a window comes to end on
/// a mark, so only those starts (and the first) can hold the first best.
fn best_window(marks: &[usize], count: usize, window: usize) -> usize {
    let last_start = count.saturating_sub(window);
    let marked_in = |start: usize| {
        marks.partition_point(|&m| m < start + window) - marks.partition_point(|&m| m < start)
    };
    let mut best = (0, marked_in(0));
    for &mark in marks {
        let Some(start) = (mark + 1).checked_sub(window) else {
            continue;
        };
        if start > last_start {
            break;
        }
        let marked = marked_in(start);
        if start > best.0 && marked > best.1 {
            best = (start, marked);
        }
    }
    best.0
}

/// The HTML of `text`'s words `start..end` and what lies between them, the words in
/// `marks` (in order) in `<mark>`, with "…" where the text goes on.
fn write_passage(text: &str, words: &[Span], marks: &[usize], start: usize, end: usize) -> String {
    let mut html = Html {
        out: String::with_capacity(SNIPPET_WORDS * 12),
        space_pending: false,
    };
    if start > 0 {
        html.markup("… ");
    }
    let mut cursor = words
        .get(start)
        .filter(|_| start > 0)
        .map_or(0, |w| w.offset_from);
    // The text up to each marked word is written at once.
    let shown = marks.partition_point(|&m| m < start)..marks.partition_point(|&m| m < end);
    for w in marks[shown].iter().filter_map(|&m| words.get(m)) {
        html.text(&text[cursor..w.offset_from]);
        html.markup("<mark>");
        html.text(&text[w.offset_from..w.offset_to]);
        html.markup("</mark>");
        cursor = w.offset_to;
    }
    if let Some(last) = end.checked_sub(1).and_then(|i| words.get(i))
        && last.offset_to > cursor
    {
        html.text(&text[cursor..last.offset_to]);
        cursor = last.offset_to;
    }
    match words.get(end) {
        Some(next) => {
            // Keep closing punctuation of the last word, then elide.
            let tail = &text[cursor..next.offset_from];
            let punctuation = tail.split(char::is_whitespace).next().unwrap_or_default();
            html.text(punctuation);
            html.markup(" …");
        }
        None => html.text(&text[cursor..]),
    }
    html.out
}

/// A text with its words found and keyed, which depends on the text alone: done once, it
/// serves the snippets of any query.
#[derive(Debug)]
pub struct ScannedText {
    text: String,
    words: Words,
}

impl ScannedText {
    pub fn new(text: String) -> Self {
        let words = scan(&text);
        ScannedText { text, words }
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// About how much memory it takes.
    pub fn bytes(&self) -> usize {
        self.text.len()
            + self.words.keys.len()
            + self.words.spans.len() * std::mem::size_of::<Span>()
            + self.words.key_starts.len() * std::mem::size_of::<usize>()
    }
}

/// What snippet HTML does with a byte of text: copies it (0), folds it into a space, escapes
/// it (when escaping), or looks at the character it starts, which may be a space (U+0085,
/// U+00A0, U+1680, U+2000–U+200A, U+2028, U+2029, U+202F, U+205F and U+3000 start so).
const BYTE_CLASS: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0x09;
    while b <= 0x0d {
        table[b] = SPACE;
        b += 1;
    }
    table[b' ' as usize] = SPACE;
    table[b'&' as usize] = ESCAPE;
    table[b'<' as usize] = ESCAPE;
    table[b'>' as usize] = ESCAPE;
    table[b'"' as usize] = ESCAPE;
    table[b'\'' as usize] = ESCAPE;
    table[0xc2] = MAYBE_SPACE;
    table[0xe1] = MAYBE_SPACE;
    table[0xe2] = MAYBE_SPACE;
    table[0xe3] = MAYBE_SPACE;
    table
};
const SPACE: u8 = 1;
const ESCAPE: u8 = 2;
const MAYBE_SPACE: u8 = 3;

/// Snippet HTML being written: text is escaped, every run of whitespace becomes one
/// space, and there is none at either end.
#[derive(Default)]
struct Html {
    out: String,
    space_pending: bool,
}

impl Html {
    /// Appends `s`: runs of characters that need nothing done are copied at once; spaces
    /// and (when `escape_it`) the characters HTML gives meaning to are handled one by one.
    fn push(&mut self, s: &str, escape_it: bool) {
        let bytes = s.as_bytes();
        let mut run = 0;
        let mut i = 0;
        while let Some(&byte) = bytes.get(i) {
            let (width, space) = match BYTE_CLASS[usize::from(byte)] {
                // One space between two characters of a run stays as it is.
                SPACE
                    if byte == b' '
                        && i > run
                        && bytes.get(i + 1).is_some_and(|&next| {
                            !matches!(BYTE_CLASS[usize::from(next)], SPACE | MAYBE_SPACE)
                        }) =>
                {
                    i += 1;
                    continue;
                }
                SPACE => (1, true),
                ESCAPE if escape_it => (1, false),
                MAYBE_SPACE => {
                    let c = s[i..].chars().next().unwrap_or_default();
                    if !c.is_whitespace() {
                        i += c.len_utf8();
                        continue;
                    }
                    (c.len_utf8(), true)
                }
                _ => {
                    i += 1;
                    continue;
                }
            };
            self.copy(&s[run..i]);
            if space {
                self.space_pending = true;
            } else {
                self.copy(match byte {
                    b'&' => "&amp;",
                    b'<' => "&lt;",
                    b'>' => "&gt;",
                    b'"' => "&quot;",
                    _ => "&#39;",
                });
            }
            i += width;
            run = i;
        }
        self.copy(&s[run..]);
    }

    /// Appends text without spaces or characters to escape, after a pending space.
    fn copy(&mut self, s: &str) {
        if s.is_empty() {
            return;
        }
        if std::mem::take(&mut self.space_pending) && !self.out.is_empty() {
            self.out.push(' ');
        }
        self.out.push_str(s);
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
#[derive(Debug)]
struct Span {
    offset_from: usize,
    offset_to: usize,
}

/// A text's words for highlighting, and their forms for finding candidates.
#[derive(Debug)]
struct Words {
    /// Runs of letters and digits (cheaper than full Unicode word segmentation; where the
    /// two differ, an apostrophe inside a word, the only effect is which letters get the
    /// mark). Runs longer than a word can be are left out.
    spans: Vec<Span>,
    /// The text with every word lower-cased and folded and everything between words
    /// zero bytes, which no probe contains, so a probe found here lies inside one word.
    keys: Vec<u8>,
    /// Where each word's key starts in `keys`.
    key_starts: Vec<usize>,
}

/// For each ASCII byte: its lower-case form if it is a letter or digit, else 0.
const ASCII_KEY: [u8; 128] = {
    let mut table = [0u8; 128];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        if c.is_ascii_alphanumeric() {
            table[b] = c.to_ascii_lowercase();
        }
        b += 1;
    }
    table
};

/// Keys of a text: lower-cased, folded words between zero bytes, and where the keys stop
/// being at the same offsets as the text (`(key offset, text offset − key offset)` from
/// that key offset on; folding `ö` to `o` shortens the keys by a byte).
fn keys_of(text: &str) -> (Vec<u8>, Vec<(usize, isize)>) {
    let bytes = text.as_bytes();
    if text.is_ascii() {
        return (
            bytes.iter().map(|&b| ASCII_KEY[b as usize]).collect(),
            Vec::new(),
        );
    }
    let mut keys = Vec::with_capacity(bytes.len());
    let mut shifts = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        // A run of ASCII at once, then one other character.
        let run = bytes[i..]
            .iter()
            .position(|&b| b >= 128)
            .unwrap_or(bytes.len() - i);
        keys.extend(bytes[i..i + run].iter().map(|&b| ASCII_KEY[b as usize]));
        i += run;
        if i == bytes.len() {
            break;
        }
        let c = text[i..].chars().next().unwrap_or_default();
        match c {
            'å' | 'ä' | 'Å' | 'Ä' => keys.push(b'a'),
            'ö' | 'Ö' => keys.push(b'o'),
            c if is_word_char(c) => {
                let mut folded = String::new();
                c.to_lowercase()
                    .for_each(|l| fold::push_folded(l, &mut folded));
                keys.extend_from_slice(folded.as_bytes());
            }
            _ => keys.push(0),
        }
        i += c.len_utf8();
        // Recorded whenever the difference changes, also back to zero ("öİ": ö shortens
        // the keys by a byte, İ lengthens them by one).
        let delta = i as isize - keys.len() as isize;
        if shifts.last().map_or(0, |&(_, last)| last) != delta {
            shifts.push((keys.len(), delta));
        }
    }
    (keys, shifts)
}

/// Splits `text` into words and builds their keys. Word boundaries are found 64 key bytes
/// at a time from a bit mask of word bytes, so the work per byte has no branches.
fn scan(text: &str) -> Words {
    let (mut keys, shifts) = keys_of(text);
    let mut spans = Vec::with_capacity(text.len() / 6);
    let mut key_starts = Vec::with_capacity(text.len() / 6);
    // Key offsets to text offsets, visited in increasing order.
    let mut shift_at = 0;
    let mut delta = 0isize;
    let mut to_text = |key: usize| -> usize {
        while shift_at < shifts.len() && shifts[shift_at].0 <= key {
            delta = shifts[shift_at].1;
            shift_at += 1;
        }
        (key as isize + delta) as usize
    };
    let mut words = Vec::with_capacity(text.len() / 6);
    let mut from = 0;
    let mut in_word = false;
    for (chunk_index, chunk) in keys.chunks(64).enumerate() {
        let mut mask = 0u64;
        for (j, &key) in chunk.iter().enumerate() {
            mask |= u64::from(key != 0) << j;
        }
        // Bits where a byte's word-ness differs from the byte before it.
        let mut edges = mask ^ ((mask << 1) | u64::from(in_word));
        if chunk.len() < 64 {
            edges &= (1u64 << chunk.len()) - 1;
        }
        while edges != 0 {
            let at = chunk_index * 64 + edges.trailing_zeros() as usize;
            edges &= edges - 1;
            if in_word {
                words.push((from, at));
            } else {
                from = at;
            }
            in_word = !in_word;
        }
    }
    if in_word {
        words.push((from, keys.len()));
    }
    for (key_from, key_to) in words {
        let span = Span {
            offset_from: to_text(key_from),
            offset_to: to_text(key_to),
        };
        // (`get`, not indexing: a wrong offset must cost a mark, never a failed search.)
        let is_word = text
            .get(span.offset_from..span.offset_to)
            .is_some_and(|w| w.len() <= MAX_WORD_CHARS || w.chars().count() <= MAX_WORD_CHARS);
        if !is_word {
            // Not a word: no probe may find it.
            keys[key_from..key_to].fill(0);
            continue;
        }
        spans.push(span);
        key_starts.push(key_from);
    }
    Words {
        spans,
        keys,
        key_starts,
    }
}

/// The words of a text by Unicode character classes, character by character: what
/// [`scan`] must agree with (tests).
#[cfg(test)]
fn reference_spans(text: &str) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut start: Option<(usize, usize)> = None;
    for (i, c) in text.char_indices().chain([(text.len(), ' ')]) {
        match (&mut start, is_word_char(c) && i < text.len()) {
            (Some((_, chars)), true) => *chars += 1,
            (None, true) => start = Some((i, 1)),
            (Some((from, chars)), false) => {
                if *chars <= MAX_WORD_CHARS {
                    spans.push((*from, i));
                }
                start = None;
            }
            (None, false) => {}
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::query::analyse_query;

    /// [`scan`], checked against the character-by-character reference.
    fn scan_checked(text: &str) -> Words {
        let words = scan(text);
        let spans: Vec<_> = words
            .spans
            .iter()
            .map(|s| (s.offset_from, s.offset_to))
            .collect();
        assert_eq!(spans, reference_spans(text), "{text:?}");
        assert_eq!(words.key_starts.len(), words.spans.len());
        words
    }

    /// What [`Html::push`] must write: character by character.
    fn reference_push(out: &mut String, space_pending: &mut bool, s: &str, escape_it: bool) {
        for c in s.chars() {
            if c.is_whitespace() {
                *space_pending = true;
                continue;
            }
            if std::mem::take(space_pending) && !out.is_empty() {
                out.push(' ');
            }
            match c {
                '&' if escape_it => out.push_str("&amp;"),
                '<' if escape_it => out.push_str("&lt;"),
                '>' if escape_it => out.push_str("&gt;"),
                '"' if escape_it => out.push_str("&quot;"),
                '\'' if escape_it => out.push_str("&#39;"),
                _ => out.push(c),
            }
        }
    }

    #[test]
    fn every_space_starts_with_a_byte_the_html_writer_looks_at() {
        for c in (0..=0x10ffff).filter_map(char::from_u32) {
            let mut utf8 = [0u8; 4];
            let first = c.encode_utf8(&mut utf8).as_bytes()[0];
            let class = BYTE_CLASS[usize::from(first)];
            if c.is_whitespace() {
                assert!(class == SPACE || class == MAYBE_SPACE, "U+{:04X}", c as u32);
            }
        }
    }

    #[test]
    fn html_is_written_as_character_by_character() {
        let pieces = [
            "",
            " ",
            "Trygghet i  parken",
            "\t\n\u{0b}\u{0c}\r",
            "<b>&amp;\"'</b>",
            "ö\u{a0}å\u{2003}ä\u{3000}x",
            "  … – «citat» ",
            "İ\u{0301}é",
            "a\u{85}b\u{2028}c",
        ];
        for escape_it in [true, false] {
            for first in pieces {
                for second in pieces {
                    let mut html = Html::default();
                    html.push(first, escape_it);
                    html.push(second, !escape_it);
                    html.push("<mark>", false);
                    let (mut want, mut pending) = (String::new(), false);
                    reference_push(&mut want, &mut pending, first, escape_it);
                    reference_push(&mut want, &mut pending, second, !escape_it);
                    reference_push(&mut want, &mut pending, "<mark>", false);
                    assert_eq!(html.out, want, "{first:?} {second:?} {escape_it}");
                    assert_eq!(html.space_pending, pending);
                }
            }
        }
    }

    fn highlight(query: &str, text: &str) -> String {
        Highlighter::new(&analyse_query(query)).snippet(text)
    }

    #[test]
    fn marks_exact_inflected_compound_folded_and_capitalised_words() {
        assert_eq!(
            highlight(
                "dialog",
                "Dialog med boende. Medborgardialogen hölls i Angered."
            ),
            "<mark>Dialog</mark> med boende. <mark>Medborgardialogen</mark> hölls i Angered."
        );
        assert_eq!(
            highlight("kompetens", "Hennes kompetenser: trygghet."),
            "Hennes <mark>kompetenser</mark>: trygghet."
        );
        assert_eq!(
            highlight("motesplats", "En ny MÖTESPLATS i Bergsjön."),
            "En ny <mark>MÖTESPLATS</mark> i Bergsjön."
        );
        assert_eq!(highlight("skola", "Ingen träff här."), "Ingen träff här.");
    }

    #[test]
    fn marks_what_a_word_typed_without_swedish_letters_finds() {
        assert_eq!(
            highlight("foraldrar", "En förälder och två föräldrar."),
            "En <mark>förälder</mark> och två <mark>föräldrar</mark>."
        );
    }

    #[test]
    fn chooses_the_window_with_most_matches_and_elides() {
        let filler = "ord ".repeat(60);
        let text = format!("{filler}trygghet och trygghetsvandringar {filler}");
        let snippet = highlight("trygghet", &text);
        assert!(snippet.starts_with("… "), "{snippet}");
        assert!(snippet.ends_with(" …"), "{snippet}");
        assert!(
            snippet.contains("<mark>trygghet</mark> och <mark>trygghetsvandringar</mark>"),
            "{snippet}"
        );
        assert_eq!(
            Highlighter::new(&analyse_query("skola")).snippet_if_matched(&text),
            None
        );
    }

    #[test]
    fn escapes_the_text_around_marks() {
        assert_eq!(
            highlight("dialog", "<b>dialog</b> & \"mer\""),
            "&lt;b&gt;<mark>dialog</mark>&lt;/b&gt; &amp; &quot;mer&quot;"
        );
    }

    /// The fast path (probes searched in the whole text, then only candidates analysed)
    /// marks exactly the words that analysing every word would mark, on the demo texts.
    #[test]
    fn probing_marks_the_same_words_as_analysing_every_word() {
        let demo = [
            include_str!("../../../data/demo/01-medlemmar.jsonl"),
            include_str!("../../../data/demo/04-pivi.jsonl"),
            include_str!("../../../data/demo/06-artiklar.jsonl"),
            include_str!("../../../data/demo/07-dialog.jsonl"),
        ];
        let mut texts = Vec::new();
        for line in demo.iter().flat_map(|d| d.lines()) {
            let value: serde_json::Value = serde_json::from_str(line).unwrap();
            collect_strings(&value, &mut texts);
        }
        assert!(texts.len() > 100);
        let mut marked = 0;
        for query in [
            "dialog",
            "trygghet",
            "utveckling",
            "barn",
            "kompetens",
            "motesplats",
            "göteborg",
            "skolgård",
            "projekt samhälle",
            "stadsodling föreningsliv",
            "ÅLDRE personer",
            "läxhjälp för unga",
        ] {
            let h = Highlighter::new(&analyse_query(query));
            for text in &texts {
                let words = scan_checked(text);
                let fast = h.marks(text, &words);
                let slow: Vec<usize> = (0..words.spans.len())
                    .filter(|&i| {
                        let w = &words.spans[i];
                        let original = &text[w.offset_from..w.offset_to];
                        let mut lower = String::new();
                        h.matches(if lower_into(original, &mut lower) {
                            &lower
                        } else {
                            original
                        })
                    })
                    .collect();
                assert_eq!(fast, slow, "{query:?} in {text:?}");
                marked += fast.len();
            }
        }
        assert!(marked > 100, "{marked}");
    }

    /// What [`write_passage`] must write: every word on its own, as it was first written.
    fn reference_passage(
        text: &str,
        words: &[Span],
        hits: &[bool],
        start: usize,
        end: usize,
    ) -> String {
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
            let tail = &text[cursor..words[end].offset_from];
            html.text(tail.split(char::is_whitespace).next().unwrap_or_default());
            html.markup(" …");
        } else {
            html.text(&text[cursor..]);
        }
        html.out
    }

    #[test]
    fn passages_are_written_as_word_by_word() {
        let texts = [
            include_str!("../../../data/demo/06-artiklar.jsonl"),
            "  Ett ord,  och <två> & 'tre'  ",
            "ö",
            "… «Dialog» i\u{a0}parken: trygghet!\nNästa rad. ",
        ];
        let mut seed = 17u64;
        let mut next = |n: usize| {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            ((seed >> 33) as usize) % n.max(1)
        };
        let mut compared = 0;
        for text in texts {
            let words = scan_checked(text);
            let n = words.spans.len();
            for _ in 0..200 {
                let hits: Vec<bool> = (0..n).map(|_| next(4) == 0).collect();
                let marks: Vec<usize> = (0..n).filter(|&i| hits[i]).collect();
                // As a passage has them: at least one word, within the text.
                let start = next(n);
                let end = (start + 1 + next(SNIPPET_WORDS)).min(n);
                assert_eq!(
                    write_passage(text, &words.spans, &marks, start, end),
                    reference_passage(text, &words.spans, &hits, start, end),
                    "{start}..{end} of {text:?}"
                );
                compared += 1;
            }
        }
        assert_eq!(compared, 800);
    }

    #[test]
    fn the_best_window_is_the_first_with_the_most_marks() {
        // Every start counted one by one, as the window was first chosen.
        fn slide(hits: &[bool], window: usize) -> usize {
            let mut best = (0, hits[..window].iter().filter(|&&h| h).count());
            let mut current = best.1;
            for start in 1..=(hits.len() - window) {
                current -= usize::from(hits[start - 1]);
                current += usize::from(hits[start + window - 1]);
                if current > best.1 {
                    best = (start, current);
                }
            }
            best.0
        }
        let mut seed = 5u64;
        let mut next = |n: usize| {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            ((seed >> 33) as usize) % n.max(1)
        };
        for _ in 0..3000 {
            let count = 1 + next(120);
            let density = 1 + next(12);
            let hits: Vec<bool> = (0..count).map(|_| next(density) == 0).collect();
            let marks: Vec<usize> = (0..count).filter(|&i| hits[i]).collect();
            let window = SNIPPET_WORDS.min(count);
            assert_eq!(
                best_window(&marks, count, window),
                slide(&hits, window),
                "{hits:?}"
            );
        }
    }

    #[test]
    fn words_are_found_in_any_text() {
        let long = "ö".repeat(MAX_WORD_CHARS + 1);
        let exactly = "å".repeat(MAX_WORD_CHARS);
        let texts = [
            String::new(),
            " ".into(),
            "a".into(),
            "Ö".into(),
            "ÅÄÖ åäö – “citat” … İstanbul ß æble Ελλάδα 東京 x".into(),
            format!("före {long} efter {exactly} slut"),
            format!("{}slut", "ord ".repeat(40)),
            format!("{}ÖVER", "x".repeat(63)),
            format!("{}ab", "y".repeat(64)),
            "\u{a0}mötes\u{a0}plats\u{2014}dialog\u{301}en".into(),
            // Keys longer than the text (İ, Ⱥ) after keys shorter than it (ö).
            "öİ".into(),
            "Möte i İzmir".into(),
            "İ\u{a0}x".into(),
            "Ⱥö x".into(),
            "İİöö x".into(),
            "öİab cd.".into(),
        ];
        for text in &texts {
            scan_checked(text);
        }
        assert_eq!(
            highlight("over", &format!("{}ÖVER", "x ".repeat(40))),
            format!("… {}<mark>ÖVER</mark>", "x ".repeat(27))
        );
        assert_eq!(
            highlight("goteborg", "«Göteborg» – och GÖTEBORGS stad."),
            "«<mark>Göteborg</mark>» – och <mark>GÖTEBORGS</mark> stad."
        );
    }

    /// Random texts over an alphabet of characters whose keys are shorter, longer or as
    /// long as they are, separators and long runs: the words found always equal the
    /// reference's.
    #[test]
    fn words_of_random_texts_equal_the_reference() {
        const ALPHABET: &[&str] = &[
            "a",
            "Z",
            "ö",
            "Ö",
            "å",
            "İ",
            "Ⱥ",
            "ß",
            "æ",
            "é",
            "東",
            "\u{301}",
            " ",
            "\u{a0}",
            ".",
            "\0",
            "–",
            "1",
            "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
        ];
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for _ in 0..3000 {
            let len = (next() % 40) as usize;
            let text: String = (0..len)
                .map(|_| ALPHABET[(next() % ALPHABET.len() as u64) as usize])
                .collect();
            scan_checked(&text);
            Highlighter::new(&analyse_query("ö")).snippet(&text);
        }
    }

    fn collect_strings(value: &serde_json::Value, out: &mut Vec<String>) {
        match value {
            serde_json::Value::String(s) => out.push(s.clone()),
            serde_json::Value::Array(items) => items.iter().for_each(|v| collect_strings(v, out)),
            serde_json::Value::Object(map) => map.values().for_each(|v| collect_strings(v, out)),
            _ => {}
        }
    }
}
