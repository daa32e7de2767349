//! One competence, however it was typed: its normal form, the key it is compared by, and
//! the slug of its page (`/kompetens/{slug}`).

use crate::analysis::fold::push_folded;

/// A competence as it is kept: trimmed, inner whitespace collapsed to one space, the user's
/// casing kept (`"  Medborgar   dialog "` → `"Medborgar dialog"`).
pub fn normalise_competence(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// What competences are compared by: the normal form in lower case, so `Medborgardialog`
/// and ` medborgardialog ` are one competence.
pub fn competence_key(text: &str) -> String {
    normalise_competence(text).to_lowercase()
}

/// The competence's page address part: lower case, å/ä → a, ö → o (and other accented
/// letters to their base letter), every run of other characters than a–z and 0–9 one `-`,
/// none at either end (`"Barn- och ungdomsarbete"` → `"barn-och-ungdomsarbete"`).
pub fn competence_slug(text: &str) -> String {
    let mut folded = String::with_capacity(text.len());
    for c in competence_key(text).chars() {
        push_folded(c, &mut folded);
    }
    let mut slug = String::with_capacity(folded.len());
    for c in folded.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    while slug.ends_with('-') {
        slug.pop();
    }
    slug
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_competence_however_it_is_typed() {
        for typed in ["Medborgardialog", " medborgardialog ", "MEDBORGARDIALOG\t"] {
            assert_eq!(competence_key(typed), "medborgardialog", "{typed:?}");
            assert_eq!(competence_slug(typed), "medborgardialog", "{typed:?}");
        }
        assert_eq!(normalise_competence(" Medborgardialog "), "Medborgardialog");
        assert_eq!(
            normalise_competence("  Barn-  och\n ungdomsarbete "),
            "Barn- och ungdomsarbete"
        );
    }

    #[test]
    fn slugs_are_ascii_words_joined_by_hyphens() {
        assert_eq!(
            competence_slug("Föreningsutveckling"),
            "foreningsutveckling"
        );
        assert_eq!(competence_slug("Trygghet på torg"), "trygghet-pa-torg");
        assert_eq!(
            competence_slug("Ärendehantering & GIS"),
            "arendehantering-gis"
        );
        assert_eq!(
            competence_slug("Barn- och ungdomsarbete"),
            "barn-och-ungdomsarbete"
        );
        assert_eq!(competence_slug(" --Café!! "), "cafe");
        assert_eq!(competence_slug("???"), "");
    }
}
