//! Snippets: the passage of a hit's text with the most matched words, HTML-escaped, with
//! every match (exact, inflected, compound part, folded or misspelt) in `<mark>`.

use std::collections::HashSet;

use memchr::memmem;

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
    /// contains none of them cannot match, which spares analysing most words. Searched
    /// for in a whole text at once (SIMD substring search) rather than word by word.
    probes: Vec<memmem::Finder<'static>>,
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
            .map(|p| memmem::Finder::new(p.as_bytes()).into_owned())
            .collect();
        h
    }

    /// Which words could match at all: those whose lower-cased, folded form contains a
    /// probe (false means the word certainly does not match).
    fn candidates(&self, words: &Words) -> Vec<bool> {
        let mut candidate = vec![false; words.spans.len()];
        for probe in &self.probes {
            for at in probe.find_iter(&words.keys) {
                let after = words.key_starts.partition_point(|&s| s <= at);
                if let Some(word) = after.checked_sub(1).and_then(|w| candidate.get_mut(w)) {
                    *word = true;
                }
            }
        }
        candidate
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

    /// Which of a text's words match.
    fn marks(&self, text: &str, words: &Words) -> Vec<bool> {
        let mut lower = String::new();
        let mut hits = self.candidates(words);
        for (hit, w) in hits.iter_mut().zip(&words.spans) {
            if *hit {
                let original = &text[w.offset_from..w.offset_to];
                let word = if lower_into(original, &mut lower) {
                    lower.as_str()
                } else {
                    original
                };
                *hit = self.matches(word);
            }
        }
        hits
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
        let scanned = scan(text);
        let words = &scanned.spans;
        if words.is_empty() {
            return (!only_if_matched).then(|| escape(text.trim()));
        }
        let hits = self.marks(text, &scanned);
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
        let mut html = Html {
            out: String::with_capacity(SNIPPET_WORDS * 12),
            space_pending: false,
        };
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

/// A text's words for highlighting, and their forms for finding candidates.
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
                let slow: Vec<bool> = words
                    .spans
                    .iter()
                    .map(|w| {
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
                marked += fast.iter().filter(|&&m| m).count();
            }
        }
        assert!(marked > 100, "{marked}");
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
