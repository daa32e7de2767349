//! Secrets handed to browsers (session ids, CSRF tokens, one-time links): random, and
//! stored only as hashes.

use sha2::{Digest, Sha256};

/// A new random token: 256 bits from the operating system, as 64 lowercase hex digits.
pub fn random() -> String {
    let mut bytes = [0u8; 32];
    // The OS random source failing is unrecoverable for a login service; `getrandom`
    // only fails on platforms without one.
    if getrandom::fill(&mut bytes).is_err() {
        panic!("operativsystemets slumpkälla svarar inte");
    }
    hex(&bytes)
}

/// What the database keeps of a token: its SHA-256, as hex. A leaked table gives nobody
/// a session or a link.
pub fn hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

/// Whether `text` has the shape of a token (so a malformed one is refused before any query).
pub fn well_formed(text: &str) -> bool {
    text.len() == 64
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Compares two secrets in time that does not depend on where they first differ.
pub fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |diff, (x, y)| diff | (x ^ y))
            == 0
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_well_formed_and_hashed() {
        let a = random();
        let b = random();
        assert_ne!(a, b);
        assert!(well_formed(&a), "{a}");
        assert!(!well_formed(&a.to_uppercase()));
        assert!(!well_formed("abc"));
        assert_eq!(hash(&a), hash(&a));
        assert_ne!(hash(&a), a);
        assert_eq!(
            hash("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn secrets_compare_by_content() {
        assert!(same("abc", "abc"));
        assert!(!same("abc", "abd"));
        assert!(!same("abc", "abcd"));
    }
}
