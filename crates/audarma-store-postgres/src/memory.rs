//! Translation memory (exact lookups, fuzzy candidates, units added, target texts, length ratios), the
//! machine-translation cache, fetch validators and backend usage.

use crate::rows::{db, now, parse_lang};
use crate::PgStore;
use audarma_core::Lang;
use audarma_store::{index_text, tm_key, CacheKey, IndexedText, Result, TmUnit, UsageRecord};
use chrono::{DateTime, Utc};
use sqlx::{PgConnection, Row};

/// Adds units unless the same (pair, source, target) is there, and indexes the new ones; how many were
/// new. Every unit enters the memory through here: a statement per thousand units.
pub(crate) async fn insert_units(tx: &mut PgConnection, units: &[TmUnit], origin: &str) -> Result<u64> {
    let added = insert_rows(tx, units, origin).await?;
    index_units(tx, &added).await?;
    Ok(added.len() as u64)
}

/// Stores the units that are new; their ids and index entries.
async fn insert_rows(tx: &mut PgConnection, units: &[TmUnit], origin: &str) -> Result<Vec<(i64, IndexedText)>> {
    let at = now();
    let mut added: Vec<(i64, IndexedText)> = Vec::new();
    for chunk in units.chunks(1000) {
        let column = |f: fn(&TmUnit) -> String| chunk.iter().map(f).collect::<Vec<String>>();
        let rows = sqlx::query(
            "INSERT INTO tm_units (source_lang, target_lang, source_key, source, target, origin, created_at, created_by)
             SELECT s, t, k, src, tgt, $6, c, b
               FROM UNNEST($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $7::timestamptz[], $8::text[])
                    AS u(s, t, k, src, tgt, c, b)
             ON CONFLICT DO NOTHING RETURNING id, source_lang, target_lang, source",
        )
        .bind(column(|u| u.source_lang.code().to_string()))
        .bind(column(|u| u.target_lang.code().to_string()))
        .bind(column(|u| tm_key(&u.source)))
        .bind(column(|u| u.source.clone()))
        .bind(column(|u| u.target.clone()))
        .bind(origin)
        .bind(chunk.iter().map(|u| u.created_at.unwrap_or(at)).collect::<Vec<_>>())
        .bind(chunk.iter().map(|u| u.created_by.clone()).collect::<Vec<_>>())
        .fetch_all(&mut *tx)
        .await
        .map_err(db)?;
        for r in rows {
            let (src, tgt) = (parse_lang(r.get(1))?, parse_lang(r.get(2))?);
            added.push((r.get(0), index_text(src, tgt, r.get(3))));
        }
    }
    Ok(added)
}

/// Adds units whose index entries wait in `tm_postings_pending` until [`tm_index_pending`].
pub(crate) async fn tm_add_bulk(store: &PgStore, units: &[TmUnit], origin: &str) -> Result<u64> {
    let mut tx = store.write().await?;
    let added = insert_rows(&mut tx, units, origin).await?;
    let (postings, _) = audarma_store::postings(&added);
    for chunk in postings.chunks(20_000) {
        sqlx::query(
            "INSERT INTO tm_postings_pending (term, chars, unit)
             SELECT * FROM UNNEST($1::bigint[], $2::int[], $3::bigint[])",
        )
        .bind(chunk.iter().map(|p| p.0).collect::<Vec<_>>())
        .bind(chunk.iter().map(|p| i32::try_from(p.1).unwrap_or(i32::MAX)).collect::<Vec<_>>())
        .bind(chunk.iter().map(|p| p.2).collect::<Vec<_>>())
        .execute(&mut *tx)
        .await
        .map_err(db)?;
    }
    tx.commit().await.map_err(db)?;
    Ok(added.len() as u64)
}

pub(crate) async fn tm_index_pending(store: &PgStore) -> Result<u64> {
    let mut tx = store.write().await?;
    let units = merge_pending(&mut tx).await?;
    tx.commit().await.map_err(db)?;
    Ok(units)
}

