//! hallbar: a search-centric knowledge and people-finder engine for socially sustainable
//! development in Gothenburg. The binary's `main` only parses arguments and calls [`cli::run`].

pub mod accounts;
pub mod admin;
pub mod auth;
pub mod cli;
pub mod config;
pub mod db;
pub mod demo;
pub mod digest;
pub mod editing;
pub mod http;
pub mod indexer;
pub mod interchange;
pub mod mail;
pub mod model_cache;
pub mod search;
pub mod serve;
pub mod server;
pub mod synthetic;
pub mod telemetry;
pub mod write;

pub use http::{AppState, router};
