//! Putting å, ä, ö and é back into a word typed without them, from the lexicon:
//! `foraldrar` → `föräldrar`, `goteborg` → `göteborg`, and in a compound the lexicon does
//! not list, `fritidsgardarna` → `fritidsgårdarna`.

use fst::Automaton;

use super::compound::{self, MIN_COMPOUND_CHARS};
use super::lexicon::Lexicon;

/// The most spellings one word is restored to. A form that is not a word of its own has at
/// most three in the lexicon ("angar": angår, ängar, ångar), so in practice all are kept.
pub const MAX_RESTORATIONS: usize = 4;

/// The shortest part of a restored compound, in characters (as in compound splitting).
const MIN_PART_CHARS: usize = 3;

/// The spellings a lower-cased `word` may have been meant as, with å, ä, ö or é where it
/// has a, o or e (letters it already has stay): every word of the lexicon that folds to
/// it, in byte order (at most [`MAX_RESTORATIONS`]); failing that, the compound of the
/// lexicon's compound forms that folds to it, with the fewest parts and then the fewest
/// letters restored.
///
/// Empty when the word is a word of its own as typed ("far", "for", "hall": meant as
/// typed, and the spellings that fold to them are already found through the folded
/// field), when it reads as a compound as typed ("medborgardialogen"), or when nothing in
/// the lexicon folds to it.
pub fn restorations(word: &str) -> Vec<String> {
    restorations_in(Lexicon::get(), word)
}

/// [`restorations`] with a given lexicon.
pub fn restorations_in(lexicon: &Lexicon, word: &str) -> Vec<String> {
    if !word.bytes().any(is_restorable) || is_word(lexicon, word) {
        return Vec::new();
    }
    let whole: Vec<String> = lexicon
        .forms_matching(FoldsTo::whole(word))
        .into_iter()
        .filter(|form| form != word && is_word(lexicon, form))
        .take(MAX_RESTORATIONS)
        .collect();
    if !whole.is_empty() {
        return whole;
    }
    restored_compound(lexicon, word).into_iter().collect()
}

/// Whether the lexicon has `form` as a word of its own.
fn is_word(lexicon: &Lexicon, form: &str) -> bool {
    lexicon.readings(form).any(|r| r.flags.is_word())
}

/// The letters that may stand for å, ä, ö or é.
fn is_restorable(byte: u8) -> bool {
    matches!(byte, b'a' | b'o' | b'e')
}

/// A form of the lexicon that folds to part of the word: where the part ends (an index
/// into the word's character boundaries) and how the form may be used in a compound.
struct Piece {
    end: usize,
    form: String,
    restored: usize,
    may_begin: bool,
    may_middle: bool,
    may_end: bool,
}

/// The best reading found of the rest of a word: its parts' forms, and how many letters it
/// restores.
#[derive(Clone)]
struct Reading {
    forms: Vec<String>,
    restored: usize,
}

impl Reading {
    fn cost(&self) -> (usize, usize) {
        (self.forms.len(), self.restored)
    }
}

/// A compound the word folds from, when it does not read as one as typed. The parts follow
/// the rules of [`compound::split`] for a word the lexicon does not know: a compound-begin
/// form first, then compound-begin or middle forms, and a compound-end form last.
fn restored_compound(lexicon: &Lexicon, word: &str) -> Option<String> {
    let bounds: Vec<usize> = word
        .char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(word.len()))
        .collect();
    let n = bounds.len() - 1;
    if n < MIN_COMPOUND_CHARS || compound::split(lexicon, word, false).is_some() {
        return None;
    }
    let mut best: Vec<Option<Reading>> = vec![None; n + 1];
    for i in (0..n - MIN_PART_CHARS + 1).rev() {
        for piece in pieces_from(lexicon, word, &bounds, i) {
            let candidate = if piece.end == n {
                (i > 0 && piece.may_end).then(|| Reading {
                    forms: vec![piece.form],
                    restored: piece.restored,
                })
            } else {
                let allowed = piece.may_begin || (i > 0 && piece.may_middle);
                match &best[piece.end] {
                    Some(rest) if allowed => Some(Reading {
                        forms: std::iter::once(piece.form)
                            .chain(rest.forms.iter().cloned())
                            .collect(),
                        restored: piece.restored + rest.restored,
                    }),
                    _ => None,
                }
            };
            if let Some(candidate) = candidate
                && best[i].as_ref().is_none_or(|b| candidate.cost() < b.cost())
            {
                best[i] = Some(candidate);
            }
        }
    }
    let found = best[0].take()?;
    (found.restored > 0).then(|| found.forms.concat())
}

