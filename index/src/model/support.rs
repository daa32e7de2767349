//! Support models (stödmodeller): instances of three kinds — a knowledge matrix, a
//! catalogue and a phased guide — kept in the database; the three the site started with are
//! the seed.

use serde::{Deserialize, Serialize};

use super::validate::{Checker, FieldError, Validate, limits};
use super::{ModelKind, Slug};

/// The most categories or phases a model may have.
pub const MAX_STRUCTURE_VALUES: usize = 20;

/// A public support model: an area of work and the tool hallbar offers for it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SupportModel {
    /// The address slug: the model lives at `/{id}`.
    pub id: Slug,
    #[serde(rename = "typ")]
    pub kind: ModelKind,
    /// The area of work, as the navigation names it, e.g. "Stadsutveckling".
    #[serde(rename = "omrade")]
    pub area: String,
    /// The tool's name, e.g. "Kunskapsmatris".
    #[serde(rename = "namn")]
    pub name: String,
    /// A short introduction, in Swedish.
    #[serde(rename = "introduktion")]
    pub intro: String,
    /// A catalogue's categories, in display order (empty for other kinds).
    #[serde(rename = "kategorier", default)]
    pub categories: Vec<Category>,
    /// A phased guide's phases, in order (empty for other kinds).
    #[serde(rename = "faser", default)]
    pub phases: Vec<GuidePhase>,
}

/// One category of a catalogue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Category {
    pub id: Slug,
    #[serde(rename = "namn")]
    pub name: String,
}

/// One phase of a phased guide.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GuidePhase {
    pub id: Slug,
    #[serde(rename = "namn")]
    pub name: String,
    #[serde(rename = "beskrivning", default)]
    pub description: String,
}

impl SupportModel {
    /// The model's overview page.
    pub fn path(&self) -> String {
        crate::paths::model(&self.id)
    }

    /// The tool's short name, when its name starts with one (`pivi` of "pivi – projekt,
    /// idéer, …").
    fn short_name(&self) -> Option<&str> {
        self.name.split_once(" – ").map(|(short, _)| short.trim())
    }

    /// What the navigation calls the model: its area, and the tool's short name when it has
    /// one ("Stadsutveckling", "Social utveckling – pivi").
    pub fn nav_label(&self) -> String {
        match self.short_name() {
            Some(short) => format!("{} – {short}", self.area),
            None => self.area.clone(),
        }
    }

    /// The pages' title: "Stadsutveckling – kunskapsmatris", "Social utveckling – pivi", or
    /// the area alone when it is the tool's name.
    pub fn title(&self) -> String {
        if self.short_name().is_some() {
            return self.nav_label();
        }
        if self.area == self.name {
            return self.area.clone();
        }
        let mut chars = self.name.chars();
        let name = match chars.next() {
            Some(first) => first.to_lowercase().chain(chars).collect::<String>(),
            None => String::new(),
        };
        format!("{} – {name}", self.area)
    }

    /// The model's Atom feed: a matrix's new articles, a catalogue's new entries, a guide's
    /// new texts (the first matrix's feed kept its first address, `/flode/artiklar.atom`).
    pub fn feed_path(&self) -> String {
        crate::paths::model_feed(&self.id)
    }

    pub fn category(&self, id: &str) -> Option<&Category> {
        self.categories.iter().find(|c| c.id.as_str() == id)
    }

    pub fn phase(&self, id: &str) -> Option<&GuidePhase> {
        self.phases.iter().find(|p| p.id.as_str() == id)
    }

    /// The category's name, or the slug itself when the model has no such category.
    pub fn category_name<'a>(&'a self, id: &'a str) -> &'a str {
        self.category(id).map_or(id, |c| c.name.as_str())
    }

    /// The phase's name, or the slug itself when the model has no such phase.
    pub fn phase_name<'a>(&'a self, id: &'a str) -> &'a str {
        self.phase(id).map_or(id, |p| p.name.as_str())
    }
}

/// Why a catalogue entry does not fit its model among `models` (none, not a catalogue, or
/// not one of its categories); empty when it fits. Every write path checks this.
pub fn check_entry(models: &[SupportModel], entry: &super::PiviEntry) -> Vec<FieldError> {
    let mut c = Checker::default();
    if let Some(model) = belongs_to(&mut c, models, &entry.model, ModelKind::Catalogue)
        && model.category(entry.kind.as_str()).is_none()
    {
        c.fail(
            "kategori",
            format!(
                "\"{}\" är ingen kategori i \"{}\"; tillåtna: {}",
                entry.kind,
                model.id,
                allowed(model.categories.iter().map(|c| &c.id))
            ),
        );
    }
    c.finish()
}

