//! Waking idle workers: a queued job is announced on a channel (`NOTIFY audarma_jobs, 'workflow'`);
//! a worker waiting for jobs listens there, and polls as well, since a notification is only a hint
//! (one sent while a worker reconnects is lost, and several at once are merged).

use crate::rows::db;
use crate::PgStore;
use audarma_store::Result;
use std::time::Duration;

pub(crate) const CHANNEL: &str = "audarma_jobs";

/// Tells listening workers that `workflow` has queued jobs. A failure only costs a worker its poll
/// interval, so it is logged, not returned.
pub(crate) async fn jobs_queued(pool: &sqlx::PgPool, workflow: &str) {
    if let Err(e) = sqlx::query("SELECT pg_notify($1, $2)").bind(CHANNEL).bind(workflow).execute(pool).await {
        tracing::warn!(error = %e, "could not notify workers of queued jobs");
    }
}

/// Waits until a job of one of `workflows` may be queued: a notification for it, or `timeout`.
pub(crate) async fn wait_for_jobs(store: &PgStore, workflows: &[&str], timeout: Duration) -> Result<()> {
    let mut listener = {
        let mut slot = store.listener.lock().await;
        match slot.take() {
            Some(l) => l,
            None => {
                let mut l = sqlx::postgres::PgListener::connect_with(&store.pool).await.map_err(db)?;
                l.listen(CHANNEL).await.map_err(db)?;
                l
            }
        }
    };
    let deadline = tokio::time::Instant::now() + timeout;
    let result = loop {
        match tokio::time::timeout_at(deadline, listener.try_recv()).await {
            Err(_) => break Ok(()),
            Ok(Ok(Some(n))) if workflows.contains(&n.payload()) => {
                // Debounce: a burst of queued jobs wakes the worker once.
                while let Ok(Ok(Some(_))) = tokio::time::timeout(Duration::from_millis(20), listener.try_recv()).await {
                }
                break Ok(());
            }
            Ok(Ok(Some(_))) => continue,
            // The connection dropped: the listener reconnects on the next call; poll now.
            Ok(Ok(None)) => break Ok(()),
            Ok(Err(e)) => break Err(db(e)),
        }
    };
    *store.listener.lock().await = Some(listener);
    result
}
