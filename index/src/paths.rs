//! The site's page addresses in one place: the index stores them in its documents, the
//! views link to them, and the feeds and sitemap list them.

use std::fmt::Display;

/// A member's profile.
pub fn member(id: impl Display) -> String {
    format!("/medlemmar/{id}")
}

/// The page of a competence: who has it, and what goes with it.
pub fn competence(name: &str) -> String {
    format!("/kompetens/{}", crate::model::competence_slug(name))
}

/// A logged-in member's colleague matches ("Hitta kollegor").
pub const MATCH_MEMBERS: &str = "/medlemmar/matcha";

/// Where a logged-in member edits their profile.
pub const EDIT_PROFILE: &str = "/profil/redigera";

/// The first path segments the site itself uses: no support model may take one as its
/// address (a test checks that every route of the router is here).
pub const RESERVED: &[&str] = &[
    "admin",
    "api",
    // `/flode/artiklar.atom` is the first matrix's feed: no model's feed may take its name.
    "artiklar",
    "aterstall",
    "favicon.ico",
    "flode",
    "forslag",
    "glomt-losenord",
    "grupper",
    "handelser",
    "healthz",
    "integritetspolicy",
    "kallkod",
    "kompetens",
    "kontakt",
    "logga-in",
    "logga-ut",
    "medlemmar",
    "medlemssida",
    "moderering",
    "notiser",
    "om",
    "opensearch.xml",
    "profil",
    "readyz",
    "registrera",
    "robots.txt",
    "sammanfattning",
    "sida",
    "sitemap.xml",
    "sok",
    "static",
    "tillganglighet",
    "vem",
    "vem-kan",
    "verifiera",
    "villkor",
];

/// Whether `segment` is a first path segment the site uses itself.
pub fn is_reserved(segment: &str) -> bool {
    RESERVED.contains(&segment)
}

/// A support model's Atom feed (`/flode/pivi.atom`); the first matrix's is
/// `/flode/artiklar.atom`, as it always was.
pub fn model_feed(model: impl Display) -> String {
    let model = model.to_string();
    if model == "stadsutveckling" {
        "/flode/artiklar.atom".to_string()
    } else {
        format!("/flode/{model}.atom")
    }
}

/// A support model's overview page.
pub fn model(model: impl Display) -> String {
    format!("/{model}")
}

/// An entry of a catalogue (`/pivi/{id}`).
pub fn pivi_entry(model: impl Display, id: impl Display) -> String {
    format!("/{model}/{id}")
}

/// A cell of a knowledge matrix (`/stadsutveckling/{row}/{column}`).
pub fn matrix_cell(model: impl Display, row: impl Display, column: impl Display) -> String {
    format!("/{model}/{row}/{column}")
}

/// An article of a knowledge matrix (`/stadsutveckling/artiklar/{id}`).
pub fn article(model: impl Display, id: impl Display) -> String {
    format!("/{model}/artiklar/{id}")
}

/// A phase of a phased guide (`/medinflytande/{phase}`).
pub fn dialogue_phase(model: impl Display, phase: impl Display) -> String {
    format!("/{model}/{phase}")
}

/// A text of a phased guide (`/medinflytande/{phase}/{id}`).
pub fn dialogue_text(model: impl Display, phase: impl Display, id: impl Display) -> String {
    format!("/{model}/{phase}/{id}")
}

/// A group.
pub fn group(id: impl Display) -> String {
    format!("/grupper/{id}")
}

/// A discussion thread of a group.
pub fn thread(group: impl Display, id: impl Display) -> String {
    format!("/grupper/{group}/{id}")
}

/// How many posts a thread's page shows.
pub const POSTS_PER_PAGE: usize = 50;

/// The post at `rank` (0 for the opening post) of a thread: its page and its anchor
/// `inlagg-{rank + 1}`.
pub fn post(group: impl Display, thread_id: impl Display, rank: usize) -> String {
    let page = rank / POSTS_PER_PAGE + 1;
    let anchor = rank + 1;
    if page == 1 {
        format!("/grupper/{group}/{thread_id}#inlagg-{anchor}")
    } else {
        format!("/grupper/{group}/{thread_id}?sida={page}#inlagg-{anchor}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses() {
        assert_eq!(member("anna"), "/medlemmar/anna");
        assert_eq!(pivi_entry("pivi", "x"), "/pivi/x");
        assert_eq!(
            competence(" Trygghet på torg "),
            "/kompetens/trygghet-pa-torg"
        );
        assert_eq!(
            matrix_cell("stadsutveckling", "r", "c"),
            "/stadsutveckling/r/c"
        );
        assert_eq!(
            article("stadsutveckling", "a"),
            "/stadsutveckling/artiklar/a"
        );
        assert_eq!(
            dialogue_phase("medinflytande", "inventering"),
            "/medinflytande/inventering"
        );
        assert_eq!(
            dialogue_text("medinflytande", "inventering", "t"),
            "/medinflytande/inventering/t"
        );
        assert!(is_reserved("sok") && !is_reserved("pivi"));
        assert_eq!(group("g"), "/grupper/g");
        assert_eq!(thread("g", "t"), "/grupper/g/t");
        assert_eq!(post("g", "t", 0), "/grupper/g/t#inlagg-1");
        assert_eq!(post("g", "t", 50), "/grupper/g/t?sida=2#inlagg-51");
    }
}
