//! Translation memory (exact lookups, fuzzy candidates, units added, target texts, length ratios) and the
//! machine-translation cache.

use crate::rows::{db, now, parse_lang, parse_ts, ts};
use crate::SqliteStore;
use audarma_core::Lang;
use audarma_store::{index_text, tm_key, CacheKey, IndexedText, Result, TmUnit};
use chrono::{DateTime, Utc};
use sqlx::{Row, SqliteConnection};

pub(crate) async fn tm_exact(
    store: &SqliteStore,
    source: Lang,
    target: Lang,
    texts: &[String],
) -> Result<Vec<Option<String>>> {
    let keys: Vec<String> = texts.iter().map(|t| tm_key(t)).collect();
    let mut found: std::collections::HashMap<String, String> = std::collections::HashMap::new();
    for chunk in keys.chunks(500) {
        // The newest unit wins (by its date, then by when it was stored): a later approval corrects an
        // earlier one, and an old memory imported later does not override either.
        let sql = format!(
            "SELECT source_key, target FROM tm_units WHERE source_lang = ? AND target_lang = ? AND source_key IN ({})
             ORDER BY created_at, id",
            vec!["?"; chunk.len()].join(", ")
        );
        let mut q = sqlx::query(&sql).bind(source.code()).bind(target.code());
        for k in chunk {
            q = q.bind(k);
        }
        for r in q.fetch_all(&store.pool).await.map_err(db)? {
            found.insert(r.get(0), r.get(1));
        }
    }
    Ok(keys.iter().map(|k| found.get(k).cloned()).collect())
}

pub(crate) async fn tm_add(store: &SqliteStore, units: &[TmUnit], origin: &str) -> Result<u64> {
    let mut tx = store.write().await?;
    let added = insert_units(&mut tx, units, origin).await?;
    tx.commit().await.map_err(db)?;
    Ok(added)
}

/// Adds units whose index entries wait in `tm_postings_pending` until [`tm_index_pending`].
pub(crate) async fn tm_add_bulk(store: &SqliteStore, units: &[TmUnit], origin: &str) -> Result<u64> {
    let mut tx = store.write().await?;
    let added = insert_rows(&mut tx, units, origin).await?;
    let (postings, _) = audarma_store::postings(&added);
    for chunk in postings.chunks(300) {
        let sql = format!(
            "INSERT INTO tm_postings_pending (term, chars, unit) VALUES {}",
            vec!["(?, ?, ?)"; chunk.len()].join(", ")
        );
        let mut q = sqlx::query(&sql);
        for (term, chars, unit) in chunk {
            q = q.bind(term).bind(i64::from(*chars)).bind(unit);
        }
        q.execute(&mut *tx).await.map_err(db)?;
    }
    tx.commit().await.map_err(db)?;
    Ok(added.len() as u64)
}

pub(crate) async fn tm_index_pending(store: &SqliteStore) -> Result<u64> {
    let mut tx = store.write().await?;
    let units = merge_pending(&mut tx).await?;
    tx.commit().await.map_err(db)?;
    Ok(units)
}

/// Moves the pending index entries into the index in one pass in key order (each page of the index
/// written once), adds them to their terms' counts, and empties the list; how many units they were for.
async fn merge_pending(tx: &mut SqliteConnection) -> Result<u64> {
    let units: i64 = sqlx::query_scalar("SELECT count(DISTINCT unit) FROM tm_postings_pending")
        .fetch_one(&mut *tx)
        .await
        .map_err(db)?;
    if units == 0 {
        return Ok(0);
    }
    for sql in [
        "INSERT INTO tm_postings (term, chars, unit)
         SELECT term, chars, unit FROM tm_postings_pending ORDER BY term, chars, unit",
        "INSERT INTO tm_terms (term, units)
         SELECT term, count(*) FROM tm_postings_pending WHERE true GROUP BY term ORDER BY term
         ON CONFLICT (term) DO UPDATE SET units = units + excluded.units",
        "DELETE FROM tm_postings_pending",
    ] {
        sqlx::query(sql).execute(&mut *tx).await.map_err(db)?;
    }
    Ok(units as u64)
}

/// Adds units unless the same (pair, source, target) is there, and indexes the new ones; how many were
/// new. Every unit enters the memory through here.
pub(crate) async fn insert_units(tx: &mut SqliteConnection, units: &[TmUnit], origin: &str) -> Result<u64> {
    let added = insert_rows(tx, units, origin).await?;
    index_units(tx, &added).await?;
    Ok(added.len() as u64)
}

