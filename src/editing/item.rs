//! One editable item of a support model (a pivi entry, a matrix cell, an article, a
//! dialogue text): its kind, id and model, its JSON in the import format, and loading,
//! storing and deleting its published version.

use hallbar_index::{
    Article, CellRef, DialogueText, FieldError, PiviEntry, Slug, SupportModel, Validate,
    model_of_matrix,
};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::db::{self, AsConn};
use crate::interchange::{ParsedLine, Record};

/// The kinds of content editors edit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ItemKind {
    Pivi,
    Cell,
    Article,
    Dialogue,
}

impl ItemKind {
    pub const ALL: [ItemKind; 4] = [
        ItemKind::Pivi,
        ItemKind::Cell,
        ItemKind::Article,
        ItemKind::Dialogue,
    ];

    /// As stored (drafts, revisions, proposals) and in addresses under `/admin/innehall`.
    pub fn slug(self) -> &'static str {
        match self {
            ItemKind::Pivi => "pivi",
            ItemKind::Cell => "cell",
            ItemKind::Article => "artikel",
            ItemKind::Dialogue => "dialog",
        }
    }

    pub fn from_slug(slug: &str) -> Option<ItemKind> {
        ItemKind::ALL.into_iter().find(|k| k.slug() == slug)
    }

    /// "en pivi-post", as a sentence names one.
    pub fn one(self) -> &'static str {
        match self {
            ItemKind::Pivi => "en post",
            ItemKind::Cell => "en ruta",
            ItemKind::Article => "en artikel",
            ItemKind::Dialogue => "en text",
        }
    }

    /// The heading of a list of them.
    pub fn plural(self) -> &'static str {
        match self {
            ItemKind::Pivi => "Poster",
            ItemKind::Cell => "Rutor",
            ItemKind::Article => "Artiklar",
            ItemKind::Dialogue => "Texter",
        }
    }
}

/// A matrix cell as editors edit it: where it is, and its summary.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CellItem {
    #[serde(rename = "matris")]
    pub matrix: Slug,
    #[serde(rename = "rad")]
    pub row: Slug,
    #[serde(rename = "kolumn")]
    pub column: Slug,
    #[serde(rename = "sammanfattning")]
    pub summary: String,
}

impl Validate for CellItem {
    fn validate(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        let summary = &self.summary;
        let len = summary.chars().count();
        let max = hallbar_index::limits::SUMMARY;
        if summary.trim().is_empty() {
            errors.push(field_error("sammanfattning", "får inte vara tomt"));
        } else if len > max {
            errors.push(field_error(
                "sammanfattning",
                format!("får vara högst {max} tecken (är {len})"),
            ));
        }
        if summary
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\t' && c != '\r')
        {
            errors.push(field_error(
                "sammanfattning",
                "innehåller otillåtna kontrolltecken",
            ));
        }
        errors
    }
}

fn field_error(field: &str, message: impl Into<String>) -> FieldError {
    FieldError {
        field: field.to_string(),
        message: message.into(),
    }
}

/// One item's content, whatever its kind.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    Pivi(PiviEntry),
    Cell(CellItem),
    Article(Article),
    Dialogue(DialogueText),
}

impl Item {
    pub fn kind(&self) -> ItemKind {
        match self {
            Item::Pivi(_) => ItemKind::Pivi,
            Item::Cell(_) => ItemKind::Cell,
            Item::Article(_) => ItemKind::Article,
            Item::Dialogue(_) => ItemKind::Dialogue,
        }
    }

    /// What names its support model: an entry's or text's model, a cell's or article's
    /// matrix (see [`owner`] for the model itself).
    fn model_key(&self) -> &str {
        match self {
            Item::Pivi(p) => p.model.as_str(),
            Item::Cell(c) => c.matrix.as_str(),
            Item::Article(a) => a.matrix.as_str(),
            Item::Dialogue(d) => d.model.as_str(),
        }
    }

