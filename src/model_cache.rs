//! This node's list of support models, read from the database once and again only after its
//! indexer has read a model's change from the outbox (every node sees a new model as soon
//! as it sees the change in search; the node that made it, in the same response).

use std::sync::{Arc, Mutex};

use hallbar_index::SupportModel;

use crate::db::{self, Db};
use crate::search::SearchService;

/// The models as read at one models version.
type Snapshot = (u64, Arc<Vec<SupportModel>>);

/// The cached models with the models version they were read at.
#[derive(Clone, Default)]
pub struct ModelCache {
    cached: Arc<Mutex<Option<Snapshot>>>,
}

impl ModelCache {
    /// Every support model in navigation order: from memory while no change has been read
    /// since, else from the database.
    pub async fn get(
        &self,
        db: &Db,
        search: &SearchService,
    ) -> sqlx::Result<Arc<Vec<SupportModel>>> {
        let version = search.models_version();
        if let Some((seen, models)) = self.cached.lock().ok().and_then(|c| c.clone())
            && seen == version
        {
            return Ok(models);
        }
        // Read after the version: a change announced meanwhile bumps it and is read next time.
        let mut conn = db.acquire().await?;
        let models = Arc::new(db::support_models::list(&mut conn).await?);
        if let Ok(mut cached) = self.cached.lock() {
            *cached = Some((version, Arc::clone(&models)));
        }
        Ok(models)
    }

    /// The model with `id`, if any.
    pub async fn find(
        &self,
        db: &Db,
        search: &SearchService,
        id: &str,
    ) -> sqlx::Result<Option<SupportModel>> {
        Ok(self
            .get(db, search)
            .await?
            .iter()
            .find(|m| m.id.as_str() == id)
            .cloned())
    }
}
