//! The analyzer as tantivy tokenizers, one per kind of field:
//! `sv_exact` (the words as written), `sv_stem` (lemmas), `sv_parts` (compound parts) and
//! `sv_folded` (diacritics folded) and `sv_snowball` (Snowball stems). Every token keeps its word's offsets, so highlighting
//! marks whole words.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

use tantivy::tokenizer::{TextAnalyzer, Token, TokenStream, Tokenizer, TokenizerManager};

use super::{stopwords, tokenize, word};

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
    words: Vec<PlacedWord>,
}

/// A content word where it stands in the text, with its (shared, cached) analysis.
struct PlacedWord {
    offset_from: usize,
    offset_to: usize,
    position: usize,
    analysis: Rc<word::WordAnalysis>,
}

impl AnalysedText {
    /// Splits like [`tokenize::words`] (same words, offsets and positions), lower-casing
    /// into one reused buffer: a word seen before costs no allocation.
    pub fn new(text: &str) -> Self {
        use unicode_segmentation::UnicodeSegmentation;
        let mut words = Vec::new();
        let mut lower = String::new();
        let mut position = 0;
        for (offset, raw) in text.unicode_word_indices() {
            if raw.len() > tokenize::MAX_WORD_CHARS
                && raw.chars().count() > tokenize::MAX_WORD_CHARS
            {
                continue;
            }
            lower.clear();
            lower.extend(raw.chars().flat_map(char::to_lowercase));
            let at = position;
            position += 1;
            if stopwords::is_stop_word(&lower) {
                continue;
            }
            words.push(PlacedWord {
                offset_from: offset,
                offset_to: offset + raw.len(),
                position: at,
                analysis: word::analyse(&lower),
            });
        }
        AnalysedText { words }
    }

    /// The forms `mode` makes of word `i` (several share one position; never repeated).
    fn forms(&self, i: usize, mode: Mode) -> &[String] {
        let analysis = &self.words[i].analysis;
        match mode {
            Mode::Exact => std::slice::from_ref(&analysis.word),
            Mode::Stem => &analysis.lemmas,
            Mode::Parts => &analysis.parts,
            Mode::Snowball => std::slice::from_ref(&analysis.snowball),
            Mode::Folded => &analysis.folded,
        }
    }
}

/// The tokens of one analysed text in one mode, handed out one by one. The token is reused,
/// so streaming a text allocates nothing per token.
pub struct AnalysedTokenStream {
    text: Rc<AnalysedText>,
    mode: Mode,
    word: usize,
    form: usize,
    token: Token,
}

impl AnalysedTokenStream {
    fn new(text: Rc<AnalysedText>, mode: Mode) -> Self {
        AnalysedTokenStream {
            text,
            mode,
            word: 0,
            form: 0,
            token: Token::default(),
        }
    }
}

impl TokenStream for AnalysedTokenStream {
    fn advance(&mut self) -> bool {
        while self.word < self.text.words.len() {
            let forms = self.text.forms(self.word, self.mode);
            if let Some(form) = forms.get(self.form) {
                let w = &self.text.words[self.word];
                self.token.text.clear();
                self.token.text.push_str(form);
                self.token.offset_from = w.offset_from;
                self.token.offset_to = w.offset_to;
                self.token.position = w.position;
                self.token.position_length = 1;
                self.form += 1;
                return true;
            }
            self.word += 1;
            self.form = 0;
        }
        false
    }

    fn token(&self) -> &Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
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
    let mut stream = AnalysedTokenStream::new(analysed(text), mode);
    let mut out = Vec::new();
    while stream.advance() {
        out.push(stream.token().clone());
    }
    out
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

impl Tokenizer for SwedishTokenizer {
    type TokenStream<'a> = AnalysedTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> AnalysedTokenStream {
        AnalysedTokenStream::new(analysed(text), self.mode)
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
