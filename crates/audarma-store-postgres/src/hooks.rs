//! Webhook deliveries from the event log (the contract is `audarma_store::notify`'s), deadline events
//! and failed runs, for several workers on one database.
//!
//! A hook's cursor is a snapshot, not an event id: transactions commit out of the order their events were
//! numbered in, so "the last id read" would skip an event whose transaction was still open. Each event
//! records its transaction (`events.tx`); one statement reads the events visible in its own snapshot
//! whose transaction was not visible in the hook's stored snapshot (`pg_visible_in_snapshot`), queues
//! them and stores its snapshot as the new position. An event of a transaction open at either read is
//! visible in neither, and is read once it commits. Deliveries are claimed with `FOR UPDATE SKIP
//! LOCKED` under a lease, as jobs are.

use crate::rows::{corrupt, db, json, now, parse_lang, parse_state};
use crate::write::event;
use crate::PgStore;
use audarma_store::{
    state_told, Attempt, Delivery, DeliveryFilter, DeliveryRecord, DeliveryState, Hook, JobId, Lease, LeaseOwner,
    NotifyEvent, Result, StoreError, RUN_FAILED_EVENT,
};
use chrono::NaiveDate;
use sqlx::postgres::PgRow;
use sqlx::Row;

pub(crate) async fn queue_deliveries(store: &PgStore, hook: &Hook<'_>) -> Result<u64> {
    let mut tx = store.write().await?;
    let at = now();
    // First sight: the hook starts after what is visible now.
    let first = sqlx::query(
        "INSERT INTO notify_hooks (workflow, name, position, created_at)
         VALUES ($1, $2, pg_current_snapshot(), $3)
         ON CONFLICT (workflow, name) DO NOTHING RETURNING 1",
    )
    .bind(hook.workflow)
    .bind(hook.name)
    .bind(at)
    .fetch_optional(&mut *tx)
    .await
    .map_err(db)?;
    if first.is_some() {
        tx.commit().await.map_err(db)?;
        return Ok(0);
    }
    // One queuer of a hook at a time; the statement below starts after the lock, with a snapshot that
    // sees the position the previous queuer committed.
    sqlx::query("SELECT 1 FROM notify_hooks WHERE workflow = $1 AND name = $2 FOR UPDATE")
        .bind(hook.workflow)
        .bind(hook.name)
        .execute(&mut *tx)
        .await
        .map_err(db)?;
    let events: Vec<&str> = hook.events.iter().map(|e| e.as_str()).collect();
    // Every part of one statement shares its snapshot, which `pg_current_snapshot` is: the events read
    // are those it sees, and it is the new position.
    let queued: i64 = sqlx::query(
        "WITH h AS (
             SELECT position AS seen, pg_current_snapshot() AS now FROM notify_hooks
              WHERE workflow = $1 AND name = $2),
         moved AS (
             UPDATE notify_hooks n SET position = h.now FROM h WHERE n.workflow = $1 AND n.name = $2),
         notifiable AS (
             SELECT e.id,
                    CASE e.kind WHEN 'state' THEN e.after WHEN 'deadline' THEN 'deadline'
                                WHEN 'run-failed' THEN 'run_failed' END AS event,
                    COALESCE(j.workflow, e.detail ->> 'workflow') AS workflow
               FROM h, events e LEFT JOIN jobs j ON j.id = e.job_id
              WHERE e.kind IN ('state', 'deadline', 'run-failed')
                AND e.tx >= pg_snapshot_xmin(h.seen) AND NOT pg_visible_in_snapshot(e.tx, h.seen)),
         queued AS (
             INSERT INTO notify_deliveries (workflow, hook, event_id, event, next_at, created_at, updated_at)
             SELECT $1, $2, n.id, n.event, $4, $4, $4 FROM notifiable n
              WHERE n.workflow = $1 AND n.event = ANY($3) ORDER BY n.id
             ON CONFLICT (workflow, hook, event_id) DO NOTHING RETURNING 1)
         SELECT COUNT(*) FROM queued",
    )
    .bind(hook.workflow)
    .bind(hook.name)
    .bind(&events)
    .bind(at)
    .fetch_one(&mut *tx)
    .await
    .map_err(db)?
    .get(0);
    tx.commit().await.map_err(db)?;
    Ok(queued as u64)
}

