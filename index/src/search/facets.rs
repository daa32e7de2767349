//! The facet vocabulary, defined once: each facet's URL name, Swedish label, index field,
//! value parser and value order. Pages, the JSON API, the CLI and the URL parser all choose
//! from [`FACETS`].

use serde::Serialize;

use super::request::Filters;
use crate::document::DocKind;
use crate::model::{District, Sector, Slug, TargetGroup, seed_models};

/// The most competences listed in the `kompetens` facet (selected ones are always listed).
pub const TOP_COMPETENCES: usize = 15;
/// The longest competence a filter may name, in characters.
pub const MAX_COMPETENCE_CHARS: usize = 120;
/// The years a `ar` filter accepts.
pub const YEARS: std::ops::RangeInclusive<i32> = 1900..=2100;

/// One facet of the search.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(into = "&'static str")]
pub enum FacetKey {
    Kind,
    District,
    Sector,
    Phase,
    PiviKind,
    Model,
    TargetGroup,
    Competence,
    Year,
    Group,
}

/// Every facet, in the order the search page and the API list them.
pub const FACETS: [FacetKey; 10] = [
    FacetKey::Kind,
    FacetKey::Model,
    FacetKey::District,
    FacetKey::Sector,
    FacetKey::Phase,
    FacetKey::PiviKind,
    FacetKey::TargetGroup,
    FacetKey::Competence,
    FacetKey::Year,
    FacetKey::Group,
];

/// How a facet's values are ordered when shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueOrder {
    /// The closed list's own order (districts as on the map, phases in sequence, …).
    Natural,
    /// Most hits first, only the top [`TOP_COMPETENCES`] (and every selected value).
    MostHits,
    /// Highest value first (years, newest first).
    Descending,
}

/// A value a facet cannot take, in Swedish.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct BadValue(pub String);

impl From<FacetKey> for &'static str {
    fn from(key: FacetKey) -> Self {
        key.name()
    }
}

