//! Web addresses hallbar links to or is reached at: parsed with `url::Url`, http(s) with a host.

use url::Url;

/// Why a text is not an address hallbar accepts.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WebAddressError {
    /// Not `http://` or `https://` (`javascript:`, `//host`, `ftp://…`, a bare host name).
    #[error("adressen måste börja med http:// eller https://")]
    NotHttp,
    /// Spaces, tabs, line breaks or control characters (which `Url` would silently drop).
    #[error("adressen får inte innehålla mellanslag eller radbrytningar")]
    Whitespace,
    /// No host, or one that is not a valid domain name or IP address.
    #[error("adressen måste ha ett giltigt värdnamn")]
    Host,
    /// `https://namn:lösen@host/`: a link that logs in somewhere, or disguises its host.
    #[error("adressen får inte innehålla användarnamn eller lösenord")]
    Credentials,
}

/// Parses an absolute `http://` or `https://` address with a host and without a user name or
/// password. The text is taken as it is (not trimmed). An internationalised host name is
/// accepted; the returned `Url` holds it in its ASCII (punycode) form.
pub fn web_address(text: &str) -> Result<Url, WebAddressError> {
    if text.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(WebAddressError::Whitespace);
    }
    let has_http_prefix = ["http://", "https://"].iter().any(|prefix| {
        text.get(..prefix.len())
            .is_some_and(|start| start.eq_ignore_ascii_case(prefix))
    });
    if !has_http_prefix {
        return Err(WebAddressError::NotHttp);
    }
    let url = Url::parse(text).map_err(|_| WebAddressError::Host)?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(WebAddressError::NotHttp);
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(WebAddressError::Host);
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(WebAddressError::Credentials);
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_addresses_are_accepted() {
        for text in [
            "https://goteborg.se/",
            "https://goteborg.se",
            "http://example.org/a/b?c=d#e",
            "HTTPS://Goteborg.SE/Sida",
            "http://127.0.0.1:3000",
            "http://[::1]:8080/",
        ] {
            assert!(web_address(text).is_ok(), "{text}");
        }
    }

    #[test]
    fn hostile_and_broken_addresses_are_refused_with_the_reason() {
        use WebAddressError::*;
        for (text, reason) in [
            ("javascript:alert(1)", NotHttp),
            ("JavaScript://%0Aalert(1)", NotHttp),
            ("data:text/html,<script>alert(1)</script>", NotHttp),
            ("//evil.example", NotHttp),
            ("goteborg.se", NotHttp),
            ("ftp://goteborg.se", NotHttp),
            ("https:goteborg.se", NotHttp),
            ("", NotHttp),
            ("https://", Host),
            ("http://", Host),
            ("https:///", Host),
            ("https://exa_mple%", Host),
            ("https://goteborg.se:99999/", Host),
            ("http://exa mple", Whitespace),
            ("https://goteborg.se/\n", Whitespace),
            ("https://goteborg.se/\tx", Whitespace),
            (" https://goteborg.se/", Whitespace),
            ("https://user:pass@goteborg.se/", Credentials),
            ("https://goteborg.se@evil.example/", Credentials),
            ("https://:pass@goteborg.se/", Credentials),
        ] {
            assert_eq!(web_address(text), Err(reason), "{text:?}");
        }
    }

    #[test]
    fn an_internationalised_host_becomes_punycode() {
        let url = web_address("https://göteborg.se/sök").expect("IDN hosts are valid");
        assert_eq!(url.host_str(), Some("xn--gteborg-90a.se"));
        assert_eq!(url.as_str(), "https://xn--gteborg-90a.se/s%C3%B6k");
        // A host that IDNA rejects is a host error, not a panic.
        assert_eq!(web_address("https://xn--/"), Err(WebAddressError::Host));
    }
}
