//! Form fields with their labels, hints and error messages. A failed form is shown again
//! with the message at each field and everything typed kept (never a password), and a
//! summary at the top that links to each field in error (WCAG 2.1: 1.3.1, 3.3.1, 3.3.3).

use maud::{Markup, html};

/// What a form holds: the values as typed, and a message for each field that was wrong.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FormState {
    values: Vec<(String, String)>,
    errors: Vec<(String, String)>,
}

impl FormState {
    /// An empty form (first shown).
    pub fn new() -> Self {
        FormState::default()
    }

    /// A form filled with what was sent, as `(name, value)` pairs in order.
    pub fn from_pairs(pairs: impl IntoIterator<Item = (String, String)>) -> Self {
        FormState {
            values: pairs.into_iter().collect(),
            errors: Vec::new(),
        }
    }

    /// The first value sent for `name` ("" when none).
    pub fn value(&self, name: &str) -> &str {
        self.values
            .iter()
            .find(|(n, _)| n == name)
            .map_or("", |(_, v)| v.as_str())
    }

    /// Every value sent for `name` (repeated fields such as checkbox lists).
    pub fn values(&self, name: &str) -> Vec<&str> {
        self.values
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// Whether a checkbox or radio button `name=value` was chosen.
    pub fn is_chosen(&self, name: &str, value: &str) -> bool {
        self.values.iter().any(|(n, v)| n == name && v == value)
    }

    /// Sets a field's value (replacing what was there), e.g. to prefill a form.
    pub fn set(&mut self, name: &str, value: impl Into<String>) {
        self.values.retain(|(n, _)| n != name);
        self.values.push((name.to_string(), value.into()));
    }

    /// The message for `name`, if it was wrong.
    pub fn error(&self, name: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, m)| m.as_str())
    }

    /// Marks a field as wrong (the first message for a field is the one shown).
    pub fn add_error(&mut self, name: &str, message: impl Into<String>) {
        if self.error(name).is_none() {
            self.errors.push((name.to_string(), message.into()));
        }
    }

    /// Every `(field, message)`, in the order found.
    pub fn errors(&self) -> &[(String, String)] {
        &self.errors
    }

    pub fn has_errors(&self) -> bool {
        !self.errors.is_empty()
    }
}

/// The kind of input a field is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputKind {
    Text,
    Email,
    /// Never shown again with what was typed.
    Password,
    /// Several lines, `rows` high.
    Textarea {
        rows: u8,
    },
}

/// One labelled field.
#[derive(Debug, Clone)]
pub struct Field<'a> {
    pub name: &'a str,
    pub label: &'a str,
    pub kind: InputKind,
    pub hint: Option<&'a str>,
    pub required: bool,
    /// The `autocomplete` token (e.g. `email`, `new-password`).
    pub autocomplete: Option<&'a str>,
    pub max_chars: Option<usize>,
}

impl<'a> Field<'a> {
    /// A one-line text field.
    pub fn text(name: &'a str, label: &'a str) -> Self {
        Field {
            name,
            label,
            kind: InputKind::Text,
            hint: None,
            required: false,
            autocomplete: None,
            max_chars: None,
        }
    }

    pub fn kind(mut self, kind: InputKind) -> Self {
        self.kind = kind;
        self
    }

    pub fn hint(mut self, hint: &'a str) -> Self {
        self.hint = Some(hint);
        self
    }

    pub fn required(mut self) -> Self {
        self.required = true;
        self
    }

    pub fn autocomplete(mut self, token: &'a str) -> Self {
        self.autocomplete = Some(token);
        self
    }

    pub fn max_chars(mut self, max: usize) -> Self {
        self.max_chars = Some(max);
        self
    }
}

/// The ids a field's hint and message are found under.
fn hint_id(name: &str) -> String {
    format!("{name}-hjalp")
}

fn error_id(name: &str) -> String {
    format!("{name}-fel")
}

