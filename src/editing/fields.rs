//! The fields of each kind of item as editors see them: the import format's name (a JSON
//! path), a Swedish label, and what kind of input it is. Forms and diffs both read them.

use super::ItemKind;

/// What a field holds and how it is typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input {
    /// One line of text.
    Line,
    /// A short text of several lines (plain text).
    Text,
    /// Markdown, shown with a preview.
    Markdown,
    /// One of a closed list (the options come from [`Choices`]).
    Select(Choices),
    /// Any of a closed list, as checkboxes.
    Checks(Choices),
    /// A list of short texts, one per line.
    Lines,
    /// Links, one per line: `Titel | https://…`.
    Links,
    /// A year.
    Year,
    /// A year or nothing.
    OptionalYear,
    /// A date (`ÅÅÅÅ-MM-DD`).
    Date,
    /// Fixed by where the item lives (its matrix, row, column): shown, not typed.
    Fixed,
}

/// Where a choice's options come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choices {
    /// pivi's categories.
    Category,
    TargetGroup,
    District,
    /// A district or none ("Ingen särskild stadsdel").
    OptionalDistrict,
    Phase,
    DialogueKind,
    /// The filled cells of the article's matrix.
    Cells,
}

/// One field of a kind of item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Spec {
    /// The field's name in the import format, dotted for nested ones (`period.fran`).
    pub path: &'static str,
    pub label: &'static str,
    pub input: Input,
    pub required: bool,
    pub hint: Option<&'static str>,
}

const fn spec(path: &'static str, label: &'static str, input: Input, required: bool) -> Spec {
    Spec {
        path,
        label,
        input,
        required,
        hint: None,
    }
}

const fn hinted(
    path: &'static str,
    label: &'static str,
    input: Input,
    required: bool,
    hint: &'static str,
) -> Spec {
    Spec {
        path,
        label,
        input,
        required,
        hint: Some(hint),
    }
}

const ID_HINT: &str = "Sidans adress: små bokstäver a–z, siffror och bindestreck. Lämna tomt \
                       så skapas den av rubriken.";
const TAGS_HINT: &str = "Ett ord eller uttryck per rad.";
const MARKDOWN_HINT: &str = "Markdown: *kursiv*, **fet**, [länktext](https://…), listor med - \
                             först på raden. Förhandsgranska för att se resultatet.";

const PIVI: &[Spec] = &[
    hinted("id", "Adress", Input::Line, false, ID_HINT),
    spec("titel", "Rubrik", Input::Line, true),
    spec(
        "kategori",
        "Kategori",
        Input::Select(Choices::Category),
        true,
    ),
    spec("sammanfattning", "Sammanfattning", Input::Text, true),
    hinted(
        "beskrivning",
        "Beskrivning",
        Input::Markdown,
        true,
        MARKDOWN_HINT,
    ),
    spec(
        "stadsdel",
        "Stadsdel",
        Input::Select(Choices::District),
        true,
    ),
    spec("organisation", "Organisation", Input::Line, true),
    spec(
        "malgrupper",
        "Målgrupper",
        Input::Checks(Choices::TargetGroup),
        false,
    ),
    hinted("taggar", "Taggar", Input::Lines, false, TAGS_HINT),
    spec("period.fran", "Startår", Input::Year, true),
    hinted(
        "period.till",
        "Slutår",
        Input::OptionalYear,
        false,
        "Lämna tomt om verksamheten pågår.",
    ),
    spec("kontakt.namn", "Kontaktperson", Input::Line, true),
    spec("kontakt.epost", "Kontaktens e-post", Input::Line, false),
    hinted(
        "kontakt.medlem",
        "Kontaktens medlemsprofil",
        Input::Line,
        false,
        "Medlemmens id, som i adressen /medlemmar/id.",
    ),
    hinted(
        "lankar",
        "Länkar",
        Input::Links,
        false,
        "En länk per rad: Titel | https://adress",
    ),
    hinted("publicerad", "Publicerad", Input::Date, true, "ÅÅÅÅ-MM-DD"),
];

