//! The queue: a job filter as SQL (state, language, workflow, release, assignee, text search), and the
//! lists and counts it selects.

use crate::rows::{db, parse_lang, parse_state, summary, SUMMARY_SELECT};
use crate::SqliteStore;
use audarma_store::{JobCount, JobFilter, JobSort, JobSummary, Result};
use sqlx::Row;

/// The WHERE clause of a job filter (over `jobs j`; text search goes through `release_fts`) and the values
/// it binds, in order.
fn filter_sql(filter: &JobFilter) -> (String, Vec<String>) {
    let mut sql = String::from("1 = 1");
    let mut binds = Vec::new();
    if let Some(s) = filter.state {
        sql.push_str(" AND j.state = ?");
        binds.push(s.as_str().to_string());
    }
    if let Some(l) = filter.target_lang {
        sql.push_str(" AND j.target_lang = ?");
        binds.push(l.code().to_string());
    }
    if let Some(w) = &filter.workflow {
        sql.push_str(" AND j.workflow = ?");
        binds.push(w.clone());
    }
    if let Some(r) = filter.release {
        sql.push_str(" AND j.release_id = ?");
        binds.push(r.to_string());
    }
    if let Some(a) = &filter.assignee {
        sql.push_str(" AND j.assignee = ?");
        binds.push(a.clone());
    }
    if let Some(text) = filter.text.as_deref() {
        // The contract is `JobFilter::text`'s. Trigram search folds case in every script and matches
        // substrings of titles and bodies; each word is one quoted phrase (literal), and phrases side by
        // side are ANDed. Words of one or two letters cannot be trigram-searched and are matched with
        // LIKE on the title (ASCII case folding only), their wildcards escaped.
        let (long, short): (Vec<&str>, Vec<&str>) = text.split_whitespace().partition(|w| w.chars().count() >= 3);
        if !long.is_empty() {
            let query = long.iter().map(|w| format!("\"{}\"", w.replace('"', "\"\""))).collect::<Vec<_>>().join(" ");
            sql.push_str(" AND j.release_id IN (SELECT rowid FROM release_fts WHERE release_fts MATCH ?)");
            binds.push(query);
        }
        for w in short {
            sql.push_str(" AND j.release_id IN (SELECT id FROM releases WHERE title LIKE ? ESCAPE '\\')");
            binds.push(format!("%{}%", w.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")));
        }
    }
    (sql, binds)
}

pub(crate) async fn list_jobs(store: &SqliteStore, filter: &JobFilter) -> Result<Vec<JobSummary>> {
    if let Some(text) = &filter.text {
        audarma_store::check_search(text)?;
    }
    let (where_sql, binds) = filter_sql(filter);
    let order = match filter.sort {
        JobSort::Id => "j.id",
        JobSort::Priority => "j.priority DESC, j.id",
        JobSort::Date => "r.release_date IS NULL, r.release_date DESC, j.id",
        JobSort::Deadline => "j.deadline IS NULL, j.deadline, j.priority DESC, j.id",
    };
    // The page's ids first, from the indexes alone; the summary (with its per-job counts) only for
    // those: with OFFSET, SQLite would otherwise build every skipped row in full.
    let from = if filter.sort == JobSort::Date { "jobs j JOIN releases r ON r.id = j.release_id" } else { "jobs j" };
    let sql = format!(
        "WITH page AS (SELECT j.id FROM {from} WHERE {where_sql} ORDER BY {order} LIMIT ? OFFSET ?)
         {SUMMARY_SELECT} WHERE j.id IN (SELECT id FROM page) ORDER BY {order}"
    );
    let mut q = sqlx::query(&sql);
    for b in binds {
        q = q.bind(b);
    }
    let rows = q
        .bind(filter.limit.map(i64::from).unwrap_or(-1))
        .bind(i64::from(filter.offset))
        .fetch_all(&store.pool)
        .await
        .map_err(db)?;
    rows.iter().map(summary).collect()
}

pub(crate) async fn count_jobs(store: &SqliteStore, filter: &JobFilter) -> Result<u64> {
    if let Some(text) = &filter.text {
        audarma_store::check_search(text)?;
    }
    // By state and language only: the counts the triggers keep, without touching the jobs.
    if filter.workflow.is_none() && filter.release.is_none() && filter.assignee.is_none() && filter.text.is_none() {
        let row = sqlx::query(
            "SELECT COALESCE(SUM(jobs), 0) FROM job_counts WHERE (?1 IS NULL OR state = ?1) AND (?2 IS NULL OR target_lang = ?2)",
        )
        .bind(filter.state.map(|s| s.as_str()))
        .bind(filter.target_lang.map(|l| l.code()))
        .fetch_one(&store.pool)
        .await
        .map_err(db)?;
        return Ok(row.get::<i64, _>(0) as u64);
    }
    let (where_sql, binds) = filter_sql(filter);
    let sql = format!("SELECT COUNT(*) FROM jobs j WHERE {where_sql}");
    let mut q = sqlx::query(&sql);
    for b in binds {
        q = q.bind(b);
    }
    Ok(q.fetch_one(&store.pool).await.map_err(db)?.get::<i64, _>(0) as u64)
}

pub(crate) async fn job_counts(store: &SqliteStore) -> Result<Vec<JobCount>> {
    let rows =
        sqlx::query("SELECT state, target_lang, jobs FROM job_counts WHERE jobs > 0 ORDER BY state, target_lang")
            .fetch_all(&store.pool)
            .await
            .map_err(db)?;
    rows.iter()
        .map(|r| {
            Ok(JobCount {
                state: parse_state(r.get::<&str, _>(0))?,
                target_lang: parse_lang(r.get::<&str, _>(1))?,
                jobs: r.get::<i64, _>(2) as u64,
            })
        })
        .collect()
}
