//! The support models an editor can be given, as the admin pages and `hallbar admin editor`
//! name them (from the `support_models` table).

use crate::db::AsConn;

/// A support model as the admin pages and `hallbar admin editor` name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Model {
    pub slug: String,
    /// What people call it, e.g. "Stadsutveckling – Kunskapsmatris".
    pub name: String,
}

/// Every support model, in the order the site shows them.
pub async fn list(conn: &mut impl AsConn) -> sqlx::Result<Vec<Model>> {
    Ok(crate::db::support_models::list(conn)
        .await?
        .iter()
        .map(|m| Model {
            slug: m.id.to_string(),
            name: format!("{} – {}", m.area, m.name),
        })
        .collect())
}

/// The model with this slug, or a Swedish message naming the known ones.
pub async fn find(conn: &mut impl AsConn, slug: &str) -> sqlx::Result<Result<Model, String>> {
    let models = list(conn).await?;
    let slug = slug.trim();
    Ok(match models.iter().find(|m| m.slug == slug) {
        Some(model) => Ok(model.clone()),
        None => Err(unknown(slug, &models)),
    })
}

/// "okänd stödmodell …; kända: a, b, c".
fn unknown(slug: &str, models: &[Model]) -> String {
    let known: Vec<&str> = models.iter().map(|m| m.slug.as_str()).collect();
    format!(
        "okänd stödmodell \"{}\"; kända stödmodeller: {}",
        slug.chars().take(80).collect::<String>(),
        known.join(", ")
    )
}