/// Why a guide text does not fit its model among `models` (none, not a phased guide, or
/// not one of its phases); empty when it fits. Every write path checks this.
pub fn check_text(models: &[SupportModel], text: &super::DialogueText) -> Vec<FieldError> {
    let mut c = Checker::default();
    if let Some(model) = belongs_to(&mut c, models, &text.model, ModelKind::Guide)
        && model.phase(text.phase.as_str()).is_none()
    {
        c.fail(
            "fas",
            format!(
                "\"{}\" är ingen fas i \"{}\"; tillåtna: {}",
                text.phase,
                model.id,
                allowed(model.phases.iter().map(|p| &p.id))
            ),
        );
    }
    c.finish()
}

/// The model `id` of `kind`, or a message at `modell` why there is none.
fn belongs_to<'a>(
    c: &mut Checker,
    models: &'a [SupportModel],
    id: &Slug,
    kind: ModelKind,
) -> Option<&'a SupportModel> {
    match find_model(models, id.as_str()) {
        None => {
            c.fail("modell", format!("stödmodellen \"{id}\" finns inte"));
            None
        }
        Some(model) if model.kind != kind => {
            c.fail(
                "modell",
                format!(
                    "\"{id}\" är ingen {} utan en {}",
                    kind.label().to_lowercase(),
                    model.kind.label().to_lowercase()
                ),
            );
            None
        }
        Some(model) => Some(model),
    }
}

fn allowed<'a>(ids: impl Iterator<Item = &'a Slug>) -> String {
    ids.map(Slug::as_str).collect::<Vec<_>>().join(", ")
}

/// Among `models`, the one with `id`.
pub fn find_model<'a>(models: &'a [SupportModel], id: &str) -> Option<&'a SupportModel> {
    models.iter().find(|m| m.id.as_str() == id)
}

/// The matrix model a matrix belongs to: the one with the matrix's id, else (matrices
/// imported before models existed, under any id) the first matrix model.
pub fn model_of_matrix<'a>(
    models: &'a [SupportModel],
    matrix_id: &str,
) -> Option<&'a SupportModel> {
    let matrices = || models.iter().filter(|m| m.kind == ModelKind::Matrix);
    matrices()
        .find(|m| m.id.as_str() == matrix_id)
        .or_else(|| matrices().next())
}

impl Validate for SupportModel {
    fn validate(&self) -> Vec<FieldError> {
        let mut c = Checker::default();
        c.text("omrade", &self.area, 1, limits::SHORT);
        c.text("namn", &self.name, 1, limits::SHORT);
        c.text("introduktion", &self.intro, 1, limits::SUMMARY);
        if crate::paths::is_reserved(self.id.as_str()) {
            c.fail(
                "id",
                format!(
                    "adressen \"{}\" används redan av webbplatsen; välj en annan",
                    self.id
                ),
            );
        }
        let (needs_categories, needs_phases) = match self.kind {
            ModelKind::Matrix => (false, false),
            ModelKind::Catalogue => (true, false),
            ModelKind::Guide => (false, true),
        };
        structure(
            &mut c,
            "kategorier",
            needs_categories,
            self.categories.iter().map(|v| (&v.id, &v.name)),
        );
        structure(
            &mut c,
            "faser",
            needs_phases,
            self.phases.iter().map(|v| (&v.id, &v.name)),
        );
        for (i, phase) in self.phases.iter().enumerate() {
            c.text(
                &format!("faser[{i}].beskrivning"),
                &phase.description,
                0,
                limits::SUMMARY,
            );
        }
        c.finish()
    }
}

/// A kind's list of values: required (1–[`MAX_STRUCTURE_VALUES`], unique ids) or absent.
fn structure<'a>(
    c: &mut Checker,
    field: &str,
    required: bool,
    values: impl ExactSizeIterator<Item = (&'a Slug, &'a String)>,
) {
    let len = values.len();
    if !required {
        if len > 0 {
            c.fail(field, "hör inte till den här typen av stödmodell");
        }
        return;
    }
    if len == 0 || len > MAX_STRUCTURE_VALUES {
        c.fail(field, format!("måste ha 1–{MAX_STRUCTURE_VALUES} värden"));
    }
    let mut seen = std::collections::HashSet::new();
    for (i, (id, name)) in values.enumerate() {
        c.text(&format!("{field}[{i}].namn"), name, 1, limits::SHORT);
        if !seen.insert(id) {
            c.fail(
                format!("{field}[{i}]"),
                format!("\"{id}\" förekommer mer än en gång"),
            );
        }
    }
}

fn slug(value: &str) -> Slug {
    Slug::new(value).expect("the seed's slugs are valid")
}

