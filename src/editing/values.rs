//! Between a form as typed and an item in the import format: every field read with its
//! own Swedish message when it cannot be (a year that is no number, a link without an
//! address), and an item shown as the values of its form.

use chrono::NaiveDate;
use hallbar_index::{DialogueKind, District, TargetGroup, competence_slug};
use hallbar_templates::components::form::FormState;
use serde_json::{Map, Value, json};

use super::ItemKind;
use super::fields::{Choices, Input, Spec, specs};

/// The options of each closed list a form offers, as `(value, label)`.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub categories: Vec<(String, String)>,
    pub phases: Vec<(String, String)>,
    /// The filled cells of the article's matrix (`rad/kolumn`).
    pub cells: Vec<(String, String)>,
}

impl Options {
    /// The options of `choices`.
    pub fn of(&self, choices: Choices) -> Vec<(String, String)> {
        let closed = |all: Vec<(&str, &str)>| {
            all.into_iter()
                .map(|(v, l)| (v.to_string(), l.to_string()))
                .collect::<Vec<_>>()
        };
        match choices {
            Choices::Category => self.categories.clone(),
            Choices::Phase => self.phases.clone(),
            Choices::Cells => self.cells.clone(),
            Choices::TargetGroup => closed(
                TargetGroup::ALL
                    .iter()
                    .map(|t| (t.slug(), t.label()))
                    .collect(),
            ),
            Choices::District | Choices::OptionalDistrict => closed(
                District::ALL
                    .iter()
                    .map(|d| (d.slug(), d.label()))
                    .collect(),
            ),
            Choices::DialogueKind => closed(
                DialogueKind::ALL
                    .iter()
                    .map(|k| (k.slug(), k.label()))
                    .collect(),
            ),
        }
    }
}

/// The value at a dotted path of a JSON object.
fn at<'a>(value: &'a Value, path: &str) -> &'a Value {
    path.split('.')
        .fold(value, |v, key| v.get(key).unwrap_or(&Value::Null))
}

/// Sets the value at a dotted path, making the objects on the way.
fn set(target: &mut Map<String, Value>, path: &str, value: Value) {
    match path.split_once('.') {
        None => {
            target.insert(path.to_string(), value);
        }
        Some((head, rest)) => {
            let inner = target
                .entry(head.to_string())
                .or_insert_with(|| Value::Object(Map::new()));
            if let Value::Object(map) = inner {
                set(map, rest, value);
            }
        }
    }
}

fn text_of(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// An item (import format) as the values of its form.
pub fn to_form(kind: ItemKind, item: &Value) -> FormState {
    let mut pairs = Vec::new();
    for spec in specs(kind) {
        let value = at(item, spec.path);
        match spec.input {
            Input::Checks(Choices::Cells) => {
                for cell in value.as_array().into_iter().flatten() {
                    pairs.push((
                        spec.path.to_string(),
                        format!("{}/{}", text_of(&cell["rad"]), text_of(&cell["kolumn"])),
                    ));
                }
            }
            Input::Checks(_) => {
                for v in value.as_array().into_iter().flatten() {
                    pairs.push((spec.path.to_string(), text_of(v)));
                }
            }
            Input::Lines => {
                let lines: Vec<String> = value
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(text_of)
                    .collect();
                pairs.push((spec.path.to_string(), lines.join("\n")));
            }
            Input::Links => {
                let lines: Vec<String> = value
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|l| format!("{} | {}", text_of(&l["titel"]), text_of(&l["url"])))
                    .collect();
                pairs.push((spec.path.to_string(), lines.join("\n")));
            }
            _ => pairs.push((spec.path.to_string(), text_of(value))),
        }
    }
    FormState::from_pairs(pairs)
}

/// What typing a form gave: the item in the import format, or a message at each field
/// that could not be read (the form then also holds them).
pub fn from_form(
    kind: ItemKind,
    form: &mut FormState,
    options: &Options,
    fixed: &[(&str, Value)],
) -> Option<Value> {
    let mut object = Map::new();
    for spec in specs(kind) {
        if let Some((_, value)) = fixed.iter().find(|(path, _)| *path == spec.path) {
            set(&mut object, spec.path, value.clone());
            continue;
        }
        match read_field(spec, form, options) {
            Ok(Some(value)) => set(&mut object, spec.path, value),
            Ok(None) => {}
            Err(message) => form.add_error(spec.path, message),
        }
    }
    for (path, value) in fixed {
        if !specs(kind).iter().any(|s| s.path == *path) {
            set(&mut object, path, value.clone());
        }
    }
    if object
        .get("id")
        .is_none_or(|v| v.as_str().is_some_and(str::is_empty))
        && let Some(title) = object.get("titel").and_then(Value::as_str)
    {
        let mut id = competence_slug(title);
        id.truncate(hallbar_index::MAX_SLUG_LEN);
        let id = id.trim_end_matches('-').to_string();
        // The address comes from the title: a title without letters or digits gives none.
        if id.is_empty() {
            let message = if title.trim().is_empty() {
                "Rubrik: får inte vara tomt"
            } else {
                "Rubrik: behöver bokstäver eller siffror (adressen skapas av rubriken)"
            };
            form.add_error("titel", message);
        }
        object.insert("id".to_string(), Value::String(id));
    }
    (!form.has_errors()).then_some(Value::Object(object))
}

