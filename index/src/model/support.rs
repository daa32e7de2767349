//! The registry of support models (stödmodeller); a new one is added here.

/// A public support model: an area of work and the tool hallbar offers for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SupportModel {
    /// Stable slug.
    pub slug: &'static str,
    /// The area of work, e.g. "Stadsutveckling".
    pub area: &'static str,
    /// The tool's name, e.g. "Kunskapsmatris".
    pub name: &'static str,
    /// A short introduction, in Swedish.
    pub intro: &'static str,
    /// Where the model lives on the site.
    pub path: &'static str,
}

const MODELS: &[SupportModel] = &[
    SupportModel {
        slug: "stadsutveckling",
        area: "Stadsutveckling",
        name: "Kunskapsmatris",
        intro: "Systematiserad kunskap om Göteborgs mellanrum och stadsrum, med artiklar för \
                fördjupning i varje ruta.",
        path: "/stadsutveckling",
    },
    SupportModel {
        slug: "pivi",
        area: "Social utveckling",
        name: "pivi – projekt, idéer, verksamheter, inspiration",
        intro: "Projekt och verksamheter inom socialt utvecklingsarbete i Göteborg som sticker \
                ut och är värda att dela med sig av.",
        path: "/pivi",
    },
    SupportModel {
        slug: "medinflytande",
        area: "Medinflytande",
        name: "Dialogverktyget",
        intro: "Texter, checklistor och erfarenheter för dialogens fyra faser: förberedelser, \
                inventering, genomförande och uppföljning.",
        path: "/medinflytande",
    },
];

/// Every support model, in the order the site shows them.
pub fn support_models() -> &'static [SupportModel] {
    MODELS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_and_paths_are_unique() {
        let models = support_models();
        assert_eq!(models.len(), 3);
        for (i, a) in models.iter().enumerate() {
            for b in &models[i + 1..] {
                assert_ne!(a.slug, b.slug);
                assert_ne!(a.path, b.path);
            }
        }
    }
}
