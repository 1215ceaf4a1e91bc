//! The event log: appended inside the transaction of the change it records, read back per job or whole.

use crate::rows::{db, json, now, parse_ts, ts};
use crate::write::WriteTx;
use crate::SqliteStore;
use audarma_store::{Event, JobId, ReleaseId, Result};
use sqlx::Row;

#[allow(clippy::too_many_arguments)]
pub(crate) async fn event(
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

pub(crate) async fn events(store: &SqliteStore, job: Option<JobId>) -> Result<Vec<Event>> {
    let rows = match job {
        Some(j) => sqlx::query("SELECT * FROM events WHERE job_id = ? ORDER BY id").bind(j).fetch_all(&store.pool),
        None => sqlx::query("SELECT * FROM events ORDER BY id").fetch_all(&store.pool),
    }
    .await
    .map_err(db)?;
    rows.iter().map(event_of).collect()
}

/// An event from a row of `events` (its columns by name).
pub(crate) fn event_of(r: &sqlx::sqlite::SqliteRow) -> Result<Event> {
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
}