impl FacetKey {
    /// The URL parameter (and CLI flag): `typ`, `stadsdel`, …
    pub const fn name(self) -> &'static str {
        match self {
            FacetKey::Kind => "typ",
            FacetKey::District => "stadsdel",
            FacetKey::Sector => "sektor",
            FacetKey::Phase => "fas",
            FacetKey::PiviKind => "kategori",
            FacetKey::Model => "modell",
            FacetKey::TargetGroup => "malgrupp",
            FacetKey::Competence => "kompetens",
            FacetKey::Year => "ar",
            FacetKey::Group => "grupp",
        }
    }

    /// The Swedish name shown to people.
    pub const fn label(self) -> &'static str {
        match self {
            FacetKey::Kind => "Typ",
            FacetKey::District => "Stadsdel",
            FacetKey::Sector => "Sektor",
            FacetKey::Phase => "Fas",
            FacetKey::PiviKind => "Kategori",
            FacetKey::Model => "Stödmodell",
            FacetKey::TargetGroup => "Målgrupp",
            FacetKey::Competence => "Kompetens",
            FacetKey::Year => "År",
            FacetKey::Group => "Grupp",
        }
    }

    /// The index's fast field the facet counts.
    pub const fn field(self) -> &'static str {
        match self {
            FacetKey::Kind => "kind",
            FacetKey::District => "district",
            FacetKey::Sector => "sector",
            FacetKey::Phase => "phase",
            FacetKey::PiviKind => "pivi_kind",
            FacetKey::Model => "model",
            FacetKey::TargetGroup => "target_group",
            FacetKey::Competence => "competence",
            FacetKey::Year => "year",
            FacetKey::Group => "group",
        }
    }

    /// How the facet's values are ordered.
    pub const fn order(self) -> ValueOrder {
        match self {
            FacetKey::Competence | FacetKey::Group => ValueOrder::MostHits,
            FacetKey::Year => ValueOrder::Descending,
            _ => ValueOrder::Natural,
        }
    }

    /// A Swedish sentence on what the filter does, for `--help`.
    pub const fn help(self) -> &'static str {
        match self {
            FacetKey::Kind => {
                "Visa bara den här typen (medlem, pivi, artikel, matriscell, dialog, grupp, \
                 diskussion, inlagg); kan upprepas"
            }
            FacetKey::District => "Filtrera på stadsdel (t.ex. angered); kan upprepas",
            FacetKey::Sector => "Filtrera på sektor (t.ex. kommun); kan upprepas",
            FacetKey::Phase => "Filtrera på fas i en fasguide (t.ex. inventering); kan upprepas",
            FacetKey::PiviKind => "Filtrera på kategori i en katalog (t.ex. projekt); kan upprepas",
            FacetKey::Model => "Filtrera på stödmodell (t.ex. pivi); kan upprepas",
            FacetKey::TargetGroup => "Filtrera på pivi-målgrupp (t.ex. unga); kan upprepas",
            FacetKey::Competence => "Filtrera på kompetens; kan upprepas",
            FacetKey::Year => "Filtrera på år (t.ex. 2015); kan upprepas",
            FacetKey::Group => {
                "Visa bara diskussioner och inlägg i gruppen (grupp-id); kan upprepas"
            }
        }
    }

    /// The facet a URL parameter names.
    pub fn from_name(name: &str) -> Option<FacetKey> {
        FACETS.into_iter().find(|key| key.name() == name)
    }

    /// Reads one value and adds it to `filters` (a value already there is not repeated).
    /// Returns whether it was new.
    pub fn add(self, filters: &mut Filters, value: &str) -> Result<bool, BadValue> {
        let bad = |e: &dyn std::fmt::Display| BadValue(e.to_string());
        Ok(match self {
            FacetKey::Kind => {
                let kind = DocKind::from_slug(value).ok_or_else(|| {
                    let allowed: Vec<&str> = DocKind::ALL.iter().map(|k| k.slug()).collect();
                    BadValue(format!(
                        "okänt värde \"{}\"; tillåtna: {}",
                        clip(value),
                        allowed.join(", ")
                    ))
                })?;
                push_unique(&mut filters.kinds, kind)
            }
            FacetKey::District => push_unique(
                &mut filters.districts,
                District::from_slug(value).map_err(|e| bad(&e))?,
            ),
            FacetKey::Sector => push_unique(
                &mut filters.sectors,
                Sector::from_slug(value).map_err(|e| bad(&e))?,
            ),
            FacetKey::Phase => push_unique(
                &mut filters.phases,
                Slug::new(value.trim()).map_err(|e| bad(&e))?,
            ),
            FacetKey::PiviKind => push_unique(
                &mut filters.pivi_kinds,
                Slug::new(value.trim()).map_err(|e| bad(&e))?,
            ),
            FacetKey::Model => push_unique(
                &mut filters.models,
                Slug::new(value.trim()).map_err(|e| bad(&e))?,
            ),
            FacetKey::TargetGroup => push_unique(
                &mut filters.target_groups,
                TargetGroup::from_slug(value).map_err(|e| bad(&e))?,
            ),
            FacetKey::Competence => {
                if value.chars().count() > MAX_COMPETENCE_CHARS {
                    return Err(BadValue(format!(
                        "får vara högst {MAX_COMPETENCE_CHARS} tecken"
                    )));
                }
                push_unique(
                    &mut filters.competences,
                    crate::model::competence_key(value),
                )
            }
            FacetKey::Year => {
                // Read as a non-negative number first: "-5" is no year at all.
                let year: usize = value
                    .trim()
                    .parse()
                    .map_err(|_| BadValue(format!("\"{}\" är inget heltal", clip(value))))?;
                let year = i32::try_from(year)
                    .ok()
                    .filter(|y| YEARS.contains(y))
                    .ok_or_else(|| {
                        BadValue(format!(
                            "måste vara mellan {} och {}",
                            YEARS.start(),
                            YEARS.end()
                        ))
                    })?;
                push_unique(&mut filters.years, year)
            }
            FacetKey::Group => push_unique(
                &mut filters.groups,
                crate::model::Slug::new(value.trim()).map_err(|e| bad(&e))?,
            ),
        })
    }

    /// How many values `filters` holds for this facet.
    pub fn count(self, filters: &Filters) -> usize {
        match self {
            FacetKey::Kind => filters.kinds.len(),
            FacetKey::District => filters.districts.len(),
            FacetKey::Sector => filters.sectors.len(),
            FacetKey::Phase => filters.phases.len(),
            FacetKey::PiviKind => filters.pivi_kinds.len(),
            FacetKey::Model => filters.models.len(),
            FacetKey::TargetGroup => filters.target_groups.len(),
            FacetKey::Competence => filters.competences.len(),
            FacetKey::Year => filters.years.len(),
            FacetKey::Group => filters.groups.len(),
        }
    }

    /// The values `filters` selects for this facet, as the index stores them.
    pub fn selected(self, filters: &Filters) -> Vec<String> {
        fn slugs<T: Copy>(values: &[T], slug: impl Fn(T) -> &'static str) -> Vec<String> {
            values.iter().map(|v| slug(*v).to_string()).collect()
        }
        match self {
            FacetKey::Kind => slugs(&filters.kinds, DocKind::slug),
            FacetKey::District => slugs(&filters.districts, District::slug),
            FacetKey::Sector => slugs(&filters.sectors, Sector::slug),
            FacetKey::Phase => filters.phases.iter().map(|v| v.to_string()).collect(),
            FacetKey::PiviKind => filters.pivi_kinds.iter().map(|v| v.to_string()).collect(),
            FacetKey::Model => filters.models.iter().map(|v| v.to_string()).collect(),
            FacetKey::TargetGroup => slugs(&filters.target_groups, TargetGroup::slug),
            FacetKey::Competence => filters
                .competences
                .iter()
                .map(|c| c.trim().to_lowercase())
                .collect(),
            FacetKey::Year => filters.years.iter().map(|y| y.to_string()).collect(),
            FacetKey::Group => filters.groups.iter().map(|g| g.to_string()).collect(),
        }
    }

    /// The Swedish label of one of the facet's values (the value itself when it has none),
    /// and its position in the facet's natural order.
    pub fn value_label(self, value: &str) -> (String, usize) {
        fn find<T: Copy + PartialEq>(
            all: &[T],
            item: Option<T>,
            label: impl Fn(T) -> &'static str,
            value: &str,
        ) -> (String, usize) {
            let rank = item
                .and_then(|i| all.iter().position(|a| *a == i))
                .unwrap_or(usize::MAX);
            (
                item.map_or_else(|| value.to_string(), |i| label(i).to_string()),
                rank,
            )
        }
        match self {
            FacetKey::Kind => find(
                DocKind::ALL,
                DocKind::from_slug(value),
                DocKind::label,
                value,
            ),
            FacetKey::District => find(
                District::ALL,
                District::from_slug(value).ok(),
                District::label,
                value,
            ),
            FacetKey::Sector => find(
                Sector::ALL,
                Sector::from_slug(value).ok(),
                Sector::label,
                value,
            ),
            FacetKey::Phase | FacetKey::PiviKind | FacetKey::Model => seed_label(self, value),
            FacetKey::TargetGroup => find(
                TargetGroup::ALL,
                TargetGroup::from_slug(value).ok(),
                TargetGroup::label,
                value,
            ),
            FacetKey::Competence | FacetKey::Year | FacetKey::Group => (value.to_string(), 0),
        }
    }
}

