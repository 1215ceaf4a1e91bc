//! SQLite implementation of [`audarma_store::Store`], the embedded default.
//!
//! - The database file is created and migrated on first use ([`SqliteStore::open`]).
//! - WAL journal and a busy timeout let several `audarma` processes (overlapping cron runs, the
//!   CLI, the server) share one file; every write that reads first runs in `BEGIN IMMEDIATE`, so two
//!   runs can never claim the same job.
//! - Every state change appends its event in the same transaction.

use async_trait::async_trait;
use audarma_core::{Check, Finding, JobState, Lang, Release, Role, SuggestionOrigin};
use audarma_store::{
    blocking_findings, text_hash, tm_key, ApprovedTranslation, CacheKey, ClaimedJob, Comment, Dismissal, Event,
    FindingCount, FindingRef, Inserted, JobCount, JobDetail, JobFilter, JobId, JobSort, JobSummary, ReleaseId, Result,
    Session, SourceSegment, Store, StoreError, Suggestion, TargetSegment, TmMatch, TmUnit, UsageRecord, User,
};
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteRow, SqliteSynchronous};
use sqlx::{Row, Sqlite, SqlitePool, Transaction};
use std::str::FromStr;
use std::time::Duration;

mod migrations;

pub struct SqliteStore {
    pool: SqlitePool,
    /// Writers of this process take turns here before `BEGIN IMMEDIATE`: waiting on SQLite's busy
    /// handler instead would sleep in steps of up to 100 ms, which a desk of many users would feel.
    /// Other processes still wait on the busy timeout.
    writer: std::sync::Arc<tokio::sync::Mutex<()>>,
}

/// A write transaction holding this process's writer turn until it commits or is dropped.
struct WriteTx {
    tx: Transaction<'static, Sqlite>,
    _turn: tokio::sync::OwnedMutexGuard<()>,
}

impl WriteTx {
    async fn commit(self) -> std::result::Result<(), sqlx::Error> {
        self.tx.commit().await
    }
}

impl std::ops::Deref for WriteTx {
    type Target = sqlx::SqliteConnection;
    fn deref(&self) -> &Self::Target {
        &self.tx
    }
}

impl std::ops::DerefMut for WriteTx {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.tx
    }
}

fn db(e: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> StoreError {
    StoreError::Database(e.into())
}

fn corrupt(what: &'static str, detail: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt { what, detail: detail.to_string() }
}

fn now() -> DateTime<Utc> {
    Utc::now()
}

fn ts(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// A stored timestamp; one that is not RFC 3339 is an error, never a silent 1970.
fn parse_ts(s: &str) -> Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| corrupt("timestamp", format!("{s:?}: {e}")))
}

fn parse_lang(s: &str) -> Result<Lang> {
    s.parse().map_err(|e| corrupt("language", e))
}

fn parse_state(s: &str) -> Result<JobState> {
    JobState::parse(s).ok_or_else(|| corrupt("job state", format!("{s:?}")))
}

fn parse_role(s: &str) -> Result<Role> {
    s.parse().map_err(|e| corrupt("users.role", e))
}

fn parse_check(s: &str) -> Result<Check> {
    s.parse().map_err(|e| corrupt("check name", e))
}

fn parse_date(s: Option<String>) -> Option<NaiveDate> {
    s.and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok())
}

/// A stored JSON column read as the record it holds; JSON that is not that record is an error, never
/// a silent `null` or an empty list.
fn json<T: serde::de::DeserializeOwned>(what: &'static str, s: &str) -> Result<T> {
    serde_json::from_str(s).map_err(|e| corrupt(what, e))
}

/// A record as the JSON a column stores.
fn to_json<T: serde::Serialize + ?Sized>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "[]".into())
}

/// The database file a `sqlite:` URL names.
fn opts_filename(url: &str) -> Result<std::path::PathBuf> {
    Ok(SqliteConnectOptions::from_str(url).map_err(|e| db(format!("{url}: {e}")))?.get_filename().to_path_buf())
}

impl SqliteStore {
    /// Opens (creating and migrating when needed) the database at `url`: `sqlite:path`,
    /// `sqlite://path` or a plain file path. `sqlite::memory:` gives a private in-memory store.
    pub async fn open(url: &str) -> Result<Self> {
        Self::open_with(url, false).await
    }

    /// Like [`SqliteStore::open`], for a long-running server: the write-ahead log is checkpointed by a
    /// background task twice a second instead of by whichever request's commit crosses the threshold,
    /// so no request waits for a checkpoint's copying and syncing. Other processes on the same file
    /// still checkpoint as usual.
    pub async fn open_for_server(url: &str) -> Result<Self> {
        let store = Self::open_with(url, true).await?;
        if !url.contains(":memory:") {
            let pool = store.pool.clone();
            tokio::spawn(async move {
                let mut tick = tokio::time::interval(Duration::from_millis(500));
                loop {
                    tick.tick().await;
                    if pool.is_closed() {
                        break;
                    }
                    if let Err(e) = sqlx::query("PRAGMA wal_checkpoint(PASSIVE)").execute(&pool).await {
                        tracing::warn!(error = %e, "background checkpoint");
                    }
                }
            });
        }
        Ok(store)
    }

