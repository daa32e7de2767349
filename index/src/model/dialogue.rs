//! Texts, checklists and experiences in the phases of a phased guide (the first is the
//! dialogue tool, dialogverktyget).

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::validate::{Checker, FieldError, Validate, limits};
use super::{DialogueKind, District, Slug};

/// A text, checklist or experience story in one phase of the dialogue tool.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DialogueText {
    pub id: Slug,
    /// The phased guide (a support model of kind `fasguide`) the text belongs to.
    #[serde(rename = "modell", default = "default_model")]
    pub model: Slug,
    #[serde(rename = "titel")]
    pub title: String,
    /// One of the model's phases.
    #[serde(rename = "fas")]
    pub phase: Slug,
    #[serde(rename = "texttyp")]
    pub kind: DialogueKind,
    #[serde(rename = "ingress")]
    pub lead: String,
    /// The text, in Markdown.
    pub text: String,
    /// The checklist's items; only checklists have them.
    #[serde(rename = "punkter", default)]
    pub checklist: Vec<String>,
    #[serde(rename = "stadsdel", default)]
    pub district: Option<District>,
    #[serde(rename = "forfattare")]
    pub author: String,
    #[serde(rename = "publicerad")]
    pub published: NaiveDate,
    #[serde(rename = "taggar", default)]
    pub tags: Vec<String>,
}

/// The guide a text without `modell` belongs to (files from before models).
fn default_model() -> Slug {
    Slug::new("medinflytande").expect("a valid slug")
}

impl Validate for DialogueText {
    fn validate(&self) -> Vec<FieldError> {
        let mut c = Checker::default();
        c.text("titel", &self.title, 1, limits::NAME);
        c.text("ingress", &self.lead, 1, limits::SUMMARY);
        c.text("text", &self.text, 1, limits::LONG);
        c.text("forfattare", &self.author, 1, limits::SHORT);
        c.date("publicerad", self.published.year());
        c.text_list("taggar", &self.tags, 0, limits::SHORT);
        match self.kind {
            DialogueKind::Checklist => {
                c.list_len("punkter", self.checklist.len(), 1);
                for (i, item) in self.checklist.iter().enumerate() {
                    c.text(&format!("punkter[{i}]"), item, 1, limits::SUMMARY);
                }
            }
            _ if !self.checklist.is_empty() => {
                c.fail("punkter", "bara en checklista kan ha punkter");
            }
            _ => {}
        }
        c.finish()
    }
}
