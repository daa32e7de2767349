//! One module per area of the site.

pub mod errors;
pub mod home;
