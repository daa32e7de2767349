//! The knowledge matrix (kunskapsmatris): two named axes, cells of systematised knowledge,
//! and articles linked to one or more cells.

use std::collections::HashSet;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::validate::{Checker, FieldError, Validate, limits};
use super::{District, Slug};

/// The most values one axis may have.
pub const MAX_AXIS_VALUES: usize = 20;

/// A knowledge matrix, e.g. kinds of space × social dimensions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Matrix {
    pub id: Slug,
    #[serde(rename = "titel")]
    pub title: String,
    #[serde(rename = "beskrivning")]
    pub description: String,
    #[serde(rename = "rader")]
    pub rows: Axis,
    #[serde(rename = "kolumner")]
    pub columns: Axis,
    #[serde(rename = "celler")]
    pub cells: Vec<Cell>,
}

/// One named axis and its values, in display order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Axis {
    #[serde(rename = "namn")]
    pub name: String,
    #[serde(rename = "varden")]
    pub values: Vec<AxisValue>,
}

/// One row or column of the matrix.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AxisValue {
    pub id: Slug,
    #[serde(rename = "namn")]
    pub name: String,
    #[serde(rename = "beskrivning")]
    pub description: String,
}

/// A filled cell: systematised knowledge where a row meets a column.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cell {
    #[serde(rename = "rad")]
    pub row: Slug,
    #[serde(rename = "kolumn")]
    pub column: Slug,
    #[serde(rename = "sammanfattning")]
    pub summary: String,
}

/// Names one cell of a matrix.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CellRef {
    #[serde(rename = "rad")]
    pub row: Slug,
    #[serde(rename = "kolumn")]
    pub column: Slug,
}

impl std::fmt::Display for CellRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.row, self.column)
    }
}

impl Matrix {
    /// The filled cell at `row` × `column`, if any.
    pub fn cell(&self, row: &str, column: &str) -> Option<&Cell> {
        self.cells
            .iter()
            .find(|c| c.row.as_str() == row && c.column.as_str() == column)
    }

    pub fn has_cell(&self, cell: &CellRef) -> bool {
        self.cell(cell.row.as_str(), cell.column.as_str()).is_some()
    }

    pub fn row(&self, id: &str) -> Option<&AxisValue> {
        self.rows.values.iter().find(|v| v.id.as_str() == id)
    }

    pub fn column(&self, id: &str) -> Option<&AxisValue> {
        self.columns.values.iter().find(|v| v.id.as_str() == id)
    }
}

impl Validate for Matrix {
    fn validate(&self) -> Vec<FieldError> {
        let mut c = Checker::default();
        c.text("titel", &self.title, 1, limits::NAME);
        c.text("beskrivning", &self.description, 1, limits::LONG);
        check_axis(&mut c, "rader", &self.rows);
        check_axis(&mut c, "kolumner", &self.columns);
        let mut pairs = HashSet::new();
        for (i, cell) in self.cells.iter().enumerate() {
            let field = format!("celler[{i}]");
            if self.row(cell.row.as_str()).is_none() {
                c.fail(
                    format!("{field}.rad"),
                    format!("raden \"{}\" finns inte", cell.row),
                );
            }
            if self.column(cell.column.as_str()).is_none() {
                c.fail(
                    format!("{field}.kolumn"),
                    format!("kolumnen \"{}\" finns inte", cell.column),
                );
            }
            if !pairs.insert((&cell.row, &cell.column)) {
                c.fail(&field, "samma cell förekommer mer än en gång");
            }
            c.text(
                &format!("{field}.sammanfattning"),
                &cell.summary,
                1,
                limits::SUMMARY,
            );
        }
        c.finish()
    }
}

fn check_axis(c: &mut Checker, field: &str, axis: &Axis) {
    c.text(&format!("{field}.namn"), &axis.name, 1, limits::NAME);
    if axis.values.is_empty() || axis.values.len() > MAX_AXIS_VALUES {
        c.fail(
            format!("{field}.varden"),
            format!("måste ha 1–{MAX_AXIS_VALUES} värden"),
        );
    }
    let ids: Vec<&Slug> = axis.values.iter().map(|v| &v.id).collect();
    c.unique(&format!("{field}.varden"), &ids);
    for (i, value) in axis.values.iter().enumerate() {
        let prefix = format!("{field}.varden[{i}]");
        c.text(&format!("{prefix}.namn"), &value.name, 1, limits::NAME);
        c.text(
            &format!("{prefix}.beskrivning"),
            &value.description,
            1,
            limits::SUMMARY,
        );
    }
}

/// An article for deeper reading, linked to one or more matrix cells.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Article {
    pub id: Slug,
    #[serde(rename = "titel")]
    pub title: String,
    #[serde(rename = "ingress")]
    pub lead: String,
    /// The article, in Markdown.
    pub text: String,
    #[serde(rename = "forfattare")]
    pub author: String,
    #[serde(rename = "publicerad")]
    pub published: NaiveDate,
    #[serde(rename = "matris")]
    pub matrix: Slug,
    #[serde(rename = "celler")]
    pub cells: Vec<CellRef>,
    #[serde(rename = "taggar", default)]
    pub tags: Vec<String>,
    #[serde(rename = "stadsdel")]
    pub district: District,
}

impl Validate for Article {
    fn validate(&self) -> Vec<FieldError> {
        let mut c = Checker::default();
        c.text("titel", &self.title, 1, limits::NAME);
        c.text("ingress", &self.lead, 1, limits::SUMMARY);
        c.text("text", &self.text, 1, limits::LONG);
        c.text("forfattare", &self.author, 1, limits::SHORT);
        c.date("publicerad", self.published.year());
        c.list_len("celler", self.cells.len(), 1);
        c.unique("celler", &self.cells);
        c.text_list("taggar", &self.tags, 0, limits::SHORT);
        c.finish()
    }
}
