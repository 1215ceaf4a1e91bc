//! Translation memory (exact lookups, fuzzy candidates, units added, target texts, length ratios), the
//! machine-translation cache, fetch validators and backend usage.

use crate::rows::{db, now};
use crate::PgStore;
use audarma_core::Lang;
use audarma_store::{tm_key, CacheKey, Result, TmUnit, UsageRecord};
use chrono::{DateTime, Utc};
use sqlx::{PgConnection, Row};

/// Adds one unit unless the same (pair, source, target) is there; 1 if it was new.
pub(crate) async fn insert_unit(
    tx: &mut PgConnection,
    src: &str,
    tgt: &str,
    source: &str,
    target: &str,
    origin: &str,
    at: DateTime<Utc>,
) -> Result<u64> {
    Ok(sqlx::query(
        "INSERT INTO tm_units (source_lang, target_lang, source_key, source, target, origin, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING",
    )
    .bind(src)
    .bind(tgt)
    .bind(tm_key(source))
    .bind(source)
    .bind(target)
    .bind(origin)
    .bind(at)
    .execute(&mut *tx)
    .await
    .map_err(db)?
    .rows_affected())
}

pub(crate) async fn tm_exact(
    store: &PgStore,
    source: Lang,
    target: Lang,
    texts: &[String],
) -> Result<Vec<Option<String>>> {
    let keys: Vec<String> = texts.iter().map(|t| tm_key(t)).collect();
    let mut found: std::collections::HashMap<String, String> = std::collections::HashMap::new();
    // The newest unit wins: a later approval corrects an earlier one.
    let rows = sqlx::query(
        "SELECT source_key, target FROM tm_units
          WHERE source_lang = $1 AND target_lang = $2
            AND md5(source_key) IN (SELECT md5(k) FROM UNNEST($3::text[]) k) AND source_key = ANY($3)
          ORDER BY id",
    )
    .bind(source.code())
    .bind(target.code())
    .bind(&keys)
    .fetch_all(&store.pool)
    .await
    .map_err(db)?;
    for r in rows {
        found.insert(r.get(0), r.get(1));
    }
    Ok(keys.iter().map(|k| found.get(k).cloned()).collect())
}

pub(crate) async fn tm_add(store: &PgStore, units: &[TmUnit], origin: &str) -> Result<u64> {
    let mut tx = store.write().await?;
    let at = now();
    let mut added = 0;
    for u in units {
        added +=
            insert_unit(&mut tx, u.source_lang.code(), u.target_lang.code(), &u.source, &u.target, origin, at).await?;
    }
    tx.commit().await.map_err(db)?;
    Ok(added)
}

/// Candidates share at least one of the text's longest words of three letters or more (a word index
/// of the case-folded source), best `ts_rank` first; [`audarma_store::fuzzy_matches`] scores them.
pub(crate) async fn tm_fuzzy_candidates(
    store: &PgStore,
    source: Lang,
    target: Lang,
    text: &str,
    limit: u32,
) -> Result<Vec<(String, String)>> {
    let key = tm_key(text);
    let mut words: Vec<&str> = key.split(' ').filter(|w| w.chars().count() >= 3).collect();
    words.sort_by_key(|w| std::cmp::Reverse(w.chars().count()));
    words.truncate(6);
    if words.is_empty() {
        return Ok(Vec::new());
    }
    // Each word through the same parser as the index (so punctuation and case go as they went there),
    // the lexemes ORed: a query made of data, never of syntax.
    let rows = sqlx::query(
        "WITH q AS (
             SELECT to_tsquery('simple', string_agg(quote_literal(lexeme), ' | ')) AS q
               FROM (SELECT DISTINCT unnest(tsvector_to_array(to_tsvector('simple', w))) AS lexeme
                       FROM UNNEST($1::text[]) w) l)
         SELECT u.source, u.target FROM tm_units u, q
          WHERE q.q IS NOT NULL AND u.source_words @@ q.q
            AND u.source_lang = $2 AND u.target_lang = $3
          ORDER BY ts_rank(u.source_words, q.q) DESC, u.id LIMIT $4",
    )
    .bind(&words)
    .bind(source.code())
    .bind(target.code())
    .bind(i64::from(limit))
    .fetch_all(&store.pool)
    .await
    .map_err(db)?;
    Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
}

