//! The index crate's integration tests, one module per concern: the analyzer's case list,
//! counting against a plain pass, member matching, search behaviour, and the crate's
//! module layering.

mod analyzer_cases;
mod counting;
mod layering;
mod matching;
mod search;

/// The seed catalogue's categories, as the tests name them (pivi's categories are data now).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProjectKind {
    Project,
    Idea,
    Activity,
    Inspiration,
}

impl ProjectKind {
    pub const ALL: [ProjectKind; 4] = [
        ProjectKind::Project,
        ProjectKind::Idea,
        ProjectKind::Activity,
        ProjectKind::Inspiration,
    ];

    /// The category's slug in the seed catalogue.
    pub fn slug(self) -> hallbar_index::Slug {
        let slug = match self {
            ProjectKind::Project => "projekt",
            ProjectKind::Idea => "ide",
            ProjectKind::Activity => "verksamhet",
            ProjectKind::Inspiration => "inspiration",
        };
        hallbar_index::Slug::new(slug).expect("a valid slug")
    }
}
