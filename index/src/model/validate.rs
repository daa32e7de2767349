//! Field rules shared by every content type: lengths, list sizes, duplicates.

use std::collections::HashSet;
use std::fmt;

/// Limits, in characters (not bytes).
pub mod limits {
    pub const NAME: usize = 200;
    pub const SHORT: usize = 120;
    pub const SUMMARY: usize = 1_000;
    pub const LONG: usize = 50_000;
    pub const LIST_ITEMS: usize = 50;
    pub const EMAIL: usize = 254;
    pub const URL: usize = 2_000;
}

/// One field that breaks a rule, with a Swedish explanation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The field's name in the import format, with a path where useful (`inlagg[2].text`).
    pub field: String,
    pub message: String,
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

/// Content that can check its own fields.
pub trait Validate {
    /// Every broken rule; empty when the value is fine.
    fn validate(&self) -> Vec<FieldError>;
}

/// Collects field errors while a value is checked.
#[derive(Debug, Default)]
pub(crate) struct Checker {
    errors: Vec<FieldError>,
}

impl Checker {
    pub fn fail(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.errors.push(FieldError {
            field: field.into(),
            message: message.into(),
        });
    }

    /// A text of `min..=max` characters; `min` 1 also rejects whitespace-only text.
    pub fn text(&mut self, field: &str, value: &str, min: usize, max: usize) {
        let len = value.chars().count();
        if min > 0 && value.trim().is_empty() {
            self.fail(field, "får inte vara tomt");
        } else if len < min {
            self.fail(field, format!("måste vara minst {min} tecken"));
        } else if len > max {
            self.fail(field, format!("får vara högst {max} tecken (är {len})"));
        }
        if value
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\t' && c != '\r')
        {
            self.fail(field, "innehåller otillåtna kontrolltecken");
        }
    }

    /// A list of `min..` short texts, at most `LIST_ITEMS`, no duplicates (case-insensitive).
    pub fn text_list(&mut self, field: &str, items: &[String], min: usize, item_max: usize) {
        self.list_len(field, items.len(), min);
        let mut seen = HashSet::new();
        for (i, item) in items.iter().enumerate() {
            let item_field = format!("{field}[{i}]");
            self.text(&item_field, item, 1, item_max);
            if !seen.insert(item.trim().to_lowercase()) {
                self.fail(item_field, format!("\"{item}\" förekommer mer än en gång"));
            }
        }
    }

    /// A list of `min..=LIST_ITEMS` items.
    pub fn list_len(&mut self, field: &str, len: usize, min: usize) {
        if len < min {
            self.fail(field, format!("måste ha minst {min} värde(n)"));
        } else if len > limits::LIST_ITEMS {
            self.fail(
                field,
                format!("får ha högst {} värden (har {len})", limits::LIST_ITEMS),
            );
        }
    }

    /// A list of values with no repeats.
    pub fn unique<T: Eq + std::hash::Hash + fmt::Display>(&mut self, field: &str, items: &[T]) {
        let mut seen = HashSet::new();
        for (i, item) in items.iter().enumerate() {
            if !seen.insert(item) {
                self.fail(
                    format!("{field}[{i}]"),
                    format!("\"{item}\" förekommer mer än en gång"),
                );
            }
        }
    }

    /// A date in a sensible range (years 1900–2100).
    pub fn date(&mut self, field: &str, year: i32) {
        if !(1900..=2100).contains(&year) {
            self.fail(field, "måste vara ett datum mellan år 1900 och 2100");
        }
    }

    /// Nests another value's errors under `prefix`.
    pub fn nested(&mut self, prefix: &str, errors: Vec<FieldError>) {
        for e in errors {
            self.fail(format!("{prefix}.{}", e.field), e.message);
        }
    }

    pub fn finish(self) -> Vec<FieldError> {
        self.errors
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_counts_characters_not_bytes() {
        let mut c = Checker::default();
        c.text("namn", &"å".repeat(10), 1, 10);
        assert!(c.finish().is_empty());
        let mut c = Checker::default();
        c.text("namn", &"å".repeat(11), 1, 10);
        assert_eq!(c.finish()[0].field, "namn");
    }

    #[test]
    fn blank_and_control_characters_are_rejected() {
        let mut c = Checker::default();
        c.text("titel", "   ", 1, 10);
        c.text("titel", "a\u{0}b", 1, 10);
        assert_eq!(c.finish().len(), 2);
    }

    #[test]
    fn duplicates_in_lists_are_named() {
        let mut c = Checker::default();
        let items = vec!["dialog".to_string(), "Dialog".to_string()];
        c.text_list("kompetenser", &items, 1, 120);
        let errors = c.finish();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].field, "kompetenser[1]");
    }
}
