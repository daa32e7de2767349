//! Loading the current state of changed content from the database as search documents.

use crate::db::AsConn;
use hallbar_index::document::entity_key;
use hallbar_index::{ContentKind, SearchDocument, Slug, SupportModel, model_of_matrix};

use crate::db;

/// One entity's documents, to replace whatever the index held for it (none: deleted).
#[derive(Debug, Clone, PartialEq)]
pub struct Replacement {
    pub entity: String,
    pub documents: Vec<SearchDocument>,
}

/// What the index must change for one outbox entry. A group's change also replaces its
/// threads, whose visibility follows the group.
pub async fn replacements(
    conn: &mut impl AsConn,
    kind: ContentKind,
    id: &str,
) -> sqlx::Result<Vec<Replacement>> {
    let entity = entity_key(kind, id);
    let one = |documents: Vec<SearchDocument>| {
        vec![Replacement {
            entity: entity.clone(),
            documents,
        }]
    };
    Ok(match kind {
        ContentKind::Member => one(db::members::get(conn, id)
            .await?
            .map(|m| vec![SearchDocument::member(&m)])
            .unwrap_or_default()),
        ContentKind::Pivi => one(db::pivi::get(conn, id)
            .await?
            .map(|p| vec![SearchDocument::pivi(&p)])
            .unwrap_or_default()),
        ContentKind::Matrix => {
            let models = db::support_models::list(conn).await?;
            one(db::matrix::get(conn, id)
                .await?
                .map(|m| SearchDocument::matrix_cells(&m, &matrix_model(&models, &m.id)))
                .unwrap_or_default())
        }
        ContentKind::Article => {
            let models = db::support_models::list(conn).await?;
            one(db::articles::get(conn, id)
                .await?
                .map(|a| {
                    vec![SearchDocument::article(
                        &a,
                        &matrix_model(&models, &a.matrix),
                    )]
                })
                .unwrap_or_default())
        }
        ContentKind::Dialogue => one(db::dialogue::get(conn, id)
            .await?
            .map(|d| vec![SearchDocument::dialogue(&d)])
            .unwrap_or_default()),
        ContentKind::Thread => one(thread_documents(conn, id).await?),
        // A model has no document of its own: its labels are read at search time.
        ContentKind::Model => Vec::new(),
        ContentKind::Group => {
            let mut out = one(db::groups::get(conn, id)
                .await?
                .map(|g| vec![SearchDocument::group(&g)])
                .unwrap_or_default());
            for thread_id in db::threads::ids_in_group(conn, id).await? {
                out.push(Replacement {
                    entity: entity_key(ContentKind::Thread, &thread_id),
                    documents: thread_documents(conn, &thread_id).await?,
                });
            }
            out
        }
    })
}

/// The model whose pages show the matrix `matrix` (its own id when no model claims it).
fn matrix_model(models: &[SupportModel], matrix: &Slug) -> Slug {
    model_of_matrix(models, matrix.as_str()).map_or_else(|| matrix.clone(), |m| m.id.clone())
}

async fn thread_documents(conn: &mut impl AsConn, id: &str) -> sqlx::Result<Vec<SearchDocument>> {
    let Some(thread) = db::threads::get_searchable(conn, id).await? else {
        return Ok(Vec::new());
    };
    let Some(group) = db::groups::get(conn, thread.group.as_str()).await? else {
        return Ok(Vec::new());
    };
    Ok(SearchDocument::thread(&thread, &group))
}

/// Every document of the whole database, for a full rebuild, with a count per step for
/// progress reporting.
pub async fn all_documents(
    conn: &mut impl AsConn,
    mut progress: impl FnMut(usize),
) -> sqlx::Result<Vec<SearchDocument>> {
    let mut docs = Vec::new();
    for member in db::members::list(conn).await? {
        docs.push(SearchDocument::member(&member));
    }
    progress(docs.len());
    let groups = db::groups::list(conn).await?;
    for group in &groups {
        docs.push(SearchDocument::group(group));
    }
    for thread in db::threads::list_searchable(conn).await? {
        if let Some(group) = groups.iter().find(|g| g.id == thread.group) {
            docs.extend(SearchDocument::thread(&thread, group));
        }
    }
    progress(docs.len());
    for entry in db::pivi::list(conn).await? {
        docs.push(SearchDocument::pivi(&entry));
    }
    let models = db::support_models::list(conn).await?;
    for matrix in db::matrix::list(conn).await? {
        docs.extend(SearchDocument::matrix_cells(
            &matrix,
            &matrix_model(&models, &matrix.id),
        ));
    }
    for article in db::articles::list(conn, false, i64::MAX).await? {
        docs.push(SearchDocument::article(
            &article,
            &matrix_model(&models, &article.matrix),
        ));
    }
    for text in db::dialogue::list(conn).await? {
        docs.push(SearchDocument::dialogue(&text));
    }
    progress(docs.len());
    Ok(docs)
}
