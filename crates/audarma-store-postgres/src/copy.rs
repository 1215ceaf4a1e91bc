//! `audarma db copy`: a whole SQLite installation into an empty PostgreSQL database, in one
//! transaction, verified by counting every table on both sides afterwards.
//!
//! Every value travels as text and is cast by PostgreSQL into its column's type (RFC 3339 timestamps
//! into `timestamptz`, JSON into `jsonb`, ISO dates into `date`), so a value SQLite holds that is not
//! what it should be stops the copy naming its table, and nothing is written. Ids are kept (events,
//! comments and tokens refer to them) and the identity sequences moved past them. Triggers are off
//! while the copy runs: the counts they keep are copied as they are, not counted twice.
//!
//! Webhook deliveries are copied with their state; the hooks' cursors are not (SQLite's are event ids,
//! PostgreSQL's snapshots): a hook starts again at the end of the copied log, so deliver what
//! is pending (`audarma notify deliver`) before copying.

use crate::rows::db;
use crate::PgStore;
use audarma_store::{Result, StoreError};
use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};
use sqlx::Row;
use std::str::FromStr;

/// Each table in an order that keeps foreign keys satisfied, its columns, and their PostgreSQL types.
const TABLES: &[(&str, &[(&str, &str)])] = &[
    (
        "releases",
        &[
            ("id", "bigint"),
            ("source", "text"),
            ("lang", "text"),
            ("title", "text"),
            ("release_date", "date"),
            ("place", "text"),
            ("body", "text"),
            ("content_hash", "text"),
            ("created_at", "timestamptz"),
        ],
    ),
    ("segments", &[("release_id", "bigint"), ("idx", "int"), ("paragraph", "int"), ("text", "text"), ("lang", "text")]),
    (
        "jobs",
        &[
            ("id", "bigint"),
            ("release_id", "bigint"),
            ("target_lang", "text"),
            ("workflow", "text"),
            ("state", "text"),
            ("error", "text"),
            ("lease_owner", "text"),
            ("lease_until", "timestamptz"),
            ("created_at", "timestamptz"),
            ("updated_at", "timestamptz"),
            ("approved_at", "timestamptz"),
            ("approved_by", "text"),
            ("assignee", "text"),
            ("priority", "bigint"),
            ("deadline", "date"),
            ("attempts", "int"),
            ("crashes", "int"),
        ],
    ),
    (
        "target_segments",
        &[
            ("job_id", "bigint"),
            ("idx", "int"),
            ("suggestion", "text"),
            ("origin", "text"),
            ("backend", "text"),
            ("edited", "text"),
            ("version", "bigint"),
            ("terms", "jsonb"),
            ("findings", "jsonb"),
            ("tm", "jsonb"),
            ("text_hash", "text"),
            ("suggestion_findings", "jsonb"),
            ("updated_at", "timestamptz"),
            ("updated_by", "text"),
            ("edit_seconds", "float8"),
            ("seconds_total", "float8"),
            ("model", "text"),
            ("start_text", "text"),
            ("start_score", "int"),
        ],
    ),
    (
        "events",
        &[
            ("id", "bigint"),
            ("at", "timestamptz"),
            ("actor", "text"),
            ("job_id", "bigint"),
            ("release_id", "bigint"),
            ("kind", "text"),
            ("detail", "jsonb"),
            ("before", "text"),
            ("after", "text"),
        ],
    ),
    (
        "tm_units",
        &[
            ("id", "bigint"),
            ("source_lang", "text"),
            ("target_lang", "text"),
            ("source_key", "text"),
            ("source", "text"),
            ("target", "text"),
            ("origin", "text"),
            ("created_at", "timestamptz"),
            ("created_by", "text"),
        ],
    ),
    ("tm_terms", &[("term", "bigint"), ("units", "bigint")]),
    ("tm_postings", &[("term", "bigint"), ("chars", "int"), ("unit", "bigint")]),
    ("fetched", &[("url", "text"), ("etag", "text"), ("last_modified", "text"), ("fetched_at", "timestamptz")]),
    (
        "mt_cache",
        &[
            ("backend", "text"),
            ("model", "text"),
            ("source_lang", "text"),
            ("target_lang", "text"),
            ("glossary_version", "text"),
            ("source_key", "text"),
            ("translation", "text"),
            ("created_at", "timestamptz"),
        ],
    ),
    (
        "usage",
        &[
            ("id", "bigint"),
            ("at", "timestamptz"),
            ("workflow", "text"),
            ("worker", "text"),
            ("backend", "text"),
            ("requests", "bigint"),
            ("chars", "bigint"),
            ("billed_chars", "bigint"),
            ("tokens_in", "bigint"),
            ("tokens_out", "bigint"),
        ],
    ),
    (
        "users",
        &[
            ("id", "bigint"),
            ("name", "text"),
            ("role", "text"),
            ("password_hash", "text"),
            ("created_at", "timestamptz"),
            ("locale", "text"),
            ("disabled_at", "timestamptz"),
        ],
    ),
    (
        "tokens",
        &[
            ("id", "bigint"),
            ("user_id", "bigint"),
            ("token_hash", "text"),
            ("created_at", "timestamptz"),
            ("last_used_at", "timestamptz"),
            ("expires_at", "timestamptz"),
            ("revoked_at", "timestamptz"),
        ],
    ),
    (
        "sessions",
        &[
            ("token_hash", "text"),
            ("user_id", "bigint"),
            ("csrf", "text"),
            ("created_at", "timestamptz"),
            ("expires_at", "timestamptz"),
        ],
    ),
    ("feed_tokens", &[("user_id", "bigint"), ("token_hash", "text"), ("created_at", "timestamptz")]),
    (
        "comments",
        &[
            ("id", "bigint"),
            ("job_id", "bigint"),
            ("segment", "int"),
            ("author", "text"),
            ("body", "text"),
            ("created_at", "timestamptz"),
        ],
    ),
    (
        "words",
        &[("lang", "text"), ("folded", "text"), ("word", "text"), ("added_by", "text"), ("added_at", "timestamptz")],
    ),
    ("job_counts", &[("state", "text"), ("target_lang", "text"), ("jobs", "bigint")]),
    (
        "findings_raised",
        &[
            ("job_id", "bigint"),
            ("idx", "int"),
            ("check_name", "text"),
            ("message", "text"),
            ("text_hash", "text"),
            ("source_lang", "text"),
            ("target_lang", "text"),
        ],
    ),
    (
        "finding_dismissals",
        &[
            ("job_id", "bigint"),
            ("idx", "int"),
            ("check_name", "text"),
            ("message", "text"),
            ("text_hash", "text"),
            ("source_lang", "text"),
            ("target_lang", "text"),
            ("reason", "text"),
            ("actor", "text"),
            ("at", "timestamptz"),
        ],
    ),
    (
        "notify_deliveries",
        &[
            ("id", "bigint"),
            ("workflow", "text"),
            ("hook", "text"),
            ("event_id", "bigint"),
            ("event", "text"),
            ("state", "text"),
            ("attempts", "int"),
            ("next_at", "timestamptz"),
            ("lease_owner", "text"),
            ("lease_until", "timestamptz"),
            ("last_status", "int"),
            ("last_error", "text"),
            ("created_at", "timestamptz"),
            ("updated_at", "timestamptz"),
            ("delivered_at", "timestamptz"),
        ],
    ),
    ("deadline_notices", &[("job_id", "bigint"), ("deadline", "date"), ("at", "timestamptz")]),
    (
        "finding_counts",
        &[
            ("check_name", "text"),
            ("source_lang", "text"),
            ("target_lang", "text"),
            ("raised", "bigint"),
            ("dismissed", "bigint"),
        ],
    ),
    (
        "segment_effort",
        &[
            ("job_id", "bigint"),
            ("idx", "int"),
            ("approved_at", "timestamptz"),
            ("approver", "text"),
            ("translator", "text"),
            ("workflow", "text"),
            ("source_lang", "text"),
            ("target_lang", "text"),
            ("start", "text"),
            ("backend", "text"),
            ("words", "int"),
            ("tokens", "int"),
            ("word_edits", "int"),
            ("chrf", "float8"),
            ("untouched", "boolean"),
            ("term_fixes", "int"),
            ("fixed_terms", "jsonb"),
            ("seconds", "float8"),
            ("model", "text"),
            ("fuzzy", "int"),
            ("inflection_fixes", "int"),
            ("inflected_terms", "jsonb"),
        ],
    ),
    (
        "annotations",
        &[
            ("id", "bigint"),
            ("job_id", "bigint"),
            ("idx", "int"),
            ("span_start", "int"),
            ("span_end", "int"),
            ("error_type", "text"),
            ("severity", "text"),
            ("note", "text"),
            ("text_hash", "text"),
            ("created_at", "timestamptz"),
            ("created_by", "text"),
            ("removed_at", "timestamptz"),
            ("removed_by", "text"),
        ],
    ),
];