pub(crate) async fn claim_deliveries(
    store: &PgStore,
    hooks: &[(&str, &str)],
    owner: LeaseOwner<'_>,
    lease_secs: i64,
    limit: u32,
) -> Result<Vec<Delivery>> {
    if hooks.is_empty() || limit == 0 {
        return Ok(Vec::new());
    }
    let at = now();
    let workflows: Vec<&str> = hooks.iter().map(|(w, _)| *w).collect();
    let names: Vec<&str> = hooks.iter().map(|(_, n)| *n).collect();
    // One statement: due deliveries no other session is claiming, leased to this owner, and what their
    // bodies tell.
    let rows = sqlx::query(
        "WITH due AS MATERIALIZED (
             SELECT d.id FROM notify_deliveries d
              WHERE d.state = 'pending' AND d.next_at <= $1 AND (d.lease_until IS NULL OR d.lease_until < $1)
                AND (d.workflow, d.hook) IN (SELECT * FROM UNNEST($2::text[], $3::text[]))
              ORDER BY d.next_at, d.id LIMIT $4
              FOR UPDATE SKIP LOCKED),
         claimed AS (
             UPDATE notify_deliveries d SET lease_owner = $5, lease_until = $6, attempts = d.attempts + 1,
                                            updated_at = $1
               FROM due WHERE d.id = due.id
             RETURNING d.id, d.workflow, d.hook, d.event, d.event_id, d.attempts, d.next_at)
         SELECT c.id, c.workflow, c.hook, c.event, c.event_id, c.attempts, e.at, e.actor, e.job_id, e.after,
                e.detail, j.release_id, r.title, r.lang, j.target_lang
           FROM claimed c JOIN events e ON e.id = c.event_id
           LEFT JOIN jobs j ON j.id = e.job_id LEFT JOIN releases r ON r.id = j.release_id
          ORDER BY c.next_at, c.id",
    )
    .bind(at)
    .bind(&workflows)
    .bind(&names)
    .bind(i64::from(limit))
    .bind(owner.as_str())
    .bind(at + chrono::Duration::seconds(lease_secs))
    .fetch_all(&store.pool)
    .await
    .map_err(db)?;
    rows.iter().map(delivery_of).collect()
}

fn notify_event(s: &str) -> Result<NotifyEvent> {
    NotifyEvent::parse(s).ok_or_else(|| corrupt("notify_deliveries.event", format!("{s:?}")))
}

