//! What runs remember between them: the validators each fetched URL sent, and what each backend was sent.

use crate::rows::{db, now, ts};
use crate::SqliteStore;
use audarma_store::{Result, UsageRecord};
use sqlx::Row;

pub(crate) async fn fetch_validators(
    store: &SqliteStore,
    url: &str,
) -> Result<Option<(Option<String>, Option<String>)>> {
    let row = sqlx::query("SELECT etag, last_modified FROM fetched WHERE url = ?")
        .bind(url)
        .fetch_optional(&store.pool)
        .await
        .map_err(db)?;
    Ok(row.map(|r| (r.get(0), r.get(1))))
}

pub(crate) async fn record_fetch(
    store: &SqliteStore,
    url: &str,
    etag: Option<&str>,
    last_modified: Option<&str>,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO fetched (url, etag, last_modified, fetched_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (url) DO UPDATE SET etag = excluded.etag, last_modified = excluded.last_modified,
         fetched_at = excluded.fetched_at",
    )
    .bind(url)
    .bind(etag)
    .bind(last_modified)
    .bind(ts(now()))
    .execute(&store.pool)
    .await
    .map_err(db)?;
    Ok(())
}

pub(crate) async fn record_usage(store: &SqliteStore, u: &UsageRecord) -> Result<()> {
    sqlx::query(
        "INSERT INTO usage (at, workflow, worker, backend, requests, chars, billed_chars, tokens_in, tokens_out)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(ts(now()))
    .bind(&u.workflow)
    .bind(&u.worker)
    .bind(&u.backend)
    .bind(u.requests as i64)
    .bind(u.chars as i64)
    .bind(u.billed_chars as i64)
    .bind(u.tokens_in as i64)
    .bind(u.tokens_out as i64)
    .execute(&store.pool)
    .await
    .map_err(db)?;
    Ok(())
}

pub(crate) async fn usage_totals(store: &SqliteStore) -> Result<Vec<UsageRecord>> {
    let rows = sqlx::query(
        "SELECT backend, SUM(requests), SUM(chars), SUM(billed_chars), SUM(tokens_in), SUM(tokens_out)
         FROM usage GROUP BY backend ORDER BY backend",
    )
    .fetch_all(&store.pool)
    .await
    .map_err(db)?;
    Ok(rows
        .into_iter()
        .map(|r| UsageRecord {
            backend: r.get(0),
            requests: r.get::<i64, _>(1) as u64,
            chars: r.get::<i64, _>(2) as u64,
            billed_chars: r.get::<i64, _>(3) as u64,
            tokens_in: r.get::<i64, _>(4) as u64,
            tokens_out: r.get::<i64, _>(5) as u64,
            ..Default::default()
        })
        .collect())
}

pub(crate) async fn health(store: &SqliteStore) -> Result<audarma_store::Health> {
    let version: i64 = sqlx::query("SELECT COALESCE(MAX(version), 0) FROM _sqlx_migrations WHERE success")
        .fetch_one(&store.pool)
        .await
        .map_err(db)?
        .get(0);
    let expired: i64 = sqlx::query("SELECT COUNT(*) FROM jobs WHERE state = 'translating' AND lease_until < ?")
        .bind(ts(now()))
        .fetch_one(&store.pool)
        .await
        .map_err(db)?
        .get(0);
    let check: Vec<String> = sqlx::query("PRAGMA quick_check")
        .fetch_all(&store.pool)
        .await
        .map_err(db)?
        .iter()
        .map(|r| r.get::<String, _>(0))
        .collect();
    let pragma = |name: &'static str| async move {
        sqlx::query(&format!("PRAGMA {name}")).fetch_one(&store.pool).await.map_err(db).map(|r| {
            r.try_get::<String, _>(0).or_else(|_| r.try_get::<i64, _>(0).map(|v| v.to_string())).unwrap_or_default()
        })
    };
    let pages: i64 = pragma("page_count").await?.parse().unwrap_or(0);
    let page_size: i64 = pragma("page_size").await?.parse().unwrap_or(0);
    let sqlite_version: String =
        sqlx::query("SELECT sqlite_version()").fetch_one(&store.pool).await.map_err(db)?.get(0);
    let mut problems = Vec::new();
    if check != ["ok"] {
        problems.push(format!("integrity: {}", check.join("; ")));
    }
    if version < crate::migrations::LATEST {
        problems.push(format!("schema {version} is older than this build's {}", crate::migrations::LATEST));
    }
    Ok(audarma_store::Health {
        backend: "sqlite",
        schema_version: version,
        latest_schema: crate::migrations::LATEST,
        expired_leases: expired as u64,
        details: vec![
            ("sqlite".into(), sqlite_version),
            ("journal_mode".into(), pragma("journal_mode").await?),
            ("size_bytes".into(), (pages * page_size).to_string()),
            ("integrity".into(), check.join("; ")),
        ],
        problems,
    })
}