    async fn open_with(url: &str, background_checkpoint: bool) -> Result<Self> {
        let url = if url.starts_with("sqlite:") { url.to_string() } else { format!("sqlite:{url}") };
        let memory = url.contains(":memory:");
        let mut opts = SqliteConnectOptions::from_str(&url)
            .map_err(|e| db(format!("{url}: {e}")))?
            .create_if_missing(true)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(30))
            .journal_mode(if memory { SqliteJournalMode::Memory } else { SqliteJournalMode::Wal })
            .synchronous(SqliteSynchronous::Normal);
        if background_checkpoint && !memory {
            opts = opts.pragma("wal_autocheckpoint", "0");
        }
        let pool = SqlitePoolOptions::new()
            .max_connections(if memory { 1 } else { 8 })
            .connect_with(opts)
            .await
            .map_err(|e| db(format!("cannot open {url}: {e}")))?;
        // Two processes opening a new database at once (cron and the CLI) would both migrate it; an
        // exclusive lock on a file beside it makes the second wait and then find every migration
        // applied. Not on the database file itself: closing any descriptor of that file would drop
        // the POSIX locks SQLite holds on it.
        let lock = if memory {
            None
        } else {
            let mut lock_path = opts_filename(&url)?.into_os_string();
            lock_path.push(".migrate-lock");
            let file = std::fs::OpenOptions::new()
                .create(true)
                .truncate(false)
                .write(true)
                .open(&lock_path)
                .map_err(|e| db(format!("cannot open {}: {e}", std::path::Path::new(&lock_path).display())))?;
            let file = tokio::task::spawn_blocking(move || file.lock().map(|()| file))
                .await
                .map_err(db)?
                .map_err(|e| db(format!("cannot lock {url} to migrate it: {e}")))?;
            Some(file)
        };
        migrations::migrator()
            .await
            .map_err(|e| db(format!("migrating {url}: {e}")))?
            .run(&pool)
            .await
            .map_err(|e| db(format!("migrating {url}: {e}")))?;
        drop(lock);
        Ok(SqliteStore { pool, writer: Default::default() })
    }

    async fn write(&self) -> Result<WriteTx> {
        let turn = self.writer.clone().lock_owned().await;
        let tx = self.pool.begin_with("BEGIN IMMEDIATE").await.map_err(db)?;
        Ok(WriteTx { tx, _turn: turn })
    }

    async fn job_state(tx: &mut WriteTx, job: JobId) -> Result<JobState> {
        let row = sqlx::query("SELECT state FROM jobs WHERE id = ?")
            .bind(job)
            .fetch_optional(&mut **tx)
            .await
            .map_err(db)?
            .ok_or(StoreError::NoSuchJob(job))?;
        parse_state(row.get::<&str, _>(0))
    }

    /// Checks and applies a state transition, appending its event.
    async fn transition(
        tx: &mut WriteTx,
        job: JobId,
        to: JobState,
        action: &'static str,
        needed: &'static str,
        actor: &str,
        detail: serde_json::Value,
    ) -> Result<()> {
        let from = Self::job_state(tx, job).await?;
        if !from.can_go_to(to) {
            return Err(StoreError::WrongState { job, state: from, action, needed });
        }
        let at = ts(now());
        let error = detail.get("error").and_then(|e| e.as_str()).map(str::to_string);
        let approved = to == JobState::Approved;
        sqlx::query(
            "UPDATE jobs SET state = ?, updated_at = ?, error = ?,
                 lease_owner = CASE WHEN ? = 'translating' THEN lease_owner ELSE NULL END,
                 lease_until = CASE WHEN ? = 'translating' THEN lease_until ELSE NULL END,
                 approved_at = CASE WHEN ? THEN ? ELSE approved_at END,
                 approved_by = CASE WHEN ? THEN ? ELSE approved_by END
             WHERE id = ?",
        )
        .bind(to.as_str())
        .bind(&at)
        .bind(if to == JobState::Failed { error } else { None })
        .bind(to.as_str())
        .bind(to.as_str())
        .bind(approved)
        .bind(&at)
        .bind(approved)
        .bind(actor)
        .bind(job)
        .execute(&mut **tx)
        .await
        .map_err(db)?;
        Self::event(tx, actor, Some(job), None, "state", detail, Some(from.as_str()), Some(to.as_str())).await
    }

    /// The id of a user by name, or [`StoreError::NoSuchUser`].
    async fn user_id(tx: &mut WriteTx, name: &str) -> Result<i64> {
        let row = sqlx::query("SELECT id FROM users WHERE name = ?")
            .bind(name)
            .fetch_optional(&mut **tx)
            .await
            .map_err(db)?
            .ok_or_else(|| StoreError::NoSuchUser(name.to_string()))?;
        Ok(row.get(0))
    }

    /// Refuses to finish a job this worker no longer holds (its lease expired and another run claimed it).
    async fn check_lease(tx: &mut WriteTx, job: JobId, worker: &str) -> Result<()> {
        let row = sqlx::query("SELECT state, lease_owner FROM jobs WHERE id = ?")
            .bind(job)
            .fetch_optional(&mut **tx)
            .await
            .map_err(db)?
            .ok_or(StoreError::NoSuchJob(job))?;
        let (state, owner): (String, Option<String>) = (row.get(0), row.get(1));
        if state == "translating" && owner.as_deref() != Some(worker) {
            return Err(StoreError::LeaseLost(job));
        }
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    async fn event(
        tx: &mut WriteTx,
        actor: &str,
        job: Option<JobId>,
        release: Option<ReleaseId>,
        kind: &str,
        detail: serde_json::Value,
        before: Option<&str>,
        after: Option<&str>,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO events (at, actor, job_id, release_id, kind, detail, before, after) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(ts(now()))
        .bind(actor)
        .bind(job)
        .bind(release)
        .bind(kind)
        .bind(detail.to_string())
        .bind(before)
        .bind(after)
        .execute(&mut **tx)
        .await
        .map_err(db)?;
        Ok(())
    }

    async fn segments_of(&self, release: ReleaseId) -> Result<Vec<SourceSegment>> {
        let rows = sqlx::query("SELECT idx, paragraph, text, lang FROM segments WHERE release_id = ? ORDER BY idx")
            .bind(release)
            .fetch_all(&self.pool)
            .await
            .map_err(db)?;
        Ok(rows
            .into_iter()
            .map(|r| SourceSegment {
                idx: r.get::<i64, _>(0) as u32,
                paragraph: r.get::<Option<i64>, _>(1).map(|p| p as u32),
                text: r.get(2),
                lang: r.get::<Option<&str>, _>(3).and_then(|l| l.parse().ok()),
            })
            .collect())
    }

    async fn summary_of(&self, job: JobId) -> Result<JobSummary> {
        let row = sqlx::query(&format!("{SUMMARY_SELECT} WHERE j.id = ?"))
            .bind(job)
            .fetch_optional(&self.pool)
            .await
            .map_err(db)?
            .ok_or(StoreError::NoSuchJob(job))?;
        Self::summary(&row)
    }

    fn summary(r: &SqliteRow) -> Result<JobSummary> {
        Ok(JobSummary {
            id: r.get("id"),
            release_id: r.get("release_id"),
            title: r.get("title"),
            release_date: parse_date(r.get("release_date")),
            source_lang: parse_lang(r.get::<&str, _>("lang"))?,
            target_lang: parse_lang(r.get::<&str, _>("target_lang"))?,
            state: parse_state(r.get::<&str, _>("state"))?,
            workflow: r.get("workflow"),
            segments: r.get::<i64, _>("n_segments") as u32,
            edited: r.get::<i64, _>("n_edited") as u32,
            error: r.get("error"),
            updated_at: parse_ts(r.get::<&str, _>("updated_at"))?,
            assignee: r.get("assignee"),
            priority: r.get("priority"),
            deadline: parse_date(r.get("deadline")),
        })
    }
}

/// The columns of a target segment, as [`target_segment_at`] reads them.
const SEGMENT_COLUMNS: &str = "s.idx, s.paragraph, s.text, t.suggestion, t.origin, t.backend, t.edited, t.version,
    t.terms, t.findings, s.lang AS segment_lang, t.tm";

/// A job's segments: binds the job id, then its release id.
const SEGMENT_SELECT: &str =
    "SELECT s.idx, s.paragraph, s.text, t.suggestion, t.origin, t.backend, t.edited, t.version,
    t.terms, t.findings, s.lang AS segment_lang, t.tm
     FROM segments s LEFT JOIN target_segments t ON t.job_id = ? AND t.idx = s.idx
     WHERE s.release_id = ?";

fn target_segment_of(r: &SqliteRow) -> Result<TargetSegment> {
    target_segment_at(r, 0)
}

/// A target segment from the columns of [`SEGMENT_COLUMNS`], starting at column `at`.
fn target_segment_at(r: &SqliteRow, at: usize) -> Result<TargetSegment> {
    Ok(TargetSegment {
        idx: r.get::<i64, _>(at) as u32,
        paragraph: r.get::<Option<i64>, _>(at + 1).map(|p| p as u32),
        source: r.get(at + 2),
        source_lang: r.get::<Option<&str>, _>(at + 10).and_then(|l| l.parse().ok()),
        suggestion: r.get(at + 3),
        origin: r.get::<Option<&str>, _>(at + 4).and_then(SuggestionOrigin::parse).unwrap_or(SuggestionOrigin::None),
        backend: r.get(at + 5),
        edited: r.get(at + 6),
        version: r.get::<Option<i64>, _>(at + 7).unwrap_or(0),
        terms: json("target_segments.terms", r.get::<Option<&str>, _>(at + 8).unwrap_or("[]"))?,
        findings: json("target_segments.findings", r.get::<Option<&str>, _>(at + 9).unwrap_or("[]"))?,
        tm: r.get::<Option<&str>, _>(at + 11).map(|t| json("target_segments.tm", t)).transpose()?,
        dismissals: Vec::new(),
    })
}

