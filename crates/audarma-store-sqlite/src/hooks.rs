//! Webhook deliveries from the event log (the contract is `audarma_store::notify`'s), deadline events
//! and failed runs. SQLite has one writer at a time and numbers events in the order they commit, so a
//! hook's cursor is simply the last event id it has read.

use crate::events::event;
use crate::rows::{db, json, now, parse_lang, parse_state, parse_ts, ts};
use crate::SqliteStore;
use audarma_store::{
    state_told, Attempt, Delivery, DeliveryFilter, DeliveryRecord, DeliveryState, Hook, JobId, Lease, LeaseOwner,
    NotifyEvent, Result, StoreError, DEADLINE_EVENT, RUN_FAILED_EVENT,
};
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::sqlite::SqliteRow;
use sqlx::Row;

/// The events of the log a webhook can be told about, each with its notification name and workflow
/// (a job's, or a failed run's own): `NotifyEvent::of_event` in SQL. Binds the range (after, up to).
const NOTIFIABLE: &str = "SELECT e.id,
        CASE e.kind WHEN 'state' THEN e.after WHEN 'deadline' THEN 'deadline' WHEN 'run-failed' THEN 'run_failed' END
            AS event,
        COALESCE(j.workflow, json_extract(e.detail, '$.workflow')) AS workflow
   FROM events e LEFT JOIN jobs j ON j.id = e.job_id
  WHERE e.id > ? AND e.id <= ? AND e.kind IN ('state', 'deadline', 'run-failed')";

pub(crate) async fn queue_deliveries(store: &SqliteStore, hook: &Hook<'_>) -> Result<u64> {
    let mut tx = store.write().await?;
    let at = ts(now());
    let end: i64 = sqlx::query("SELECT COALESCE(MAX(id), 0) FROM events").fetch_one(&mut *tx).await.map_err(db)?.get(0);
    let position: Option<i64> = sqlx::query("SELECT position FROM notify_hooks WHERE workflow = ? AND name = ?")
        .bind(hook.workflow)
        .bind(hook.name)
        .fetch_optional(&mut *tx)
        .await
        .map_err(db)?
        .map(|r| r.get(0));
    let Some(position) = position else {
        // First sight: the hook starts at the end of the log.
        sqlx::query("INSERT INTO notify_hooks (workflow, name, position, created_at) VALUES (?, ?, ?, ?)")
            .bind(hook.workflow)
            .bind(hook.name)
            .bind(end)
            .bind(&at)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        tx.commit().await.map_err(db)?;
        return Ok(0);
    };
    let mut queued = 0;
    if end > position && !hook.events.is_empty() {
        let names = vec!["?"; hook.events.len()].join(", ");
        let sql = format!(
            "INSERT INTO notify_deliveries (workflow, hook, event_id, event, next_at, created_at, updated_at)
             SELECT ?, ?, n.id, n.event, ?, ?, ? FROM ({NOTIFIABLE}) n
              WHERE n.workflow = ? AND n.event IN ({names}) ORDER BY n.id
             ON CONFLICT (workflow, hook, event_id) DO NOTHING"
        );
        let mut q = sqlx::query(&sql).bind(hook.workflow).bind(hook.name).bind(&at).bind(&at).bind(&at);
        q = q.bind(position).bind(end).bind(hook.workflow);
        for e in hook.events {
            q = q.bind(e.as_str());
        }
        queued = q.execute(&mut *tx).await.map_err(db)?.rows_affected();
    }
    sqlx::query("UPDATE notify_hooks SET position = ? WHERE workflow = ? AND name = ?")
        .bind(end.max(position))
        .bind(hook.workflow)
        .bind(hook.name)
        .execute(&mut *tx)
        .await
        .map_err(db)?;
    tx.commit().await.map_err(db)?;
    Ok(queued)
}

