//! Tests of the `hallbar` binary as a process: the command line, serving, and crash safety.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../support/mod.rs"]
mod support;

mod cli;
mod connections;
mod crash;
mod edges;
mod index_files;
mod nodes;
