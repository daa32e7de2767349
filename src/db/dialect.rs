//! The few places where SQLite's and PostgreSQL's SQL differ, named once. A query body in
//! [`super::on_db!`] reaches them as `<Db as Dialect>::…`.

/// The channel a PostgreSQL database announces new outbox rows on.
pub const OUTBOX_CHANNEL: &str = "hallbar_utkorg";

/// The key of PostgreSQL's transaction-scoped advisory lock that writers of the outbox take
/// turns by (in [`Dialect::OUTBOX_APPEND`] and at the start of every write transaction).
pub const OUTBOX_LOCK: i64 = 7_020_382_843_737_186_674;

/// What one database spells its own way.
pub trait Dialect {
    /// Appends an outbox row (`$1` kind, `$2` entity id) and returns its `seq`.
    ///
    /// Sequence numbers must become visible in order, or a reader that has passed a
    /// number misses a lower one committed later. SQLite has one writer at a time, so
    /// they do. On PostgreSQL the row is added under a transaction-scoped advisory lock,
    /// held until the transaction ends: PostgreSQL marks a transaction committed before it
    /// releases its locks, so once a number is visible every lower one is settled
    /// (committed or rolled back). The same statement wakes the other nodes' indexers
    /// (`NOTIFY`, delivered at commit).
    const OUTBOX_APPEND: &'static str;

    /// The database's own clock, as a value of a moment column (the nodes' clocks may
    /// disagree; the database's is one).
    const NOW: &'static str;

    /// The database's clock `minutes` ago.
    fn minutes_ago(minutes: u32) -> String;

    /// A table of the text elements of a JSON array, as `FROM` item `alias` with the one
    /// column `value`.
    fn json_elements(json: &str, alias: &str) -> String;

    /// An aggregate joining the text values of `expr` with commas (order unspecified).
    fn comma_list(expr: &str) -> String;
}

impl Dialect for sqlx::Sqlite {
    const OUTBOX_APPEND: &'static str =
        "INSERT INTO index_outbox (kind, entity_id) VALUES ($1, $2) RETURNING seq";

    const NOW: &'static str = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";

    fn minutes_ago(minutes: u32) -> String {
        format!("strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-{minutes} minutes')")
    }

    fn json_elements(json: &str, alias: &str) -> String {
        format!("json_each({json}) AS {alias}")
    }

    fn comma_list(expr: &str) -> String {
        format!("group_concat({expr}, ',')")
    }
}

impl Dialect for sqlx::Postgres {
    const OUTBOX_APPEND: &'static str = "WITH locked AS (SELECT pg_advisory_xact_lock(7020382843737186674)), \
              woken AS (SELECT pg_notify('hallbar_utkorg', '')) \
         INSERT INTO index_outbox (kind, entity_id) \
         SELECT $1, $2 FROM locked, woken RETURNING seq";

    const NOW: &'static str = "now()";

    fn minutes_ago(minutes: u32) -> String {
        format!("(now() - interval '{minutes} minutes')")
    }

    fn json_elements(json: &str, alias: &str) -> String {
        format!("jsonb_array_elements_text({json}) AS {alias} (value)")
    }

    fn comma_list(expr: &str) -> String {
        format!("string_agg({expr}, ',')")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_append_takes_the_lock_and_announces_on_the_channel_listeners_listen_to() {
        let append = <sqlx::Postgres as Dialect>::OUTBOX_APPEND;
        assert!(append.contains(&format!("'{OUTBOX_CHANNEL}'")));
        assert!(append.contains(&format!("pg_advisory_xact_lock({OUTBOX_LOCK})")));
    }
}
