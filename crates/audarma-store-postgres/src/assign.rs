//! Who works on a job: a reviewer's assignment and a translator's take. Each is decided by one
//! conditional `UPDATE`, never by a read and a later write, so two people acting at once cannot both
//! win; when nothing was written, a read says why.

use crate::rows::{db, parse_state};
use crate::users::user_id;
use crate::write::event;
use crate::PgStore;
use audarma_core::JobState;
use audarma_store::{JobId, Result, StoreError};
use sqlx::{PgConnection, Row};

/// The states a job may be assigned or taken in: every one but `approved`.
const ASSIGNABLE: &str = "queued, translating, in_review, failed or rejected";

pub(crate) async fn assign_job(store: &PgStore, job: JobId, assignee: Option<&str>, actor: &str) -> Result<()> {
    let mut tx = store.write().await?;
    // The assignee before, for the log, read from the row the UPDATE replaces (locked by it).
    let assigned = sqlx::query(
        "WITH old AS (SELECT id, assignee FROM jobs WHERE id = $1 FOR UPDATE)
         UPDATE jobs j SET assignee = $2 FROM old
          WHERE j.id = old.id AND j.state <> 'approved'
            AND ($2::text IS NULL OR EXISTS (SELECT 1 FROM users WHERE name = $2))
         RETURNING old.assignee",
    )
    .bind(job)
    .bind(assignee)
    .fetch_optional(&mut *tx)
    .await
    .map_err(db)?;
    let Some(row) = assigned else {
        return Err(refusal(&mut tx, job, assignee, "assigning").await?);
    };
    let before: Option<String> = row.get(0);
    event(&mut tx, actor, Some(job), None, "assign", serde_json::json!({}), before.as_deref(), assignee).await?;
    tx.commit().await.map_err(db)
}

pub(crate) async fn take_job(store: &PgStore, job: JobId, user: &str, actor: &str) -> Result<()> {
    let mut tx = store.write().await?;
    let taken = sqlx::query(
        "UPDATE jobs SET assignee = $2
          WHERE id = $1 AND assignee IS NULL AND state <> 'approved'
            AND EXISTS (SELECT 1 FROM users WHERE name = $2)
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
async fn refusal(tx: &mut PgConnection, job: JobId, user: Option<&str>, action: &'static str) -> Result<StoreError> {
    if let Some(name) = user {
        user_id(tx, name).await?;
    }
    let row = sqlx::query("SELECT state, assignee FROM jobs WHERE id = $1")
        .bind(job)
        .fetch_optional(&mut *tx)
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