/// A model facet's label and rank from the seed models (the three the site started with);
/// the app relabels the values of models added later from the database (see
/// [`relabel`]).
fn seed_label(key: FacetKey, value: &str) -> (String, usize) {
    let labels: Vec<(String, String)> = model_facet_values(key, &seed_models());
    labels.iter().position(|(v, _)| v == value).map_or_else(
        || (value.to_string(), usize::MAX),
        |i| (labels[i].1.clone(), i),
    )
}

/// The values a model facet (`modell`, `kategori`, `fas`) can take among `models`, with
/// their labels, in their natural order (models in order, then their categories or phases
/// in order). Other facets have none.
pub fn model_facet_values(
    key: FacetKey,
    models: &[crate::model::SupportModel],
) -> Vec<(String, String)> {
    let mut values: Vec<(String, String)> = Vec::new();
    for model in models {
        match key {
            FacetKey::Model => values.push((model.id.to_string(), model.name.clone())),
            FacetKey::PiviKind => values.extend(
                model
                    .categories
                    .iter()
                    .map(|c| (c.id.to_string(), c.name.clone())),
            ),
            FacetKey::Phase => values.extend(
                model
                    .phases
                    .iter()
                    .map(|p| (p.id.to_string(), p.name.clone())),
            ),
            _ => {}
        }
    }
    // A slug two models share keeps its first label and place.
    let mut seen = std::collections::HashSet::new();
    values.retain(|(v, _)| seen.insert(v.clone()));
    values
}