/// `aria-describedby` for a field: its hint and its message, when it has them.
fn described_by(name: &str, hint: bool, error: bool) -> Option<String> {
    let ids: Vec<String> = [hint.then(|| hint_id(name)), error.then(|| error_id(name))]
        .into_iter()
        .flatten()
        .collect();
    (!ids.is_empty()).then(|| ids.join(" "))
}

/// A field with its label, hint and message; the value typed is kept (not a password's).
pub fn field(form: &FormState, field: &Field) -> Markup {
    let error = form.error(field.name);
    let described = described_by(field.name, field.hint.is_some(), error.is_some());
    let value = match field.kind {
        InputKind::Password => "",
        _ => form.value(field.name),
    };
    let input_type = match field.kind {
        InputKind::Email => "email",
        InputKind::Password => "password",
        InputKind::Text | InputKind::Textarea { .. } => "text",
    };
    html! {
        div.falt.fel[error.is_some()] {
            label for=(field.name) {
                (field.label)
                @if !field.required { span.valfritt { " (valfritt)" } }
            }
            @if let Some(hint) = field.hint {
                p.hjalp id=(hint_id(field.name)) { (hint) }
            }
            @if let Some(message) = error {
                p.felmeddelande id=(error_id(field.name)) {
                    span.visually-hidden { "Fel: " } (message)
                }
            }
            @match field.kind {
                InputKind::Textarea { rows } => {
                    textarea id=(field.name) name=(field.name) rows=(rows)
                        required[field.required] aria-invalid=[error.map(|_| "true")]
                        aria-describedby=[described.as_deref()]
                        maxlength=[field.max_chars] { (value) }
                }
                _ => {
                    input id=(field.name) name=(field.name) type=(input_type) value=(value)
                        required[field.required] aria-invalid=[error.map(|_| "true")]
                        aria-describedby=[described.as_deref()]
                        autocomplete=[field.autocomplete] maxlength=[field.max_chars];
                }
            }
        }
    }
}

/// A single checkbox (e.g. accepting terms) whose label may hold links; ticked again when
/// it was ticked.
pub fn checkbox(form: &FormState, name: &str, value: &str, label: Markup) -> Markup {
    let error = form.error(name);
    html! {
        div.falt.kryssruta.fel[error.is_some()] {
            @if let Some(message) = error {
                p.felmeddelande id=(error_id(name)) {
                    span.visually-hidden { "Fel: " } (message)
                }
            }
            input id=(name) name=(name) type="checkbox" value=(value)
                checked[form.is_chosen(name, value)] aria-invalid=[error.map(|_| "true")]
                aria-describedby=[error.map(|_| error_id(name))];
            label for=(name) { (label) }
        }
    }
}

/// A choice of one among several (radio buttons in a fieldset with a legend).
pub fn choice(form: &FormState, name: &str, legend: &str, options: &[(&str, &str)]) -> Markup {
    let error = form.error(name);
    html! {
        fieldset.falt.fel[error.is_some()] aria-describedby=[error.map(|_| error_id(name))] {
            legend { (legend) }
            @if let Some(message) = error {
                p.felmeddelande id=(error_id(name)) {
                    span.visually-hidden { "Fel: " } (message)
                }
            }
            @for (i, (value, label)) in options.iter().enumerate() {
                @let id = if i == 0 { name.to_string() } else { format!("{name}-{value}") };
                div.val {
                    input id=(id) name=(name) type="radio" value=(value)
                        checked[form.is_chosen(name, value)];
                    label for=(id) { (label) }
                }
            }
        }
    }
}