/// A job's dismissals (of one segment, or all): (segment, text hash, dismissal).
async fn dismissals_of<'e, E>(ex: E, job: JobId, idx: Option<u32>) -> Result<Vec<(u32, String, Dismissal)>>
where
    E: sqlx::Executor<'e, Database = Sqlite>,
{
    let rows = sqlx::query(
        "SELECT idx, text_hash, check_name, message, reason, actor, at FROM finding_dismissals
          WHERE job_id = ?1 AND (?2 IS NULL OR idx = ?2) ORDER BY at",
    )
    .bind(job)
    .bind(idx.map(i64::from))
    .fetch_all(ex)
    .await
    .map_err(db)?;
    rows.iter()
        .map(|r| {
            let d = Dismissal {
                check: parse_check(r.get::<&str, _>(2))?,
                message: r.get(3),
                reason: r.get(4),
                by: r.get(5),
                at: parse_ts(r.get::<&str, _>(6))?,
            };
            Ok((r.get::<i64, _>(0) as u32, r.get(1), d))
        })
        .collect()
}

/// Gives each segment the dismissals made for its current text; those of earlier texts no longer apply.
fn attach_dismissals(segments: &mut [TargetSegment], found: Vec<(u32, String, Dismissal)>) {
    if found.is_empty() {
        return;
    }
    for seg in segments.iter_mut() {
        let hash = seg.current_hash();
        seg.dismissals =
            found.iter().filter(|(i, h, _)| *i == seg.idx && *h == hash).map(|(_, _, d)| d.clone()).collect();
    }
}

const USER_COLUMNS: &str = "u.id, u.name, u.role, u.password_hash, u.locale";

fn user_of(r: &SqliteRow) -> Result<User> {
    Ok(User {
        id: r.get(0),
        name: r.get(1),
        role: parse_role(r.get::<&str, _>(2))?,
        password_hash: r.get(3),
        locale: r.get(4),
    })
}

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
        // Trigram search folds case in every script; words of one or two letters cannot be trigram-searched
        // and are matched with LIKE on the title.
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

/// The columns of a job summary, as `SqliteStore::summary` reads them (by name).
macro_rules! summary_columns {
    () => {
        "SELECT j.id, j.release_id, r.title, r.release_date, r.lang, j.target_lang, j.state,
        j.workflow, j.error, j.updated_at, j.assignee, j.priority, j.deadline,
        (SELECT COUNT(*) FROM segments s WHERE s.release_id = j.release_id) AS n_segments,
        (SELECT COUNT(*) FROM target_segments t WHERE t.job_id = j.id AND t.edited IS NOT NULL) AS n_edited"
    };
}
const SUMMARY_SELECT_COLUMNS: &str = summary_columns!();

/// How many columns [`SUMMARY_SELECT_COLUMNS`] has.
const SUMMARY_WIDTH: usize = 15;

const SUMMARY_SELECT: &str = concat!(summary_columns!(), " FROM jobs j JOIN releases r ON r.id = j.release_id");

#[async_trait]
impl Store for SqliteStore {
    async fn insert_release(&self, release: &Release, actor: &str) -> Result<Inserted> {
        let hash = release.content_hash();
        let mut tx = self.write().await?;
        if let Some(row) = sqlx::query("SELECT id FROM releases WHERE content_hash = ?")
            .bind(&hash)
            .fetch_optional(&mut *tx)
            .await
            .map_err(db)?
        {
            return Ok(Inserted::Existing { id: row.get(0) });
        }
        let id: i64 = sqlx::query(
            "INSERT INTO releases (source, lang, title, release_date, place, body, content_hash, created_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(&release.source)
        .bind(release.lang.code())
        .bind(&release.title)
        .bind(release.date.map(|d| d.format("%Y-%m-%d").to_string()))
        .bind(&release.place)
        .bind(release.body())
        .bind(&hash)
        .bind(ts(now()))
        .fetch_one(&mut *tx)
        .await
        .map_err(db)?
        .get(0);
        let mut idx = 0i64;
        if !release.title.is_empty() {
            sqlx::query("INSERT INTO segments (release_id, idx, paragraph, text) VALUES (?, 0, NULL, ?)")
                .bind(id)
                .bind(&release.title)
                .execute(&mut *tx)
                .await
                .map_err(db)?;
            idx = 1;
        }
        for (p, para) in release.paragraphs.iter().enumerate() {
            for s in &para.sentences {
                sqlx::query("INSERT INTO segments (release_id, idx, paragraph, text, lang) VALUES (?, ?, ?, ?, ?)")
                    .bind(id)
                    .bind(idx)
                    .bind(p as i64)
                    .bind(s)
                    .bind(para.lang.map(|l| l.code()))
                    .execute(&mut *tx)
                    .await
                    .map_err(db)?;
                idx += 1;
            }
        }
        let detail = serde_json::json!({ "source": release.source, "lang": release.lang, "segments": idx });
        Self::event(&mut tx, actor, None, Some(id), "ingest", detail, None, None).await?;
        tx.commit().await.map_err(db)?;
        Ok(Inserted::New { id })
    }

    async fn ensure_jobs(
        &self,
        release: ReleaseId,
        targets: &[Lang],
        workflow: &str,
        actor: &str,
    ) -> Result<Vec<JobId>> {
        let mut tx = self.write().await?;
        let mut created = Vec::new();
        for t in targets {
            let at = ts(now());
            let row = sqlx::query(
                "INSERT INTO jobs (release_id, target_lang, workflow, state, created_at, updated_at)
                 VALUES (?, ?, ?, 'queued', ?, ?) ON CONFLICT (release_id, target_lang) DO NOTHING RETURNING id",
            )
            .bind(release)
            .bind(t.code())
            .bind(workflow)
            .bind(&at)
            .bind(&at)
            .fetch_optional(&mut *tx)
            .await
            .map_err(db)?;
            if let Some(row) = row {
                let id: i64 = row.get(0);
                let detail = serde_json::json!({ "target_lang": t, "workflow": workflow });
                Self::event(&mut tx, actor, Some(id), Some(release), "job-created", detail, None, Some("queued"))
                    .await?;
                created.push(id);
            }
        }
        tx.commit().await.map_err(db)?;
        Ok(created)
    }

    async fn claim_next_job(&self, workflow: &str, worker: &str, lease_secs: i64) -> Result<Option<ClaimedJob>> {
        let mut tx = self.write().await?;
        let at = now();
        // Jobs of a run that died mid-translation go back to the queue once their lease ran out.
        let stale = sqlx::query(
            "SELECT id, lease_owner FROM jobs WHERE workflow = ? AND state = 'translating' AND lease_until < ?",
        )
        .bind(workflow)
        .bind(ts(at))
        .fetch_all(&mut *tx)
        .await
        .map_err(db)?;
        for row in stale {
            let id: i64 = row.get(0);
            let owner: Option<String> = row.get(1);
            let detail = serde_json::json!({ "reason": "lease expired", "owner": owner });
            Self::transition(&mut tx, id, JobState::Queued, "reclaim", "translating", worker, detail).await?;
        }
        let row = sqlx::query(
            "SELECT j.id, j.release_id, r.lang, j.target_lang, r.release_date FROM jobs j
             JOIN releases r ON r.id = j.release_id
             WHERE j.workflow = ? AND j.state = 'queued' ORDER BY j.id LIMIT 1",
        )
        .bind(workflow)
        .fetch_optional(&mut *tx)
        .await
        .map_err(db)?;
        let Some(row) = row else {
            tx.commit().await.map_err(db)?;
            return Ok(None);
        };
        let id: i64 = row.get(0);
        let release_id: i64 = row.get(1);
        let source_lang = parse_lang(row.get::<&str, _>(2))?;
        let target_lang = parse_lang(row.get::<&str, _>(3))?;
        let release_date = parse_date(row.get(4));
        let detail = serde_json::json!({ "worker": worker });
        Self::transition(&mut tx, id, JobState::Translating, "claim", "queued", worker, detail).await?;
        sqlx::query("UPDATE jobs SET lease_owner = ?, lease_until = ? WHERE id = ?")
            .bind(worker)
            .bind(ts(at + chrono::Duration::seconds(lease_secs)))
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        tx.commit().await.map_err(db)?;
        let segments = self.segments_of(release_id).await?;
        Ok(Some(ClaimedJob { id, release_id, source_lang, target_lang, release_date, segments }))
    }

    async fn lease_owners(&self, workflow: &str) -> Result<Vec<String>> {
        let rows = sqlx::query(
            "SELECT DISTINCT lease_owner FROM jobs WHERE workflow = ? AND state = 'translating' AND lease_owner IS NOT NULL",
        )
        .bind(workflow)
        .fetch_all(&self.pool)
        .await
        .map_err(db)?;
        Ok(rows.into_iter().map(|r| r.get(0)).collect())
    }

    async fn reclaim_jobs_of(&self, owner: &str, reason: &str, actor: &str) -> Result<usize> {
        let mut tx = self.write().await?;
        let ids: Vec<i64> = sqlx::query("SELECT id FROM jobs WHERE lease_owner = ? AND state = 'translating'")
            .bind(owner)
            .fetch_all(&mut *tx)
            .await
            .map_err(db)?
            .into_iter()
            .map(|r| r.get(0))
            .collect();
        for id in &ids {
            let detail = serde_json::json!({ "reason": reason, "owner": owner });
            Self::transition(&mut tx, *id, JobState::Queued, "reclaim", "translating", actor, detail).await?;
        }
        tx.commit().await.map_err(db)?;
        Ok(ids.len())
    }

    async fn renew_leases(&self, worker: &str, lease_secs: i64) -> Result<()> {
        sqlx::query("UPDATE jobs SET lease_until = ? WHERE lease_owner = ? AND state = 'translating'")
            .bind(ts(now() + chrono::Duration::seconds(lease_secs)))
            .bind(worker)
            .execute(&self.pool)
            .await
            .map_err(db)?;
        Ok(())
    }

    async fn complete_translation(&self, job: JobId, suggestions: &[Suggestion], actor: &str) -> Result<()> {
        let mut tx = self.write().await?;
        Self::check_lease(&mut tx, job, actor).await?;
        let at = ts(now());
        // A re-run (after reject or failure) replaces the earlier suggestions wholesale; versions carry
        // on, so an edit based on the old text is refused as stale.
        let version: i64 = sqlx::query("SELECT COALESCE(MAX(version), 0) + 1 FROM target_segments WHERE job_id = ?")
            .bind(job)
            .fetch_one(&mut *tx)
            .await
            .map_err(db)?
            .get(0);
        sqlx::query("DELETE FROM target_segments WHERE job_id = ?").bind(job).execute(&mut *tx).await.map_err(db)?;
        for s in suggestions {
            sqlx::query(
                "INSERT INTO target_segments (job_id, idx, suggestion, origin, backend, terms, findings, updated_at, version, tm,
                                              text_hash)
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            )
            .bind(job)
            .bind(s.idx as i64)
            .bind(&s.text)
            .bind(s.origin.as_str())
            .bind(&s.backend)
            .bind(to_json(&s.terms))
            .bind(to_json(&s.findings))
            .bind(&at)
            .bind(version)
            .bind(s.tm.as_ref().map(to_json))
            .bind(text_hash(s.text.as_deref().unwrap_or_default()))
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        }
        let translated = suggestions.iter().filter(|s| s.text.is_some()).count();
        let detail = serde_json::json!({ "segments": suggestions.len(), "translated": translated });
        Self::transition(&mut tx, job, JobState::InReview, "complete", "translating", actor, detail).await?;
        tx.commit().await.map_err(db)
    }

