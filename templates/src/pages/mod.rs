//! One module per area of the site.

pub mod account;
pub mod admin;
pub mod articles;
pub mod dialogue;
pub mod discussions;
pub mod editing;
pub mod errors;
pub mod group;
pub mod groups;
pub mod home;
pub mod info;
pub mod matrix;
pub mod members;
pub mod moderation;
pub mod notifications;
pub mod pivi;
pub mod profile;
pub mod proposals;
pub mod search;
pub mod source;
pub mod support_models;
