//! The analyzer as tantivy tokenizers, one per kind of field:
//! `sv_exact` (the words as written), `sv_stem` (lemmas), `sv_parts` (compound parts) and
//! `sv_folded` (diacritics folded) and `sv_snowball` (Snowball stems). Every token keeps its word's offsets, so highlighting
//! marks whole words.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

use tantivy::tokenizer::{TextAnalyzer, Token, TokenStream, Tokenizer, TokenizerManager};

use super::{fold, stopwords, tokenize, word};

/// Tokenizer names as used in the schema.
pub const EXACT: &str = "sv_exact";
pub const STEM: &str = "sv_stem";
pub const PARTS: &str = "sv_parts";
pub const FOLDED: &str = "sv_folded";
pub const SNOWBALL: &str = "sv_snowball";

/// Which tokens a field gets from each word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Exact,
    Stem,
    Parts,
    Folded,
    /// The Snowball stem of every word: coarser than lemmas (it also joins derivations such
    /// as "vaccin"/"vaccination"), so it adds recall at a lower weight.
    Snowball,
}

/// A text analysed once: its content words (stop words dropped) with their analyses, from
/// which every mode's tokens are made without analysing again.
pub struct AnalysedText {
    words: Vec<(tokenize::Word, std::rc::Rc<word::WordAnalysis>)>,
}

impl AnalysedText {
    pub fn new(text: &str) -> Self {
        let words = tokenize::words(text)
            .into_iter()
            .filter(|w| !stopwords::is_stop_word(&w.text))
            .map(|w| {
                let analysis = word::analyse(&w.text);
                (w, analysis)
            })
            .collect();
        AnalysedText { words }
    }

    /// The tokens `mode` makes, in order (one word may give several at one position).
    pub fn tokens(&self, mode: Mode) -> Vec<Token> {
        let mut out: Vec<Token> = Vec::with_capacity(self.words.len());
        for (w, analysis) in &self.words {
            let first_at_position = out.len();
            let mut push = |text: String| {
                if !out[first_at_position..].iter().any(|t| t.text == text) {
                    out.push(Token {
                        offset_from: w.offset_from,
                        offset_to: w.offset_to,
                        position: w.position,
                        text,
                        position_length: 1,
                    });
                }
            };
            match mode {
                Mode::Exact => push(w.text.clone()),
                Mode::Stem => analysis.lemmas.iter().for_each(|l| push(l.clone())),
                Mode::Parts => analysis.parts.iter().for_each(|p| push(p.clone())),
                Mode::Snowball => push(word::snowball(&w.text).into_owned()),
                Mode::Folded => {
                    push(fold::folded(&w.text));
                    for lemma in &analysis.lemmas {
                        push(fold::folded(lemma));
                    }
                }
            }
        }
        out
    }
}

/// How many recently analysed texts each thread remembers.
const RECENT_TEXTS: usize = 16;

/// `text` analysed, from this thread's recent texts when it was just seen. One document
/// hands the same title, summary and body to up to six fields, and a tantivy indexing
/// thread handles a document's fields one after another, so each text is split into words
/// and analysed once instead of once per field.
fn analysed(text: &str) -> Rc<AnalysedText> {
    thread_local! {
        static RECENT: RefCell<VecDeque<(Box<str>, Rc<AnalysedText>)>> =
            RefCell::new(VecDeque::with_capacity(RECENT_TEXTS));
    }
    RECENT.with(|recent| {
        if let Some((_, found)) = recent
            .borrow()
            .iter()
            .find(|(seen, _)| seen.len() == text.len() && &**seen == text)
        {
            return Rc::clone(found);
        }
        let fresh = Rc::new(AnalysedText::new(text));
        let mut recent = recent.borrow_mut();
        if recent.len() == RECENT_TEXTS {
            recent.pop_back();
        }
        recent.push_front((text.into(), Rc::clone(&fresh)));
        fresh
    })
}

/// The tokens `mode` makes of `text`, in order.
pub fn tokens(mode: Mode, text: &str) -> Vec<Token> {
    analysed(text).tokens(mode)
}

/// A tantivy tokenizer for one mode.
#[derive(Clone)]
pub struct SwedishTokenizer {
    mode: Mode,
}

impl SwedishTokenizer {
    pub fn new(mode: Mode) -> Self {
        SwedishTokenizer { mode }
    }
}

/// The tokens of one text, handed out one by one.
pub struct VecTokenStream {
    tokens: Vec<Token>,
    next: usize,
}

impl TokenStream for VecTokenStream {
    fn advance(&mut self) -> bool {
        self.next += 1;
        self.next <= self.tokens.len()
    }

    fn token(&self) -> &Token {
        &self.tokens[self.next - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.next - 1]
    }
}

impl Tokenizer for SwedishTokenizer {
    type TokenStream<'a> = VecTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> VecTokenStream {
        VecTokenStream {
            tokens: tokens(self.mode, text),
            next: 0,
        }
    }
}

/// Registers the four tokenizers under their names.
pub fn register(manager: &TokenizerManager) {
    for (name, mode) in [
        (EXACT, Mode::Exact),
        (STEM, Mode::Stem),
        (PARTS, Mode::Parts),
        (FOLDED, Mode::Folded),
        (SNOWBALL, Mode::Snowball),
    ] {
        manager.register(name, TextAnalyzer::from(SwedishTokenizer::new(mode)));
    }
}
