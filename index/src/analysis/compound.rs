//! Splitting Swedish compounds into their parts with the lexicon's compound flags:
//! `stadsutveckling` → stad + utveckling, `medborgardialogen` → medborgare + dialog,
//! `barnrättsperspektivet` → barn + rätt + perspektiv.

use super::lexicon::{Lexicon, Reading};

/// Words shorter than this (in characters) are never split.
pub const MIN_COMPOUND_CHARS: usize = 6;

/// In a word the lexicon knows, a part after a three-letter head must be at least this
/// long.
const MIN_PART_AFTER_SHORT_HEAD: usize = 5;

/// Words that look like a final part but are suffixes in a known word
/// ("tillgänglig|het", "kun|skap").
const NOT_FINAL_PARTS: &[&str] = &["het", "heta", "skap", "dom", "else", "ning", "lig", "ig"];

/// One part of a compound: where it stands in the word and its lemma.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    /// Byte range of the part within the word.
    pub start: usize,
    pub end: usize,
    pub lemma: &'static str,
}

/// The parts of a compound word, or `None` when it is not one.
///
/// The first part must be a compound-begin form, middle parts begin or middle forms, and
/// the last part a compound-end form. In a word the lexicon already knows, a three-letter
/// part must be followed by one of at least five letters, which keeps `samhället` and
/// `kultur` whole (not sam + hället, kul + tur) while `lekplats` still splits. The split with the fewest parts wins,
/// then the one whose shortest part is longest.
pub fn split(lexicon: &Lexicon, word: &str, known_word: bool) -> Option<Vec<Part>> {
    let chars = word.chars().count();
    if chars < MIN_COMPOUND_CHARS {
        return None;
    }
    // A three-letter head in a known word only before a part of five letters or more:
    // lek + plats, bok + cirkel, but not kul + tur or sam + hället.
    let min_head = 3;
    let boundaries: Vec<usize> = word
        .char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(word.len()))
        .collect();
    // best[i]: the best way to read word[boundaries[i]..] as (middle parts..., final part).
    let n = boundaries.len() - 1;
    let mut best: Vec<Option<Candidate>> = vec![None; n + 1];
    for i in (0..n).rev() {
        let start = boundaries[i];
        // The final part, on its own (never the whole word). In a word the lexicon knows,
        // any word may end it ("ungdomsråd"), not only those flagged as compound ends.
        if i > 0 && n - i >= 3 {
            let tail = &word[start..];
            let may_end = |r: &Reading| {
                !(known_word && NOT_FINAL_PARTS.contains(&r.lemma))
                    && (r.flags.may_end() || (known_word && r.flags.is_word()))
            };
            if let Some(lemma) = lemma_where(lexicon, tail, may_end) {
                best[i] = Some(Candidate::single(start, word.len(), lemma));
            }
        }
        // A non-final part word[start..boundaries[j]] followed by best[j].
        for j in (i + min_head)..n {
            let Some(rest) = &best[j] else { continue };
            if known_word
                && j - i < 4
                && rest.parts.first().is_none_or(|next| {
                    word[next.start..next.end].chars().count() < MIN_PART_AFTER_SHORT_HEAD
                })
            {
                continue;
            }
            let head = &word[start..boundaries[j]];
            let allowed = |r: &Reading| {
                if i == 0 {
                    r.flags.may_begin()
                } else {
                    r.flags.may_begin() || r.flags.may_middle()
                }
            };
            if let Some(lemma) = lemma_where(lexicon, head, allowed) {
                let candidate = rest.prepend(start, boundaries[j], lemma, j - i);
                if best[i].as_ref().is_none_or(|b| candidate.better_than(b)) {
                    best[i] = Some(candidate);
                }
            }
        }
    }
    let found = best[0].take()?;
    (found.parts.len() >= 2).then_some(found.parts)
}

/// The first lemma of `form` among the readings that pass `allowed`.
fn lemma_where(
    lexicon: &Lexicon,
    form: &str,
    allowed: impl Fn(&Reading) -> bool,
) -> Option<&'static str> {
    lexicon.readings(form).find(|r| allowed(r)).map(|r| r.lemma)
}

#[derive(Debug, Clone)]
struct Candidate {
    parts: Vec<Part>,
    shortest: usize,
}

impl Candidate {
    fn single(start: usize, end: usize, lemma: &'static str) -> Self {
        Candidate {
            parts: vec![Part { start, end, lemma }],
            shortest: usize::MAX,
        }
    }

    fn prepend(&self, start: usize, end: usize, lemma: &'static str, chars: usize) -> Self {
        let mut parts = Vec::with_capacity(self.parts.len() + 1);
        parts.push(Part { start, end, lemma });
        parts.extend(self.parts.iter().cloned());
        Candidate {
            parts,
            shortest: self.shortest.min(chars),
        }
    }

    fn better_than(&self, other: &Candidate) -> bool {
        (self.parts.len(), std::cmp::Reverse(self.shortest))
            < (other.parts.len(), std::cmp::Reverse(other.shortest))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lemmas(word: &str, known: bool) -> Vec<&'static str> {
        split(Lexicon::get(), word, known)
            .map(|parts| parts.iter().map(|p| p.lemma).collect())
            .unwrap_or_default()
    }

    #[test]
    fn splits_common_compounds() {
        assert_eq!(lemmas("stadsutveckling", true), ["stad", "utveckling"]);
        assert_eq!(lemmas("medborgardialogen", false), ["medborgare", "dialog"]);
        assert_eq!(
            lemmas("trygghetsvandringar", false),
            ["trygghet", "vandring"]
        );
        assert_eq!(lemmas("skolgården", true), ["skola", "gård"]);
    }

    #[test]
    fn splits_after_a_short_head_only_before_a_long_part() {
        assert_eq!(lemmas("lekplatserna", true), ["lek", "plats"]);
        assert_eq!(lemmas("bokcirkel", true), ["bok", "cirkel"]);
        assert!(lemmas("kultur", true).is_empty());
        assert!(lemmas("fritid", true).is_empty());
        assert!(lemmas("sjukdom", true).is_empty());
    }

    #[test]
    fn keeps_plain_words_whole() {
        assert!(lemmas("samhället", true).is_empty());
        assert!(lemmas("kompetens", true).is_empty());
        assert!(lemmas("dialog", true).is_empty());
    }

    #[test]
    fn part_ranges_cover_the_word() {
        let word = "trygghetsvandring";
        let parts = split(Lexicon::get(), word, false).unwrap();
        assert_eq!(&word[parts[0].start..parts[0].end], "trygghets");
        assert_eq!(&word[parts[1].start..parts[1].end], "vandring");
    }
}
