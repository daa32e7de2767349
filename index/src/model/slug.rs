//! Stable, URL-safe identifiers (`anna-lindqvist`, `trygghet-i-nordost`).

use std::fmt;

/// The longest slug allowed, in characters.
pub const MAX_SLUG_LEN: usize = 80;

/// A string that is not a valid slug, and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("ogiltigt id \"{value}\": {reason}")]
pub struct InvalidSlug {
    pub value: String,
    pub reason: &'static str,
}

/// A stable id: 1–80 characters of `a-z`, `0-9` and `-`, not starting or ending with `-`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Slug(String);

impl Slug {
    /// Checks and wraps a slug.
    pub fn new(value: impl Into<String>) -> Result<Self, InvalidSlug> {
        let value = value.into();
        let fail = |reason| {
            Err(InvalidSlug {
                value: value.chars().take(MAX_SLUG_LEN + 10).collect(),
                reason,
            })
        };
        if value.is_empty() {
            return fail("ett id får inte vara tomt");
        }
        if value.len() > MAX_SLUG_LEN {
            return fail("ett id får vara högst 80 tecken");
        }
        if !value
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        {
            return fail("ett id får bara innehålla a–z, 0–9 och bindestreck");
        }
        if value.starts_with('-') || value.ends_with('-') {
            return fail("ett id får inte börja eller sluta med bindestreck");
        }
        Ok(Slug(value))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for Slug {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Slug {
    type Error = InvalidSlug;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Slug::new(value)
    }
}

impl serde::Serialize for Slug {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> serde::Deserialize<'de> for Slug {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let value = String::deserialize(d)?;
        Slug::new(value).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_plain_slugs() {
        assert_eq!(
            Slug::new("anna-lindqvist").unwrap().as_str(),
            "anna-lindqvist"
        );
        assert!(Slug::new("s2020").is_ok());
    }

    #[test]
    fn rejects_bad_slugs() {
        for bad in [
            "",
            "Anna",
            "göteborg",
            "-a",
            "a-",
            "a b",
            "a/b",
            &"a".repeat(81),
        ] {
            assert!(Slug::new(bad).is_err(), "{bad:?} should be rejected");
        }
    }
}