/// At the top of a failed form: what was wrong, each message linking to its field. Focus
/// can be moved here; nothing is rendered for a form without errors.
pub fn error_summary(form: &FormState) -> Markup {
    html! {
        @if form.has_errors() {
            div.felsammanfattning role="alert" aria-labelledby="felsammanfattning-rubrik" tabindex="-1" {
                h2 #felsammanfattning-rubrik { "Formuläret har fel" }
                ul {
                    @for (name, message) in form.errors() {
                        li { a href=(format!("#{name}")) { (message) } }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn failed() -> FormState {
        let mut form = FormState::from_pairs([
            ("namn".to_string(), "Anna <Lind>".to_string()),
            ("epost".to_string(), "anna@".to_string()),
            ("losenord".to_string(), "hemligt1".to_string()),
            ("villkor".to_string(), "ja".to_string()),
        ]);
        form.add_error("epost", "Skriv en e-postadress, t.ex. namn@exempel.se");
        form.add_error("epost", "ett andra meddelande visas inte");
        form.add_error("losenord", "Lösenordet måste ha minst 8 tecken");
        form
    }

    #[test]
    fn a_failed_field_keeps_what_was_typed_and_says_what_is_wrong() {
        let form = failed();
        let html = field(
            &form,
            &Field::text("epost", "E-post")
                .kind(InputKind::Email)
                .required()
                .hint("Vi skickar en länk dit.")
                .autocomplete("email"),
        )
        .into_string();
        assert!(
            html.contains(r#"<label for="epost">E-post</label>"#),
            "{html}"
        );
        assert!(html.contains(r#"value="anna@""#), "{html}");
        assert!(html.contains(r#"aria-invalid="true""#), "{html}");
        assert!(
            html.contains(r#"aria-describedby="epost-hjalp epost-fel""#),
            "{html}"
        );
        assert!(html.contains(r#"id="epost-fel""#), "{html}");
        assert!(html.contains("Skriv en e-postadress"), "{html}");
        assert!(!html.contains("ett andra meddelande"), "{html}");
        assert!(html.contains(r#"autocomplete="email""#), "{html}");
    }

    #[test]
    fn typed_text_is_escaped_and_passwords_are_never_echoed() {
        let form = failed();
        let name = field(&form, &Field::text("namn", "Namn")).into_string();
        assert!(name.contains(r#"value="Anna &lt;Lind&gt;""#), "{name}");
        assert!(name.contains("(valfritt)"), "{name}");
        assert!(!name.contains("aria-invalid"), "{name}");
        let password = field(
            &form,
            &Field::text("losenord", "Lösenord").kind(InputKind::Password),
        )
        .into_string();
        assert!(!password.contains("hemligt1"), "{password}");
        assert!(password.contains(r#"type="password""#), "{password}");
    }

    #[test]
    fn the_summary_links_each_message_to_its_field() {
        let html = error_summary(&failed()).into_string();
        assert!(html.contains("Formuläret har fel"), "{html}");
        assert!(
            html.contains(r##"<a href="#epost">Skriv en e-postadress"##),
            "{html}"
        );
        assert!(html.contains(r##"<a href="#losenord">"##), "{html}");
        assert!(error_summary(&FormState::new()).into_string().is_empty());
    }

    #[test]
    fn checkboxes_and_choices_remember_what_was_chosen() {
        let mut form = failed();
        let ticked = checkbox(&form, "villkor", "ja", html! { "Jag godkänner" }).into_string();
        assert!(ticked.contains("checked"), "{ticked}");
        form.set("tillgang", "stangd");
        let html = choice(
            &form,
            "tillgang",
            "Tillgång",
            &[("oppen", "Öppen"), ("stangd", "Stängd")],
        )
        .into_string();
        assert!(html.contains("<legend>Tillgång</legend>"), "{html}");
        assert!(
            html.contains(
                r#"id="tillgang-stangd" name="tillgang" type="radio" value="stangd" checked"#
            ),
            "{html}"
        );
        assert_eq!(form.values("tillgang"), ["stangd"]);
        let textarea = field(
            &form,
            &Field::text("namn", "Namn").kind(InputKind::Textarea { rows: 4 }),
        )
        .into_string();
        assert!(
            textarea.contains(">Anna &lt;Lind&gt;</textarea>"),
            "{textarea}"
        );
    }
}