    async fn fail_job(&self, job: JobId, error: &str, actor: &str) -> Result<()> {
        let mut tx = self.write().await?;
        Self::check_lease(&mut tx, job, actor).await?;
        let detail = serde_json::json!({ "error": error });
        Self::transition(&mut tx, job, JobState::Failed, "fail", "translating", actor, detail).await?;
        tx.commit().await.map_err(db)
    }

    async fn release_job(&self, job: JobId, reason: &str, actor: &str) -> Result<()> {
        let mut tx = self.write().await?;
        Self::check_lease(&mut tx, job, actor).await?;
        let detail = serde_json::json!({ "reason": reason });
        Self::transition(&mut tx, job, JobState::Queued, "release", "translating", actor, detail).await?;
        tx.commit().await.map_err(db)
    }

    async fn retry_job(&self, job: JobId, actor: &str) -> Result<()> {
        let mut tx = self.write().await?;
        let detail = serde_json::json!({ "action": "retry" });
        Self::transition(&mut tx, job, JobState::Queued, "retry", "failed or rejected", actor, detail).await?;
        tx.commit().await.map_err(db)
    }

    async fn list_jobs(&self, filter: &JobFilter) -> Result<Vec<JobSummary>> {
        let (where_sql, binds) = filter_sql(filter);
        let order = match filter.sort {
            JobSort::Id => "j.id",
            JobSort::Priority => "j.priority DESC, j.id",
            JobSort::Date => "r.release_date IS NULL, r.release_date DESC, j.id",
            JobSort::Deadline => "j.deadline IS NULL, j.deadline, j.priority DESC, j.id",
        };
        // The page's ids first, from the indexes alone; the summary (with its per-job counts) only for
        // those: with OFFSET, SQLite would otherwise build every skipped row in full.
        let from =
            if filter.sort == JobSort::Date { "jobs j JOIN releases r ON r.id = j.release_id" } else { "jobs j" };
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
            .fetch_all(&self.pool)
            .await
            .map_err(db)?;
        rows.iter().map(Self::summary).collect()
    }

    async fn job(&self, job: JobId) -> Result<JobDetail> {
        let summary = self.summary_of(job).await?;
        let rel = sqlx::query("SELECT source, place FROM releases WHERE id = ?")
            .bind(summary.release_id)
            .fetch_one(&self.pool)
            .await
            .map_err(db)?;
        let rows = sqlx::query(&format!("{SEGMENT_SELECT} ORDER BY s.idx"))
            .bind(job)
            .bind(summary.release_id)
            .fetch_all(&self.pool)
            .await
            .map_err(db)?;
        let mut segments: Vec<TargetSegment> = rows.iter().map(target_segment_of).collect::<Result<_>>()?;
        attach_dismissals(&mut segments, dismissals_of(&self.pool, job, None).await?);
        Ok(JobDetail { summary, release_source: rel.get(0), release_place: rel.get(1), segments })
    }

    async fn job_summary(&self, job: JobId) -> Result<JobSummary> {
        self.summary_of(job).await
    }

    async fn job_segment(&self, job: JobId, idx: u32) -> Result<(JobSummary, TargetSegment)> {
        // One query for both: re-checking an edit is on the path of every save.
        let row = sqlx::query(&format!(
            "{SUMMARY_SELECT_COLUMNS}, {SEGMENT_COLUMNS}
             FROM jobs j JOIN releases r ON r.id = j.release_id
             LEFT JOIN segments s ON s.release_id = j.release_id AND s.idx = ?
             LEFT JOIN target_segments t ON t.job_id = j.id AND t.idx = s.idx
             WHERE j.id = ?"
        ))
        .bind(i64::from(idx))
        .bind(job)
        .fetch_optional(&self.pool)
        .await
        .map_err(db)?
        .ok_or(StoreError::NoSuchJob(job))?;
        if row.get::<Option<i64>, _>(SUMMARY_WIDTH).is_none() {
            return Err(StoreError::NoSuchSegment { job, segment: idx });
        }
        let mut seg = target_segment_at(&row, SUMMARY_WIDTH)?;
        attach_dismissals(std::slice::from_mut(&mut seg), dismissals_of(&self.pool, job, Some(idx)).await?);
        Ok((Self::summary(&row)?, seg))
    }

