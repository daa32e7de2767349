//! A member's profile: background and competences, like a LinkedIn profile.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::validate::{Checker, FieldError, Validate, limits};
use super::{District, Link, ProfileVisibility, Sector, Slug};

/// A member of the network. Accounts and passwords are not part of the profile.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Member {
    pub id: Slug,
    #[serde(rename = "namn")]
    pub name: String,
    /// Job title, e.g. "Områdesutvecklare".
    #[serde(rename = "titel")]
    pub title: String,
    pub organisation: String,
    #[serde(rename = "sektor")]
    pub sector: Sector,
    #[serde(rename = "stadsdel")]
    pub district: District,
    /// Background, in Markdown.
    #[serde(rename = "bakgrund")]
    pub background: String,
    #[serde(rename = "kompetenser")]
    pub competences: Vec<String>,
    #[serde(rename = "intressen", default)]
    pub interests: Vec<String>,
    /// Links the member shares (a homepage, a report, a profile elsewhere).
    #[serde(rename = "lankar", default)]
    pub links: Vec<Link>,
    #[serde(rename = "synlighet", default)]
    pub visibility: ProfileVisibility,
    #[serde(rename = "medlem_sedan")]
    pub member_since: NaiveDate,
}

impl Validate for Member {
    fn validate(&self) -> Vec<FieldError> {
        let mut c = Checker::default();
        c.text("namn", &self.name, 1, limits::NAME);
        // A profile made on the web starts with a name only; the rest is filled in later.
        c.text("titel", &self.title, 0, limits::NAME);
        c.text("organisation", &self.organisation, 0, limits::SHORT);
        c.text("bakgrund", &self.background, 0, limits::LONG);
        c.text_list("kompetenser", &self.competences, 0, limits::SHORT);
        c.text_list("intressen", &self.interests, 0, limits::SHORT);
        c.list_len("lankar", self.links.len(), 0);
        for (i, link) in self.links.iter().enumerate() {
            c.text(&format!("lankar[{i}].titel"), &link.title, 1, limits::NAME);
            super::pivi::check_url(&mut c, &format!("lankar[{i}].url"), &link.url);
        }
        c.date("medlem_sedan", self.member_since.year());
        c.finish()
    }
}