    /// The support model it belongs to among `models` (whose editors may edit it): an
    /// entry's or text's own, a matrix's (see [`hallbar_index::model_of_matrix`]).
    pub fn model_in(&self, models: &[SupportModel]) -> String {
        match self {
            Item::Cell(_) | Item::Article(_) => model_of_matrix(models, self.model_key())
                .map_or_else(|| self.model_key().to_string(), |m| m.id.to_string()),
            _ => self.model_key().to_string(),
        }
    }

    /// Its id among items of its kind: a cell's is `matris/rad/kolumn`.
    pub fn entity_id(&self) -> String {
        match self {
            Item::Pivi(p) => p.id.to_string(),
            Item::Cell(c) => cell_id(&c.matrix, &c.row, &c.column),
            Item::Article(a) => a.id.to_string(),
            Item::Dialogue(d) => d.id.to_string(),
        }
    }

    /// What people call it: its title, or a cell's place.
    pub fn title(&self) -> String {
        match self {
            Item::Pivi(p) => p.title.clone(),
            Item::Cell(c) => format!("{} × {}", c.row, c.column),
            Item::Article(a) => a.title.clone(),
            Item::Dialogue(d) => d.title.clone(),
        }
    }

    /// Its public page under `model` (see [`Item::model_in`]).
    pub fn public_path(&self, model: &str) -> String {
        use hallbar_index::paths;
        match self {
            Item::Pivi(p) => paths::pivi_entry(model, &p.id),
            Item::Cell(c) => paths::matrix_cell(model, &c.row, &c.column),
            Item::Article(a) => paths::article(model, &a.id),
            Item::Dialogue(d) => paths::dialogue_text(model, &d.phase, &d.id),
        }
    }

    /// The item in the import format (without the `type` field).
    pub fn to_json(&self) -> serde_json::Value {
        let value = match self {
            Item::Pivi(p) => serde_json::to_value(p),
            Item::Cell(c) => serde_json::to_value(c),
            Item::Article(a) => serde_json::to_value(a),
            Item::Dialogue(d) => serde_json::to_value(d),
        };
        value.unwrap_or(serde_json::Value::Null)
    }

    /// Reads an item of `kind` from the import format; the error names the field.
    pub fn from_json(kind: ItemKind, value: serde_json::Value) -> Result<Item, FieldError> {
        fn read<T: serde::de::DeserializeOwned>(value: serde_json::Value) -> Result<T, FieldError> {
            serde_path_to_error::deserialize(value).map_err(|e| FieldError {
                field: e.path().to_string(),
                message: e.inner().to_string(),
            })
        }
        Ok(match kind {
            ItemKind::Pivi => Item::Pivi(read(value)?),
            ItemKind::Cell => Item::Cell(read(value)?),
            ItemKind::Article => Item::Article(read(value)?),
            ItemKind::Dialogue => Item::Dialogue(read(value)?),
        })
    }

    /// Reads a stored body (a draft, a revision, a proposal).
    pub fn from_stored(kind: ItemKind, body: &str) -> Option<Item> {
        let value = serde_json::from_str(body).ok()?;
        Item::from_json(kind, value).ok()
    }

    /// The body stored for it.
    pub fn stored(&self) -> String {
        self.to_json().to_string()
    }

    /// A fingerprint of the content: equal exactly when the content is.
    pub fn hash(&self) -> String {
        hash_text(&self.stored())
    }

    /// The import format's own checks.
    pub fn validate(&self) -> Vec<FieldError> {
        match self {
            Item::Pivi(p) => p.validate(),
            Item::Cell(c) => c.validate(),
            Item::Article(a) => a.validate(),
            Item::Dialogue(d) => d.validate(),
        }
    }
}

/// The support model `item` belongs to (see [`Item::model_in`]).
pub async fn owner(conn: &mut impl AsConn, item: &Item) -> sqlx::Result<String> {
    let models = db::support_models::list(conn).await?;
    Ok(item.model_in(&models))
}

