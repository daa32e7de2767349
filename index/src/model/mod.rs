//! The content model: every type a member, visitor or admin can find in hallbar.

mod closed;
mod competence;
mod dialogue;
mod group;
mod matrix;
mod member;
mod pivi;
mod slug;
mod support;
mod validate;
mod web_address;

pub use closed::{
    ContentKind, DialogueKind, District, GroupAccess, ModelKind, ProfileVisibility, Sector,
    TargetGroup, UnknownValue,
};
pub use competence::{competence_key, competence_slug, normalise_competence};
pub use dialogue::DialogueText;
pub use group::{Group, MAX_POSTS, Post, Thread};
pub use matrix::{Article, Axis, AxisValue, Cell, CellRef, MAX_AXIS_VALUES, Matrix};
pub use member::Member;
pub use pivi::{Contact, Link, Period, PiviEntry};
pub use slug::{InvalidSlug, MAX_SLUG_LEN, Slug};
pub use support::{
    Category, GuidePhase, MAX_STRUCTURE_VALUES, SupportModel, check_entry, check_text, find_model,
    model_of_matrix, seed_models,
};
pub use validate::{FieldError, Validate, limits};
pub use web_address::{WebAddressError, web_address};

/// How much the corpus holds, per kind of content (shown on the start page).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CorpusCounts {
    pub members: i64,
    pub groups: i64,
    pub threads: i64,
    pub posts: i64,
    pub pivi_entries: i64,
    pub matrix_cells: i64,
    pub articles: i64,
    pub dialogue_texts: i64,
}
