//! Who works on a job: a reviewer's assignment and a translator's take. Each is decided by one
//! conditional `UPDATE` (its conditions in the `WHERE` clause), never by a read and a later write, so
//! two people acting at once cannot both win; when nothing was written, a read says why.

use crate::events::event;
use crate::rows::{db, parse_state};
use crate::users::user_id;
use crate::write::WriteTx;
use crate::SqliteStore;
use audarma_core::JobState;
use audarma_store::{JobId, Result, StoreError};
use sqlx::Row;

/// The states a job may be assigned or taken in: every one but `approved`.
const ASSIGNABLE: &str = "queued, translating, in_review, failed or rejected";

pub(crate) async fn assign_job(store: &SqliteStore, job: JobId, assignee: Option<&str>, actor: &str) -> Result<()> {
    let mut tx = store.write().await?;
    // Read for the event log only (this transaction holds the write lock); the UPDATE decides.
    let before: Option<String> = sqlx::query("SELECT assignee FROM jobs WHERE id = ?")
        .bind(job)
        .fetch_optional(&mut *tx)
        .await
        .map_err(db)?
        .and_then(|r| r.get(0));
    let assigned = sqlx::query(
        "UPDATE jobs SET assignee = ?2
          WHERE id = ?1 AND state <> 'approved' AND (?2 IS NULL OR EXISTS (SELECT 1 FROM users WHERE name = ?2))
         RETURNING id",
    )
    .bind(job)
    .bind(assignee)
    .fetch_optional(&mut *tx)
    .await
    .map_err(db)?;
    if assigned.is_none() {
        return Err(refusal(&mut tx, job, assignee, "assigning").await?);
    }
    event(&mut tx, actor, Some(job), None, "assign", serde_json::json!({}), before.as_deref(), assignee).await?;
    tx.commit().await.map_err(db)
}

pub(crate) async fn take_job(store: &SqliteStore, job: JobId, user: &str, actor: &str) -> Result<()> {
    let mut tx = store.write().await?;
    // One statement decides: the job is free and not approved, and the user exists.
    let taken = sqlx::query(
        "UPDATE jobs SET assignee = ?2
          WHERE id = ?1 AND assignee IS NULL AND state <> 'approved'
            AND EXISTS (SELECT 1 FROM users WHERE name = ?2)
         RETURNING id",
    )
    .bind(job)
    .bind(user)
    .fetch_optional(&mut *tx)
    .await
    .map_err(db)?;
    let before = if taken.is_some() {
        None
    } else {
        // Nothing was written: say why, unless the job is this user's already (taking it again is
        // logged like assigning it again).
        match refusal(&mut tx, job, Some(user), "taking").await? {
            StoreError::Taken { by, .. } if by == user => Some(user),
            refused => return Err(refused),
        }
    };
    event(&mut tx, actor, Some(job), None, "assign", serde_json::json!({}), before, Some(user)).await?;
    tx.commit().await.map_err(db)
}

/// Why an assignment of `job` to `user` wrote nothing, checked in this order: no such user, no such
/// job, an approved job, someone has it.
async fn refusal(tx: &mut WriteTx, job: JobId, user: Option<&str>, action: &'static str) -> Result<StoreError> {
    if let Some(name) = user {
        user_id(tx, name).await?;
    }
    let row = sqlx::query("SELECT state, assignee FROM jobs WHERE id = ?")
        .bind(job)
        .fetch_optional(&mut **tx)
        .await
        .map_err(db)?
        .ok_or(StoreError::NoSuchJob(job))?;
    let state = parse_state(row.get::<&str, _>(0))?;
    if state == JobState::Approved {
        return Ok(StoreError::WrongState { job, state, action, needed: ASSIGNABLE });
    }
    match row.get::<Option<String>, _>(1) {
        Some(by) => Ok(StoreError::Taken { job, by }),
        None => Err(db(format!("{action} job {job} wrote nothing, for no reason found"))),
    }
}
