//! hallbar's views: maud functions that render the content model as Swedish, accessible
//! HTML. Nothing here knows about HTTP or SQL.

pub mod layout;
pub mod pages;

pub use layout::page;
