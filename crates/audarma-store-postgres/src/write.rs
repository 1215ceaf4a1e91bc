//! Write transactions and what every write shares: checked state transitions, each appending its event
//! in the same transaction, and the event log itself.
//!
//! SQLite has one writer at a time; PostgreSQL has many, so every read that a write depends on locks
//! what it read (`SELECT … FOR UPDATE`) or the write is one conditional statement.

use crate::rows::{db, json, now, parse_state};
use crate::PgStore;
use audarma_core::JobState;
use audarma_store::{Event, JobId, ReleaseId, Result, StoreError};
use sqlx::{PgConnection, Postgres, Row, Transaction};

pub(crate) type Tx = Transaction<'static, Postgres>;

impl PgStore {
    pub(crate) async fn write(&self) -> Result<Tx> {
        self.pool.begin().await.map_err(db)
    }
}

/// A job's state, its row locked until the transaction ends.
pub(crate) async fn job_state(tx: &mut PgConnection, job: JobId) -> Result<JobState> {
    let row = sqlx::query("SELECT state FROM jobs WHERE id = $1 FOR UPDATE")
        .bind(job)
        .fetch_optional(&mut *tx)
        .await
        .map_err(db)?
        .ok_or(StoreError::NoSuchJob(job))?;
    parse_state(row.get::<&str, _>(0))
}

/// Checks and applies a state transition, appending its event.
pub(crate) async fn transition(
    tx: &mut PgConnection,
    job: JobId,
    to: JobState,
    action: &'static str,
    needed: &'static str,
    actor: &str,
    detail: serde_json::Value,
) -> Result<()> {
    let from = job_state(tx, job).await?;
    transition_from(tx, job, from, to, action, needed, actor, detail).await
}

/// [`transition`] of a job whose state the transaction has already read and locked: the update and
/// its event in one statement. A job that reaches review has survived its worker: its crash count
/// starts again.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn transition_from(
    tx: &mut PgConnection,
    job: JobId,
    from: JobState,
    to: JobState,
    action: &'static str,
    needed: &'static str,
    actor: &str,
    detail: serde_json::Value,
) -> Result<()> {
    if !from.can_go_to(to) {
        return Err(StoreError::WrongState { job, state: from, action, needed });
    }
    let error = detail.get("error").and_then(|e| e.as_str()).map(str::to_string);
    let approved = to == JobState::Approved;
    sqlx::query(
        "WITH changed AS (
             UPDATE jobs SET state = $1, updated_at = $2, error = $3,
                 lease_owner = CASE WHEN $1 = 'translating' THEN lease_owner END,
                 lease_until = CASE WHEN $1 = 'translating' THEN lease_until END,
                 approved_at = CASE WHEN $4 THEN $2 ELSE approved_at END,
                 approved_by = CASE WHEN $4 THEN $5 ELSE approved_by END,
                 crashes = CASE WHEN $1 = 'in_review' THEN 0 ELSE crashes END
              WHERE id = $6 RETURNING id)
         INSERT INTO events (at, actor, job_id, release_id, kind, detail, before, after)
         SELECT $2, $5, id, NULL, 'state', $7, $8, $1 FROM changed",
    )
    .bind(to.as_str())
    .bind(now())
    .bind(if to == JobState::Failed { error } else { None })
    .bind(approved)
    .bind(actor)
    .bind(job)
    .bind(detail)
    .bind(from.as_str())
    .execute(&mut *tx)
    .await
    .map_err(db)?;
    Ok(())
}

#[allow(clippy::too_many_arguments)]
pub(crate) async fn event(
    tx: &mut PgConnection,
    actor: &str,
    job: Option<JobId>,
    release: Option<ReleaseId>,
    kind: &str,
    detail: serde_json::Value,
    before: Option<&str>,
    after: Option<&str>,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO events (at, actor, job_id, release_id, kind, detail, before, after)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(now())
    .bind(actor)
    .bind(job)
    .bind(release)
    .bind(kind)
    .bind(detail)
    .bind(before)
    .bind(after)
    .execute(&mut *tx)
    .await
    .map_err(db)?;
    Ok(())
}

pub(crate) async fn events(store: &PgStore, job: Option<JobId>) -> Result<Vec<Event>> {
    let rows = sqlx::query(
        "SELECT id, at, actor, job_id, release_id, kind, detail, before, after FROM events
          WHERE $1::bigint IS NULL OR job_id = $1 ORDER BY id",
    )
    .bind(job)
    .fetch_all(&store.pool)
    .await
    .map_err(db)?;
    rows.iter().map(event_of).collect()
}

/// An event from a row of `events` (its columns by name).
pub(crate) fn event_of(r: &sqlx::postgres::PgRow) -> Result<Event> {
    Ok(Event {
        id: r.get("id"),
        at: r.get("at"),
        actor: r.get("actor"),
        job_id: r.get("job_id"),
        release_id: r.get("release_id"),
        kind: r.get("kind"),
        detail: json("events.detail", r.get::<serde_json::Value, _>("detail"))?,
        before: r.get("before"),
        after: r.get("after"),
    })
}