/// SHA-256 of a text, as hex.
pub fn hash_text(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A cell's id among items: `matris/rad/kolumn`.
pub fn cell_id(matrix: &Slug, row: &Slug, column: &Slug) -> String {
    format!("{matrix}/{row}/{column}")
}

/// The parts of a cell's id.
pub fn split_cell_id(id: &str) -> Option<(Slug, Slug, Slug)> {
    let mut parts = id.split('/');
    let matrix = Slug::new(parts.next()?).ok()?;
    let row = Slug::new(parts.next()?).ok()?;
    let column = Slug::new(parts.next()?).ok()?;
    parts.next().is_none().then_some((matrix, row, column))
}

/// The published version of an item, if there is one.
pub async fn load(conn: &mut impl AsConn, kind: ItemKind, id: &str) -> sqlx::Result<Option<Item>> {
    Ok(match kind {
        ItemKind::Pivi => db::pivi::get(conn, id).await?.map(Item::Pivi),
        ItemKind::Article => db::articles::get(conn, id).await?.map(Item::Article),
        ItemKind::Dialogue => db::dialogue::get(conn, id).await?.map(Item::Dialogue),
        ItemKind::Cell => {
            let Some((matrix, row, column)) = split_cell_id(id) else {
                return Ok(None);
            };
            db::matrix::get(conn, matrix.as_str())
                .await?
                .and_then(|m| m.cell(row.as_str(), column.as_str()).cloned())
                .map(|cell| {
                    Item::Cell(CellItem {
                        matrix,
                        row,
                        column,
                        summary: cell.summary,
                    })
                })
        }
    })
}

/// Stores an item as published (through the outbox).
pub async fn store(conn: &mut impl AsConn, item: &Item) -> sqlx::Result<()> {
    match item {
        Item::Pivi(p) => db::pivi::upsert(conn, p).await,
        Item::Article(a) => db::articles::upsert(conn, a).await,
        Item::Dialogue(d) => db::dialogue::upsert(conn, d).await,
        Item::Cell(c) => {
            let Some(mut matrix) = db::matrix::get(conn, c.matrix.as_str()).await? else {
                return Err(sqlx::Error::RowNotFound);
            };
            match matrix
                .cells
                .iter_mut()
                .find(|cell| cell.row == c.row && cell.column == c.column)
            {
                Some(cell) => cell.summary.clone_from(&c.summary),
                None => matrix.cells.push(hallbar_index::Cell {
                    row: c.row.clone(),
                    column: c.column.clone(),
                    summary: c.summary.clone(),
                }),
            }
            db::matrix::upsert(conn, &matrix).await
        }
    }
}

/// Deletes the published item; false when there was none.
pub async fn remove(conn: &mut impl AsConn, kind: ItemKind, id: &str) -> sqlx::Result<bool> {
    match kind {
        ItemKind::Pivi => db::pivi::delete(conn, id).await,
        ItemKind::Article => db::articles::delete(conn, id).await,
        ItemKind::Dialogue => db::dialogue::delete(conn, id).await,
        ItemKind::Cell => {
            let Some((matrix_id, row, column)) = split_cell_id(id) else {
                return Ok(false);
            };
            let Some(mut matrix) = db::matrix::get(conn, matrix_id.as_str()).await? else {
                return Ok(false);
            };
            let before = matrix.cells.len();
            matrix
                .cells
                .retain(|cell| !(cell.row == row && cell.column == column));
            if matrix.cells.len() == before {
                return Ok(false);
            }
            db::matrix::upsert(conn, &matrix).await?;
            Ok(true)
        }
    }
}

/// Why an item cannot be deleted (articles still belong to a cell), if it cannot.
pub async fn blocks_deletion(
    conn: &mut impl AsConn,
    kind: ItemKind,
    id: &str,
) -> sqlx::Result<Option<String>> {
    if kind != ItemKind::Cell {
        return Ok(None);
    }
    let Some((matrix, row, column)) = split_cell_id(id) else {
        return Ok(None);
    };
    let articles =
        db::articles::in_cell(conn, matrix.as_str(), row.as_str(), column.as_str()).await?;
    Ok((!articles.is_empty()).then(|| {
        format!(
            "Rutan kan inte tas bort: {} artikel/artiklar hör till den. Flytta eller ta bort \
             dem först.",
            articles.len()
        )
    }))
}

/// What the item refers to that does not exist (a matrix cell, a member, an axis value),
/// as `(field, message)` in the import format's words.
pub async fn broken_references(
    conn: &mut impl AsConn,
    item: &Item,
) -> sqlx::Result<Vec<FieldError>> {
    let record = match item {
        Item::Pivi(p) => Record::Pivi(p.clone()),
        Item::Article(a) => Record::Article(a.clone()),
        Item::Dialogue(d) => Record::Dialogue(d.clone()),
        Item::Cell(c) => {
            let Some(matrix) = db::matrix::get(conn, c.matrix.as_str()).await? else {
                return Ok(vec![field_error("matris", "matrisen finns inte")]);
            };
            let mut errors = Vec::new();
            if matrix.row(c.row.as_str()).is_none() {
                errors.push(field_error(
                    "rad",
                    format!("raden \"{}\" finns inte", c.row),
                ));
            }
            if matrix.column(c.column.as_str()).is_none() {
                errors.push(field_error(
                    "kolumn",
                    format!("kolumnen \"{}\" finns inte", c.column),
                ));
            }
            return Ok(errors);
        }
    };
    let lines = [ParsedLine { line: 1, record }];
    let problems = crate::interchange::check_references(conn, &lines).await?;
    Ok(problems
        .into_iter()
        .map(|problem| {
            // "pivi \"id\": kontakt.medlem \"x\" finns inte" → at the field it names.
            let message = problem
                .message
                .split_once(": ")
                .map_or(problem.message.as_str(), |(_, rest)| rest)
                .to_string();
            let field = match item.kind() {
                ItemKind::Pivi => "kontakt.medlem",
                ItemKind::Article => "celler",
                _ => "",
            };
            field_error(field, message)
        })
        .collect())
}

/// The cells a published article may link to: the filled cells of its matrix.
pub fn cell_choices(matrix: &hallbar_index::Matrix) -> Vec<(String, String)> {
    matrix
        .cells
        .iter()
        .map(|cell| {
            let label = format!(
                "{} × {}",
                matrix
                    .row(cell.row.as_str())
                    .map_or("?", |v| v.name.as_str()),
                matrix
                    .column(cell.column.as_str())
                    .map_or("?", |v| v.name.as_str())
            );
            (
                CellRef {
                    row: cell.row.clone(),
                    column: cell.column.clone(),
                }
                .to_string(),
                label,
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip_and_cell_ids_split() {
        for kind in ItemKind::ALL {
            assert_eq!(ItemKind::from_slug(kind.slug()), Some(kind));
        }
        let (m, r, c) = split_cell_id("stadsutveckling/gator/trygghet").expect("a cell id");
        assert_eq!(cell_id(&m, &r, &c), "stadsutveckling/gator/trygghet");
        assert!(split_cell_id("a/b").is_none());
        assert!(split_cell_id("a/b/c/d").is_none());
        assert!(split_cell_id("a/B C/c").is_none());
    }

    #[test]
    fn a_hash_changes_with_the_content() {
        let cell = |summary: &str| {
            Item::Cell(CellItem {
                matrix: Slug::new("m").expect("slug"),
                row: Slug::new("r").expect("slug"),
                column: Slug::new("k").expect("slug"),
                summary: summary.to_string(),
            })
        };
        assert_eq!(cell("a").hash(), cell("a").hash());
        assert_ne!(cell("a").hash(), cell("b").hash());
        let back = Item::from_stored(ItemKind::Cell, &cell("a").stored()).expect("reads back");
        assert_eq!(back, cell("a"));
    }
}
