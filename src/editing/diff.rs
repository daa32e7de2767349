//! A readable diff of two versions of an item: per field (by its Swedish label), the lines
//! removed and added, with unchanged lines around them for context.

use hallbar_templates::pages::editing::{FieldDiff, LineChange};
use serde_json::Value;
use similar::{ChangeTag, TextDiff};

use super::ItemKind;
use super::fields::{Input, Spec, specs};
use super::values::Options;

/// How many unchanged lines are kept around each change.
const CONTEXT: usize = 2;

/// How long one field's diff may look for the smallest change before it settles for a
/// larger one: a long text changed on every line would otherwise take seconds (of the
/// request's thread) each time the queue or a history shows it.
const DEADLINE: std::time::Duration = std::time::Duration::from_millis(50);

/// A field's value as lines of text, the way an editor reads it.
fn as_text(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Array(items) => items.iter().map(as_text).collect::<Vec<_>>().join("\n"),
        Value::Object(map) => {
            // A link, a cell, a period: its values on one line.
            let parts: Vec<String> = map
                .values()
                .map(as_text)
                .filter(|s| !s.is_empty())
                .collect();
            parts.join(" | ")
        }
        other => other.to_string(),
    }
}

fn at<'a>(value: &'a Value, path: &str) -> &'a Value {
    path.split('.')
        .fold(value, |v, key| v.get(key).unwrap_or(&Value::Null))
}

/// A field's value as its form names it: a choice by its label (a category's name, not
/// its slug), anything else as text.
fn shown(spec: &Spec, value: &Value, options: &Options) -> String {
    let choices = match spec.input {
        Input::Select(choices) | Input::Checks(choices) => options.of(choices),
        _ => return as_text(value),
    };
    let label = |v: &Value| {
        let key = match v {
            Value::Object(cell) => {
                format!("{}/{}", as_text(&cell["rad"]), as_text(&cell["kolumn"]))
            }
            other => as_text(other),
        };
        choices
            .iter()
            .find(|(value, _)| *value == key)
            .map_or(key, |(_, label)| label.clone())
    };
    match value {
        Value::Null => String::new(),
        Value::Array(items) => items.iter().map(label).collect::<Vec<_>>().join("\n"),
        other => label(other),
    }
}

/// What changed from `old` to `new` (`Value::Null` for "nothing": a new or deleted item),
/// field by field in the form's order, choices by their labels in `options`; unchanged
/// fields are left out.
pub fn fields(kind: ItemKind, old: &Value, new: &Value, options: &Options) -> Vec<FieldDiff> {
    let mut out = Vec::new();
    for spec in specs(kind) {
        let before = shown(spec, at(old, spec.path), options);
        let after = shown(spec, at(new, spec.path), options);
        if before == after {
            continue;
        }
        out.push(FieldDiff {
            label: spec.label.to_string(),
            lines: lines(&before, &after),
        });
    }
    out
}

/// The changed lines of one field, with [`CONTEXT`] unchanged lines around each change
/// (a gap is marked with an empty `Same` line holding "…").
fn lines(before: &str, after: &str) -> Vec<(LineChange, String)> {
    let diff = TextDiff::configure()
        .timeout(DEADLINE)
        .diff_lines(before, after);
    let mut out = Vec::new();
    for (i, group) in diff.grouped_ops(CONTEXT).iter().enumerate() {
        if i > 0 {
            out.push((LineChange::Same, "…".to_string()));
        }
        for op in group {
            for change in diff.iter_changes(op) {
                let tag = match change.tag() {
                    ChangeTag::Equal => LineChange::Same,
                    ChangeTag::Insert => LineChange::Added,
                    ChangeTag::Delete => LineChange::Removed,
                };
                out.push((tag, change.value().trim_end_matches('\n').to_string()));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn only_changed_fields_with_their_lines() {
        let old = json!({"titel": "Trygghet", "text": "Ett\nTvå\nTre", "taggar": ["a"]});
        let new = json!({"titel": "Trygghet", "text": "Ett\n2\nTre", "taggar": ["a", "b"]});
        let diff = fields(ItemKind::Article, &old, &new, &Options::default());
        let labels: Vec<&str> = diff.iter().map(|f| f.label.as_str()).collect();
        assert_eq!(labels, vec!["Text", "Taggar"]);
        assert!(
            diff[0]
                .lines
                .contains(&(LineChange::Removed, "Två".to_string()))
        );
        assert!(
            diff[0]
                .lines
                .contains(&(LineChange::Added, "2".to_string()))
        );
        assert!(
            diff[1]
                .lines
                .contains(&(LineChange::Added, "b".to_string()))
        );
    }

    #[test]
    fn choices_are_shown_by_their_labels() {
        let options = Options {
            phases: vec![("genomfora".into(), "Genomföra".into())],
            ..Options::default()
        };
        let new = json!({"fas": "genomfora", "texttyp": "checklista", "stadsdel": "angered"});
        let diff = fields(ItemKind::Dialogue, &Value::Null, &new, &options);
        let text: Vec<&str> = diff
            .iter()
            .flat_map(|f| f.lines.iter().map(|(_, l)| l.as_str()))
            .collect();
        assert_eq!(text, vec!["Genomföra", "Checklista", "Angered"]);
    }

    #[test]
    fn a_new_item_shows_every_field_added() {
        let new = json!({"rad": "r", "kolumn": "k", "sammanfattning": "Ny"});
        let diff = fields(ItemKind::Cell, &Value::Null, &new, &Options::default());
        assert_eq!(diff.len(), 3);
        assert!(
            diff.iter()
                .all(|f| f.lines.iter().all(|(t, _)| *t == LineChange::Added))
        );
    }
}
