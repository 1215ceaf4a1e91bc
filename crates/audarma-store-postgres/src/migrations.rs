//! The migrations in `migrations/`, compiled into the binary as audarma-store-sqlite compiles its own
//! (without sqlx's `macros` feature): each file's version, description and SQL, checksummed by sqlx.
//! A test keeps the list and the directory in step.

use sqlx::error::BoxDynError;
use sqlx::migrate::{Migration, MigrationSource, MigrationType, Migrator};
use std::borrow::Cow;
use std::future::Future;
use std::pin::Pin;

/// (version, description as in the file name, SQL).
const MIGRATIONS: &[(i64, &str, &str)] = &[
    (20261205000001, "initial", include_str!("../migrations/20261205000001_initial.sql")),
    (20261205000002, "count_deltas", include_str!("../migrations/20261205000002_count_deltas.sql")),
    (20261205000003, "tm_words_stored", include_str!("../migrations/20261205000003_tm_words_stored.sql")),
    (20261206000004, "memory_index", include_str!("../migrations/20261206000004_memory_index.sql")),
    (20261206000005, "memory_pending", include_str!("../migrations/20261206000005_memory_pending.sql")),
    (20261206000006, "review_analytics", include_str!("../migrations/20261206000006_review_analytics.sql")),
    (20261208000008, "edit_seconds", include_str!("../migrations/20261208000008_edit_seconds.sql")),
    (20261208000009, "notify", include_str!("../migrations/20261208000009_notify.sql")),
    (20261208000010, "feed_tokens", include_str!("../migrations/20261208000010_feed_tokens.sql")),
    (20261208000011, "effort_detail", include_str!("../migrations/20261208000011_effort_detail.sql")),
];

/// The newest migration this build applies.
pub(crate) const LATEST: i64 = MIGRATIONS[MIGRATIONS.len() - 1].0;

#[derive(Debug)]
struct Embedded;

impl<'s> MigrationSource<'s> for Embedded {
    fn resolve(self) -> Pin<Box<dyn Future<Output = Result<Vec<Migration>, BoxDynError>> + Send + 's>> {
        Box::pin(async move { Ok(migrations()) })
    }
}

fn migrations() -> Vec<Migration> {
    MIGRATIONS
        .iter()
        .map(|&(version, name, sql)| {
            // As sqlx's resolver: `_` in the file name is a space in the description; a file starting with
            // `-- no-transaction` runs outside a transaction.
            Migration::new(
                version,
                Cow::Owned(name.replace('_', " ")),
                MigrationType::Simple,
                Cow::Borrowed(sql),
                sql.starts_with("-- no-transaction"),
            )
        })
        .collect()
}

/// The migrator of every PostgreSQL database audarma opens.
pub async fn migrator() -> Result<Migrator, sqlx::migrate::MigrateError> {
    Migrator::new(Embedded).await
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn every_file_in_migrations_is_listed_once_in_order() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
        let mut files: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|f| f.ends_with(".sql"))
            .collect();
        files.sort();
        let listed: Vec<String> = MIGRATIONS.iter().map(|(v, d, _)| format!("{v}_{d}.sql")).collect();
        assert_eq!(listed, files, "add the new migration file to MIGRATIONS in src/migrations.rs");
        for ((_, _, sql), file) in MIGRATIONS.iter().zip(&files) {
            assert_eq!(*sql, std::fs::read_to_string(dir.join(file)).unwrap(), "{file}");
        }
    }
}