fn delivery_of(r: &PgRow) -> Result<Delivery> {
    let event = notify_event(r.get::<&str, _>("event"))?;
    let detail: serde_json::Value = json("events.detail", r.get::<serde_json::Value, _>("detail"))?;
    let state = state_told(event, r.get::<Option<&str>, _>("after"), &detail).map(parse_state).transpose()?;
    Ok(Delivery {
        id: r.get("id"),
        workflow: r.get("workflow"),
        hook: r.get("hook"),
        event,
        event_id: r.get("event_id"),
        attempt: r.get::<i32, _>("attempts") as u32,
        at: r.get("at"),
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

pub(crate) async fn forget_removed_hooks(store: &PgStore, workflow: &str, kept: &[&str], reason: &str) -> Result<u64> {
    let mut tx = store.write().await?;
    let at = now();
    let gone = sqlx::query(
        "UPDATE notify_deliveries SET state = 'failed', last_error = $1, next_at = NULL, lease_owner = NULL,
                lease_until = NULL, updated_at = $2
          WHERE workflow = $3 AND state = 'pending' AND hook <> ALL($4::text[])
            AND (lease_until IS NULL OR lease_until < $2)",
    )
    .bind(reason)
    .bind(at)
    .bind(workflow)
    .bind(kept)
    .execute(&mut *tx)
    .await
    .map_err(db)?
    .rows_affected();
    sqlx::query("DELETE FROM notify_hooks WHERE workflow = $1 AND name <> ALL($2::text[])")
        .bind(workflow)
        .bind(kept)
        .execute(&mut *tx)
        .await
        .map_err(db)?;
    tx.commit().await.map_err(db)?;
    Ok(gone)
}

pub(crate) async fn finish_delivery(store: &PgStore, id: i64, lease: Lease<'_>, attempt: &Attempt<'_>) -> Result<()> {
    let at = now();
    let (state, status, error, next_at, delivered_at) = match *attempt {
        Attempt::Delivered { status } => (DeliveryState::Delivered, Some(status), None, None, Some(at)),
        Attempt::Failed { status, error, retry_at: Some(t) } => {
            (DeliveryState::Pending, status, Some(error), Some(t), None)
        }
        Attempt::Failed { status, error, retry_at: None } => (DeliveryState::Failed, status, Some(error), None, None),
    };
    // One conditional statement: only the current claim records its outcome.
    let res = sqlx::query(
        "UPDATE notify_deliveries SET state = $1, last_status = $2, last_error = COALESCE($3, last_error), next_at = $4,
                delivered_at = $5,
                lease_owner = NULL, lease_until = NULL, updated_at = $6
          WHERE id = $7 AND state = 'pending' AND lease_owner = $8 AND attempts = $9",
    )
    .bind(state.as_str())
    .bind(status.map(i32::from))
    .bind(error)
    .bind(next_at)
    .bind(delivered_at)
    .bind(at)
    .bind(id)
    .bind(lease.owner.as_str())
    .bind(lease.attempt as i32)
    .execute(&store.pool)
    .await
    .map_err(db)?;
    if res.rows_affected() == 0 {
        let exists = sqlx::query("SELECT 1 FROM notify_deliveries WHERE id = $1")
            .bind(id)
            .fetch_optional(&store.pool)
            .await
            .map_err(db)?
            .is_some();
        return Err(if exists { StoreError::DeliveryLeaseLost(id) } else { StoreError::NoSuchDelivery(id) });
    }
    Ok(())
}

pub(crate) async fn deliveries(store: &PgStore, filter: &DeliveryFilter) -> Result<Vec<DeliveryRecord>> {
    let rows = sqlx::query(
        "SELECT d.id, d.workflow, d.hook, d.event, d.event_id, e.job_id, d.state, d.attempts, d.last_status,
                d.last_error, d.created_at, d.updated_at, d.next_at, d.delivered_at
           FROM notify_deliveries d JOIN events e ON e.id = d.event_id
          WHERE ($1::text IS NULL OR d.workflow = $1) AND ($2::text IS NULL OR d.state = $2)
          ORDER BY d.id DESC LIMIT $3",
    )
    .bind(filter.workflow.as_deref())
    .bind(filter.state.map(|s| s.as_str()))
    .bind(filter.limit.map(i64::from))
    .fetch_all(&store.pool)
    .await
    .map_err(db)?;
    rows.iter()
        .map(|r| {
            let state = r.get::<&str, _>("state");
            let state =
                DeliveryState::parse(state).ok_or_else(|| corrupt("notify_deliveries.state", format!("{state:?}")))?;
            Ok(DeliveryRecord {
                id: r.get("id"),
                workflow: r.get("workflow"),
                hook: r.get("hook"),
                event: notify_event(r.get::<&str, _>("event"))?,
                event_id: r.get("event_id"),
                job: r.get("job_id"),
                state,
                attempts: r.get::<i32, _>("attempts") as u32,
                last_status: r.get::<Option<i32>, _>("last_status").map(|s| s as u16),
                last_error: r.get("last_error"),
                created_at: r.get("created_at"),
                updated_at: r.get("updated_at"),
                next_at: if state == DeliveryState::Pending { r.get("next_at") } else { None },
                delivered_at: r.get("delivered_at"),
            })
        })
        .collect()
}

pub(crate) async fn mark_due_jobs(store: &PgStore, due_by: NaiveDate, actor: &str) -> Result<Vec<JobId>> {
    // One statement: the notice's key decides, so of two processes marking at once one logs each event.
    let rows = sqlx::query(
        "WITH due AS (
             INSERT INTO deadline_notices (job_id, deadline, at)
             SELECT j.id, j.deadline, $2 FROM jobs j
              WHERE j.deadline IS NOT NULL AND j.deadline <= $1 AND j.state NOT IN ('approved', 'rejected')
                AND NOT EXISTS (SELECT 1 FROM deadline_notices n WHERE n.job_id = j.id AND n.deadline = j.deadline)
             ON CONFLICT (job_id, deadline) DO NOTHING RETURNING job_id, deadline)
         INSERT INTO events (at, actor, job_id, release_id, kind, detail)
         SELECT $2, $3, due.job_id, NULL, 'deadline',
                jsonb_build_object('deadline', to_char(due.deadline, 'YYYY-MM-DD'), 'state', j.state,
                                   'workflow', j.workflow)
           FROM due JOIN jobs j ON j.id = due.job_id ORDER BY due.job_id
         RETURNING job_id",
    )
    .bind(due_by)
    .bind(now())
    .bind(actor)
    .fetch_all(&store.pool)
    .await
    .map_err(db)?;
    let mut jobs: Vec<JobId> = rows.iter().map(|r| r.get(0)).collect();
    jobs.sort_unstable();
    Ok(jobs)
}

pub(crate) async fn log_run_failure(store: &PgStore, workflow: &str, problems: &[String], actor: &str) -> Result<()> {
    let mut tx = store.write().await?;
    let detail = serde_json::json!({ "workflow": workflow, "problems": problems });
    event(&mut tx, actor, None, None, RUN_FAILED_EVENT, detail, None, None).await?;
    tx.commit().await.map_err(db)
}
