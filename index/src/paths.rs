//! The site's page addresses in one place: the index stores them in its documents, the
//! views link to them, and the feeds and sitemap list them.

use std::fmt::Display;

use crate::model::Phase;

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

/// A pivi entry.
pub fn pivi_entry(id: impl Display) -> String {
    format!("/pivi/{id}")
}

/// A cell of the knowledge matrix.
pub fn matrix_cell(row: impl Display, column: impl Display) -> String {
    format!("/stadsutveckling/{row}/{column}")
}

/// A knowledge-matrix article.
pub fn article(id: impl Display) -> String {
    format!("/stadsutveckling/artiklar/{id}")
}

/// A phase of the dialogue tool.
pub fn dialogue_phase(phase: Phase) -> String {
    format!("/medinflytande/{}", phase.slug())
}

/// A text of the dialogue tool.
pub fn dialogue_text(phase: Phase, id: impl Display) -> String {
    format!("/medinflytande/{}/{id}", phase.slug())
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
        assert_eq!(pivi_entry("x"), "/pivi/x");
        assert_eq!(
            competence(" Trygghet på torg "),
            "/kompetens/trygghet-pa-torg"
        );
        assert_eq!(matrix_cell("r", "c"), "/stadsutveckling/r/c");
        assert_eq!(article("a"), "/stadsutveckling/artiklar/a");
        assert_eq!(
            dialogue_phase(Phase::ALL[0]),
            format!("/medinflytande/{}", Phase::ALL[0].slug())
        );
        assert_eq!(
            dialogue_text(Phase::ALL[0], "t"),
            format!("/medinflytande/{}/t", Phase::ALL[0].slug())
        );
        assert_eq!(group("g"), "/grupper/g");
        assert_eq!(thread("g", "t"), "/grupper/g/t");
        assert_eq!(post("g", "t", 0), "/grupper/g/t#inlagg-1");
        assert_eq!(post("g", "t", 50), "/grupper/g/t?sida=2#inlagg-51");
    }
}
