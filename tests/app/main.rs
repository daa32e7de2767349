//! The in-process tests of the whole app, one module per area (pages, API and queries of
//! that area together), plus the store, import/export, the indexer and the demo corpus.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../support/mod.rs"]
mod support;

mod account_attacks;
mod accounts;
mod admin;
mod admin_attacks;
mod api;
mod articles;
mod assets;
mod db;
mod demo;
mod dialogue;
mod discussions;
mod editing;
mod editing_attacks;
mod epoch;
mod feeds;
mod group_attacks;
mod group_authorization;
mod group_membership;
mod groups;
mod health;
mod hidden;
mod home;
mod indexer;
mod info;
mod interchange;
mod live;
mod matrix;
mod members;
mod moderation;
mod moderation_attacks;
mod nodes;
mod notifications;
mod people;
mod pivi;
mod postgres;
mod profile;
mod proposals;
mod search;
mod site_wide;
mod support_models;
