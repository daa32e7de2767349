//! What one Swedish word means to the index: its lemmas and its compound parts.

use std::borrow::Cow;
use std::cell::RefCell;
use std::rc::Rc;
use std::sync::OnceLock;

use rustc_hash::FxHashMap;

use super::lexicon::Lexicon;
use super::{compound, stopwords};

/// How a word is normalised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WordAnalysis {
    /// The (lower-cased) word itself.
    pub word: String,
    /// Lemmas (from the lexicon, a compound's head + its last part's lemma, or the Snowball
    /// stem for an unknown word). Never empty.
    pub lemmas: Vec<String>,
    /// The lemmas of the word's compound parts, when it is a compound.
    pub parts: Vec<String>,
    /// Whether the lexicon knows the word (or its compound parts).
    pub known: bool,
    /// The word's Snowball stem.
    pub snowball: String,
    /// The word and its lemmas with diacritics folded, without repeats, only where folding
    /// changes them: an unfolded form is already found through the exact and lemma fields.
    pub folded: Vec<String>,
}

/// Analyses a lower-cased word. Cached per thread (text has far fewer distinct words than
/// words, and a per-thread cache needs no locking between indexing threads). The cache hashes
/// with FxHash: the keys are short words from the index's own texts, so SipHash's protection
/// against chosen keys buys nothing here and costs a measurable share of indexing time.
pub fn analyse(word: &str) -> Rc<WordAnalysis> {
    const CACHE_LIMIT: usize = 200_000;
    thread_local! {
        static CACHE: RefCell<FxHashMap<String, Rc<WordAnalysis>>> =
            RefCell::new(FxHashMap::default());
    }
    CACHE.with(|cache| {
        if let Some(found) = cache.borrow().get(word) {
            return Rc::clone(found);
        }
        let analysis = Rc::new(analyse_uncached(Lexicon::get(), word));
        let mut map = cache.borrow_mut();
        if map.len() >= CACHE_LIMIT {
            map.clear();
        }
        map.insert(word.to_string(), Rc::clone(&analysis));
        analysis
    })
}

fn analyse_uncached(lexicon: &Lexicon, word: &str) -> WordAnalysis {
    let mut lemmas: Vec<String> = Vec::new();
    if let Some(lemma) = supplement(word) {
        lemmas.push(lemma.to_string());
    } else {
        for reading in lexicon.readings(word) {
            if reading.flags.is_word() && !lemmas.iter().any(|l| l == reading.lemma) {
                lemmas.push(reading.lemma.to_string());
            }
        }
    }
    let known = !lemmas.is_empty();
    // A known word's parts come from its lemma, not its inflected form: "hyresgästerna" is
    // hyra + gäst, not hyresgäst + "erna".
    let split_form = match lemmas.first() {
        Some(lemma) if known => lemma.as_str(),
        _ => word,
    };
    let split = compound::split(lexicon, split_form, known);
    let mut parts: Vec<String> = Vec::new();
    if let Some(split) = &split {
        for part in split {
            let surface = &split_form[part.start..part.end];
            // A compound stem that is itself a compound ("barnrätts" → barn + rätt).
            let stem_only = part.lemma == surface
                && part.end < split_form.len()
                && !lexicon.readings(surface).any(|r| r.flags.is_word());
            let inner = stem_only
                .then(|| compound::split(lexicon, surface, false))
                .flatten();
            let lemmas_of_part: Vec<&str> = match &inner {
                Some(inner) => inner.iter().map(|p| p.lemma).collect(),
                None => vec![part.lemma],
            };
            for lemma in lemmas_of_part {
                if !stopwords::is_stop_word(lemma) && !parts.iter().any(|p| p == lemma) {
                    parts.push(lemma.to_string());
                }
            }
        }
        if !known && let Some(last) = split.last() {
            // "medborgardialogen" → "medborgar" + "dialog": the compound's own lemma.
            lemmas.push(format!("{}{}", &word[..last.start], last.lemma));
        }
    }
    if lemmas.is_empty() {
        lemmas.push(snowball(word).into_owned());
    }
    parts.retain(|p| !lemmas.contains(p));
    // "under" + "lag" is a prefixed word, not a compound: one content part is no split.
    if parts.len() < 2
        && split
            .as_ref()
            .is_some_and(|s| s.iter().any(|p| stopwords::is_stop_word(p.lemma)))
    {
        parts.clear();
    }
    let mut folded: Vec<String> = Vec::new();
    for form in std::iter::once(word).chain(lemmas.iter().map(String::as_str)) {
        if let Some(form) = super::fold::fold(form)
            && form != word
            && !folded.contains(&form)
        {
            folded.push(form);
        }
    }
    WordAnalysis {
        word: word.to_string(),
        snowball: snowball(word).into_owned(),
        folded,
        lemmas,
        known: known || split.is_some(),
        parts,
    }
}

/// The Swedish Snowball stem, for words the lexicon does not know.
pub fn snowball(word: &str) -> Cow<'_, str> {
    static STEMMER: OnceLock<frostem::Stemmer> = OnceLock::new();
    STEMMER
        .get_or_init(|| frostem::Stemmer::new(frostem::Algorithm::Swedish))
        .stem(word)
}

/// Plurals hunspell-sv lacks or files under another word ("städer" under "städa",
/// "männen" under "män", "åtgärder" under "åtgärda"); these replace the lexicon's readings.
fn supplement(word: &str) -> Option<&'static str> {
    match word {
        "städer" | "städerna" | "städers" | "städernas" => Some("stad"),
        "män" | "männen" | "mäns" | "männens" => Some("man"),
        "bostäder" | "bostäderna" | "bostäders" | "bostädernas" => Some("bostad"),
        "händer" | "händerna" => Some("hand"),
        "fötter" | "fötterna" => Some("fot"),
        "böcker" | "böckerna" => Some("bok"),
        "rötter" | "rötterna" => Some("rot"),
        "länder" | "länderna" => Some("land"),
        // Filed only under the verb "åtgärda".
        "åtgärder" | "åtgärderna" | "åtgärders" | "åtgärdernas" => Some("åtgärd"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_words_get_lexicon_lemmas() {
        assert_eq!(analyse("kompetenser").lemmas, ["kompetens"]);
        assert_eq!(analyse("projektet").lemmas, ["projekt"]);
        assert!(analyse("städerna").lemmas.contains(&"stad".to_string()));
    }

    #[test]
    fn unknown_compounds_get_a_compound_lemma_and_parts() {
        let a = analyse("medborgardialogen");
        assert_eq!(a.lemmas, ["medborgardialog"]);
        assert_eq!(a.parts, ["medborgare", "dialog"]);
    }

    #[test]
    fn unknown_words_fall_back_to_snowball() {
        let a = analyse("hammarkullekarnevalens");
        assert!(!a.lemmas.is_empty());
    }
}
