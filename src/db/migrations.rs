//! The schema migrations embedded in the binary, as a sqlx `Migrator` built without sqlx's macros.
//!
//! `sqlx::migrate!` would need sqlx's `macros` feature, which builds sqlx, tokio, chrono and
//! the bundled SQLite a second time for the proc macro. The list below embeds the same files
//! with `include_str!`; sqlx computes the same SHA-384 checksums from their text, so a
//! database migrated by a binary built with `migrate!` keeps working. The tests check that the
//! list equals the files in `migrations/` and that sqlx reads the same migrations from them.

use std::borrow::Cow;

use sqlx::SqlStr;
use sqlx::migrate::{Migration, MigrationType, Migrator};

/// One migration file: `<version>_<name>.sql` in a migrations directory.
#[derive(Debug, Clone, Copy)]
pub struct MigrationFile {
    pub version: i64,
    /// The file name between the version and `.sql`, e.g. `deferred_article_cells`.
    pub name: &'static str,
    pub sql: &'static str,
}

impl MigrationFile {
    /// The file's name in its directory.
    pub fn file_name(&self) -> String {
        format!("{}_{}.sql", self.version, self.name)
    }

    /// The migration as sqlx reads it from the file: the description is the name with spaces
    /// for underscores, and a file starting with `-- no-transaction` runs outside a
    /// transaction.
    fn migration(&self) -> Migration {
        Migration::new(
            self.version,
            Cow::Owned(self.name.replace('_', " ")),
            MigrationType::Simple,
            SqlStr::from_static(self.sql),
            self.sql.starts_with("-- no-transaction"),
        )
    }
}

/// Embeds migration files of one directory (relative to this source file) by version and name.
macro_rules! migration_files {
    ($dir:literal: $(($version:literal, $name:literal)),* $(,)?) => {
        &[$(MigrationFile {
            version: $version,
            name: $name,
            sql: include_str!(concat!($dir, "/", $version, "_", $name, ".sql")),
        }),*]
    };
}

/// The directory the SQLite migrations live in, relative to the repository root.
pub const SQLITE_DIR: &str = "migrations/sqlite";

/// The SQLite schema's migrations, oldest first. A new migration is a new file in
/// [`SQLITE_DIR`] and a new line here (a test fails until both exist); an applied one must
/// never change, or databases that ran it refuse to open.
pub const SQLITE: &[MigrationFile] = migration_files!("../../migrations/sqlite":
    (20261126000001, "initial"),
    (20261127000001, "deferred_article_cells"),
    (20261201000002, "search_epoch"),
    (20261201000003, "index_replicas"),
    (20261201000004, "member_accounts"),
    (20261201000005, "group_roles"),
    (20261201000006, "discussions"),
    (20261201000007, "notifications"),
    (20261201000008, "moderation"),
    (20261201000009, "digests"),
    (20261201000011, "editing"),
    (20261201000012, "admin"),
    (20261201000013, "support_models"),
);

/// The directory the PostgreSQL migrations live in, relative to the repository root.
pub const POSTGRES_DIR: &str = "migrations/postgres";

/// The PostgreSQL schema's migrations, oldest first: the same tables and columns as
/// [`SQLITE`] (a test compares them), with PostgreSQL's own types. PostgreSQL support began
/// after the SQLite schema's second migration, so its first holds both.
pub const POSTGRES: &[MigrationFile] = migration_files!("../../migrations/postgres":
    (20261201000001, "initial"),
    (20261201000002, "search_epoch"),
    (20261201000003, "index_replicas"),
    (20261201000004, "member_accounts"),
    (20261201000005, "group_roles"),
    (20261201000006, "discussions"),
    (20261201000007, "notifications"),
    (20261201000008, "moderation"),
    (20261201000009, "digests"),
    (20261201000011, "editing"),
    (20261201000012, "admin"),
    (20261201000013, "support_models"),
);