/// Moves the pending index entries into the index, in key order, and adds them to their terms'
/// counts, in one statement: the rows it deletes are exactly those it indexes, whatever imports
/// append meanwhile. Mergers take turns (an advisory lock), so none indexes a row twice.
async fn merge_pending(tx: &mut PgConnection) -> Result<u64> {
    sqlx::query("SELECT pg_advisory_xact_lock(7345202)").execute(&mut *tx).await.map_err(db)?;
    let units: i64 = sqlx::query_scalar(
        "WITH moved AS (DELETE FROM tm_postings_pending RETURNING term, chars, unit),
              postings AS (INSERT INTO tm_postings (term, chars, unit)
                           SELECT term, chars, unit FROM moved ORDER BY term, chars, unit),
              terms AS (INSERT INTO tm_terms (term, units)
                        SELECT term, count(*) FROM moved GROUP BY term ORDER BY term
                        ON CONFLICT (term) DO UPDATE SET units = tm_terms.units + excluded.units)
         SELECT count(DISTINCT unit) FROM moved",
    )
    .fetch_one(&mut *tx)
    .await
    .map_err(db)?;
    Ok(units as u64)
}

/// Writes the postings of new units and adds them to their terms' counts, in term order (so two
/// transactions adding to the same counts lock them in the same order).
async fn index_units(tx: &mut PgConnection, units: &[(i64, IndexedText)]) -> Result<()> {
    let (postings, counts) = audarma_store::postings(units);
    for chunk in postings.chunks(20_000) {
        sqlx::query(
            "INSERT INTO tm_postings (term, chars, unit) SELECT * FROM UNNEST($1::bigint[], $2::int[], $3::bigint[])",
        )
        .bind(chunk.iter().map(|p| p.0).collect::<Vec<_>>())
        .bind(chunk.iter().map(|p| i32::try_from(p.1).unwrap_or(i32::MAX)).collect::<Vec<_>>())
        .bind(chunk.iter().map(|p| p.2).collect::<Vec<_>>())
        .execute(&mut *tx)
        .await
        .map_err(db)?;
    }
    for chunk in counts.chunks(20_000) {
        sqlx::query(
            "INSERT INTO tm_terms (term, units) SELECT * FROM UNNEST($1::bigint[], $2::bigint[])
             ON CONFLICT (term) DO UPDATE SET units = tm_terms.units + excluded.units",
        )
        .bind(chunk.iter().map(|c| c.0).collect::<Vec<_>>())
        .bind(chunk.iter().map(|c| c.1).collect::<Vec<_>>())
        .execute(&mut *tx)
        .await
        .map_err(db)?;
    }
    Ok(())
}

/// At open: merges the index entries an interrupted bulk import left pending; and indexes the units
/// stored before the word index existed, once — a transaction-level
/// advisory lock makes processes opening at once take turns, and the later ones find nothing pending.
pub(crate) async fn backfill_index(pool: &sqlx::PgPool) -> Result<()> {
    // An import that stopped before indexing what it stored.
    let mut tx = pool.begin().await.map_err(db)?;
    merge_pending(&mut tx).await?;
    tx.commit().await.map_err(db)?;
    let pending: Option<i32> =
        sqlx::query_scalar("SELECT pending FROM tm_index_backfill").fetch_optional(pool).await.map_err(db)?;
    if pending.is_none() {
        return Ok(());
    }
    let mut tx = pool.begin().await.map_err(db)?;
    sqlx::query("SELECT pg_advisory_xact_lock(7345201)").execute(&mut *tx).await.map_err(db)?;
    let pending: Option<i32> =
        sqlx::query_scalar("SELECT pending FROM tm_index_backfill").fetch_optional(&mut *tx).await.map_err(db)?;
    if pending.is_none() {
        return Ok(());
    }
    let mut after = 0i64;
    loop {
        let rows = sqlx::query(
            "SELECT id, source_lang, target_lang, source FROM tm_units WHERE id > $1 ORDER BY id LIMIT 5000",
        )
        .bind(after)
        .fetch_all(&mut *tx)
        .await
        .map_err(db)?;
        let Some(last) = rows.last() else { break };
        after = last.get(0);
        let mut units = Vec::with_capacity(rows.len());
        for r in &rows {
            let (src, tgt) = (parse_lang(r.get(1))?, parse_lang(r.get(2))?);
            units.push((r.get::<i64, _>(0), index_text(src, tgt, r.get(3))));
        }
        index_units(&mut tx, &units).await?;
    }
    sqlx::query("DELETE FROM tm_index_backfill").execute(&mut *tx).await.map_err(db)?;
    tx.commit().await.map_err(db)
}