/// Stores the units that are new; their ids and index entries.
async fn insert_rows(tx: &mut SqliteConnection, units: &[TmUnit], origin: &str) -> Result<Vec<(i64, IndexedText)>> {
    let at = ts(now());
    let mut added: Vec<(i64, IndexedText)> = Vec::new();
    // Many rows a statement: a statement is a round trip to SQLite's thread, which cost more than
    // the insert itself one unit at a time.
    for chunk in units.chunks(400) {
        let sql = format!(
            "INSERT INTO tm_units (source_lang, target_lang, source_key, source, target, origin, created_at, created_by)
             VALUES {} ON CONFLICT DO NOTHING RETURNING id, source_lang, target_lang, source",
            vec!["(?, ?, ?, ?, ?, ?, ?, ?)"; chunk.len()].join(", ")
        );
        let mut q = sqlx::query(&sql);
        for u in chunk {
            q = q
                .bind(u.source_lang.code())
                .bind(u.target_lang.code())
                .bind(tm_key(&u.source))
                .bind(&u.source)
                .bind(&u.target)
                .bind(origin)
                .bind(u.created_at.map(ts).unwrap_or_else(|| at.clone()))
                .bind(&u.created_by);
        }
        for r in q.fetch_all(&mut *tx).await.map_err(db)? {
            let (src, tgt) = (parse_lang(r.get(1))?, parse_lang(r.get(2))?);
            added.push((r.get(0), index_text(src, tgt, r.get(3))));
        }
    }
    Ok(added)
}

/// Writes the postings of new units and adds them to their terms' counts: sorted, many rows a
/// statement, so a large import walks the index in order.
async fn index_units(tx: &mut SqliteConnection, units: &[(i64, IndexedText)]) -> Result<()> {
    let (postings, counts) = audarma_store::postings(units);
    for chunk in postings.chunks(300) {
        let sql =
            format!("INSERT INTO tm_postings (term, chars, unit) VALUES {}", vec!["(?, ?, ?)"; chunk.len()].join(", "));
        let mut q = sqlx::query(&sql);
        for (term, chars, unit) in chunk {
            q = q.bind(term).bind(i64::from(*chars)).bind(unit);
        }
        q.execute(&mut *tx).await.map_err(db)?;
    }
    for chunk in counts.chunks(400) {
        let sql = format!(
            "INSERT INTO tm_terms (term, units) VALUES {} ON CONFLICT (term) DO UPDATE SET units = units + excluded.units",
            vec!["(?, ?)"; chunk.len()].join(", ")
        );
        let mut q = sqlx::query(&sql);
        for (term, n) in chunk {
            q = q.bind(term).bind(n);
        }
        q.execute(&mut *tx).await.map_err(db)?;
    }
    Ok(())
}

/// At open (under the migration lock): merges the index entries an interrupted bulk import left
/// pending, and indexes the units stored before the word index existed (once).
pub(crate) async fn backfill_index(pool: &sqlx::SqlitePool) -> Result<()> {
    let mut tx = pool.begin().await.map_err(db)?;
    // An import that stopped before indexing what it stored.
    merge_pending(&mut tx).await?;
    let pending: Option<i64> =
        sqlx::query_scalar("SELECT pending FROM tm_index_backfill").fetch_optional(&mut *tx).await.map_err(db)?;
    if pending.is_none() {
        return tx.commit().await.map_err(db);
    }
    let mut after = 0i64;
    loop {
        let rows = sqlx::query(
            "SELECT id, source_lang, target_lang, source FROM tm_units WHERE id > ? ORDER BY id LIMIT 5000",
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

pub(crate) async fn tm_term_counts(store: &SqliteStore, terms: &[i64]) -> Result<Vec<i64>> {
    let mut found: std::collections::HashMap<i64, i64> = std::collections::HashMap::new();
    for chunk in terms.chunks(500) {
        let sql = format!("SELECT term, units FROM tm_terms WHERE term IN ({})", vec!["?"; chunk.len()].join(", "));
        let mut q = sqlx::query(&sql);
        for t in chunk {
            q = q.bind(t);
        }
        for r in q.fetch_all(&store.pool).await.map_err(db)? {
            found.insert(r.get(0), r.get(1));
        }
    }
    Ok(terms.iter().map(|t| found.get(t).copied().unwrap_or(0)).collect())
}

pub(crate) async fn tm_candidates(
    store: &SqliteStore,
    source: Lang,
    target: Lang,
    terms: &[i64],
    chars: (u32, u32),
    limit: u32,
) -> Result<Vec<(String, String)>> {
    if terms.is_empty() {
        return Ok(Vec::new());
    }
    // The shortlist first, then its units by id: CROSS JOIN fixes that order and `+` keeps the
    // planner off the pair's index, which SQLite 3.4x would otherwise scan whole (every unit of the
    // pair) to probe the shortlist — 16 ms at 200,000 units instead of 1.
    let sql = format!(
        "SELECT u.source, u.target FROM (
            SELECT unit, count(*) AS shared FROM tm_postings
             WHERE term IN ({}) AND chars BETWEEN ? AND ?
             GROUP BY unit ORDER BY shared DESC, unit DESC LIMIT ?) p
           CROSS JOIN tm_units u ON u.id = p.unit
          WHERE +u.source_lang = ? AND +u.target_lang = ?
          ORDER BY p.shared DESC, p.unit DESC",
        vec!["?"; terms.len()].join(", ")
    );
    let mut q = sqlx::query(&sql);
    for t in terms {
        q = q.bind(t);
    }
    let rows = q
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
    store: &SqliteStore,
    pair: Option<(Lang, Lang)>,
    since: Option<DateTime<Utc>>,
    after: i64,
    limit: u32,
) -> Result<Vec<(i64, TmUnit)>> {
    let rows = sqlx::query(
        "SELECT id, source_lang, target_lang, source, target, created_at, created_by FROM tm_units
          WHERE id > ? AND (? IS NULL OR (source_lang = ? AND target_lang = ?)) AND (? IS NULL OR created_at >= ?)
          ORDER BY id LIMIT ?",
    )
    .bind(after)
    .bind(pair.map(|_| 1))
    .bind(pair.map(|p| p.0.code()))
    .bind(pair.map(|p| p.1.code()))
    .bind(since.map(|_| 1))
    .bind(since.map(ts))
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
                    created_at: Some(parse_ts(r.get(5))?),
                    created_by: r.get(6),
                },
            ))
        })
        .collect()
}

