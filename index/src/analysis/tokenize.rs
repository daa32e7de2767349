//! Splitting text into lower-cased words with their byte offsets (Unicode word boundaries).

use unicode_segmentation::UnicodeSegmentation;

/// Words longer than this many characters (not bytes) are skipped: they are not words.
pub const MAX_WORD_CHARS: usize = 48;

/// One word of a text: lower-cased, with its byte range in the original and its position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    pub text: String,
    pub offset_from: usize,
    pub offset_to: usize,
    pub position: usize,
}

/// The words of `text`, in order. Hyphenated words are split at the hyphen.
pub fn words(text: &str) -> Vec<Word> {
    let mut out = Vec::new();
    for (offset, word) in text.unicode_word_indices() {
        if word.chars().count() > MAX_WORD_CHARS {
            continue;
        }
        out.push(Word {
            text: word.to_lowercase(),
            offset_from: offset,
            offset_to: offset + word.len(),
            position: out.len(),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(s: &str) -> Vec<String> {
        words(s).into_iter().map(|w| w.text).collect()
    }

    #[test]
    fn splits_and_lowercases() {
        assert_eq!(
            texts("Trygghetsvandring i Örgryte-Härlanda!"),
            ["trygghetsvandring", "i", "örgryte", "härlanda"]
        );
        assert_eq!(
            texts("S2020: socialt hållbar 2020"),
            ["s2020", "socialt", "hållbar", "2020"]
        );
    }

    #[test]
    fn offsets_point_into_the_original() {
        let text = "Åsa på Järntorget";
        let w = words(text);
        assert_eq!(&text[w[2].offset_from..w[2].offset_to], "Järntorget");
        assert_eq!(w[2].position, 2);
    }

    #[test]
    fn long_words_are_counted_in_characters() {
        let long_swedish = "ö".repeat(MAX_WORD_CHARS); // 96 bytes, 48 characters
        assert_eq!(words(&long_swedish).len(), 1);
        assert!(words(&"ö".repeat(MAX_WORD_CHARS + 1)).is_empty());
    }
}