    async fn edit_segment(
        &self,
        job: JobId,
        idx: u32,
        text: &str,
        findings: &[Finding],
        expected_version: Option<i64>,
        actor: &str,
    ) -> Result<i64> {
        // One statement: the state and version checks are in its WHERE clause, the event is appended
        // and the job touched by triggers (migrations 8 and 9). On a busy desk every round trip to
        // SQLite's thread is latency.
        let turn = self.writer.clone().lock_owned().await;
        let saved = sqlx::query(
            "UPDATE target_segments
                SET edited = ?1, findings = ?2, version = version + 1, updated_at = ?3, updated_by = ?4, text_hash = ?8
              WHERE job_id = ?5 AND idx = ?6 AND (?7 IS NULL OR version = ?7)
                AND (SELECT state FROM jobs WHERE id = ?5) = 'in_review'
             RETURNING version",
        )
        .bind(text)
        .bind(to_json(findings))
        .bind(ts(now()))
        .bind(actor)
        .bind(job)
        .bind(idx as i64)
        .bind(expected_version)
        .bind(text_hash(text))
        .fetch_optional(&self.pool)
        .await
        .map_err(db)?;
        drop(turn);
        if let Some(row) = saved {
            return Ok(row.get(0));
        }
        // Nothing was written: say why.
        let row = sqlx::query(
            "SELECT j.state, t.version FROM jobs j LEFT JOIN target_segments t ON t.job_id = j.id AND t.idx = ?
              WHERE j.id = ?",
        )
        .bind(idx as i64)
        .bind(job)
        .fetch_optional(&self.pool)
        .await
        .map_err(db)?
        .ok_or(StoreError::NoSuchJob(job))?;
        let state = parse_state(row.get::<&str, _>(0))?;
        if !state.is_editable() {
            return Err(StoreError::WrongState { job, state, action: "editing", needed: "in_review" });
        }
        let current: i64 = row.get::<Option<i64>, _>(1).ok_or(StoreError::NoSuchSegment { job, segment: idx })?;
        Err(StoreError::Conflict { job, segment: idx, expected: expected_version.unwrap_or(current), current })
    }

    async fn approve_job(&self, job: JobId, actor: &str, override_reason: Option<&str>) -> Result<()> {
        let mut tx = self.write().await?;
        // Errors block unless dismissed for the segment's current text (the one rule, `is_blocking`).
        let dismissed = dismissals_of(&mut *tx, job, None).await?;
        let blocking = sqlx::query(
            "SELECT idx, findings, COALESCE(edited, suggestion, '') FROM target_segments WHERE job_id = ? ORDER BY idx",
        )
        .bind(job)
        .fetch_all(&mut *tx)
        .await
        .map_err(db)?
        .into_iter()
        .map(|r| {
            let idx: i64 = r.get(0);
            let hash = text_hash(r.get::<&str, _>(2));
            let applying: Vec<Dismissal> = dismissed
                .iter()
                .filter(|(i, h, _)| i64::from(*i) == idx && *h == hash)
                .map(|(_, _, d)| d.clone())
                .collect();
            let findings: Vec<Finding> = json("target_segments.findings", r.get::<&str, _>(1))?;
            Ok((idx, blocking_findings(&findings, &applying)))
        })
        .filter(|r: &Result<(i64, Vec<Finding>)>| r.as_ref().map_or(true, |(_, e)| !e.is_empty()))
        .collect::<Result<Vec<_>>>()?;
        let rows = sqlx::query(
            "SELECT COALESCE(s.lang, r.lang), j.target_lang, s.text, COALESCE(t.edited, t.suggestion)
             FROM jobs j JOIN releases r ON r.id = j.release_id
             JOIN segments s ON s.release_id = j.release_id
             LEFT JOIN target_segments t ON t.job_id = j.id AND t.idx = s.idx
             WHERE j.id = ? ORDER BY s.idx",
        )
        .bind(job)
        .fetch_all(&mut *tx)
        .await
        .map_err(db)?;
        let empty = rows.iter().filter(|r| r.get::<Option<String>, _>(3).is_none_or(|t| t.trim().is_empty())).count();
        Self::transition(&mut tx, job, JobState::Approved, "approving", "in_review", actor, serde_json::json!({}))
            .await?;
        if !blocking.is_empty() {
            match override_reason.map(str::trim).filter(|r| !r.is_empty()) {
                None => {
                    let errors = blocking.iter().map(|(_, e)| e.len()).sum();
                    let segments = blocking.iter().map(|(i, _)| i.to_string()).collect::<Vec<_>>().join(", ");
                    return Err(StoreError::Blocked { job, errors, segments });
                }
                Some(reason) => {
                    let overridden: Vec<_> =
                        blocking.iter().map(|(i, e)| serde_json::json!({ "segment": i, "findings": e })).collect();
                    let detail = serde_json::json!({ "reason": reason, "overridden": overridden });
                    Self::event(&mut tx, actor, Some(job), None, "override", detail, None, None).await?;
                }
            }
        }
        if empty > 0 {
            return Err(StoreError::Incomplete { job, empty });
        }
        let at = ts(now());
        let mut added = 0u64;
        for r in &rows {
            let (src, tgt): (&str, &str) = (r.get(0), r.get(1));
            if src == tgt {
                // A quotation kept as written is not a translation.
                continue;
            }
            let (source, target): (String, Option<String>) = (r.get(2), r.get(3));
            let target = target.unwrap_or_default();
            let res = sqlx::query(
                "INSERT INTO tm_units (source_lang, target_lang, source_key, source, target, origin, created_at)
                 VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            )
            .bind(src)
            .bind(tgt)
            .bind(tm_key(&source))
            .bind(&source)
            .bind(&target)
            .bind(format!("job:{job}"))
            .bind(&at)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
            added += res.rows_affected();
        }
        let detail = serde_json::json!({ "tm_units_added": added });
        Self::event(&mut tx, actor, Some(job), None, "tm", detail, None, None).await?;
        tx.commit().await.map_err(db)
    }

    async fn reject_job(&self, job: JobId, reason: &str, actor: &str) -> Result<()> {
        let mut tx = self.write().await?;
        let detail = serde_json::json!({ "reason": reason });
        Self::transition(&mut tx, job, JobState::Rejected, "rejecting", "in_review", actor, detail).await?;
        tx.commit().await.map_err(db)
    }

    async fn events(&self, job: Option<JobId>) -> Result<Vec<Event>> {
        let rows = match job {
            Some(j) => sqlx::query("SELECT * FROM events WHERE job_id = ? ORDER BY id").bind(j).fetch_all(&self.pool),
            None => sqlx::query("SELECT * FROM events ORDER BY id").fetch_all(&self.pool),
        }
        .await
        .map_err(db)?;
        rows.into_iter()
            .map(|r| {
                Ok(Event {
                    id: r.get("id"),
                    at: parse_ts(r.get::<&str, _>("at"))?,
                    actor: r.get("actor"),
                    job_id: r.get("job_id"),
                    release_id: r.get("release_id"),
                    kind: r.get("kind"),
                    detail: json("events.detail", r.get::<&str, _>("detail"))?,
                    before: r.get("before"),
                    after: r.get("after"),
                })
            })
            .collect()
    }

