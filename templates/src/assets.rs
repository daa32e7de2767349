//! The stylesheet and scripts, embedded, each served under a name that carries a hash of its
//! content so browsers may cache it for a year and still get a new version at once.

use std::sync::LazyLock;

/// One embedded file.
pub struct Asset {
    /// The name without the hash, e.g. `hallbar.css`.
    base: &'static str,
    pub content: &'static str,
    pub content_type: &'static str,
    /// `/static/<stem>-<hash>.<ext>`.
    path: LazyLock<String>,
}

impl Asset {
    /// The URL path to link to.
    pub fn path(&self) -> &str {
        &self.path
    }
}

/// FNV-1a, 64 bits: enough to tell versions of a file (or checklist items) apart.
pub fn fingerprint(content: &str) -> u64 {
    content.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

fn hashed_path(base: &str, content: &str) -> String {
    let (stem, ext) = base.rsplit_once('.').unwrap_or((base, ""));
    format!("/static/{stem}-{:012x}.{ext}", fingerprint(content) >> 16)
}

macro_rules! asset {
    ($base:literal, $type:literal) => {
        Asset {
            base: $base,
            content: include_str!(concat!("../static/", $base)),
            content_type: $type,
            path: LazyLock::new(|| hashed_path($base, include_str!(concat!("../static/", $base)))),
        }
    };
}

pub static STYLESHEET: Asset = asset!("hallbar.css", "text/css; charset=utf-8");
pub static SEARCH_SCRIPT: Asset = asset!("sok.js", "text/javascript; charset=utf-8");
pub static CHECKLIST_SCRIPT: Asset = asset!("checklista.js", "text/javascript; charset=utf-8");
pub static COMPETENCE_SCRIPT: Asset = asset!("kompetenser.js", "text/javascript; charset=utf-8");
pub static LIVE_SCRIPT: Asset = asset!("live.js", "text/javascript; charset=utf-8");
pub static MENTION_SCRIPT: Asset = asset!("omnamnanden.js", "text/javascript; charset=utf-8");

/// Every asset, for the static route.
pub fn all() -> [&'static Asset; 6] {
    [
        &STYLESHEET,
        &SEARCH_SCRIPT,
        &CHECKLIST_SCRIPT,
        &COMPETENCE_SCRIPT,
        &LIVE_SCRIPT,
        &MENTION_SCRIPT,
    ]
}

/// The asset served at `path`, if any (only the current hashed name answers).
pub fn by_path(path: &str) -> Option<&'static Asset> {
    all().into_iter().find(|a| a.path() == path)
}

/// The base name, for messages and tests.
pub fn base_name(asset: &Asset) -> &'static str {
    asset.base
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_carry_the_content_hash() {
        assert!(STYLESHEET.path().starts_with("/static/hallbar-"));
        assert!(STYLESHEET.path().ends_with(".css"));
        assert_ne!(hashed_path("a.css", "x"), hashed_path("a.css", "y"));
        assert!(by_path(SEARCH_SCRIPT.path()).is_some());
        assert!(by_path("/static/hallbar.css").is_none());
    }

    #[test]
    fn css_and_js_stay_small() {
        let total: usize = all().iter().map(|a| a.content.len()).sum();
        assert!(total < 30 * 1024, "CSS + JS is {total} bytes");
    }
}