/// The lexicon's forms of at least [`MIN_PART_CHARS`] characters that fold to a part of
/// `word` starting at character `start`.
fn pieces_from(lexicon: &Lexicon, word: &str, bounds: &[usize], start: usize) -> Vec<Piece> {
    let Some(&min_end) = bounds.get(start + MIN_PART_CHARS) else {
        return Vec::new();
    };
    let from = bounds[start];
    let automaton = FoldsTo {
        target: &word.as_bytes()[from..],
        min_len: min_end - from,
    };
    lexicon
        .forms_matching(&automaton)
        .into_iter()
        .filter_map(|form| {
            let State::At(len) = form
                .bytes()
                .fold(automaton.start(), |s, b| automaton.accept(&s, b))
            else {
                return None;
            };
            let end = bounds.binary_search(&(from + len)).ok()?;
            let restored = form
                .chars()
                .zip(word[from..from + len].chars())
                .filter(|(a, b)| a != b)
                .count();
            let readings: Vec<_> = lexicon.readings(&form).collect();
            Some(Piece {
                end,
                restored,
                may_begin: readings.iter().any(|r| r.flags.may_begin()),
                may_middle: readings.iter().any(|r| r.flags.may_middle()),
                may_end: readings.iter().any(|r| r.flags.may_end()),
                form,
            })
        })
        .collect()
}

/// Accepts the strings that fold to `target` (or to a prefix of it at least `min_len`
/// bytes long) by putting å or ä for an a, ö for an o and é for an e; every other byte
/// must be as in `target`. Works on UTF-8 bytes, as the lexicon's FST does.
struct FoldsTo<'a> {
    target: &'a [u8],
    min_len: usize,
}

impl<'a> FoldsTo<'a> {
    fn whole(word: &'a str) -> Self {
        FoldsTo {
            target: word.as_bytes(),
            min_len: word.len(),
        }
    }
}

/// Where [`FoldsTo`] stands in its target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// This many bytes of the target matched.
    At(usize),
    /// The first byte of å, ä, ö or é read for the target's letter at this byte.
    InLetter(usize),
    Dead,
}

/// The first byte of å, ä, ö and é in UTF-8.
const LEAD: u8 = 0xC3;

impl Automaton for FoldsTo<'_> {
    type State = State;

    fn start(&self) -> State {
        State::At(0)
    }

    fn is_match(&self, state: &State) -> bool {
        matches!(*state, State::At(len) if len >= self.min_len)
    }

    fn can_match(&self, state: &State) -> bool {
        *state != State::Dead
    }

    fn accept(&self, state: &State, byte: u8) -> State {
        match *state {
            State::At(len) => match self.target.get(len) {
                Some(&expected) if expected == byte => State::At(len + 1),
                Some(&letter) if byte == LEAD && is_restorable(letter) => State::InLetter(len),
                _ => State::Dead,
            },
            State::InLetter(len) => match (self.target.get(len), byte) {
                // å, ä; ö; é
                (Some(b'a'), 0xA5 | 0xA4) | (Some(b'o'), 0xB6) | (Some(b'e'), 0xA9) => {
                    State::At(len + 1)
                }
                _ => State::Dead,
            },
            State::Dead => State::Dead,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_typed_without_swedish_letters_are_restored() {
        assert_eq!(restorations("foraldrar"), ["föräldrar"]);
        assert_eq!(restorations("hyresgaster"), ["hyresgäster"]);
        assert_eq!(restorations("skolgardar"), ["skolgårdar"]);
        assert_eq!(restorations("goteborg"), ["göteborg"]);
        assert_eq!(restorations("ideer"), ["idéer"]);
        assert_eq!(restorations("tva"), ["två"]);
    }

    #[test]
    fn a_letter_already_typed_stays() {
        assert_eq!(restorations("forälder"), ["förälder"]);
        assert!(restorations("fiskmås").is_empty());
    }

    #[test]
    fn words_of_their_own_and_unknown_words_are_not_restored() {
        for word in [
            "far",
            "for",
            "hall",
            "dialog",
            "medborgardialogen",
            "xqzzy",
            "",
        ] {
            assert!(
                restorations(word).is_empty(),
                "{word}: {:?}",
                restorations(word)
            );
        }
    }

    #[test]
    fn an_ambiguous_form_gives_every_word() {
        let spellings = restorations("ifragasatta");
        assert_eq!(spellings, ["ifrågasatta", "ifrågasätta"]);
    }

    #[test]
    fn compounds_the_lexicon_lacks_are_restored_part_by_part() {
        assert_eq!(restorations("fritidsgardarna"), ["fritidsgårdarna"]);
    }

    #[test]
    fn the_automaton_accepts_exactly_the_folded_spellings() {
        let run = |target: &str, text: &str| {
            let a = FoldsTo::whole(target);
            let end = text.bytes().fold(a.start(), |s, b| a.accept(&s, b));
            a.is_match(&end)
        };
        assert!(run("goteborg", "göteborg"));
        assert!(run("aa", "åä"));
        assert!(run("ide", "idé"));
        assert!(!run("goteborg", "gøteborg"));
        assert!(!run("goteborg", "göteborgs"));
        assert!(!run("ga", "gö"));
        assert!(!run("ga", "g"));
    }
}