/// Tables whose `id` is an identity column: their sequences continue after the copied ids.
const IDENTITY: &[&str] = &[
    "releases",
    "jobs",
    "events",
    "tm_units",
    "usage",
    "users",
    "tokens",
    "comments",
    "annotations",
    "notify_deliveries",
];

/// Tables whose triggers keep other tables (counts, the edit log): off while copying.
const TRIGGERED: &[&str] = &["jobs", "target_segments", "findings_raised", "finding_dismissals"];

/// Rows per INSERT.
const BATCH: usize = 1000;

/// One table copied: its rows on each side after the copy.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Copied {
    pub table: &'static str,
    pub source_rows: u64,
    pub target_rows: u64,
}

/// Copies the SQLite database at `sqlite_path` (already migrated to this build's schema: open it with
/// the SQLite store first) into `target`, which must hold no data. Returns every table's counts;
/// fails, writing nothing, if any differ.
pub async fn copy_from_sqlite(sqlite_path: &str, target: &PgStore) -> Result<Vec<Copied>> {
    let opts = SqliteConnectOptions::from_str(sqlite_path)
        .map_err(|e| db(format!("{sqlite_path}: {e}")))?
        .read_only(true)
        .create_if_missing(false);
    let source = SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(opts)
        .await
        .map_err(|e| db(format!("cannot open {sqlite_path}: {e}")))?;
    let mut tx = target.pool.begin().await.map_err(db)?;
    for table in ["releases", "users", "tm_units", "events", "mt_cache"] {
        let n: i64 =
            sqlx::query(&format!("SELECT COUNT(*) FROM {table}")).fetch_one(&mut *tx).await.map_err(db)?.get(0);
        if n > 0 {
            return Err(StoreError::Database(
                format!("the target database is not empty ({table} has {n} rows): copy into a new database").into(),
            ));
        }
    }
    for table in TRIGGERED {
        sqlx::query(&format!("ALTER TABLE {table} DISABLE TRIGGER USER")).execute(&mut *tx).await.map_err(db)?;
    }
    // The counts the triggers would have made when the schema was created (none) are replaced.
    sqlx::query("DELETE FROM job_counts").execute(&mut *tx).await.map_err(db)?;
    sqlx::query("DELETE FROM job_count_deltas").execute(&mut *tx).await.map_err(db)?;
    sqlx::query("DELETE FROM finding_count_deltas").execute(&mut *tx).await.map_err(db)?;
    sqlx::query("DELETE FROM finding_counts").execute(&mut *tx).await.map_err(db)?;
    let mut copied = Vec::new();
    for (table, columns) in TABLES {
        let names: Vec<&str> = columns.iter().map(|(c, _)| *c).collect();
        let select = format!(
            "SELECT {} FROM {table}",
            names.iter().map(|c| format!("CAST({c} AS TEXT)")).collect::<Vec<_>>().join(", ")
        );
        let insert = format!(
            "INSERT INTO {table} ({}) SELECT {} FROM UNNEST({}) AS u({})",
            names.join(", "),
            columns.iter().map(|(c, t)| format!("u.{c}::{t}")).collect::<Vec<_>>().join(", "),
            (1..=columns.len()).map(|i| format!("${i}::text[]")).collect::<Vec<_>>().join(", "),
            names.join(", "),
        );
        let rows = sqlx::query(&select).fetch_all(&source).await.map_err(|e| db(format!("reading {table}: {e}")))?;
        for chunk in rows.chunks(BATCH) {
            let mut q = sqlx::query(&insert);
            for i in 0..columns.len() {
                let col: Vec<Option<String>> = chunk.iter().map(|r| r.get::<Option<String>, _>(i)).collect();
                q = q.bind(col);
            }
            q.execute(&mut *tx).await.map_err(|e| db(format!("copying {table}: {e}")))?;
        }
        copied.push((*table, rows.len() as u64));
    }
    for table in TRIGGERED {
        sqlx::query(&format!("ALTER TABLE {table} ENABLE TRIGGER USER")).execute(&mut *tx).await.map_err(db)?;
    }
    for table in IDENTITY {
        sqlx::query(&format!(
            "SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
        ))
        .execute(&mut *tx)
        .await
        .map_err(db)?;
    }
    let mut report = Vec::new();
    for (table, source_rows) in copied {
        let n: i64 =
            sqlx::query(&format!("SELECT COUNT(*) FROM {table}")).fetch_one(&mut *tx).await.map_err(db)?.get(0);
        report.push(Copied { table, source_rows, target_rows: n as u64 });
    }
    if let Some(bad) = report.iter().find(|c| c.source_rows != c.target_rows) {
        return Err(StoreError::Database(
            format!(
                "{}: {} rows read but {} in the target; nothing was copied",
                bad.table, bad.source_rows, bad.target_rows
            )
            .into(),
        ));
    }
    tx.commit().await.map_err(db)?;
    source.close().await;
    Ok(report)
}
