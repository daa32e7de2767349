//! The few places where SQLite's and PostgreSQL's SQL differ, named once. A query body in
//! [`super::on_db!`] reaches them as `<Db as Dialect>::…`.

/// What one database spells its own way.
pub trait Dialect {
    /// A table of the text elements of a JSON array, as `FROM` item `alias` with the one
    /// column `value`.
    fn json_elements(json: &str, alias: &str) -> String;
}

impl Dialect for sqlx::Sqlite {
    fn json_elements(json: &str, alias: &str) -> String {
        format!("json_each({json}) AS {alias}")
    }
}

impl Dialect for sqlx::Postgres {
    fn json_elements(json: &str, alias: &str) -> String {
        format!("jsonb_array_elements_text({json}) AS {alias} (value)")
    }
}
