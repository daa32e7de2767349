//! Editing support models' content on the web: items, drafts, revisions with readable
//! diffs, publishing through the write path, and members' proposals.

pub mod diff;
pub mod fields;
pub mod item;
pub mod publish;
pub mod values;

pub use item::{CellItem, Item, ItemKind};