const CELL: &[Spec] = &[
    spec("rad", "Rad", Input::Fixed, true),
    spec("kolumn", "Kolumn", Input::Fixed, true),
    spec("sammanfattning", "Sammanfattning", Input::Text, true),
];

const ARTICLE: &[Spec] = &[
    hinted("id", "Adress", Input::Line, false, ID_HINT),
    spec("titel", "Rubrik", Input::Line, true),
    spec("ingress", "Ingress", Input::Text, true),
    hinted("text", "Text", Input::Markdown, true, MARKDOWN_HINT),
    spec("forfattare", "Författare", Input::Line, true),
    hinted("publicerad", "Publicerad", Input::Date, true, "ÅÅÅÅ-MM-DD"),
    spec(
        "celler",
        "Rutor i matrisen",
        Input::Checks(Choices::Cells),
        true,
    ),
    hinted("taggar", "Taggar", Input::Lines, false, TAGS_HINT),
    spec(
        "stadsdel",
        "Stadsdel",
        Input::Select(Choices::District),
        true,
    ),
];

const DIALOGUE: &[Spec] = &[
    hinted("id", "Adress", Input::Line, false, ID_HINT),
    spec("titel", "Rubrik", Input::Line, true),
    spec("fas", "Fas", Input::Select(Choices::Phase), true),
    spec(
        "texttyp",
        "Typ av text",
        Input::Select(Choices::DialogueKind),
        true,
    ),
    spec("ingress", "Ingress", Input::Text, true),
    hinted("text", "Text", Input::Markdown, true, MARKDOWN_HINT),
    hinted(
        "punkter",
        "Checklistans punkter",
        Input::Lines,
        false,
        "En punkt per rad; bara en checklista har punkter.",
    ),
    spec(
        "stadsdel",
        "Stadsdel",
        Input::Select(Choices::OptionalDistrict),
        false,
    ),
    spec("forfattare", "Författare", Input::Line, true),
    hinted("publicerad", "Publicerad", Input::Date, true, "ÅÅÅÅ-MM-DD"),
    hinted("taggar", "Taggar", Input::Lines, false, TAGS_HINT),
];

/// The fields of `kind`, in the order a form shows them.
pub fn specs(kind: ItemKind) -> &'static [Spec] {
    match kind {
        ItemKind::Pivi => PIVI,
        ItemKind::Cell => CELL,
        ItemKind::Article => ARTICLE,
        ItemKind::Dialogue => DIALOGUE,
    }
}

/// The form field a checker's field name belongs to (`lankar[2].url` → `lankar`), and the
/// list position it named, if any.
pub fn owner(kind: ItemKind, field: &str) -> (Option<&'static Spec>, Option<usize>) {
    let base = field.split('[').next().unwrap_or(field);
    let index = field
        .split_once('[')
        .and_then(|(_, rest)| rest.split(']').next())
        .and_then(|n| n.parse::<usize>().ok());
    let found = specs(kind)
        .iter()
        .find(|s| s.path == field)
        .or_else(|| specs(kind).iter().find(|s| s.path == base))
        .or_else(|| {
            // `period` names both years; `kontakt` the contact's fields.
            specs(kind)
                .iter()
                .find(|s| s.path.split('.').next() == Some(base))
        });
    (found, index)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checker_fields_find_their_form_field() {
        let (spec, index) = owner(ItemKind::Pivi, "lankar[2].url");
        assert_eq!(spec.map(|s| s.path), Some("lankar"));
        assert_eq!(index, Some(2));
        let (spec, _) = owner(ItemKind::Pivi, "period.till");
        assert_eq!(spec.map(|s| s.label), Some("Slutår"));
        let (spec, index) = owner(ItemKind::Dialogue, "punkter[0]");
        assert_eq!((spec.map(|s| s.path), index), (Some("punkter"), Some(0)));
        assert!(owner(ItemKind::Cell, "okänt").0.is_none());
    }

    #[test]
    fn every_kind_has_unique_field_paths() {
        for kind in ItemKind::ALL {
            let mut paths: Vec<&str> = specs(kind).iter().map(|s| s.path).collect();
            let count = paths.len();
            paths.sort_unstable();
            paths.dedup();
            assert_eq!(paths.len(), count, "{kind:?}");
        }
    }
}
