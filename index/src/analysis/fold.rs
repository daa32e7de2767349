//! Diacritic folding for the secondary field: `göteborg` → `goteborg`, so people without a
//! Swedish keyboard still find texts. Å, ä and ö are letters in Swedish, so folded matches
//! always rank below exact ones.

/// Folds one lower-cased word; returns `None` when folding changes nothing.
pub fn fold(word: &str) -> Option<String> {
    let mut out = String::new();
    fold_into(word, &mut out).then_some(out)
}

/// Folds one lower-cased word into `out` (cleared first); false when folding changes
/// nothing (`out` is then empty). Lets a caller reuse one buffer for many words.
pub fn fold_into(word: &str, out: &mut String) -> bool {
    out.clear();
    if word.is_ascii() {
        return false;
    }
    out.reserve(word.len());
    for c in word.chars() {
        push_folded(c, out);
    }
    true
}

/// Appends the folded form of one lower-case character to `out`.
pub fn push_folded(c: char, out: &mut String) {
    match c {
        'å' | 'ä' | 'à' | 'á' | 'â' | 'ã' | 'ā' => out.push('a'),
        'ö' | 'ø' | 'ó' | 'ò' | 'ô' | 'õ' | 'ō' | 'ő' => out.push('o'),
        'é' | 'è' | 'ê' | 'ë' | 'ē' | 'ę' => out.push('e'),
        'ü' | 'ú' | 'ù' | 'û' | 'ū' | 'ű' => out.push('u'),
        'í' | 'ì' | 'î' | 'ï' | 'ı' => out.push('i'),
        'ç' | 'ć' | 'č' => out.push('c'),
        'ñ' | 'ń' => out.push('n'),
        'š' | 'ś' | 'ş' => out.push('s'),
        'ž' | 'ź' | 'ż' => out.push('z'),
        'ł' => out.push('l'),
        'đ' => out.push('d'),
        'ř' => out.push('r'),
        'ğ' => out.push('g'),
        'ý' => out.push('y'),
        'æ' => out.push_str("ae"),
        'ß' => out.push_str("ss"),
        other => out.push(other),
    }
}

/// Folds a word, returning it unchanged when there is nothing to fold.
pub fn folded(word: &str) -> String {
    fold(word).unwrap_or_else(|| word.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_swedish_and_other_letters() {
        assert_eq!(folded("göteborg"), "goteborg");
        assert_eq!(folded("mötesplats"), "motesplats");
        assert_eq!(folded("hadžić"), "hadzic");
        assert_eq!(fold("dialog"), None);
    }
}
