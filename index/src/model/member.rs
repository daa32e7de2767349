//! A member's profile: background and competences, like a LinkedIn profile.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::validate::{Checker, FieldError, Validate, limits};
use super::{District, ProfileVisibility, Sector, Slug};

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
    #[serde(rename = "synlighet", default)]
    pub visibility: ProfileVisibility,
    #[serde(rename = "medlem_sedan")]
    pub member_since: NaiveDate,
}

impl Validate for Member {
    fn validate(&self) -> Vec<FieldError> {
        let mut c = Checker::default();
        c.text("namn", &self.name, 1, limits::NAME);
        c.text("titel", &self.title, 1, limits::NAME);
        c.text("organisation", &self.organisation, 1, limits::SHORT);
        c.text("bakgrund", &self.background, 1, limits::LONG);
        c.text_list("kompetenser", &self.competences, 1, limits::SHORT);
        c.text_list("intressen", &self.interests, 0, limits::SHORT);
        c.date("medlem_sedan", self.member_since.year());
        c.finish()
    }
}
