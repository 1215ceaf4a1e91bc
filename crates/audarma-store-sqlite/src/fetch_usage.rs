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