/// Gives the values of the model facets of `facets` their labels and order from `models`
/// (values no model names keep their slug and come last).
pub fn relabel(facets: &mut [super::request::Facet], models: &[crate::model::SupportModel]) {
    for facet in facets {
        let Some(key) = FacetKey::from_name(facet.name) else {
            continue;
        };
        if !matches!(key, FacetKey::Phase | FacetKey::PiviKind | FacetKey::Model) {
            continue;
        }
        let known = model_facet_values(key, models);
        let rank = |value: &str| known.iter().position(|(v, _)| v == value);
        for value in &mut facet.values {
            if let Some(i) = rank(&value.value) {
                value.label = known[i].1.clone();
            }
        }
        facet.values.sort_by(|a, b| {
            let (ra, rb) = (rank(&a.value), rank(&b.value));
            ra.is_none()
                .cmp(&rb.is_none())
                .then(ra.cmp(&rb))
                .then_with(|| a.value.cmp(&b.value))
        });
    }
}

/// Names hits of support-model content by their model when it is not one of the seeded
/// three (whose kinds' names — "pivi", "Dialogverktyget", … — are the models' own): a new
/// guide's text is labelled "Ungas inflytande", not "Dialogverktyget".
pub fn label_hits(hits: &mut [super::request::Hit], models: &[crate::model::SupportModel]) {
    let seeded: Vec<String> = crate::model::seed_models()
        .iter()
        .map(|m| m.id.to_string())
        .collect();
    for hit in hits {
        if !matches!(
            hit.kind,
            DocKind::Pivi | DocKind::Dialogue | DocKind::Article | DocKind::MatrixCell
        ) {
            continue;
        }
        let first = hit
            .url
            .trim_start_matches('/')
            .split(['/', '?', '#'])
            .next();
        let Some(model) = first.and_then(|id| models.iter().find(|m| m.id.as_str() == id)) else {
            continue;
        };
        if seeded.iter().any(|id| id == model.id.as_str()) {
            continue;
        }
        hit.label = Some(match hit.kind {
            DocKind::Article => format!("Artikel – {}", model.area),
            _ => model.area.clone(),
        });
    }
}

fn push_unique<T: PartialEq>(list: &mut Vec<T>, value: T) -> bool {
    if list.contains(&value) {
        return false;
    }
    list.push(value);
    true
}