/// One field's value; `Ok(None)` leaves it out (the format's default).
fn read_field(spec: &Spec, form: &FormState, options: &Options) -> Result<Option<Value>, String> {
    let typed = form.value(spec.path).trim();
    Ok(match spec.input {
        Input::Line | Input::Fixed => {
            let optional = matches!(spec.path, "kontakt.epost" | "kontakt.medlem");
            if optional && typed.is_empty() {
                None
            } else {
                Some(Value::String(typed.to_string()))
            }
        }
        // Text keeps its inner line breaks; only the ends are trimmed.
        Input::Text | Input::Markdown => Some(Value::String(
            form.value(spec.path).trim().replace("\r\n", "\n"),
        )),
        Input::Year => Some(json!(year(typed)?)),
        Input::OptionalYear if typed.is_empty() => Some(Value::Null),
        Input::OptionalYear => Some(json!(year(typed)?)),
        Input::Date => {
            let date = NaiveDate::parse_from_str(typed, "%Y-%m-%d")
                .map_err(|_| "Skriv datumet som ÅÅÅÅ-MM-DD, till exempel 2026-12-01".to_string())?;
            Some(Value::String(date.to_string()))
        }
        Input::Select(Choices::OptionalDistrict) if typed.is_empty() => Some(Value::Null),
        Input::Select(choices) => {
            if typed.is_empty() {
                return Err("Välj ett av alternativen".to_string());
            }
            if !options.of(choices).iter().any(|(v, _)| v == typed) {
                return Err("Välj ett av alternativen i listan".to_string());
            }
            Some(Value::String(typed.to_string()))
        }
        Input::Checks(choices) => {
            let known = options.of(choices);
            let mut chosen = Vec::new();
            for value in form.values(spec.path) {
                if !known.iter().any(|(v, _)| v == value) {
                    return Err("Välj bland alternativen i listan".to_string());
                }
                if choices == Choices::Cells {
                    let (row, column) = value.split_once('/').unwrap_or((value, ""));
                    chosen.push(json!({"rad": row, "kolumn": column}));
                } else {
                    chosen.push(Value::String(value.to_string()));
                }
            }
            Some(Value::Array(chosen))
        }
        Input::Lines => Some(Value::Array(
            lines(form.value(spec.path))
                .map(|l| Value::String(l.to_string()))
                .collect(),
        )),
        Input::Links => {
            let mut links = Vec::new();
            for (i, line) in lines(form.value(spec.path)).enumerate() {
                let Some((title, url)) = line.rsplit_once('|') else {
                    return Err(format!(
                        "Rad {}: skriv länken som Titel | https://adress",
                        i + 1
                    ));
                };
                links.push(json!({"titel": title.trim(), "url": url.trim()}));
            }
            Some(Value::Array(links))
        }
    })
}

fn lines(text: &str) -> impl Iterator<Item = &str> {
    text.lines().map(str::trim).filter(|l| !l.is_empty())
}

fn year(typed: &str) -> Result<i32, String> {
    typed
        .parse::<i32>()
        .map_err(|_| "Skriv ett årtal med fyra siffror, till exempel 2024".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(pairs: &[(&str, &str)]) -> FormState {
        FormState::from_pairs(pairs.iter().map(|(n, v)| (n.to_string(), v.to_string())))
    }

    #[test]
    fn a_pivi_form_reads_into_the_import_format_and_back() {
        let mut typed = form(&[
            ("titel", "Läxhjälp i Angered"),
            ("kategori", "projekt"),
            ("sammanfattning", "Kort."),
            ("beskrivning", "Lång *text*."),
            ("stadsdel", "angered"),
            ("organisation", "Föreningen"),
            ("malgrupper", "unga"),
            ("malgrupper", "barn"),
            ("taggar", "läxhjälp\n\n skola "),
            ("period.fran", "2020"),
            ("period.till", ""),
            ("kontakt.namn", "Anna"),
            ("lankar", "Hemsida | https://example.org/"),
            ("publicerad", "2026-11-30"),
        ]);
        let options = Options {
            categories: vec![("projekt".into(), "Projekt".into())],
            ..Options::default()
        };
        let value = from_form(ItemKind::Pivi, &mut typed, &options, &[]).expect("reads");
        assert_eq!(value["id"], "laxhjalp-i-angered");
        assert_eq!(value["period"]["fran"], 2020);
        assert_eq!(value["period"]["till"], Value::Null);
        assert_eq!(value["taggar"], json!(["läxhjälp", "skola"]));
        assert_eq!(value["malgrupper"], json!(["unga", "barn"]));
        assert_eq!(value["lankar"][0]["url"], "https://example.org/");
        assert!(value.get("kontakt").and_then(|k| k.get("epost")).is_none());
        let entry: hallbar_index::PiviEntry =
            serde_json::from_value(value.clone()).expect("an entry");
        assert_eq!(entry.title, "Läxhjälp i Angered");
        let back = to_form(ItemKind::Pivi, &value);
        assert_eq!(back.value("taggar"), "läxhjälp\nskola");
        assert_eq!(back.values("malgrupper"), vec!["unga", "barn"]);
        assert_eq!(back.value("lankar"), "Hemsida | https://example.org/");
    }

    #[test]
    fn unreadable_fields_get_swedish_messages_at_the_field() {
        let mut typed = form(&[
            ("titel", "X"),
            ("kategori", "okand"),
            ("period.fran", "tjugohundra"),
            ("publicerad", "igår"),
            ("lankar", "bara en titel"),
            ("malgrupper", "alla"),
        ]);
        assert!(from_form(ItemKind::Pivi, &mut typed, &Options::default(), &[]).is_none());
        for field in [
            "kategori",
            "period.fran",
            "publicerad",
            "lankar",
            "malgrupper",
        ] {
            assert!(
                typed.error(field).is_some(),
                "{field}: {:?}",
                typed.errors()
            );
        }
        assert!(
            typed
                .error("period.fran")
                .unwrap_or_default()
                .contains("årtal")
        );
    }
}