    async fn tm_exact(&self, source: Lang, target: Lang, texts: &[String]) -> Result<Vec<Option<String>>> {
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
            for r in q.fetch_all(&self.pool).await.map_err(db)? {
                found.insert(r.get(0), r.get(1));
            }
        }
        Ok(keys.iter().map(|k| found.get(k).cloned()).collect())
    }

    async fn tm_add(&self, units: &[TmUnit], origin: &str) -> Result<u64> {
        let mut tx = self.write().await?;
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

    async fn approved(&self) -> Result<Vec<ApprovedTranslation>> {
        let jobs = sqlx::query(
            "SELECT j.id, j.release_id, r.source, r.lang, j.target_lang, r.release_date, r.place, j.approved_at, j.approved_by
             FROM jobs j JOIN releases r ON r.id = j.release_id WHERE j.state = 'approved' ORDER BY j.id",
        )
        .fetch_all(&self.pool)
        .await
        .map_err(db)?;
        let mut out = Vec::with_capacity(jobs.len());
        for r in jobs {
            let job_id: i64 = r.get(0);
            let segs = sqlx::query(
                "SELECT s.paragraph, COALESCE(t.edited, t.suggestion, '') FROM segments s
                 LEFT JOIN target_segments t ON t.job_id = ? AND t.idx = s.idx
                 WHERE s.release_id = ? ORDER BY s.idx",
            )
            .bind(job_id)
            .bind(r.get::<i64, _>(1))
            .fetch_all(&self.pool)
            .await
            .map_err(db)?;
            out.push(ApprovedTranslation {
                job_id,
                release_id: r.get(1),
                release_source: r.get(2),
                source_lang: parse_lang(r.get::<&str, _>(3))?,
                target_lang: parse_lang(r.get::<&str, _>(4))?,
                release_date: parse_date(r.get(5)),
                place: r.get(6),
                approved_at: r.get::<Option<&str>, _>(7).map(parse_ts).transpose()?.unwrap_or_default(),
                approved_by: r.get::<Option<String>, _>(8).unwrap_or_default(),
                segments: segs.into_iter().map(|s| (s.get::<Option<i64>, _>(0).map(|p| p as u32), s.get(1))).collect(),
            });
        }
        Ok(out)
    }

    async fn fetch_validators(&self, url: &str) -> Result<Option<(Option<String>, Option<String>)>> {
        let row = sqlx::query("SELECT etag, last_modified FROM fetched WHERE url = ?")
            .bind(url)
            .fetch_optional(&self.pool)
            .await
            .map_err(db)?;
        Ok(row.map(|r| (r.get(0), r.get(1))))
    }

    async fn record_fetch(&self, url: &str, etag: Option<&str>, last_modified: Option<&str>) -> Result<()> {
        sqlx::query(
            "INSERT INTO fetched (url, etag, last_modified, fetched_at) VALUES (?, ?, ?, ?)
             ON CONFLICT (url) DO UPDATE SET etag = excluded.etag, last_modified = excluded.last_modified,
             fetched_at = excluded.fetched_at",
        )
        .bind(url)
        .bind(etag)
        .bind(last_modified)
        .bind(ts(now()))
        .execute(&self.pool)
        .await
        .map_err(db)?;
        Ok(())
    }

    async fn cache_get(&self, key: &CacheKey, texts: &[String]) -> Result<Vec<Option<String>>> {
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
            for r in q.fetch_all(&self.pool).await.map_err(db)? {
                found.insert(r.get(0), r.get(1));
            }
        }
        Ok(keys.iter().map(|k| found.get(k).cloned()).collect())
    }

    async fn cache_put(&self, key: &CacheKey, pairs: &[(String, String)]) -> Result<()> {
        let mut tx = self.write().await?;
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

    async fn record_usage(&self, u: &UsageRecord) -> Result<()> {
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
        .execute(&self.pool)
        .await
        .map_err(db)?;
        Ok(())
    }

    async fn usage_totals(&self) -> Result<Vec<UsageRecord>> {
        let rows = sqlx::query(
            "SELECT backend, SUM(requests), SUM(chars), SUM(billed_chars), SUM(tokens_in), SUM(tokens_out)
             FROM usage GROUP BY backend ORDER BY backend",
        )
        .fetch_all(&self.pool)
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

    async fn tm_length_ratios(
        &self,
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
        .fetch_all(&self.pool)
        .await
        .map_err(db)?;
        Ok(rows.into_iter().map(|r| r.get::<f64, _>(0)).collect())
    }

    async fn tm_targets(&self, target: Lang, limit: u32) -> Result<Vec<String>> {
        let rows = sqlx::query("SELECT target FROM tm_units WHERE target_lang = ? ORDER BY id DESC LIMIT ?")
            .bind(target.code())
            .bind(i64::from(limit))
            .fetch_all(&self.pool)
            .await
            .map_err(db)?;
        Ok(rows.into_iter().map(|r| r.get::<String, _>(0)).collect())
    }

    async fn add_user(&self, name: &str, role: Role, password_hash: &str, actor: &str) -> Result<User> {
        let mut tx = self.write().await?;
        // One statement: the name's unique key decides, so two processes adding the same name at once
        // cannot both succeed (no check-then-insert).
        let id: i64 =
            sqlx::query("INSERT INTO users (name, role, password_hash, created_at) VALUES (?, ?, ?, ?) RETURNING id")
                .bind(name)
                .bind(role.as_str())
                .bind(password_hash)
                .bind(ts(now()))
                .fetch_one(&mut *tx)
                .await
                .map_err(|e| match e {
                    sqlx::Error::Database(d) if d.is_unique_violation() => StoreError::UserExists(name.to_string()),
                    e => db(e),
                })?
                .get(0);
        let detail = serde_json::json!({ "user": name, "role": role });
        Self::event(&mut tx, actor, None, None, "user-added", detail, None, None).await?;
        tx.commit().await.map_err(db)?;
        Ok(User { id, name: name.into(), role, locale: None, password_hash: password_hash.into() })
    }

    async fn user(&self, name: &str) -> Result<Option<User>> {
        let row = sqlx::query(&format!("SELECT {USER_COLUMNS} FROM users u WHERE u.name = ?"))
            .bind(name)
            .fetch_optional(&self.pool)
            .await
            .map_err(db)?;
        row.as_ref().map(user_of).transpose()
    }

    async fn add_token(&self, user: &str, token_hash: &str, actor: &str) -> Result<()> {
        let mut tx = self.write().await?;
        let id = Self::user_id(&mut tx, user).await?;
        sqlx::query("INSERT INTO tokens (user_id, token_hash, created_at) VALUES (?, ?, ?)")
            .bind(id)
            .bind(token_hash)
            .bind(ts(now()))
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        Self::event(&mut tx, actor, None, None, "token-created", serde_json::json!({ "user": user }), None, None)
            .await?;
        tx.commit().await.map_err(db)
    }

    async fn user_by_token(&self, token_hash: &str) -> Result<Option<User>> {
        let row = sqlx::query(&format!(
            "SELECT {USER_COLUMNS} FROM tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = ?"
        ))
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await
        .map_err(db)?;
        row.as_ref().map(user_of).transpose()
    }

    async fn release_by_hash(&self, hash: &str) -> Result<Option<ReleaseId>> {
        let row = sqlx::query("SELECT id FROM releases WHERE content_hash = ?")
            .bind(hash)
            .fetch_optional(&self.pool)
            .await
            .map_err(db)?;
        Ok(row.map(|r| r.get(0)))
    }

    async fn count_jobs(&self, filter: &JobFilter) -> Result<u64> {
        // By state and language only: the counts the triggers keep, without touching the jobs.
        if filter.workflow.is_none() && filter.release.is_none() && filter.assignee.is_none() && filter.text.is_none() {
            let row = sqlx::query(
                "SELECT COALESCE(SUM(jobs), 0) FROM job_counts WHERE (?1 IS NULL OR state = ?1) AND (?2 IS NULL OR target_lang = ?2)",
            )
            .bind(filter.state.map(|s| s.as_str()))
            .bind(filter.target_lang.map(|l| l.code()))
            .fetch_one(&self.pool)
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
        Ok(q.fetch_one(&self.pool).await.map_err(db)?.get::<i64, _>(0) as u64)
    }

    async fn job_counts(&self) -> Result<Vec<JobCount>> {
        let rows =
            sqlx::query("SELECT state, target_lang, jobs FROM job_counts WHERE jobs > 0 ORDER BY state, target_lang")
                .fetch_all(&self.pool)
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

    async fn assign_job(&self, job: JobId, assignee: Option<&str>, actor: &str) -> Result<()> {
        let mut tx = self.write().await?;
        if let Some(name) = assignee {
            Self::user_id(&mut tx, name).await?;
        }
        let before: Option<String> = sqlx::query("SELECT assignee FROM jobs WHERE id = ?")
            .bind(job)
            .fetch_optional(&mut *tx)
            .await
            .map_err(db)?
            .ok_or(StoreError::NoSuchJob(job))?
            .get(0);
        sqlx::query("UPDATE jobs SET assignee = ? WHERE id = ?")
            .bind(assignee)
            .bind(job)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        Self::event(&mut tx, actor, Some(job), None, "assign", serde_json::json!({}), before.as_deref(), assignee)
            .await?;
        tx.commit().await.map_err(db)
    }

    async fn plan_job(&self, job: JobId, priority: i64, deadline: Option<NaiveDate>, actor: &str) -> Result<()> {
        let mut tx = self.write().await?;
        let deadline = deadline.map(|d| d.to_string());
        let res = sqlx::query("UPDATE jobs SET priority = ?, deadline = ? WHERE id = ?")
            .bind(priority)
            .bind(&deadline)
            .bind(job)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        if res.rows_affected() == 0 {
            return Err(StoreError::NoSuchJob(job));
        }
        let detail = serde_json::json!({ "priority": priority, "deadline": deadline });
        Self::event(&mut tx, actor, Some(job), None, "plan", detail, None, None).await?;
        tx.commit().await.map_err(db)
    }

    async fn add_comment(&self, job: JobId, segment: Option<u32>, body: &str, actor: &str) -> Result<Comment> {
        let mut tx = self.write().await?;
        Self::job_state(&mut tx, job).await?;
        if let Some(idx) = segment {
            let seg = sqlx::query(
                "SELECT 1 FROM jobs j JOIN segments s ON s.release_id = j.release_id WHERE j.id = ? AND s.idx = ?",
            )
            .bind(job)
            .bind(i64::from(idx))
            .fetch_optional(&mut *tx)
            .await
            .map_err(db)?;
            if seg.is_none() {
                return Err(StoreError::NoSuchSegment { job, segment: idx });
            }
        }
        // What is returned is what was stored (millisecond timestamps), so it compares equal to a re-read.
        let at = parse_ts(&ts(now()))?;
        let id: i64 = sqlx::query(
            "INSERT INTO comments (job_id, segment, author, body, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(job)
        .bind(segment.map(i64::from))
        .bind(actor)
        .bind(body)
        .bind(ts(at))
        .fetch_one(&mut *tx)
        .await
        .map_err(db)?
        .get(0);
        let detail = serde_json::json!({ "comment": id, "segment": segment });
        Self::event(&mut tx, actor, Some(job), None, "comment", detail, None, Some(body)).await?;
        tx.commit().await.map_err(db)?;
        Ok(Comment { id, job_id: job, segment, author: actor.to_string(), body: body.to_string(), at })
    }

    async fn comments(&self, job: JobId) -> Result<Vec<Comment>> {
        let rows =
            sqlx::query("SELECT id, segment, author, body, created_at FROM comments WHERE job_id = ? ORDER BY id")
                .bind(job)
                .fetch_all(&self.pool)
                .await
                .map_err(db)?;
        rows.iter()
            .map(|r| {
                Ok(Comment {
                    id: r.get(0),
                    job_id: job,
                    segment: r.get::<Option<i64>, _>(1).map(|s| s as u32),
                    author: r.get(2),
                    body: r.get(3),
                    at: parse_ts(r.get::<&str, _>(4))?,
                })
            })
            .collect()
    }

    async fn tm_fuzzy(
        &self,
        source: Lang,
        target: Lang,
        text: &str,
        min_score: u8,
        limit: u32,
    ) -> Result<Vec<TmMatch>> {
        // Candidates share at least one word of three letters or more (word index, case-folded), best
        // BM25 first; they are then scored by edit distance over characters.
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
             ORDER BY f.rank LIMIT 20",
        )
        .bind(query)
        .bind(source.code())
        .bind(target.code())
        .fetch_all(&self.pool)
        .await
        .map_err(db)?;
        let folded = key.to_lowercase();
        let mut out: Vec<TmMatch> = rows
            .iter()
            .map(|r| {
                let (src, tgt): (String, String) = (r.get(0), r.get(1));
                let score = (strsim::normalized_levenshtein(&folded, &tm_key(&src).to_lowercase()) * 100.0).round();
                TmMatch { source: src, target: tgt, score: score as u8 }
            })
            .filter(|m| m.score >= min_score)
            .collect();
        out.sort_by(|a, b| b.score.cmp(&a.score).then_with(|| a.source.cmp(&b.source)));
        out.dedup_by(|a, b| a.source == b.source && a.target == b.target);
        out.truncate(limit as usize);
        Ok(out)
    }

    async fn set_user_locale(&self, user: &str, locale: Option<&str>) -> Result<()> {
        let res = sqlx::query("UPDATE users SET locale = ? WHERE name = ?")
            .bind(locale)
            .bind(user)
            .execute(&self.pool)
            .await
            .map_err(db)?;
        if res.rows_affected() == 0 {
            return Err(StoreError::NoSuchUser(user.to_string()));
        }
        Ok(())
    }

    async fn users(&self) -> Result<Vec<User>> {
        let rows = sqlx::query(&format!("SELECT {USER_COLUMNS} FROM users u ORDER BY u.name"))
            .fetch_all(&self.pool)
            .await
            .map_err(db)?;
        rows.iter().map(user_of).collect()
    }

    async fn set_user_role(&self, user: &str, role: Role, actor: &str) -> Result<()> {
        let mut tx = self.write().await?;
        let before: String = sqlx::query("SELECT role FROM users WHERE name = ?")
            .bind(user)
            .fetch_optional(&mut *tx)
            .await
            .map_err(db)?
            .ok_or_else(|| StoreError::NoSuchUser(user.to_string()))?
            .get(0);
        sqlx::query("UPDATE users SET role = ? WHERE name = ?")
            .bind(role.as_str())
            .bind(user)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        let detail = serde_json::json!({ "user": user });
        Self::event(&mut tx, actor, None, None, "user-role", detail, Some(&before), Some(role.as_str())).await?;
        tx.commit().await.map_err(db)
    }

    async fn create_session(&self, token_hash: &str, user: &str, csrf: &str, expires_at: DateTime<Utc>) -> Result<()> {
        let mut tx = self.write().await?;
        let id = Self::user_id(&mut tx, user).await?;
        let at = now();
        sqlx::query("DELETE FROM sessions WHERE expires_at < ?").bind(ts(at)).execute(&mut *tx).await.map_err(db)?;
        sqlx::query("INSERT INTO sessions (token_hash, user_id, csrf, created_at, expires_at) VALUES (?, ?, ?, ?, ?)")
            .bind(token_hash)
            .bind(id)
            .bind(csrf)
            .bind(ts(at))
            .bind(ts(expires_at))
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        Self::event(&mut tx, user, None, None, "login", serde_json::json!({}), None, None).await?;
        tx.commit().await.map_err(db)
    }

    async fn session(&self, token_hash: &str) -> Result<Option<Session>> {
        let row = sqlx::query(&format!(
            "SELECT {USER_COLUMNS}, s.csrf, s.expires_at FROM sessions s JOIN users u ON u.id = s.user_id
             WHERE s.token_hash = ? AND s.expires_at > ?"
        ))
        .bind(token_hash)
        .bind(ts(now()))
        .fetch_optional(&self.pool)
        .await
        .map_err(db)?;
        row.map(|r| Ok(Session { user: user_of(&r)?, csrf: r.get(5), expires_at: parse_ts(r.get::<&str, _>(6))? }))
            .transpose()
    }

    async fn delete_session(&self, token_hash: &str) -> Result<()> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = ?")
            .bind(token_hash)
            .execute(&self.pool)
            .await
            .map_err(db)?;
        Ok(())
    }

    async fn dismiss_finding(
        &self,
        job: JobId,
        idx: u32,
        finding: &FindingRef,
        expected_version: Option<i64>,
        reason: Option<&str>,
        actor: &str,
    ) -> Result<Dismissal> {
        let mut tx = self.write().await?;
        let row = sqlx::query(
            "SELECT j.state, s.idx, t.version, t.findings, COALESCE(t.edited, t.suggestion, ''),
                    COALESCE(s.lang, r.lang), j.target_lang
               FROM jobs j JOIN releases r ON r.id = j.release_id
               LEFT JOIN segments s ON s.release_id = j.release_id AND s.idx = ?1
               LEFT JOIN target_segments t ON t.job_id = j.id AND t.idx = ?1
              WHERE j.id = ?2",
        )
        .bind(i64::from(idx))
        .bind(job)
        .fetch_optional(&mut *tx)
        .await
        .map_err(db)?
        .ok_or(StoreError::NoSuchJob(job))?;
        let state = parse_state(row.get::<&str, _>(0))?;
        if row.get::<Option<i64>, _>(1).is_none() {
            return Err(StoreError::NoSuchSegment { job, segment: idx });
        }
        if !state.is_editable() {
            return Err(StoreError::WrongState { job, state, action: "dismissing a finding", needed: "in_review" });
        }
        let current: i64 = row.get::<Option<i64>, _>(2).ok_or(StoreError::NoSuchSegment { job, segment: idx })?;
        if let Some(expected) = expected_version.filter(|v| *v != current) {
            return Err(StoreError::Conflict { job, segment: idx, expected, current });
        }
        let findings: Vec<Finding> = json("target_segments.findings", row.get::<Option<&str>, _>(3).unwrap_or("[]"))?;
        let Some(found) = findings.iter().find(|f| finding.matches(f)).cloned() else {
            return Err(StoreError::NoSuchFinding { job, segment: idx, check: finding.check });
        };
        let hash = text_hash(row.get::<&str, _>(4));
        let (source_lang, target_lang): (String, String) = (row.get(5), row.get(6));
        // Rows stored before findings were counted: count this one as raised first, so dismissed never
        // exceeds raised.
        sqlx::query(
            "INSERT OR IGNORE INTO findings_raised (job_id, idx, check_name, message, text_hash, source_lang, target_lang)
             VALUES (?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(job)
        .bind(i64::from(idx))
        .bind(finding.check.as_str())
        .bind(&finding.message)
        .bind(&hash)
        .bind(&source_lang)
        .bind(&target_lang)
        .execute(&mut *tx)
        .await
        .map_err(db)?;
        let reason = reason.map(str::trim).filter(|r| !r.is_empty());
        let at = parse_ts(&ts(now()))?;
        let inserted = sqlx::query(
            "INSERT OR IGNORE INTO finding_dismissals
                 (job_id, idx, check_name, message, text_hash, source_lang, target_lang, reason, actor, at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(job)
        .bind(i64::from(idx))
        .bind(finding.check.as_str())
        .bind(&finding.message)
        .bind(&hash)
        .bind(&source_lang)
        .bind(&target_lang)
        .bind(reason)
        .bind(actor)
        .bind(ts(at))
        .execute(&mut *tx)
        .await
        .map_err(db)?
        .rows_affected();
        if inserted == 0 {
            // Dismissed already, for this very text: the first dismissal stands.
            let earlier = dismissals_of(&mut *tx, job, Some(idx)).await?;
            tx.commit().await.map_err(db)?;
            return earlier
                .into_iter()
                .find(|(_, h, d)| *h == hash && d.check == finding.check && d.message == finding.message)
                .map(|(_, _, d)| d)
                .ok_or_else(|| db("a dismissal vanished"));
        }
        let detail = serde_json::json!({
            "segment": idx,
            "version": current,
            "check": finding.check,
            "message": finding.message,
            "severity": found.severity,
            "reason": reason,
            "text_hash": hash,
        });
        Self::event(&mut tx, actor, Some(job), None, "finding-dismissed", detail, None, reason).await?;
        tx.commit().await.map_err(db)?;
        Ok(Dismissal {
            check: finding.check,
            message: finding.message.clone(),
            reason: reason.map(str::to_string),
            by: actor.to_string(),
            at,
        })
    }

    async fn finding_counts(&self) -> Result<Vec<FindingCount>> {
        let rows = sqlx::query(
            "SELECT check_name, source_lang, target_lang, raised, dismissed FROM finding_counts
              ORDER BY check_name, source_lang, target_lang",
        )
        .fetch_all(&self.pool)
        .await
        .map_err(db)?;
        rows.iter()
            .map(|r| {
                Ok(FindingCount {
                    check: parse_check(r.get::<&str, _>(0))?,
                    source_lang: parse_lang(r.get::<&str, _>(1))?,
                    target_lang: parse_lang(r.get::<&str, _>(2))?,
                    raised: r.get::<i64, _>(3) as u64,
                    dismissed: r.get::<i64, _>(4) as u64,
                })
            })
            .collect()
    }

    async fn add_word(&self, lang: Lang, word: &str, actor: &str) -> Result<bool> {
        let word = word.trim();
        let mut tx = self.write().await?;
        let added =
            sqlx::query("INSERT OR IGNORE INTO words (lang, folded, word, added_by, added_at) VALUES (?, ?, ?, ?, ?)")
                .bind(lang.code())
                .bind(word.to_lowercase())
                .bind(word)
                .bind(actor)
                .bind(ts(now()))
                .execute(&mut *tx)
                .await
                .map_err(db)?
                .rows_affected()
                > 0;
        if added {
            let detail = serde_json::json!({ "lang": lang, "word": word });
            Self::event(&mut tx, actor, None, None, "word-added", detail, None, Some(word)).await?;
        }
        tx.commit().await.map_err(db)?;
        Ok(added)
    }

    async fn words(&self, lang: Lang) -> Result<Vec<String>> {
        let rows = sqlx::query("SELECT word FROM words WHERE lang = ? ORDER BY folded")
            .bind(lang.code())
            .fetch_all(&self.pool)
            .await
            .map_err(db)?;
        Ok(rows.into_iter().map(|r| r.get(0)).collect())
    }
}
