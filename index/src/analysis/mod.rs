//! Swedish text analysis: words, stop words, lemmas from a real lexicon (Snowball as the
//! fallback), compound splitting, and diacritic folding.

pub mod compound;
pub mod fold;
pub mod lexicon;
pub mod plain;
pub mod restore;
pub mod stopwords;
pub mod tokenize;
pub mod tokenizers;
pub mod word;
