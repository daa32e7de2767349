//! The site admin's work outside the HTTP layer: the support models editors are given,
//! role changes, this node's background reindex and uploads waiting to be imported.

pub mod models;
pub mod reindex;
pub mod roles;
pub mod uploads;

/// What the admin pages keep per node, in memory (part of the app state).
#[derive(Clone, Default)]
pub struct AdminState {
    pub reindex: reindex::Reindexer,
    pub uploads: uploads::Uploads,
}
