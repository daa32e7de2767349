//! pivi — projekt, idéer, verksamheter, inspiration: the catalogue of social development work.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::validate::{Checker, FieldError, Validate, limits};
use super::web_address::{WebAddressError, web_address};
use super::{District, Slug, TargetGroup};

/// One entry of the pivi catalogue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PiviEntry {
    pub id: Slug,
    /// The catalogue (a support model of kind `katalog`) the entry belongs to.
    #[serde(rename = "modell", default = "default_model")]
    pub model: Slug,
    #[serde(rename = "titel")]
    pub title: String,
    /// One of the model's categories.
    #[serde(rename = "kategori")]
    pub kind: Slug,
    #[serde(rename = "sammanfattning")]
    pub summary: String,
    /// The full description, in Markdown.
    #[serde(rename = "beskrivning")]
    pub body: String,
    #[serde(rename = "stadsdel")]
    pub district: District,
    pub organisation: String,
    #[serde(rename = "malgrupper", default)]
    pub target_groups: Vec<TargetGroup>,
    #[serde(rename = "taggar", default)]
    pub tags: Vec<String>,
    pub period: Period,
    #[serde(rename = "kontakt")]
    pub contact: Contact,
    #[serde(rename = "lankar", default)]
    pub links: Vec<Link>,
    #[serde(rename = "publicerad")]
    pub published: NaiveDate,
}

/// The catalogue an entry without `modell` belongs to (files from before models).
fn default_model() -> Slug {
    Slug::new("pivi").expect("a valid slug")
}

/// The years an entry ran; `to` is `None` while it still runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Period {
    #[serde(rename = "fran")]
    pub from: i32,
    #[serde(rename = "till", default)]
    pub to: Option<i32>,
}

impl Period {
    /// "2013–2015", "2013" or "sedan 2013" (still running).
    pub fn label(&self) -> String {
        match self.to {
            Some(to) if to == self.from => self.from.to_string(),
            Some(to) => format!("{}–{}", self.from, to),
            None => format!("sedan {}", self.from),
        }
    }
}

/// Whom to contact about an entry; `member` links to a member profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    #[serde(rename = "namn")]
    pub name: String,
    #[serde(rename = "epost", default)]
    pub email: Option<String>,
    #[serde(rename = "medlem", default)]
    pub member: Option<Slug>,
}

/// A link to read more.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Link {
    #[serde(rename = "titel")]
    pub title: String,
    pub url: String,
}

/// The years a period may name.
const YEARS: std::ops::RangeInclusive<i32> = 1900..=2100;

impl Validate for PiviEntry {
    fn validate(&self) -> Vec<FieldError> {
        let mut c = Checker::default();
        c.text("titel", &self.title, 1, limits::NAME);
        c.text("sammanfattning", &self.summary, 1, limits::SUMMARY);
        c.text("beskrivning", &self.body, 1, limits::LONG);
        c.text("organisation", &self.organisation, 1, limits::SHORT);
        c.date("publicerad", self.published.year());
        c.list_len("malgrupper", self.target_groups.len(), 0);
        c.unique("malgrupper", &self.target_groups);
        c.text_list("taggar", &self.tags, 0, limits::SHORT);
        if !YEARS.contains(&self.period.from) {
            c.fail("period.fran", "måste vara ett årtal mellan 1900 och 2100");
        }
        match self.period.to {
            Some(to) if !YEARS.contains(&to) => {
                c.fail("period.till", "måste vara ett årtal mellan 1900 och 2100")
            }
            Some(to) if to < self.period.from => {
                c.fail("period.till", "får inte vara före period.fran")
            }
            _ => {}
        }
        c.text("kontakt.namn", &self.contact.name, 1, limits::NAME);
        if let Some(email) = &self.contact.email {
            check_email(&mut c, "kontakt.epost", email);
        }
        c.list_len("lankar", self.links.len(), 0);
        for (i, link) in self.links.iter().enumerate() {
            c.text(&format!("lankar[{i}].titel"), &link.title, 1, limits::NAME);
            check_url(&mut c, &format!("lankar[{i}].url"), &link.url);
        }
        c.finish()
    }
}

pub(crate) fn check_email(c: &mut Checker, field: &str, email: &str) {
    let parts: Vec<&str> = email.split('@').collect();
    let well_formed = parts.len() == 2
        && !parts[0].is_empty()
        && parts[1].contains('.')
        && !email
            .chars()
            .any(|ch| ch.is_whitespace() || ch.is_control());
    if !well_formed || email.len() > limits::EMAIL {
        c.fail(field, "är ingen giltig e-postadress");
    }
}

pub(crate) fn check_url(c: &mut Checker, field: &str, url: &str) {
    if url.len() > limits::URL {
        c.fail(field, "är för lång för en webbadress");
        return;
    }
    match web_address(url) {
        Ok(_) => {}
        Err(WebAddressError::Credentials) => {
            c.fail(field, "får inte innehålla användarnamn eller lösenord");
        }
        Err(_) => c.fail(
            field,
            "måste vara en fullständig webbadress som börjar med https://",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn period_labels() {
        let p = |from, to| Period { from, to }.label();
        assert_eq!(p(2013, Some(2015)), "2013–2015");
        assert_eq!(p(2014, Some(2014)), "2014");
        assert_eq!(p(2012, None), "sedan 2012");
    }

    #[test]
    fn urls_and_emails_are_checked() {
        let mut c = Checker::default();
        check_url(&mut c, "u", "https://goteborg.se/");
        check_email(&mut c, "e", "a.b@example.org");
        assert!(c.finish().is_empty());
        let mut c = Checker::default();
        check_url(&mut c, "u", "javascript:alert(1)");
        check_url(&mut c, "u", "https://");
        check_email(&mut c, "e", "inte en adress");
        // (PostgreSQL refuses a NUL byte in text; no control character gets this far.)
        check_email(&mut c, "e", "a\u{0}b@example.org");
        check_email(&mut c, "e", "ab@exa\u{7}mple.org");
        assert_eq!(c.finish().len(), 5);
    }

    #[test]
    fn hostile_link_addresses_are_refused() {
        let failures = |url: &str| {
            let mut c = Checker::default();
            check_url(&mut c, "lankar[0].url", url);
            c.finish()
        };
        for url in [
            "javascript:alert(1)",
            "https://",
            "http://exa mple",
            "//evil.example",
            "https:goteborg.se",
            "data:text/html,hej",
            "https://goteborg.se/\n",
        ] {
            let errors = failures(url);
            assert_eq!(errors.len(), 1, "{url:?}");
            assert!(
                errors[0].to_string().contains("fullständig webbadress"),
                "{url:?}: {}",
                errors[0]
            );
        }
        let credentials = failures("https://anna:hemligt@goteborg.se/");
        assert!(credentials[0].to_string().contains("användarnamn"));
        let too_long = failures(&format!("https://goteborg.se/{}", "a".repeat(limits::URL)));
        assert!(too_long[0].to_string().contains("för lång"));
        // An internationalised domain name is a valid address.
        assert!(failures("https://göteborg.se/").is_empty());
    }
}