/// The migrator for a set of embedded files.
pub fn migrator(files: &[MigrationFile]) -> Migrator {
    Migrator::with_migrations(files.iter().map(MigrationFile::migration).collect())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use std::path::Path;

    use sqlx::Row;
    use sqlx::sqlite::SqlitePoolOptions;

    use super::*;

    fn directory() -> std::path::PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join(SQLITE_DIR)
    }

    #[test]
    fn each_embedded_list_is_exactly_the_files_in_its_directory() {
        for (dir, files) in [(SQLITE_DIR, SQLITE), (POSTGRES_DIR, POSTGRES)] {
            let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
            let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
                .unwrap()
                .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
                .filter(|name| name.ends_with(".sql"))
                .collect();
            on_disk.sort();
            let embedded: Vec<String> = files.iter().map(MigrationFile::file_name).collect();
            assert_eq!(embedded, on_disk, "{} and its list differ", dir.display());
            for file in files {
                let text = std::fs::read_to_string(dir.join(file.file_name())).unwrap();
                assert_eq!(file.sql, text, "{} is embedded as it is", file.file_name());
            }
        }
    }

    /// sqlx's own reading of the directory (what `migrate!` expands to) gives the same
    /// versions, descriptions, kinds, transaction flags and checksums.
    #[tokio::test]
    async fn sqlx_reads_the_same_migrations_from_the_directory() {
        let from_files = Migrator::new(directory()).await.unwrap();
        let embedded = migrator(SQLITE);
        let summary = |m: &Migrator| -> Vec<_> {
            m.iter()
                .map(|m| {
                    (
                        m.version,
                        m.description.to_string(),
                        m.migration_type,
                        m.no_tx,
                        m.checksum.to_vec(),
                        m.sql.as_str().to_string(),
                    )
                })
                .collect()
        };
        assert_eq!(summary(&embedded), summary(&from_files));
        assert!(!from_files.migrations.is_empty());
    }

    /// What `_sqlx_migrations` held in a database migrated by the last binary built with
    /// `sqlx::migrate!` (commit 97ffed4, `hallbar migrate`): version, description, checksum.
    const APPLIED_BY_THE_MACRO: &[(i64, &str, &str)] = &[
        (
            20261126000001,
            "initial",
            "8F4571DBBF7A2BFBA316F739006D72800FAD24C71BA3AC6C35A3BC4692EC7A8DF1CB248A9AD3BFCE04C331D7D1726531",
        ),
        (
            20261127000001,
            "deferred article cells",
            "93C188E3DEBEDE50C5BF87AE6B7AF90E726C1C2C3356F5C313FBCD2368CEC0AEA119E8824E826778395926590DF5B5B3",
        ),
    ];

    /// The bookkeeping table as that binary created it (`.schema _sqlx_migrations`).
    const APPLIED_TABLE: &str = "CREATE TABLE _sqlx_migrations (
    version BIGINT PRIMARY KEY,
    description TEXT NOT NULL,
    installed_on TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    success BOOLEAN NOT NULL,
    checksum BLOB NOT NULL,
    execution_time BIGINT NOT NULL
)";

    fn bytes_of_hex(hex: &str) -> Vec<u8> {
        (0..hex.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
            .collect()
    }

    #[test]
    fn the_checksums_are_those_the_macro_stored() {
        for (file, (version, description, checksum)) in SQLITE.iter().zip(APPLIED_BY_THE_MACRO) {
            let migration = file.migration();
            assert_eq!(migration.version, *version);
            assert_eq!(migration.description, *description);
            assert_eq!(
                migration.checksum.to_vec(),
                bytes_of_hex(checksum),
                "{}",
                file.name
            );
        }
    }

    /// A database that the `migrate!` binary migrated opens and migrates with this one: the
    /// checksums match, nothing it applied is applied again, and only the newer migrations
    /// run.
    #[tokio::test]
    async fn a_database_migrated_by_the_macro_built_binary_still_migrates() {
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            .connect("sqlite::memory:")
            .await
            .unwrap();
        // The old binary's state: its schema (the migrations it had), and its bookkeeping
        // rows.
        let old = |version: i64| APPLIED_BY_THE_MACRO.iter().any(|(v, _, _)| *v == version);
        for file in SQLITE.iter().filter(|f| old(f.version)) {
            sqlx::raw_sql(SqlStr::from_static(file.sql))
                .execute(&pool)
                .await
                .unwrap();
        }
        sqlx::raw_sql(SqlStr::from_static(APPLIED_TABLE))
            .execute(&pool)
            .await
            .unwrap();
        for (version, description, checksum) in APPLIED_BY_THE_MACRO {
            sqlx::query(
                "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
                 VALUES (?, ?, 1, ?, 1)",
            )
            .bind(version)
            .bind(description)
            .bind(bytes_of_hex(checksum))
            .execute(&pool)
            .await
            .unwrap();
        }

        migrator(SQLITE).run(&pool).await.unwrap();

        let rows =
            sqlx::query("SELECT version, execution_time FROM _sqlx_migrations ORDER BY version")
                .fetch_all(&pool)
                .await
                .unwrap();
        let versions: Vec<i64> = rows.iter().map(|r| r.get("version")).collect();
        assert_eq!(
            versions,
            SQLITE.iter().map(|f| f.version).collect::<Vec<_>>()
        );
        for row in &rows {
            let version: i64 = row.get("version");
            let untouched = row.get::<i64, _>("execution_time") == 1;
            assert_eq!(untouched, old(version), "migration {version}");
        }
    }

    /// A changed migration is refused, so the check above is not vacuous.
    #[tokio::test]
    async fn a_changed_checksum_is_refused() {
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            .connect("sqlite::memory:")
            .await
            .unwrap();
        migrator(SQLITE).run(&pool).await.unwrap();
        sqlx::query("UPDATE _sqlx_migrations SET checksum = x'00' WHERE version = ?")
            .bind(SQLITE[0].version)
            .execute(&pool)
            .await
            .unwrap();
        let refused = migrator(SQLITE).run(&pool).await;
        assert!(
            matches!(refused, Err(sqlx::migrate::MigrateError::VersionMismatch(v)) if v == SQLITE[0].version),
            "{refused:?}"
        );
    }
}
