//! E-mail addresses of accounts: checked, and folded to the key an account is found by.

/// The longest address accepted (RFC 5321's path limit).
pub const MAX_LENGTH: usize = 254;

/// Why a typed address is refused, in Swedish for the form field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EmailProblem {
    #[error("Skriv din e-postadress")]
    Missing,
    #[error("E-postadressen får vara högst 254 tecken")]
    TooLong,
    #[error("Skriv en giltig e-postadress, till exempel namn@exempel.se")]
    Malformed,
    /// Letters outside a–z (å, ä, ö, look-alikes such as the Kelvin sign for K): a key
    /// folded from them could collide with another address's, so they are refused.
    #[error(
        "Skriv e-postadressen med bokstäverna a–z, siffror och tecknen . _ - + (en domän med \
         å, ä eller ö skrivs i sin xn--form)"
    )]
    NotAscii,
}

/// The address as it will be stored and mailed to: trimmed, checked for the shape
/// `lokal@domän.topp` without spaces, control characters or characters that would break
/// a mail header.
pub fn parse(typed: &str) -> Result<String, EmailProblem> {
    let address = typed.trim();
    if address.is_empty() {
        return Err(EmailProblem::Missing);
    }
    if !address.is_ascii() {
        return Err(EmailProblem::NotAscii);
    }
    if address.chars().count() > MAX_LENGTH {
        return Err(EmailProblem::TooLong);
    }
    let Some((local, domain)) = address.rsplit_once('@') else {
        return Err(EmailProblem::Malformed);
    };
    // What mail libraries take in a plain local part (no quoting, comments or brackets).
    let local_ok = local
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+-/=?^_`{|}~.".contains(c));
    let domain_ok = domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
        && domain
            .chars()
            .all(|c| c.is_alphanumeric() || c == '.' || c == '-');
    if local.is_empty() || !local_ok || local.starts_with('.') || local.ends_with('.') || !domain_ok
    {
        return Err(EmailProblem::Malformed);
    }
    Ok(address.to_string())
}

/// The key an account is found by: the trimmed address in lower case (folded here, not in
/// SQL, so SQLite and PostgreSQL agree on every letter). Only ASCII letters are folded:
/// stored addresses are ASCII (see [`parse`]), and a typed address with other letters
/// then never matches one (the Kelvin sign does not become a K).
pub fn key(address: &str) -> String {
    address.trim().to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_trimmed_checked_and_folded() {
        assert_eq!(
            parse("  Anna.Lind@Exempel.se "),
            Ok("Anna.Lind@Exempel.se".to_string())
        );
        assert_eq!(key(" Anna.Lind@Exempel.SE"), "anna.lind@exempel.se");
        assert_eq!(key("\u{212A}alle@exempel.se"), "\u{212A}alle@exempel.se");
        assert_eq!(
            parse("\u{212A}alle@exempel.se"),
            Err(EmailProblem::NotAscii)
        );
        assert_eq!(parse("åsa@exempel.se"), Err(EmailProblem::NotAscii));
        assert_eq!(
            parse("a.b+c@xn--gteborg-90a.se"),
            Ok("a.b+c@xn--gteborg-90a.se".to_string())
        );
        assert_eq!(parse(""), Err(EmailProblem::Missing));
        for bad in [
            "anna",
            "anna@",
            "@exempel.se",
            "anna@exempel",
            "anna lind@exempel.se",
            "anna@exempel..se",
            "a@b@exempel.se",
            "anna@exempel.se\r\nBcc: x@y.se",
            "<anna@exempel.se>",
            "anna@exem_pel.se",
            "anna(x)@exempel.se",
            ".anna@exempel.se",
            "anna\u{0}@exempel.se",
        ] {
            assert_eq!(parse(bad), Err(EmailProblem::Malformed), "{bad:?}");
        }
        let long = format!("{}@exempel.se", "a".repeat(250));
        assert_eq!(parse(&long), Err(EmailProblem::TooLong));
    }
}
