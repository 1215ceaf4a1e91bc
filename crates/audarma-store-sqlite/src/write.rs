//! Write transactions and what every write shares: this process's writer turn, `BEGIN IMMEDIATE`, and
//! checked state transitions (each appends its event in the same transaction).

use crate::events::event;
use crate::rows::{db, now, parse_state, ts};
use crate::SqliteStore;
use audarma_core::JobState;
use audarma_store::{JobId, Result, StoreError};
use sqlx::{Row, Sqlite, Transaction};

/// A write transaction holding this process's writer turn until it commits or is dropped.
pub(crate) struct WriteTx {
    tx: Transaction<'static, Sqlite>,
    _turn: tokio::sync::OwnedMutexGuard<()>,
}

impl WriteTx {
    pub(crate) async fn commit(self) -> std::result::Result<(), sqlx::Error> {
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

impl SqliteStore {
    pub(crate) async fn write(&self) -> Result<WriteTx> {
        let turn = self.writer.clone().lock_owned().await;
        let tx = self.pool.begin_with("BEGIN IMMEDIATE").await.map_err(db)?;
        Ok(WriteTx { tx, _turn: turn })
    }
}

pub(crate) async fn job_state(tx: &mut WriteTx, job: JobId) -> Result<JobState> {
    let row = sqlx::query("SELECT state FROM jobs WHERE id = ?")
        .bind(job)
        .fetch_optional(&mut **tx)
        .await
        .map_err(db)?
        .ok_or(StoreError::NoSuchJob(job))?;
    parse_state(row.get::<&str, _>(0))
}

/// Checks and applies a state transition, appending its event.
pub(crate) async fn transition(
    tx: &mut WriteTx,
    job: JobId,
    to: JobState,
    action: &'static str,
    needed: &'static str,
    actor: &str,
    detail: serde_json::Value,
) -> Result<()> {
    let from = job_state(tx, job).await?;
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
    event(tx, actor, Some(job), None, "state", detail, Some(from.as_str()), Some(to.as_str())).await
}