/// A value quoted in a message, cut to 40 characters.
pub(crate) fn clip(value: &str) -> String {
    value.chars().take(40).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_fields_and_labels_are_unique() {
        for (i, a) in FACETS.iter().enumerate() {
            assert_eq!(FacetKey::from_name(a.name()), Some(*a));
            for b in &FACETS[i + 1..] {
                assert_ne!(a.name(), b.name());
                assert_ne!(a.field(), b.field());
                assert_ne!(a.label(), b.label());
            }
        }
        assert_eq!(FacetKey::from_name("okänd"), None);
    }

    #[test]
    fn every_value_a_facet_adds_reads_back_with_its_label() {
        let cases = [
            (FacetKey::Kind, "pivi", "pivi"),
            (FacetKey::District, "angered", "Angered"),
            (FacetKey::Sector, "kommun", "Göteborgs Stad"),
            (FacetKey::Phase, "inventering", "Inventering"),
            (FacetKey::PiviKind, "ide", "Idé"),
            (
                FacetKey::Model,
                "pivi",
                "pivi – projekt, idéer, verksamheter, inspiration",
            ),
            (FacetKey::TargetGroup, "aldre", "Äldre"),
            (FacetKey::Competence, "Medborgardialog", "medborgardialog"),
            (FacetKey::Year, "2015", "2015"),
            (FacetKey::Group, "trygghet", "trygghet"),
        ];
        for (key, value, label) in cases {
            let mut filters = Filters::default();
            assert_eq!(key.add(&mut filters, value), Ok(true), "{key:?}");
            assert_eq!(key.add(&mut filters, value), Ok(false), "{key:?} twice");
            assert_eq!(key.count(&filters), 1);
            let selected = key.selected(&filters);
            assert_eq!(selected, [value.to_lowercase()]);
            assert_eq!(
                key.value_label(&selected[0]).0.to_lowercase(),
                label.to_lowercase()
            );
        }
    }

    #[test]
    fn bad_values_are_refused_in_swedish() {
        let mut filters = Filters::default();
        for (key, value) in [
            (FacetKey::Kind, "x"),
            (FacetKey::District, "mölndal"),
            (FacetKey::Year, "20155"),
            (FacetKey::Year, "abc"),
            (FacetKey::Year, "-5"),
        ] {
            assert!(key.add(&mut filters, value).is_err(), "{key:?} {value}");
        }
        let long = "k".repeat(MAX_COMPETENCE_CHARS + 1);
        assert!(FacetKey::Competence.add(&mut filters, &long).is_err());
        assert!(filters.is_empty());
        assert_eq!(
            FacetKey::Year.add(&mut filters, "-5"),
            Err(BadValue("\"-5\" är inget heltal".into()))
        );
        assert_eq!(
            FacetKey::Year.add(&mut filters, "99999999999"),
            Err(BadValue("måste vara mellan 1900 och 2100".into()))
        );
    }

    #[test]
    fn model_facets_take_labels_and_order_from_the_models() {
        use crate::search::request::{Facet, FacetValue};
        let mut models = seed_models();
        let mut guide = models[2].clone();
        guide.id = Slug::new("ungas-inflytande").unwrap();
        guide.name = "Ungas inflytande".into();
        guide.phases.truncate(1);
        guide.phases[0].id = Slug::new("ungdomsrad").unwrap();
        guide.phases[0].name = "Ungdomsråd".into();
        models.push(guide);
        let value = |v: &str| FacetValue {
            value: v.into(),
            label: v.into(),
            count: 1,
            selected: false,
        };
        let mut facets = vec![
            Facet {
                name: "fas",
                label: "Fas",
                values: vec![value("okand"), value("ungdomsrad"), value("inventering")],
            },
            Facet {
                name: "stadsdel",
                label: "Stadsdel",
                values: vec![value("x")],
            },
        ];
        relabel(&mut facets, &models);
        let shown: Vec<(&str, &str)> = facets[0]
            .values
            .iter()
            .map(|v| (v.value.as_str(), v.label.as_str()))
            .collect();
        assert_eq!(
            shown,
            [
                ("inventering", "Inventering"),
                ("ungdomsrad", "Ungdomsråd"),
                ("okand", "okand")
            ]
        );
        assert_eq!(facets[1].values[0].label, "x");
        // Without the database, the seed's labels.
        assert_eq!(FacetKey::Phase.value_label("inventering").0, "Inventering");
        assert_eq!(FacetKey::Phase.value_label("ungdomsrad").0, "ungdomsrad");
    }

    #[test]
    fn serialises_as_its_url_name() {
        assert_eq!(
            serde_json::to_string(&FacetKey::TargetGroup)
                .ok()
                .as_deref(),
            Some("\"malgrupp\"")
        );
    }
}
