//! Editing support models' content: the list under `/admin/innehall`, an item's form
//! (preview, draft, publish, a conflict shown with both versions), deleting, and the
//! history of versions with readable diffs.

use maud::{Markup, html};

use crate::components::form::{Field, FormState, InputKind, error_summary, field};
use crate::components::swedish::moment;
use crate::layout::Page;
use crate::pages::account::csrf_field;

/// How a line of a field changed between two versions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineChange {
    Same,
    Added,
    Removed,
}

/// One changed field: its label and its lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldDiff {
    pub label: String,
    pub lines: Vec<(LineChange, String)>,
}

/// The changed fields of two versions, as a definition list with marked lines.
pub fn diff(fields: &[FieldDiff]) -> Markup {
    html! {
        @if fields.is_empty() {
            p { "Inga skillnader." }
        } @else {
            dl.diff {
                @for f in fields {
                    dt { (f.label) }
                    dd {
                        @for (change, line) in &f.lines {
                            @match change {
                                LineChange::Same => span.diff-rad { (line) },
                                LineChange::Added => ins.diff-rad {
                                    span.visually-hidden { "Tillagt: " } (line)
                                },
                                LineChange::Removed => del.diff-rad {
                                    span.visually-hidden { "Borttaget: " } (line)
                                },
                            }
                        }
                    }
                }
            }
        }
    }
}

/// How one field of an item is typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Widget {
    Line,
    Text {
        rows: u8,
    },
    /// One of `options`; `empty` is the label of choosing none, when that is allowed.
    Select {
        options: Vec<(String, String)>,
        empty: Option<String>,
    },
    /// Any of `options`.
    Checks {
        options: Vec<(String, String)>,
    },
    /// Shown, not typed (a cell's row and column), with its label.
    Fixed {
        shown: String,
    },
}

/// One field of an item's form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditField {
    pub name: String,
    pub label: String,
    pub hint: Option<String>,
    pub required: bool,
    pub widget: Widget,
}

fn error_line(name: &str, form: &FormState) -> Markup {
    html! {
        @if let Some(message) = form.error(name) {
            p.felmeddelande id=(format!("{name}-fel")) {
                span.visually-hidden { "Fel: " } (message)
            }
        }
    }
}

fn edit_field(form: &FormState, f: &EditField) -> Markup {
    let name = f.name.as_str();
    let error = form.error(name);
    let hint_id = format!("{name}-hjalp");
    let described: Vec<String> = [
        f.hint.as_ref().map(|_| hint_id.clone()),
        error.map(|_| format!("{name}-fel")),
    ]
    .into_iter()
    .flatten()
    .collect();
    let described = (!described.is_empty()).then(|| described.join(" "));
    match &f.widget {
        Widget::Line | Widget::Text { .. } => {
            let kind = match f.widget {
                Widget::Text { rows } => InputKind::Textarea { rows },
                _ => InputKind::Text,
            };
            let mut spec = Field::text(name, &f.label).kind(kind);
            if let Some(hint) = &f.hint {
                spec = spec.hint(hint);
            }
            if f.required {
                spec = spec.required();
            }
            field(form, &spec)
        }
        Widget::Select { options, empty } => html! {
            div.falt.fel[error.is_some()] {
                label for=(name) {
                    (f.label)
                    @if !f.required { span.valfritt { " (valfritt)" } }
                }
                @if let Some(hint) = &f.hint { p.hjalp id=(hint_id) { (hint) } }
                (error_line(name, form))
                select id=(name) name=(name) required[f.required]
                    aria-invalid=[error.map(|_| "true")] aria-describedby=[described.as_deref()] {
                    @if let Some(empty) = empty {
                        option value="" selected[form.value(name).is_empty()] { (empty) }
                    } @else if form.value(name).is_empty() {
                        option value="" selected { "Välj …" }
                    }
                    @for (value, label) in options {
                        option value=(value) selected[form.value(name) == value] { (label) }
                    }
                }
            }
        },
        Widget::Checks { options } => html! {
            fieldset.falt.fel[error.is_some()] id=(name) tabindex="-1"
                aria-describedby=[described.as_deref()] {
                legend {
                    (f.label)
                    @if !f.required { span.valfritt { " (valfritt)" } }
                }
                @if let Some(hint) = &f.hint { p.hjalp id=(hint_id) { (hint) } }
                (error_line(name, form))
                @if options.is_empty() {
                    p { "Det finns inget att välja ännu." }
                }
                @for (i, (value, label)) in options.iter().enumerate() {
                    @let id = format!("{name}-{i}");
                    div.val {
                        input id=(id) name=(name) type="checkbox" value=(value)
                            checked[form.is_chosen(name, value)];
                        label for=(id) { (label) }
                    }
                }
            }
        },
        Widget::Fixed { shown } => html! {
            div.falt {
                p { strong { (f.label) ": " } (shown) }
                input type="hidden" name=(name) value=(form.value(name));
            }
        },
    }
}

