//! hallbar's views: maud functions that render the content model as Swedish, accessible
//! HTML. Nothing here knows about HTTP or SQL.

pub mod assets;
pub mod components;
pub mod layout;
pub mod markdown;
pub mod pages;

pub use layout::{HeaderAccount, NavModel, Page, Section, page};