pub(crate) async fn claim_deliveries(
    store: &SqliteStore,
    hooks: &[(&str, &str)],
    owner: LeaseOwner<'_>,
    lease_secs: i64,
    limit: u32,
) -> Result<Vec<Delivery>> {
    if hooks.is_empty() || limit == 0 {
        return Ok(Vec::new());
    }
    let mut tx = store.write().await?;
    let at = now();
    let which = vec!["(workflow = ? AND hook = ?)"; hooks.len()].join(" OR ");
    let sql = format!(
        "UPDATE notify_deliveries SET lease_owner = ?, lease_until = ?, attempts = attempts + 1, updated_at = ?
          WHERE id IN (SELECT id FROM notify_deliveries
                        WHERE state = 'pending' AND next_at <= ? AND (lease_until IS NULL OR lease_until < ?)
                          AND ({which})
                        ORDER BY next_at, id LIMIT ?)
         RETURNING id"
    );
    let mut q = sqlx::query(&sql)
        .bind(owner.as_str())
        .bind(ts(at + chrono::Duration::seconds(lease_secs)))
        .bind(ts(at))
        .bind(ts(at))
        .bind(ts(at));
    for (workflow, name) in hooks {
        q = q.bind(*workflow).bind(*name);
    }
    let ids: Vec<i64> =
        q.bind(i64::from(limit)).fetch_all(&mut *tx).await.map_err(db)?.iter().map(|r| r.get(0)).collect();
    if ids.is_empty() {
        tx.commit().await.map_err(db)?;
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT d.id, d.workflow, d.hook, d.event, d.event_id, d.attempts, e.at, e.actor, e.job_id, e.after, e.detail,
                j.release_id, r.title, r.lang, j.target_lang
           FROM notify_deliveries d JOIN events e ON e.id = d.event_id
           LEFT JOIN jobs j ON j.id = e.job_id LEFT JOIN releases r ON r.id = j.release_id
          WHERE d.id IN ({}) ORDER BY d.next_at, d.id",
        vec!["?"; ids.len()].join(", ")
    );
    let mut q = sqlx::query(&sql);
    for id in &ids {
        q = q.bind(id);
    }
    let rows = q.fetch_all(&mut *tx).await.map_err(db)?;
    tx.commit().await.map_err(db)?;
    rows.iter().map(delivery_of).collect()
}

fn notify_event(s: &str) -> Result<NotifyEvent> {
    NotifyEvent::parse(s).ok_or_else(|| crate::rows::corrupt("notify_deliveries.event", format!("{s:?}")))
}

fn delivery_of(r: &SqliteRow) -> Result<Delivery> {
    let event = notify_event(r.get::<&str, _>("event"))?;
    let detail: serde_json::Value = json("events.detail", r.get::<&str, _>("detail"))?;
    let state = state_told(event, r.get::<Option<&str>, _>("after"), &detail).map(parse_state).transpose()?;
    Ok(Delivery {
        id: r.get("id"),
        workflow: r.get("workflow"),
        hook: r.get("hook"),
        event,
        event_id: r.get("event_id"),
        attempt: r.get::<i64, _>("attempts") as u32,
        at: parse_ts(r.get::<&str, _>("at"))?,
        actor: r.get("actor"),
        job: r.get("job_id"),
        release: r.get("release_id"),
        title: r.get("title"),
        source_lang: r.get::<Option<&str>, _>("lang").map(parse_lang).transpose()?,
        target_lang: r.get::<Option<&str>, _>("target_lang").map(parse_lang).transpose()?,
        state,
        detail,
    })
}

pub(crate) async fn forget_removed_hooks(
    store: &SqliteStore,
    workflow: &str,
    kept: &[&str],
    reason: &str,
) -> Result<u64> {
    let mut tx = store.write().await?;
    let at = ts(now());
    let kept =
        serde_json::to_string(kept).map_err(|e| StoreError::Corrupt { what: "hook names", detail: e.to_string() })?;
    let gone = sqlx::query(
        "UPDATE notify_deliveries SET state = 'failed', last_error = ?, next_at = NULL, lease_owner = NULL,
                lease_until = NULL, updated_at = ?
          WHERE workflow = ? AND state = 'pending' AND hook NOT IN (SELECT value FROM json_each(?))
            AND (lease_until IS NULL OR lease_until < ?)",
    )
    .bind(reason)
    .bind(&at)
    .bind(workflow)
    .bind(&kept)
    .bind(&at)
    .execute(&mut *tx)
    .await
    .map_err(db)?
    .rows_affected();
    sqlx::query("DELETE FROM notify_hooks WHERE workflow = ? AND name NOT IN (SELECT value FROM json_each(?))")
        .bind(workflow)
        .bind(&kept)
        .execute(&mut *tx)
        .await
        .map_err(db)?;
    tx.commit().await.map_err(db)?;
    Ok(gone)
}

pub(crate) async fn finish_delivery(
    store: &SqliteStore,
    id: i64,
    lease: Lease<'_>,
    attempt: &Attempt<'_>,
) -> Result<()> {
    let mut tx = store.write().await?;
    let at = ts(now());
    let (state, status, error, next_at, delivered_at) = match *attempt {
        Attempt::Delivered { status } => (DeliveryState::Delivered, Some(status), None, None, Some(at.clone())),
        Attempt::Failed { status, error, retry_at: Some(t) } => {
            (DeliveryState::Pending, status, Some(error), Some(ts(t)), None)
        }
        Attempt::Failed { status, error, retry_at: None } => (DeliveryState::Failed, status, Some(error), None, None),
    };
    let res = sqlx::query(
        "UPDATE notify_deliveries SET state = ?, last_status = ?, last_error = COALESCE(?, last_error), next_at = ?,
                delivered_at = ?,
                lease_owner = NULL, lease_until = NULL, updated_at = ?
          WHERE id = ? AND state = 'pending' AND lease_owner = ? AND attempts = ?",
    )
    .bind(state.as_str())
    .bind(status.map(i64::from))
    .bind(error)
    .bind(next_at)
    .bind(delivered_at)
    .bind(&at)
    .bind(id)
    .bind(lease.owner.as_str())
    .bind(i64::from(lease.attempt))
    .execute(&mut *tx)
    .await
    .map_err(db)?;
    if res.rows_affected() == 0 {
        let exists = sqlx::query("SELECT 1 FROM notify_deliveries WHERE id = ?")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await
            .map_err(db)?
            .is_some();
        return Err(if exists { StoreError::DeliveryLeaseLost(id) } else { StoreError::NoSuchDelivery(id) });
    }
    tx.commit().await.map_err(db)
}