pub(crate) async fn tm_length_ratios(
    store: &SqliteStore,
    source: Lang,
    target: Lang,
    min_source_chars: u32,
    limit: u32,
) -> Result<Vec<f64>> {
    let rows = sqlx::query(
        "SELECT CAST(length(target) AS REAL) / length(source) FROM tm_units
         WHERE source_lang = ? AND target_lang = ? AND length(source) >= ? ORDER BY id DESC LIMIT ?",
    )
    .bind(source.code())
    .bind(target.code())
    .bind(i64::from(min_source_chars))
    .bind(i64::from(limit))
    .fetch_all(&store.pool)
    .await
    .map_err(db)?;
    Ok(rows.into_iter().map(|r| r.get::<f64, _>(0)).collect())
}

pub(crate) async fn tm_targets(store: &SqliteStore, target: Lang, limit: u32) -> Result<Vec<String>> {
    let rows = sqlx::query("SELECT target FROM tm_units WHERE target_lang = ? ORDER BY id DESC LIMIT ?")
        .bind(target.code())
        .bind(i64::from(limit))
        .fetch_all(&store.pool)
        .await
        .map_err(db)?;
    Ok(rows.into_iter().map(|r| r.get::<String, _>(0)).collect())
}

pub(crate) async fn cache_get(store: &SqliteStore, key: &CacheKey, texts: &[String]) -> Result<Vec<Option<String>>> {
    let keys: Vec<String> = texts.iter().map(|t| tm_key(t)).collect();
    let mut found: std::collections::HashMap<String, String> = std::collections::HashMap::new();
    for chunk in keys.chunks(500) {
        let sql = format!(
            "SELECT source_key, translation FROM mt_cache WHERE backend = ? AND model = ? AND source_lang = ?
             AND target_lang = ? AND glossary_version = ? AND source_key IN ({})",
            vec!["?"; chunk.len()].join(", ")
        );
        let mut q = sqlx::query(&sql)
            .bind(&key.backend)
            .bind(&key.model)
            .bind(key.source.code())
            .bind(key.target.code())
            .bind(&key.glossary_version);
        for k in chunk {
            q = q.bind(k);
        }
        for r in q.fetch_all(&store.pool).await.map_err(db)? {
            found.insert(r.get(0), r.get(1));
        }
    }
    Ok(keys.iter().map(|k| found.get(k).cloned()).collect())
}

pub(crate) async fn cache_put(store: &SqliteStore, key: &CacheKey, pairs: &[(String, String)]) -> Result<()> {
    let mut tx = store.write().await?;
    let at = ts(now());
    for (source, translation) in pairs {
        sqlx::query(
            "INSERT INTO mt_cache (backend, model, source_lang, target_lang, glossary_version, source_key, translation, created_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET translation = excluded.translation",
        )
        .bind(&key.backend)
        .bind(&key.model)
        .bind(key.source.code())
        .bind(key.target.code())
        .bind(&key.glossary_version)
        .bind(tm_key(source))
        .bind(translation)
        .bind(&at)
        .execute(&mut *tx)
        .await
        .map_err(db)?;
    }
    tx.commit().await.map_err(db)
}
