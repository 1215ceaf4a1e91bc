//! A user's Atom feed: its token (stored as a hash, one per user) and its entries, the events of the jobs
//! assigned to the user.

use crate::events::{event, event_of};
use crate::rows::{db, now, summary, ts, user_of, SUMMARY_SELECT, USER_COLUMNS};
use crate::users::user_id;
use crate::SqliteStore;
use audarma_store::{Event, FeedItem, JobSummary, Result, StoreError, User, FEED_EVENTS};

pub(crate) async fn set_feed_token(store: &SqliteStore, user: &str, token_hash: &str, actor: &str) -> Result<()> {
    let mut tx = store.write().await?;
    let id = user_id(&mut tx, user).await?;
    sqlx::query(
        "INSERT INTO feed_tokens (user_id, token_hash, created_at) VALUES (?, ?, ?)
         ON CONFLICT (user_id) DO UPDATE SET token_hash = excluded.token_hash, created_at = excluded.created_at",
    )
    .bind(id)
    .bind(token_hash)
    .bind(ts(now()))
    .execute(&mut *tx)
    .await
    .map_err(db)?;
    event(&mut tx, actor, None, None, "feed-token-created", serde_json::json!({ "user": user }), None, None).await?;
    tx.commit().await.map_err(db)
}

pub(crate) async fn user_by_feed_token(store: &SqliteStore, token_hash: &str) -> Result<Option<User>> {
    let row = sqlx::query(&format!(
        "SELECT {USER_COLUMNS} FROM feed_tokens f JOIN users u ON u.id = f.user_id
          WHERE f.token_hash = ? AND u.disabled_at IS NULL"
    ))
    .bind(token_hash)
    .fetch_optional(&store.pool)
    .await
    .map_err(db)?;
    row.as_ref().map(user_of).transpose()
}

pub(crate) async fn feed(store: &SqliteStore, user: &str, limit: u32) -> Result<Vec<FeedItem>> {
    let kinds = vec!["?"; FEED_EVENTS.len()].join(", ");
    let sql = format!(
        "SELECT e.id, e.at, e.actor, e.job_id, e.release_id, e.kind, e.detail, e.before, e.after
           FROM events e JOIN jobs j ON j.id = e.job_id
          WHERE j.assignee = ? AND e.kind IN ({kinds}) ORDER BY e.id DESC LIMIT ?"
    );
    let mut q = sqlx::query(&sql).bind(user);
    for k in FEED_EVENTS {
        q = q.bind(k);
    }
    let events: Vec<Event> = q
        .bind(i64::from(limit))
        .fetch_all(&store.pool)
        .await
        .map_err(db)?
        .iter()
        .map(event_of)
        .collect::<Result<_>>()?;
    let mut ids: Vec<i64> = events.iter().filter_map(|e| e.job_id).collect();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!("{SUMMARY_SELECT} WHERE j.id IN ({})", vec!["?"; ids.len()].join(", "));
    let mut q = sqlx::query(&sql);
    for id in &ids {
        q = q.bind(id);
    }
    let jobs: Vec<JobSummary> =
        q.fetch_all(&store.pool).await.map_err(db)?.iter().map(summary).collect::<Result<_>>()?;
    events
        .into_iter()
        .map(|event| {
            let job = jobs
                .iter()
                .find(|j| Some(j.id) == event.job_id)
                .cloned()
                .ok_or_else(|| StoreError::NoSuchJob(event.job_id.unwrap_or_default()))?;
            Ok(FeedItem { event, job })
        })
        .collect()
}