/// The three support models the site started with, exactly as the first migration with
/// models seeds them (tests and the demo use this list).
pub fn seed_models() -> Vec<SupportModel> {
    let category = |id: &str, name: &str| Category {
        id: slug(id),
        name: name.to_string(),
    };
    let phase = |id: &str, name: &str, description: &str| GuidePhase {
        id: slug(id),
        name: name.to_string(),
        description: description.to_string(),
    };
    vec![
        SupportModel {
            id: slug("stadsutveckling"),
            kind: ModelKind::Matrix,
            area: "Stadsutveckling".into(),
            name: "Kunskapsmatris".into(),
            intro: "Systematiserad kunskap om Göteborgs mellanrum och stadsrum, med artiklar \
                    för fördjupning i varje ruta."
                .into(),
            categories: Vec::new(),
            phases: Vec::new(),
        },
        SupportModel {
            id: slug("pivi"),
            kind: ModelKind::Catalogue,
            area: "Social utveckling".into(),
            name: "pivi – projekt, idéer, verksamheter, inspiration".into(),
            intro: "Projekt och verksamheter inom socialt utvecklingsarbete i Göteborg som \
                    sticker ut och är värda att dela med sig av."
                .into(),
            categories: vec![
                category("projekt", "Projekt"),
                category("ide", "Idé"),
                category("verksamhet", "Verksamhet"),
                category("inspiration", "Inspiration"),
            ],
            phases: Vec::new(),
        },
        SupportModel {
            id: slug("medinflytande"),
            kind: ModelKind::Guide,
            area: "Medinflytande".into(),
            name: "Dialogverktyget".into(),
            intro: "Texter, checklistor och erfarenheter för dialogens fyra faser: \
                    förberedelser, inventering, genomförande och uppföljning."
                .into(),
            categories: Vec::new(),
            phases: vec![
                phase(
                    "forberedelser",
                    "Förberedelser",
                    "Innan dialogen börjar: varför ska vi ha dialog, om vad, med vilka, och \
                     vad kan deltagarna faktiskt påverka? Här läggs syfte, avgränsningar och \
                     resurser fast.",
                ),
                phase(
                    "inventering",
                    "Inventering",
                    "Vilka berörs och vilka hörs sällan? Kartlägg aktörer, tidigare dialoger \
                     och den kunskap som redan finns i området, så att ingen grupp glöms bort.",
                ),
                phase(
                    "genomforande",
                    "Genomförande",
                    "Själva mötena: metoder och platser som gör det lätt att delta, tydliga \
                     ramar och dokumentation som deltagarna känner igen sig i.",
                ),
                phase(
                    "uppfoljning",
                    "Uppföljning",
                    "Efter dialogen: återkoppla vad som hände med synpunkterna, utvärdera \
                     processen och ta lärdomarna vidare till nästa gång.",
                ),
            ],
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_seed_is_valid_and_unique() {
        let models = seed_models();
        assert_eq!(models.len(), 3);
        for m in &models {
            assert_eq!(m.validate(), Vec::new(), "{}", m.id);
        }
        assert_eq!(models[0].title(), "Stadsutveckling – kunskapsmatris");
        assert_eq!(models[1].title(), "Social utveckling – pivi");
        assert_eq!(models[2].title(), "Medinflytande – dialogverktyget");
        assert_eq!(models[1].category_name("ide"), "Idé");
        assert_eq!(models[2].phase_name("okand"), "okand");
    }

    #[test]
    fn structure_and_addresses_are_checked_in_swedish() {
        let mut m = seed_models().remove(2);
        m.id = slug("sok");
        m.phases.push(m.phases[0].clone());
        m.categories.push(Category {
            id: slug("x"),
            name: "X".into(),
        });
        let fields: Vec<String> = m.validate().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["id", "kategorier", "faser[4]"]);
        m.phases.clear();
        m.categories.clear();
        let errors = m.validate();
        assert_eq!(errors[1].to_string(), "faser: måste ha 1–20 värden");
        assert!(errors[0].message.contains("används redan"));
        let mut wrong = seed_models().remove(0);
        wrong.kind = ModelKind::Catalogue;
        assert_eq!(wrong.validate()[0].field, "kategorier");
    }

    #[test]
    fn a_matrix_belongs_to_its_model_or_the_first_matrix_model() {
        let mut models = seed_models();
        let mut other = models[0].clone();
        other.id = slug("gronska");
        models.push(other);
        assert_eq!(
            model_of_matrix(&models, "gronska").unwrap().id.as_str(),
            "gronska"
        );
        assert_eq!(
            model_of_matrix(&models, "m").unwrap().id.as_str(),
            "stadsutveckling"
        );
    }
}