/// A link in the list of an editor's content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListedItem {
    pub title: String,
    pub edit_url: String,
    /// "Publicerad", "Utkast", "Publicerad, med utkast".
    pub status: String,
    pub public_url: Option<String>,
}

/// One kind of item of one model, with the link to make a new one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListedKind {
    pub heading: String,
    pub new_url: Option<(String, String)>,
    pub items: Vec<ListedItem>,
}

/// One support model's content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListedModel {
    pub name: String,
    pub kinds: Vec<ListedKind>,
}

/// `/admin/innehall`: the content of every model the viewer edits.
pub fn content_list(page: &Page, models: &[ListedModel], proposals: usize) -> Markup {
    page.render(html! {
        h1 { "Innehåll" }
        p { "Här redigerar du stödmodellernas innehåll. Ett utkast syns bara för redaktörer; "
            "det som publiceras syns direkt på webbplatsen och i sökningen." }
        @if proposals > 0 {
            p { a href="/admin/forslag" { "Förslag från medlemmar (" (proposals) " väntar)" } }
        } @else {
            p { a href="/admin/forslag" { "Förslag från medlemmar" } }
        }
        @for model in models {
            section.modell aria-labelledby=(format!("modell-{}", slugish(&model.name))) {
                h2 id=(format!("modell-{}", slugish(&model.name))) { (model.name) }
                @for kind in &model.kinds {
                    h3 { (kind.heading) }
                    @if let Some((url, label)) = &kind.new_url {
                        p { a.knapp href=(url) { (label) } }
                    }
                    @if kind.items.is_empty() {
                        p { "Inget ännu." }
                    } @else {
                        table.innehallslista {
                            caption.visually-hidden { (kind.heading) " i " (model.name) }
                            thead { tr {
                                th scope="col" { "Rubrik" }
                                th scope="col" { "Status" }
                                th scope="col" { "Sida" }
                            } }
                            tbody {
                                @for item in &kind.items {
                                    tr {
                                        th scope="row" {
                                            a href=(item.edit_url) {
                                                "Redigera " span.visually-hidden { "“" } (item.title)
                                                span.visually-hidden { "”" }
                                            }
                                        }
                                        td { (item.status) }
                                        td {
                                            @if let Some(url) = &item.public_url {
                                                a href=(url) { "Visa" span.visually-hidden { " " (item.title) } }
                                            } @else { "–" }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    })
}

fn slugish(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect()
}

/// Someone else's change found on save: what is stored now against what was sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflict {
    /// "publicerade versionen" or "utkastet".
    pub what: String,
    /// What changed from the stored version to the one sent.
    pub changes: Vec<FieldDiff>,
    /// The stored version was deleted.
    pub deleted: bool,
}

/// Everything an item's form page shows.
pub struct EditView<'a> {
    /// Where the page belongs: `(href, label)` above its heading.
    pub back: (String, String),
    pub heading: String,
    /// An introduction under the heading.
    pub intro: Option<String>,
    /// What a proposal changes in the published version, shown above the form.
    pub comparison: Option<Vec<FieldDiff>>,
    pub action: String,
    pub fields: &'a [EditField],
    pub form: &'a FormState,
    pub csrf: &'a str,
    /// Rendered Markdown fields, when a preview was asked for: `(label, html)`.
    pub preview: Option<Vec<(String, Markup)>>,
    pub conflict: Option<Conflict>,
    /// A message after saving ("Utkastet är sparat").
    pub notice: Option<String>,
    pub has_draft: bool,
    pub history_url: Option<String>,
    pub delete_url: Option<String>,
    pub public_url: Option<String>,
    /// Set when the form answers a member's proposal: its id, kept in a hidden field.
    pub proposal: Option<i64>,
    /// The button that publishes ("Publicera", or for a proposal "Godkänn och publicera").
    pub publish_label: &'a str,
    /// Without a draft button (members' proposals have no drafts).
    pub drafts: bool,
}

/// An item's form.
pub fn edit(page: &Page, view: &EditView) -> Markup {
    page.render(html! {
        p.brodsmula { a href=(view.back.0) { (view.back.1) } }
        h1 { (view.heading) }
        @if let Some(intro) = &view.intro {
            p { (intro) }
        }
        @if let Some(changes) = &view.comparison {
            section.jamforelse aria-labelledby="jamforelse-rubrik" {
                h2 #jamforelse-rubrik { "Förslaget jämfört med den publicerade versionen" }
                (diff(changes))
            }
        }
        @if let Some(notice) = &view.notice {
            p.meddelande role="status" { (notice) }
        }
        @if view.has_draft {
            p.meddelande { "Du redigerar ett sparat utkast. Det syns inte på webbplatsen förrän det publiceras." }
        }
        @if let Some(conflict) = &view.conflict {
            section.konflikt role="alert" aria-labelledby="konflikt-rubrik" {
                h2 #konflikt-rubrik { "Någon annan har ändrat innehållet" }
                @if conflict.deleted {
                    p { "Medan du redigerade togs " (conflict.what) " bort. Om du sparar igen skapas den på nytt med din version." }
                } @else {
                    p { "Medan du redigerade sparade någon annan " (conflict.what) ". Ingenting av "
                        "din ändring har sparats. Här är skillnaden mellan den sparade versionen "
                        "(borttaget) och din version (tillagt). Din version står kvar i formuläret: "
                        "jämför, ändra och spara igen för att ersätta den sparade versionen." }
                    (diff(&conflict.changes))
                }
            }
        }
        (error_summary(view.form))
        @if let Some(preview) = &view.preview {
            section.forhandsgranskning aria-labelledby="forhandsgranskning-rubrik" {
                h2 #forhandsgranskning-rubrik { "Förhandsgranskning" }
                @for (label, rendered) in preview {
                    h3 { (label) }
                    div.brodtext { (rendered) }
                }
            }
        }
        form.formular.redigering method="post" action=(view.action) novalidate {
            (csrf_field(view.csrf))
            input type="hidden" name="version" value=(view.form.value("version"));
            input type="hidden" name="utkast" value=(view.form.value("utkast"));
            @if let Some(id) = view.proposal {
                input type="hidden" name="forslag" value=(id);
            }
            @for f in view.fields {
                (edit_field(view.form, f))
            }
            div.knappar {
                button type="submit" name="atgard" value="forhandsgranska" { "Förhandsgranska" }
                @if view.drafts {
                    button type="submit" name="atgard" value="utkast" { "Spara utkast" }
                }
                button type="submit" name="atgard" value="publicera" { (view.publish_label) }
            }
        }
        ul.lankar {
            @if let Some(url) = &view.public_url { li { a href=(url) { "Visa sidan" } } }
            @if let Some(url) = &view.history_url { li { a href=(url) { "Historik" } } }
            @if let Some(url) = &view.delete_url { li { a href=(url) { "Ta bort" } } }
        }
        @if view.has_draft {
            form method="post" action=(format!("{}/kasta-utkast", view.action)) {
                (csrf_field(view.csrf))
                button type="submit" { "Kasta utkastet" }
            }
        }
    })
}

/// Asking before an item is deleted.
pub fn confirm_delete(
    page: &Page,
    title: &str,
    back: &str,
    action: &str,
    version: &str,
    csrf: &str,
    problem: Option<&str>,
) -> Markup {
    page.render(html! {
        p.brodsmula { a href=(back) { "Tillbaka till redigeringen" } }
        h1 { "Ta bort “" (title) "”?" }
        @if let Some(problem) = problem {
            p.felmeddelande role="alert" { (problem) }
        }
        p { "Sidan försvinner från webbplatsen och sökningen. Tidigare versioner finns kvar i "
            "historiken och kan återställas." }
        form method="post" action=(action) {
            (csrf_field(csrf))
            input type="hidden" name="version" value=(version);
            button type="submit" { "Ta bort" }
        }
        p { a href=(back) { "Avbryt" } }
    })
}

/// One version in an item's history.
pub struct VersionView {
    pub id: i64,
    pub author: String,
    pub note: String,
    pub at: chrono::DateTime<chrono::Utc>,
    /// What changed from the version before.
    pub changes: Vec<FieldDiff>,
    pub deleted: bool,
    pub current: bool,
    /// The form that restores it (not for the current version or a deletion).
    pub restore_url: Option<String>,
}

/// An item's history, newest first.
pub fn history(
    page: &Page,
    title: &str,
    back: &str,
    versions: &[VersionView],
    current_version: &str,
    csrf: &str,
) -> Markup {
    page.render(html! {
        p.brodsmula { a href=(back) { "Tillbaka till redigeringen" } }
        h1 { "Historik: " (title) }
        @if versions.is_empty() {
            p { "Inga ändringar har gjorts på webben ännu." }
        }
        ol.historik reversed start=(versions.len()) {
            @for v in versions {
                li {
                    h2 {
                        (moment(v.at)) " – " (v.author)
                        @if v.current { " (nuvarande version)" }
                    }
                    p { (v.note) }
                    @if v.deleted {
                        p { "Sidan togs bort." }
                    } @else {
                        details open[v.current] {
                            summary { "Ändringar jämfört med versionen före" }
                            (diff(&v.changes))
                        }
                    }
                    @if let Some(url) = &v.restore_url {
                        form method="post" action=(url) {
                            (csrf_field(csrf))
                            input type="hidden" name="version" value=(current_version);
                            button type="submit" { "Återställ den här versionen" }
                        }
                    }
                }
            }
        }
    })
}