fn opt_ts(r: &SqliteRow, column: &str) -> Result<Option<DateTime<Utc>>> {
    r.get::<Option<&str>, _>(column).map(parse_ts).transpose()
}

pub(crate) async fn deliveries(store: &SqliteStore, filter: &DeliveryFilter) -> Result<Vec<DeliveryRecord>> {
    let rows = sqlx::query(
        "SELECT d.id, d.workflow, d.hook, d.event, d.event_id, e.job_id, d.state, d.attempts, d.last_status,
                d.last_error, d.created_at, d.updated_at, d.next_at, d.delivered_at
           FROM notify_deliveries d JOIN events e ON e.id = d.event_id
          WHERE (?1 IS NULL OR d.workflow = ?1) AND (?2 IS NULL OR d.state = ?2)
          ORDER BY d.id DESC LIMIT ?3",
    )
    .bind(filter.workflow.as_deref())
    .bind(filter.state.map(|s| s.as_str()))
    .bind(filter.limit.map_or(-1, i64::from))
    .fetch_all(&store.pool)
    .await
    .map_err(db)?;
    rows.iter()
        .map(|r| {
            let state = r.get::<&str, _>("state");
            let state = DeliveryState::parse(state)
                .ok_or_else(|| crate::rows::corrupt("notify_deliveries.state", format!("{state:?}")))?;
            Ok(DeliveryRecord {
                id: r.get("id"),
                workflow: r.get("workflow"),
                hook: r.get("hook"),
                event: notify_event(r.get::<&str, _>("event"))?,
                event_id: r.get("event_id"),
                job: r.get("job_id"),
                state,
                attempts: r.get::<i64, _>("attempts") as u32,
                last_status: r.get::<Option<i64>, _>("last_status").map(|s| s as u16),
                last_error: r.get("last_error"),
                created_at: parse_ts(r.get::<&str, _>("created_at"))?,
                updated_at: parse_ts(r.get::<&str, _>("updated_at"))?,
                next_at: if state == DeliveryState::Pending { opt_ts(r, "next_at")? } else { None },
                delivered_at: opt_ts(r, "delivered_at")?,
            })
        })
        .collect()
}

pub(crate) async fn mark_due_jobs(store: &SqliteStore, due_by: NaiveDate, actor: &str) -> Result<Vec<JobId>> {
    let mut tx = store.write().await?;
    let due = sqlx::query(
        "SELECT j.id, j.deadline, j.state, j.workflow FROM jobs j
          WHERE j.deadline IS NOT NULL AND j.deadline <= ? AND j.state NOT IN ('approved', 'rejected')
            AND NOT EXISTS (SELECT 1 FROM deadline_notices n WHERE n.job_id = j.id AND n.deadline = j.deadline)
          ORDER BY j.id",
    )
    .bind(due_by.format("%Y-%m-%d").to_string())
    .fetch_all(&mut *tx)
    .await
    .map_err(db)?;
    let at = ts(now());
    let mut jobs = Vec::new();
    for r in due {
        let (id, deadline, state, workflow): (i64, String, String, String) = (r.get(0), r.get(1), r.get(2), r.get(3));
        sqlx::query("INSERT INTO deadline_notices (job_id, deadline, at) VALUES (?, ?, ?)")
            .bind(id)
            .bind(&deadline)
            .bind(&at)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        let detail = serde_json::json!({ "deadline": deadline, "state": state, "workflow": workflow });
        event(&mut tx, actor, Some(id), None, DEADLINE_EVENT, detail, None, None).await?;
        jobs.push(id);
    }
    tx.commit().await.map_err(db)?;
    Ok(jobs)
}

pub(crate) async fn log_run_failure(
    store: &SqliteStore,
    workflow: &str,
    problems: &[String],
    actor: &str,
) -> Result<()> {
    let mut tx = store.write().await?;
    let detail = serde_json::json!({ "workflow": workflow, "problems": problems });
    event(&mut tx, actor, None, None, RUN_FAILED_EVENT, detail, None, None).await?;
    tx.commit().await.map_err(db)
}
