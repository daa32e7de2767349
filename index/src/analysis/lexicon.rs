//! The Swedish lexicon, derived from hunspell-sv at build time: for each word form its
//! lemmas, and whether it is a word of its own or may begin, continue or end a compound.

use std::sync::OnceLock;

use fst::{Automaton, IntoStreamer, Map, Streamer};

const FST: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/lexicon.fst"));
const ENTRIES: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/lexicon-entries.bin"));
const LEMMAS: &str = include_str!(concat!(env!("OUT_DIR"), "/lexicon-lemmas.txt"));

/// What a form may be used as. Bits as written by `build.rs`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FormFlags(u32);

impl FormFlags {
    /// A word on its own.
    pub fn is_word(self) -> bool {
        self.0 & 1 != 0
    }
    /// May begin a compound ("trygghets", "skol").
    pub fn may_begin(self) -> bool {
        self.0 & 2 != 0
    }
    /// May stand in the middle of a compound.
    pub fn may_middle(self) -> bool {
        self.0 & 4 != 0
    }
    /// May end a compound ("dialogen").
    pub fn may_end(self) -> bool {
        self.0 & 8 != 0
    }
}

/// One reading of a form: its lemma and how it may be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reading {
    pub lemma: &'static str,
    pub flags: FormFlags,
}

/// The embedded lexicon. Loading maps static bytes and indexes the lemma list once.
pub struct Lexicon {
    forms: Map<&'static [u8]>,
    lemmas: Vec<&'static str>,
}

impl Lexicon {
    /// The process-wide lexicon (built on first use, in a few milliseconds).
    pub fn get() -> &'static Lexicon {
        static LEXICON: OnceLock<Lexicon> = OnceLock::new();
        LEXICON.get_or_init(|| Lexicon {
            forms: Map::new(FST).expect("build.rs writes a valid FST"),
            lemmas: LEMMAS.lines().collect(),
        })
    }

    /// The readings of a lower-cased form; empty when the form is unknown.
    pub fn readings(&self, form: &str) -> impl Iterator<Item = Reading> + '_ {
        let (start, count) = match self.forms.get(form) {
            Some(value) => ((value >> 4) as usize, (value & 15) as usize),
            None => (0, 0),
        };
        (start..start + count).filter_map(move |i| {
            let bytes = ENTRIES.get(i * 4..i * 4 + 4)?;
            let packed = u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]);
            Some(Reading {
                lemma: self.lemmas.get((packed >> 4) as usize)?,
                flags: FormFlags(packed & 15),
            })
        })
    }

    /// The forms `automaton` accepts, in byte order.
    pub fn forms_matching<A: Automaton>(&self, automaton: A) -> Vec<String> {
        let mut stream = self.forms.search(automaton).into_stream();
        let mut found = Vec::new();
        while let Some((key, _)) = stream.next() {
            if let Ok(form) = std::str::from_utf8(key) {
                found.push(form.to_string());
            }
        }
        found
    }

    /// Whether the form is known at all.
    pub fn contains(&self, form: &str) -> bool {
        self.forms.contains_key(form)
    }

    /// The number of forms.
    pub fn len(&self) -> usize {
        self.forms.len()
    }

    pub fn is_empty(&self) -> bool {
        self.forms.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lemmas(form: &str) -> Vec<&'static str> {
        Lexicon::get().readings(form).map(|r| r.lemma).collect()
    }

    #[test]
    fn inflected_forms_have_their_lemma() {
        assert_eq!(lemmas("kompetenser"), ["kompetens"]);
        assert_eq!(lemmas("projektet"), ["projekt"]);
        assert_eq!(lemmas("samhället"), ["samhälle"]);
        assert!(lemmas("hållbart").contains(&"hållbar"));
    }

    #[test]
    fn compound_stems_point_to_their_word() {
        assert!(lemmas("skol").contains(&"skola"), "{:?}", lemmas("skol"));
        assert!(
            lemmas("medborgar").contains(&"medborgare"),
            "{:?}",
            lemmas("medborgar")
        );
        let trygghets: Vec<Reading> = Lexicon::get().readings("trygghets").collect();
        assert!(
            trygghets
                .iter()
                .any(|r| r.lemma == "trygghet" && r.flags.may_begin())
        );
    }

    #[test]
    fn unknown_forms_have_no_readings() {
        assert_eq!(lemmas("xqzzy"), Vec::<&str>::new());
        assert!(Lexicon::get().len() > 500_000);
    }
}
