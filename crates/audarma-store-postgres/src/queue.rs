//! The queue: a job filter as SQL (state, language, workflow, release, assignee, text search), and the
//! lists and counts it selects.

use crate::rows::{db, parse_lang, parse_state, summary, SUMMARY_SELECT};
use crate::PgStore;
use audarma_store::{JobCount, JobFilter, JobSort, JobSummary, Result};
use sqlx::postgres::PgArguments;
use sqlx::query::Query;
use sqlx::{Postgres, Row};

enum Bind {
    Text(String),
    Int(i64),
}

fn bind_all<'q>(mut q: Query<'q, Postgres, PgArguments>, binds: Vec<Bind>) -> Query<'q, Postgres, PgArguments> {
    for b in binds {
        q = match b {
            Bind::Text(s) => q.bind(s),
            Bind::Int(i) => q.bind(i),
        };
    }
    q
}

/// `%word%` for LIKE, its wildcards and the escape character taken literally.
fn contains(word: &str) -> String {
    format!("%{}%", word.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"))
}

/// The WHERE clause of a job filter (over `jobs j`) and the values it binds, in order.
fn filter_sql(filter: &JobFilter) -> (String, Vec<Bind>) {
    let mut sql = String::from("TRUE");
    let mut binds = Vec::new();
    let mut push = |sql: &mut String, cond: &str, b: Bind| {
        binds.push(b);
        sql.push_str(&cond.replace('#', &format!("${}", binds.len())));
    };
    if let Some(s) = filter.state {
        push(&mut sql, " AND j.state = #", Bind::Text(s.as_str().into()));
    }
    if let Some(l) = filter.target_lang {
        push(&mut sql, " AND j.target_lang = #", Bind::Text(l.code().into()));
    }
    if let Some(w) = &filter.workflow {
        push(&mut sql, " AND j.workflow = #", Bind::Text(w.clone()));
    }
    if let Some(r) = filter.release {
        push(&mut sql, " AND j.release_id = #", Bind::Int(r));
    }
    if let Some(a) = &filter.assignee {
        push(&mut sql, " AND j.assignee = #", Bind::Text(a.clone()));
    }
    if let Some(text) = filter.text.as_deref() {
        // The contract is `JobFilter::text`'s. ILIKE folds case in every script under a UTF-8 LC_CTYPE
        // (checked when the store opens) and the trigram indexes answer it; a word of three letters or
        // more may be in the title or the body, a shorter one in the title.
        for w in text.split_whitespace() {
            if w.chars().count() >= 3 {
                push(
                    &mut sql,
                    " AND j.release_id IN (SELECT id FROM releases WHERE title ILIKE # OR body ILIKE #)",
                    Bind::Text(contains(w)),
                );
            } else {
                push(
                    &mut sql,
                    " AND j.release_id IN (SELECT id FROM releases WHERE title ILIKE #)",
                    Bind::Text(contains(w)),
                );
            }
        }
    }
    (sql, binds)
}

pub(crate) async fn list_jobs(store: &PgStore, filter: &JobFilter) -> Result<Vec<JobSummary>> {
    if let Some(text) = &filter.text {
        audarma_store::check_search(text)?;
    }
    let (where_sql, mut binds) = filter_sql(filter);
    let order = match filter.sort {
        JobSort::Id => "j.id",
        JobSort::Priority => "j.priority DESC, j.id",
        JobSort::Date => "r.release_date IS NULL, r.release_date DESC, j.id",
        JobSort::Deadline => "j.deadline IS NULL, j.deadline, j.priority DESC, j.id",
    };
    let from = if filter.sort == JobSort::Date { "jobs j JOIN releases r ON r.id = j.release_id" } else { "jobs j" };
    let n = binds.len();
    let sql = format!(
        "WITH page AS MATERIALIZED (SELECT j.id FROM {from} WHERE {where_sql} ORDER BY {order}
                                    LIMIT ${} OFFSET ${})
         {SUMMARY_SELECT} WHERE j.id IN (SELECT id FROM page) ORDER BY {order}",
        n + 1,
        n + 2
    );
    binds.push(Bind::Int(filter.limit.map(i64::from).unwrap_or(i64::MAX)));
    binds.push(Bind::Int(i64::from(filter.offset)));
    let rows = bind_all(sqlx::query(&sql), binds).fetch_all(&store.pool).await.map_err(db)?;
    rows.iter().map(summary).collect()
}

pub(crate) async fn count_jobs(store: &PgStore, filter: &JobFilter) -> Result<u64> {
    if let Some(text) = &filter.text {
        audarma_store::check_search(text)?;
    }
    if filter.workflow.is_none() && filter.release.is_none() && filter.assignee.is_none() && filter.text.is_none() {
        fold_now_and_then(store).await;
        let row = sqlx::query(
            "SELECT COALESCE(SUM(jobs), 0)::bigint
               FROM (SELECT state, target_lang, jobs FROM job_counts
                     UNION ALL SELECT state, target_lang, delta FROM job_count_deltas) c
              WHERE ($1::text IS NULL OR state = $1) AND ($2::text IS NULL OR target_lang = $2)",
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
    Ok(bind_all(sqlx::query(&sql), binds).fetch_one(&store.pool).await.map_err(db)?.get::<i64, _>(0) as u64)
}

/// How many deltas a reader lets pile up before it folds them into the counts.
const FOLD_AFTER: i64 = 1000;

/// Folds the counts' deltas when enough have piled up (a reader's chore: writers only append). One
/// folder at a time; the others read on. A failure costs only speed, so it is logged.
/// How often a process looks whether the deltas need folding. Counts are exact either way (readers
/// add the deltas up); this only keeps the pile short without two more round trips on every page.
pub(crate) const FOLD_EVERY: std::time::Duration = std::time::Duration::from_millis(500);

pub(crate) async fn fold_now_and_then(store: &PgStore) {
    {
        let mut checked = store.fold_checked.lock().unwrap_or_else(|e| e.into_inner());
        if checked.is_some_and(|t| t.elapsed() < FOLD_EVERY) {
            return;
        }
        *checked = Some(std::time::Instant::now());
    }
    let result = async {
        let row = sqlx::query(
            "SELECT (SELECT COUNT(*) FROM (SELECT 1 FROM job_count_deltas LIMIT $1) j)
                  + (SELECT COUNT(*) FROM (SELECT 1 FROM finding_count_deltas LIMIT $1) f)",
        )
        .bind(FOLD_AFTER)
        .fetch_one(&store.pool)
        .await?;
        if row.get::<i64, _>(0) < FOLD_AFTER {
            return Ok(());
        }
        let mut tx = store.pool.begin().await?;
        let locked: bool = sqlx::query("SELECT pg_try_advisory_xact_lock(7041)").fetch_one(&mut *tx).await?.get(0);
        if locked {
            sqlx::query("SELECT fold_counts()").execute(&mut *tx).await?;
        }
        tx.commit().await
    }
    .await;
    if let Err(e) = result {
        tracing::warn!(error = %e, "folding the count deltas");
    }
}

pub(crate) async fn job_counts(store: &PgStore) -> Result<Vec<JobCount>> {
    fold_now_and_then(store).await;
    let rows = sqlx::query(
        "SELECT state, target_lang, SUM(jobs)::bigint
           FROM (SELECT state, target_lang, jobs FROM job_counts
                 UNION ALL SELECT state, target_lang, delta FROM job_count_deltas) c
          GROUP BY state, target_lang HAVING SUM(jobs) > 0
          ORDER BY state COLLATE \"C\", target_lang COLLATE \"C\"",
    )
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
