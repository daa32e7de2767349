//! `@medlems-id` mentions in a post's text: which members a post names.

use crate::model::Slug;

/// Where a mention starts and ends in `text` (byte offsets, the `@` included) and the id
/// it names, in order. A mention is `@` followed by an id (`a–z`, `0–9`, `-`), not preceded
/// by a letter, digit or one of `.`, `_`, `-`, `+` (so `anna@example.se` is an address,
/// not a mention); trailing dashes are not part of it.
pub fn mention_spans(text: &str) -> Vec<(usize, usize, Slug)> {
    let bytes = text.as_bytes();
    let mut spans = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'@' {
            i += 1;
            continue;
        }
        let preceded = text[..i]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '-' | '+'));
        let start = i + 1;
        let mut end = start;
        while end < bytes.len()
            && (bytes[end].is_ascii_lowercase()
                || bytes[end].is_ascii_digit()
                || bytes[end] == b'-')
        {
            end += 1;
        }
        let id = text[start..end].trim_end_matches('-');
        let followed = text[start + id.len()..]
            .chars()
            .next()
            .is_some_and(|c| c.is_alphanumeric() || c == '_');
        if !preceded
            && !followed
            && let Ok(slug) = Slug::new(id)
        {
            spans.push((i, start + id.len(), slug));
        }
        i = end.max(i + 1);
    }
    spans
}

/// The members a text mentions, each once, in the order first mentioned.
pub fn mentions_in(text: &str) -> Vec<Slug> {
    let mut found: Vec<Slug> = Vec::new();
    for (_, _, slug) in mention_spans(text) {
        if !found.contains(&slug) {
            found.push(slug);
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(text: &str) -> Vec<String> {
        mentions_in(text).iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn ids_after_an_at_sign_are_mentions() {
        assert_eq!(ids("Hej @anna-lind, vad tycker du?"), ["anna-lind"]);
        assert_eq!(ids("@bo och @anna-lind och @bo igen"), ["bo", "anna-lind"]);
        assert_eq!(ids("(@eva-2)."), ["eva-2"]);
        assert_eq!(ids("slut med streck @anna-"), ["anna"]);
    }

    #[test]
    fn addresses_capitals_and_lone_signs_are_not() {
        assert!(ids("skriv till anna@example.se").is_empty());
        assert!(ids("@ ensam, @@, @-x").is_empty());
        assert!(ids("@Anna Lind").is_empty());
        assert!(ids("@anna_lind").is_empty());
        assert!(ids(&format!("@{}", "a".repeat(81))).is_empty());
    }

    #[test]
    fn spans_cover_the_at_sign_and_the_id() {
        let text = "åå @anna-lind!";
        let spans = mention_spans(text);
        assert_eq!(spans.len(), 1);
        let (start, end, _) = &spans[0];
        assert_eq!(&text[*start..*end], "@anna-lind");
    }
}
