//! The migrations in `migrations/`, compiled into the binary. `sqlx::migrate!` did the same through
//! sqlx's `macros` feature, which built a second copy of sqlx, SQLite and tokio for the compiler (about
//! a fifth of a clean build); this list is what the macro generated: each file's version, description
//! and SQL, checksummed by sqlx as the macro did (SHA-384 of the text), so databases migrated before
//! keep their recorded checksums. A test keeps the list and the directory in step.

use sqlx::error::BoxDynError;
use sqlx::migrate::{Migration, MigrationSource, MigrationType, Migrator};
use std::borrow::Cow;
use std::future::Future;
use std::pin::Pin;

/// (version, description as in the file name, SQL).
const MIGRATIONS: &[(i64, &str, &str)] = &[
    (20261128000001, "initial", include_str!("../migrations/20261128000001_initial.sql")),
    (20261128000002, "fetched", include_str!("../migrations/20261128000002_fetched.sql")),
    (20261128000003, "paragraph_lang", include_str!("../migrations/20261128000003_paragraph_lang.sql")),
    (20261128000004, "cache_usage", include_str!("../migrations/20261128000004_cache_usage.sql")),
    (20261128000005, "users", include_str!("../migrations/20261128000005_users.sql")),
    (20261128000006, "review_desk", include_str!("../migrations/20261128000006_review_desk.sql")),
    (20261128000007, "edited_index", include_str!("../migrations/20261128000007_edited_index.sql")),
    (20261128000008, "touch_job_on_edit", include_str!("../migrations/20261128000008_touch_job_on_edit.sql")),
    (20261128000009, "edit_event_trigger", include_str!("../migrations/20261128000009_edit_event_trigger.sql")),
    (20261128000010, "findings_dismissed", include_str!("../migrations/20261128000010_findings_dismissed.sql")),
    (20261205000011, "accounts", include_str!("../migrations/20261205000011_accounts.sql")),
    (20261205000012, "crashes", include_str!("../migrations/20261205000012_crashes.sql")),
    (20261205000013, "login_failures", include_str!("../migrations/20261205000013_login_failures.sql")),
    (20261205000014, "claim_order", include_str!("../migrations/20261205000014_claim_order.sql")),
    (20261206000015, "memory_index", include_str!("../migrations/20261206000015_memory_index.sql")),
    (20261206000016, "memory_pending", include_str!("../migrations/20261206000016_memory_pending.sql")),
    (20261206000017, "review_analytics", include_str!("../migrations/20261206000017_review_analytics.sql")),
    (20261208000019, "edit_seconds", include_str!("../migrations/20261208000019_edit_seconds.sql")),
    (20261208000020, "notify", include_str!("../migrations/20261208000020_notify.sql")),
    (20261208000021, "feed_tokens", include_str!("../migrations/20261208000021_feed_tokens.sql")),
    (20261208000022, "effort_detail", include_str!("../migrations/20261208000022_effort_detail.sql")),
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

/// The migrator of every SQLite database audarma opens.
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