pub(crate) async fn tm_length_ratios(
    store: &PgStore,
    source: Lang,
    target: Lang,
    min_source_chars: u32,
    limit: u32,
) -> Result<Vec<f64>> {
    let rows = sqlx::query(
        "SELECT length(target)::float8 / length(source) FROM tm_units
         WHERE source_lang = $1 AND target_lang = $2 AND length(source) >= $3 ORDER BY id DESC LIMIT $4",
    )
    .bind(source.code())
    .bind(target.code())
    .bind(min_source_chars as i32)
    .bind(i64::from(limit))
    .fetch_all(&store.pool)
    .await
    .map_err(db)?;
    Ok(rows.into_iter().map(|r| r.get::<f64, _>(0)).collect())
}

pub(crate) async fn tm_targets(store: &PgStore, target: Lang, limit: u32) -> Result<Vec<String>> {
    let rows = sqlx::query("SELECT target FROM tm_units WHERE target_lang = $1 ORDER BY id DESC LIMIT $2")
        .bind(target.code())
        .bind(i64::from(limit))
        .fetch_all(&store.pool)
        .await
        .map_err(db)?;
    Ok(rows.into_iter().map(|r| r.get::<String, _>(0)).collect())
}

pub(crate) async fn cache_get(store: &PgStore, key: &CacheKey, texts: &[String]) -> Result<Vec<Option<String>>> {
    let keys: Vec<String> = texts.iter().map(|t| tm_key(t)).collect();
    let rows = sqlx::query(
        "SELECT source_key, translation FROM mt_cache
          WHERE backend = $1 AND model = $2 AND source_lang = $3 AND target_lang = $4 AND glossary_version = $5
            AND source_md5 IN (SELECT md5(k) FROM UNNEST($6::text[]) k) AND source_key = ANY($6)",
    )
    .bind(&key.backend)
    .bind(&key.model)
    .bind(key.source.code())
    .bind(key.target.code())
    .bind(&key.glossary_version)
    .bind(&keys)
    .fetch_all(&store.pool)
    .await
    .map_err(db)?;
    let found: std::collections::HashMap<String, String> = rows.iter().map(|r| (r.get(0), r.get(1))).collect();
    Ok(keys.iter().map(|k| found.get(k).cloned()).collect())
}

pub(crate) async fn cache_put(store: &PgStore, key: &CacheKey, pairs: &[(String, String)]) -> Result<()> {
    let mut tx = store.write().await?;
    let at = now();
    for (source, translation) in pairs {
        sqlx::query(
            "INSERT INTO mt_cache (backend, model, source_lang, target_lang, glossary_version, source_key, translation, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
             ON CONFLICT (backend, model, source_lang, target_lang, glossary_version, source_md5)
             DO UPDATE SET translation = EXCLUDED.translation",
        )
        .bind(&key.backend)
        .bind(&key.model)
        .bind(key.source.code())
        .bind(key.target.code())
        .bind(&key.glossary_version)
        .bind(tm_key(source))
        .bind(translation)
        .bind(at)
        .execute(&mut *tx)
        .await
        .map_err(db)?;
    }
    tx.commit().await.map_err(db)
}

pub(crate) async fn fetch_validators(store: &PgStore, url: &str) -> Result<Option<(Option<String>, Option<String>)>> {
    let row = sqlx::query("SELECT etag, last_modified FROM fetched WHERE url = $1")
        .bind(url)
        .fetch_optional(&store.pool)
        .await
        .map_err(db)?;
    Ok(row.map(|r| (r.get(0), r.get(1))))
}

pub(crate) async fn record_fetch(
    store: &PgStore,
    url: &str,
    etag: Option<&str>,
    last_modified: Option<&str>,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO fetched (url, etag, last_modified, fetched_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (url) DO UPDATE SET etag = EXCLUDED.etag, last_modified = EXCLUDED.last_modified,
         fetched_at = EXCLUDED.fetched_at",
    )
    .bind(url)
    .bind(etag)
    .bind(last_modified)
    .bind(now())
    .execute(&store.pool)
    .await
    .map_err(db)?;
    Ok(())
}

pub(crate) async fn record_usage(store: &PgStore, u: &UsageRecord) -> Result<()> {
    sqlx::query(
        "INSERT INTO usage (at, workflow, worker, backend, requests, chars, billed_chars, tokens_in, tokens_out)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(now())
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

pub(crate) async fn usage_totals(store: &PgStore) -> Result<Vec<UsageRecord>> {
    let rows = sqlx::query(
        "SELECT backend, SUM(requests)::bigint, SUM(chars)::bigint, SUM(billed_chars)::bigint, SUM(tokens_in)::bigint,
                SUM(tokens_out)::bigint
         FROM usage GROUP BY backend ORDER BY backend COLLATE \"C\"",
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
