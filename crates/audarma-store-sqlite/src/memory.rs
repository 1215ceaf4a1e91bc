//! Translation memory (exact lookups, fuzzy candidates, units added, target texts, length ratios) and the
//! machine-translation cache.

use crate::rows::{db, now, ts};
use crate::SqliteStore;
use audarma_core::Lang;
use audarma_store::{tm_key, CacheKey, Result, TmUnit};
use sqlx::Row;

pub(crate) async fn tm_exact(
    store: &SqliteStore,
    source: Lang,
    target: Lang,
    texts: &[String],
) -> Result<Vec<Option<String>>> {
    let keys: Vec<String> = texts.iter().map(|t| tm_key(t)).collect();
    let mut found: std::collections::HashMap<String, String> = std::collections::HashMap::new();
    for chunk in keys.chunks(500) {
        // The newest unit wins: a later approval corrects an earlier one.
        let sql = format!(
            "SELECT source_key, target FROM tm_units WHERE source_lang = ? AND target_lang = ? AND source_key IN ({})
             ORDER BY id",
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
    let at = ts(now());
    let mut added = 0;
    for u in units {
        added += sqlx::query(
            "INSERT INTO tm_units (source_lang, target_lang, source_key, source, target, origin, created_at)
             VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
        )
        .bind(u.source_lang.code())
        .bind(u.target_lang.code())
        .bind(tm_key(&u.source))
        .bind(&u.source)
        .bind(&u.target)
        .bind(origin)
        .bind(&at)
        .execute(&mut *tx)
        .await
        .map_err(db)?
        .rows_affected();
    }
    tx.commit().await.map_err(db)?;
    Ok(added)
}

/// Candidates share at least one of the text's longest words of three letters or more (word index,
/// case-folded, diacritics kept), best BM25 first; [`audarma_store::fuzzy_matches`] scores them.
pub(crate) async fn tm_fuzzy_candidates(
    store: &SqliteStore,
    source: Lang,
    target: Lang,
    text: &str,
    limit: u32,
) -> Result<Vec<(String, String)>> {
    let key = tm_key(text);
    let mut words: Vec<&str> = key.split(' ').filter(|w| w.chars().count() >= 3).collect();
    words.sort_by_key(|w| std::cmp::Reverse(w.chars().count()));
    // The longest words are the rarest, as a rule; a few of them bound the candidates to fetch.
    words.truncate(6);
    if words.is_empty() {
        return Ok(Vec::new());
    }
    let query = words.iter().map(|w| format!("\"{}\"", w.replace('"', "\"\""))).collect::<Vec<_>>().join(" OR ");
    let rows = sqlx::query(
        "SELECT u.source, u.target FROM tm_fts f JOIN tm_units u ON u.id = f.rowid
         WHERE tm_fts MATCH ? AND u.source_lang = ? AND u.target_lang = ?
         ORDER BY f.rank LIMIT ?",
    )
    .bind(query)
    .bind(source.code())
    .bind(target.code())
    .bind(i64::from(limit))
    .fetch_all(&store.pool)
    .await
    .map_err(db)?;
    Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
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