pub(crate) async fn tm_term_counts(store: &PgStore, terms: &[i64]) -> Result<Vec<i64>> {
    let rows = sqlx::query("SELECT term, units FROM tm_terms WHERE term = ANY($1)")
        .bind(terms)
        .fetch_all(&store.pool)
        .await
        .map_err(db)?;
    let found: std::collections::HashMap<i64, i64> = rows.iter().map(|r| (r.get(0), r.get(1))).collect();
    Ok(terms.iter().map(|t| found.get(t).copied().unwrap_or(0)).collect())
}

pub(crate) async fn tm_candidates(
    store: &PgStore,
    source: Lang,
    target: Lang,
    terms: &[i64],
    chars: (u32, u32),
    limit: u32,
) -> Result<Vec<(String, String)>> {
    if terms.is_empty() {
        return Ok(Vec::new());
    }
    let rows = sqlx::query(
        "SELECT u.source, u.target FROM (
            SELECT unit, count(*) AS shared FROM tm_postings
             WHERE term = ANY($1) AND chars BETWEEN $2 AND $3
             GROUP BY unit ORDER BY shared DESC, unit DESC LIMIT $4) p
           JOIN tm_units u ON u.id = p.unit
          WHERE u.source_lang = $5 AND u.target_lang = $6
          ORDER BY p.shared DESC, p.unit DESC",
    )
    .bind(terms)
    .bind(i64::from(chars.0))
    .bind(i64::from(chars.1))
    .bind(i64::from(limit))
    .bind(source.code())
    .bind(target.code())
    .fetch_all(&store.pool)
    .await
    .map_err(db)?;
    Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
}

pub(crate) async fn tm_units(
    store: &PgStore,
    pair: Option<(Lang, Lang)>,
    since: Option<DateTime<Utc>>,
    after: i64,
    limit: u32,
) -> Result<Vec<(i64, TmUnit)>> {
    let rows = sqlx::query(
        "SELECT id, source_lang, target_lang, source, target, created_at, created_by FROM tm_units
          WHERE id > $1 AND ($2::text IS NULL OR (source_lang = $2 AND target_lang = $3))
            AND ($4::timestamptz IS NULL OR created_at >= $4)
          ORDER BY id LIMIT $5",
    )
    .bind(after)
    .bind(pair.map(|p| p.0.code()))
    .bind(pair.map(|p| p.1.code()))
    .bind(since)
    .bind(i64::from(limit))
    .fetch_all(&store.pool)
    .await
    .map_err(db)?;
    rows.iter()
        .map(|r| {
            Ok((
                r.get(0),
                TmUnit {
                    source_lang: parse_lang(r.get(1))?,
                    target_lang: parse_lang(r.get(2))?,
                    source: r.get(3),
                    target: r.get(4),
                    created_at: Some(r.get(5)),
                    created_by: r.get(6),
                },
            ))
        })
        .collect()
}

pub(crate) async fn tm_exact(
    store: &PgStore,
    source: Lang,
    target: Lang,
    texts: &[String],
) -> Result<Vec<Option<String>>> {
    let keys: Vec<String> = texts.iter().map(|t| tm_key(t)).collect();
    let mut found: std::collections::HashMap<String, String> = std::collections::HashMap::new();
    // The newest unit wins (by its date, then by when it was stored): a later approval corrects an
    // earlier one, and an old memory imported later does not override either.
    let rows = sqlx::query(
        "SELECT source_key, target FROM tm_units
          WHERE source_lang = $1 AND target_lang = $2
            AND md5(source_key) IN (SELECT md5(k) FROM UNNEST($3::text[]) k) AND source_key = ANY($3)
          ORDER BY created_at, id",
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
    let added = insert_units(&mut tx, units, origin).await?;
    tx.commit().await.map_err(db)?;
    Ok(added)
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
