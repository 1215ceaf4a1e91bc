//! Jobs through their lifecycle: releases in, jobs created, claimed under a lease (`FOR UPDATE SKIP
//! LOCKED`: workers never wait on each other's claims), renewed, completed, failed, released or retried;
//! and reading one job and the approved ones.

use crate::review::{attach_dismissals, dismissals_of};
use crate::rows::{
    db, now, parse_lang, summary, target_segment_at, target_segment_of, to_json, SEGMENT_COLUMNS, SEGMENT_SELECT,
    SUMMARY_SELECT, SUMMARY_SELECT_COLUMNS, SUMMARY_WIDTH,
};
use crate::write::{event, transition, transition_from};
use crate::PgStore;
use audarma_core::{JobState, Lang, Release};
use audarma_store::{
    text_hash, ApprovedTranslation, ClaimedJob, Inserted, JobDetail, JobId, JobSummary, Lease, LeaseOwner, ReleaseId,
    Result, SourceSegment, StoreError, Suggestion, TargetSegment, MAX_CRASHES,
};
use sqlx::{PgConnection, Row};

pub(crate) async fn insert_release(store: &PgStore, release: &Release, actor: &str) -> Result<Inserted> {
    let hash = release.content_hash();
    let mut tx = store.write().await?;
    // One statement decides: of two processes storing the same release at once, one inserts and the
    // other waits on the unique key, then finds the row.
    let inserted = sqlx::query(
        "INSERT INTO releases (source, lang, title, release_date, place, body, content_hash, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (content_hash) DO NOTHING RETURNING id",
    )
    .bind(&release.source)
    .bind(release.lang.code())
    .bind(&release.title)
    .bind(release.date)
    .bind(&release.place)
    .bind(release.body())
    .bind(&hash)
    .bind(now())
    .fetch_optional(&mut *tx)
    .await
    .map_err(db)?;
    let Some(row) = inserted else {
        let id: i64 = sqlx::query("SELECT id FROM releases WHERE content_hash = $1")
            .bind(&hash)
            .fetch_one(&mut *tx)
            .await
            .map_err(db)?
            .get(0);
        return Ok(Inserted::Existing { id });
    };
    let id: i64 = row.get(0);
    let mut idxs = Vec::new();
    let mut paragraphs: Vec<Option<i32>> = Vec::new();
    let mut texts = Vec::new();
    let mut langs: Vec<Option<&str>> = Vec::new();
    if !release.title.is_empty() {
        idxs.push(0i32);
        paragraphs.push(None);
        texts.push(release.title.clone());
        langs.push(None);
    }
    for (p, para) in release.paragraphs.iter().enumerate() {
        for s in &para.sentences {
            idxs.push(idxs.len() as i32);
            paragraphs.push(Some(p as i32));
            texts.push(s.clone());
            langs.push(para.lang.map(|l| l.code()));
        }
    }
    sqlx::query(
        "INSERT INTO segments (release_id, idx, paragraph, text, lang)
         SELECT $1, * FROM UNNEST($2::int[], $3::int[], $4::text[], $5::text[])",
    )
    .bind(id)
    .bind(&idxs)
    .bind(&paragraphs)
    .bind(&texts)
    .bind(&langs)
    .execute(&mut *tx)
    .await
    .map_err(db)?;
    let detail = serde_json::json!({ "source": release.source, "lang": release.lang, "segments": idxs.len() });
    event(&mut tx, actor, None, Some(id), "ingest", detail, None, None).await?;
    tx.commit().await.map_err(db)?;
    Ok(Inserted::New { id })
}

pub(crate) async fn release_by_hash(store: &PgStore, hash: &str) -> Result<Option<ReleaseId>> {
    let row = sqlx::query("SELECT id FROM releases WHERE content_hash = $1")
        .bind(hash)
        .fetch_optional(&store.pool)
        .await
        .map_err(db)?;
    Ok(row.map(|r| r.get(0)))
}

pub(crate) async fn ensure_jobs(
    store: &PgStore,
    release: ReleaseId,
    targets: &[Lang],
    workflow: &str,
    actor: &str,
) -> Result<Vec<JobId>> {
    let mut tx = store.write().await?;
    let mut created = Vec::new();
    for t in targets {
        let at = now();
        let row = sqlx::query(
            "INSERT INTO jobs (release_id, target_lang, workflow, state, created_at, updated_at)
             VALUES ($1, $2, $3, 'queued', $4, $4) ON CONFLICT (release_id, target_lang) DO NOTHING RETURNING id",
        )
        .bind(release)
        .bind(t.code())
        .bind(workflow)
        .bind(at)
        .fetch_optional(&mut *tx)
        .await
        .map_err(db)?;
        if let Some(row) = row {
            let id: i64 = row.get(0);
            let detail = serde_json::json!({ "target_lang": t, "workflow": workflow });
            event(&mut tx, actor, Some(id), Some(release), "job-created", detail, None, Some("queued")).await?;
            created.push(id);
        }
    }
    tx.commit().await.map_err(db)?;
    if !created.is_empty() {
        crate::notify::jobs_queued(&store.pool, workflow).await;
    }
    Ok(created)
}

/// Whether some job of `workflow` has a lease that ran out (a read of the partial index of leased jobs,
/// without a transaction: the usual answer is no).
async fn expired_leases(store: &PgStore, workflow: &str, at: chrono::DateTime<chrono::Utc>) -> Result<bool> {
    let row = sqlx::query(
        "SELECT EXISTS (SELECT 1 FROM jobs WHERE workflow = $1 AND state = 'translating' AND lease_until < $2)",
    )
    .bind(workflow)
    .bind(at)
    .fetch_one(&store.pool)
    .await
    .map_err(db)?;
    Ok(row.get(0))
}

/// Jobs of `workflow` whose lease ran out (their worker died or stalled) go back to the queue, or to
/// `failed` once they have taken down [`MAX_CRASHES`] workers. Rows another session holds are skipped.
async fn reclaim_expired(tx: &mut PgConnection, workflow: &str, actor: &str) -> Result<()> {
    let stale = sqlx::query(
        "WITH stale AS MATERIALIZED (
             SELECT id, lease_owner FROM jobs
              WHERE workflow = $1 AND state = 'translating' AND lease_until < $2
              FOR UPDATE SKIP LOCKED)
         UPDATE jobs j SET crashes = j.crashes + 1 FROM stale WHERE j.id = stale.id
         RETURNING j.id, stale.lease_owner, j.crashes",
    )
    .bind(workflow)
    .bind(now())
    .fetch_all(&mut *tx)
    .await
    .map_err(db)?;
    for row in stale {
        let (id, owner, crashes): (i64, Option<String>, i32) = (row.get(0), row.get(1), row.get(2));
        if crashes >= MAX_CRASHES as i32 {
            let error = format!(
                "its lease ran out {crashes} times (the worker died or stalled while translating it); \
                 not retried automatically, see the job's events"
            );
            let detail = serde_json::json!({ "error": error, "owner": owner, "crashes": crashes });
            transition(tx, id, JobState::Failed, "reclaim", "translating", actor, detail).await?;
        } else {
            let detail = serde_json::json!({ "reason": "lease expired", "owner": owner, "crashes": crashes });
            transition(tx, id, JobState::Queued, "reclaim", "translating", actor, detail).await?;
        }
    }
    Ok(())
}

pub(crate) async fn claim_next_job(
    store: &PgStore,
    workflow: &str,
    owner: LeaseOwner<'_>,
    lease_secs: i64,
) -> Result<Option<ClaimedJob>> {
    // The claiming worker acts for itself: it is the actor of the claim and of the reclaims.
    let worker = owner.as_str();
    let at = now();
    if expired_leases(store, workflow, at).await? {
        let mut tx = store.write().await?;
        reclaim_expired(&mut tx, workflow, worker).await?;
        tx.commit().await.map_err(db)?;
    }
    // One statement, one round trip, committed on its own: the oldest queued job no other session is
    // claiming (a materialised subset, so the row lock is taken once) moved to `translating` under
    // this worker's lease, its event appended, and what the worker needs of the release read.
    let row = sqlx::query(
        "WITH next AS MATERIALIZED (
             SELECT id FROM jobs WHERE workflow = $1 AND state = 'queued' ORDER BY priority DESC, id LIMIT 1
             FOR UPDATE SKIP LOCKED),
         claimed AS (
             UPDATE jobs j SET state = 'translating', lease_owner = $2, lease_until = $3,
                               attempts = j.attempts + 1, updated_at = $4, error = NULL
               FROM next WHERE j.id = next.id
             RETURNING j.id, j.release_id, j.target_lang, j.attempts),
         logged AS (
             INSERT INTO events (at, actor, job_id, release_id, kind, detail, before, after)
             SELECT $4, $2, id, NULL, 'state', jsonb_build_object('worker', $2::text, 'attempt', attempts),
                    'queued', 'translating'
               FROM claimed)
         SELECT c.id, c.release_id, c.target_lang, c.attempts, r.lang, r.release_date
           FROM claimed c JOIN releases r ON r.id = c.release_id",
    )
    .bind(workflow)
    .bind(worker)
    .bind(at + chrono::Duration::seconds(lease_secs))
    .bind(at)
    .fetch_optional(&store.pool)
    .await
    .map_err(db)?;
    let Some(row) = row else { return Ok(None) };
    let (id, release_id, target, attempt): (i64, i64, String, i32) = (row.get(0), row.get(1), row.get(2), row.get(3));
    let segments = segments_of(store, release_id).await?;
    Ok(Some(ClaimedJob {
        attempt: attempt as u32,
        id,
        release_id,
        source_lang: parse_lang(row.get::<&str, _>(4))?,
        target_lang: parse_lang(&target)?,
        release_date: row.get(5),
        segments,
    }))
}

pub(crate) async fn lease_owners(store: &PgStore, workflow: &str) -> Result<Vec<String>> {
    let rows = sqlx::query(
        "SELECT DISTINCT lease_owner FROM jobs
          WHERE workflow = $1 AND state = 'translating' AND lease_owner IS NOT NULL ORDER BY 1",
    )
    .bind(workflow)
    .fetch_all(&store.pool)
    .await
    .map_err(db)?;
    Ok(rows.into_iter().map(|r| r.get(0)).collect())
}

pub(crate) async fn reclaim_jobs_of(
    store: &PgStore,
    owner: LeaseOwner<'_>,
    reason: &str,
    actor: &str,
) -> Result<usize> {
    let owner = owner.as_str();
    let mut tx = store.write().await?;
    let ids: Vec<i64> =
        sqlx::query("SELECT id FROM jobs WHERE lease_owner = $1 AND state = 'translating' ORDER BY id FOR UPDATE")
            .bind(owner)
            .fetch_all(&mut *tx)
            .await
            .map_err(db)?
            .into_iter()
            .map(|r| r.get(0))
            .collect();
    for id in &ids {
        let detail = serde_json::json!({ "reason": reason, "owner": owner });
        transition(&mut tx, *id, JobState::Queued, "reclaim", "translating", actor, detail).await?;
    }
    tx.commit().await.map_err(db)?;
    Ok(ids.len())
}

pub(crate) async fn renew_leases(store: &PgStore, owner: LeaseOwner<'_>, lease_secs: i64) -> Result<()> {
    sqlx::query("UPDATE jobs SET lease_until = $1 WHERE lease_owner = $2 AND state = 'translating'")
        .bind(now() + chrono::Duration::seconds(lease_secs))
        .bind(owner.as_str())
        .execute(&store.pool)
        .await
        .map_err(db)?;
    Ok(())
}

/// Refuses to finish a job whose current claim is not `lease` (its lease expired and another worker,
/// or this one again, claimed it); locks the job's row until the transaction ends, so the lease cannot
/// change under the write.
pub(crate) async fn check_lease(tx: &mut PgConnection, job: JobId, lease: Lease<'_>) -> Result<JobState> {
    let row = sqlx::query("SELECT state, lease_owner, attempts FROM jobs WHERE id = $1 FOR UPDATE")
        .bind(job)
        .fetch_optional(&mut *tx)
        .await
        .map_err(db)?
        .ok_or(StoreError::NoSuchJob(job))?;
    let (state, holder, attempt): (String, Option<String>, i32) = (row.get(0), row.get(1), row.get(2));
    if state == "translating" && (holder.as_deref() != Some(lease.owner.as_str()) || attempt as u32 != lease.attempt) {
        return Err(StoreError::LeaseLost(job));
    }
    crate::rows::parse_state(&state)
}

pub(crate) async fn complete_translation(
    store: &PgStore,
    job: JobId,
    lease: Lease<'_>,
    suggestions: &[Suggestion],
    actor: &str,
) -> Result<()> {
    let mut tx = store.write().await?;
    let state = check_lease(&mut tx, job, lease).await?;
    let at = now();
    // A re-run (after reject or failure) replaces the earlier suggestions wholesale; versions carry on,
    // so an edit based on the old text is refused as stale.
    let version: i64 = sqlx::query(
        "WITH old AS (DELETE FROM target_segments WHERE job_id = $1 RETURNING version)
         SELECT COALESCE(MAX(version), 0) + 1 FROM old",
    )
    .bind(job)
    .fetch_one(&mut *tx)
    .await
    .map_err(db)?
    .get(0);
    if !suggestions.is_empty() {
        let idx: Vec<i32> = suggestions.iter().map(|s| s.idx as i32).collect();
        let text: Vec<Option<&str>> = suggestions.iter().map(|s| s.text.as_deref()).collect();
        let origin: Vec<&str> = suggestions.iter().map(|s| s.origin.as_str()).collect();
        let backend: Vec<Option<&str>> = suggestions.iter().map(|s| s.backend.as_deref()).collect();
        let model: Vec<Option<&str>> = suggestions.iter().map(|s| s.model.as_deref()).collect();
        let terms: Vec<serde_json::Value> = suggestions.iter().map(|s| to_json(&s.terms)).collect();
        let findings: Vec<serde_json::Value> = suggestions.iter().map(|s| to_json(&s.findings)).collect();
        let tm: Vec<Option<serde_json::Value>> = suggestions.iter().map(|s| s.tm.as_ref().map(to_json)).collect();
        let hash: Vec<String> = suggestions.iter().map(|s| text_hash(s.text.as_deref().unwrap_or_default())).collect();
        sqlx::query(
            "INSERT INTO target_segments (job_id, idx, suggestion, origin, backend, terms, findings, tm, text_hash,
                                          updated_at, version, model)
             SELECT $1, u.idx, u.suggestion, u.origin, u.backend, u.terms, u.findings, u.tm, u.text_hash, $10, $11, u.model
               FROM UNNEST($2::int[], $3::text[], $4::text[], $5::text[], $6::jsonb[], $7::jsonb[], $8::jsonb[],
                           $9::text[], $12::text[]) AS u(idx, suggestion, origin, backend, terms, findings, tm, text_hash, model)",
        )
        .bind(job)
        .bind(&idx)
        .bind(&text)
        .bind(&origin)
        .bind(&backend)
        .bind(&terms)
        .bind(&findings)
        .bind(&tm)
        .bind(&hash)
        .bind(at)
        .bind(version)
        .bind(&model)
        .execute(&mut *tx)
        .await
        .map_err(db)?;
    }
    let translated = suggestions.iter().filter(|s| s.text.is_some()).count();
    let detail = serde_json::json!({ "segments": suggestions.len(), "translated": translated });
    transition_from(&mut tx, job, state, JobState::InReview, "complete", "translating", actor, detail).await?;
    tx.commit().await.map_err(db)
}

pub(crate) async fn fail_job(store: &PgStore, job: JobId, lease: Lease<'_>, error: &str, actor: &str) -> Result<()> {
    let mut tx = store.write().await?;
    let state = check_lease(&mut tx, job, lease).await?;
    let detail = serde_json::json!({ "error": error });
    transition_from(&mut tx, job, state, JobState::Failed, "fail", "translating", actor, detail).await?;
    tx.commit().await.map_err(db)
}

pub(crate) async fn release_job(
    store: &PgStore,
    job: JobId,
    lease: Lease<'_>,
    reason: &str,
    actor: &str,
) -> Result<()> {
    let mut tx = store.write().await?;
    let state = check_lease(&mut tx, job, lease).await?;
    let detail = serde_json::json!({ "reason": reason });
    transition_from(&mut tx, job, state, JobState::Queued, "release", "translating", actor, detail).await?;
    tx.commit().await.map_err(db)
}

pub(crate) async fn retry_job(store: &PgStore, job: JobId, actor: &str) -> Result<()> {
    let mut tx = store.write().await?;
    let detail = serde_json::json!({ "action": "retry" });
    transition(&mut tx, job, JobState::Queued, "retry", "failed or rejected", actor, detail).await?;
    sqlx::query("UPDATE jobs SET crashes = 0 WHERE id = $1").bind(job).execute(&mut *tx).await.map_err(db)?;
    tx.commit().await.map_err(db)?;
    if let Ok(s) = summary_of(store, job).await {
        crate::notify::jobs_queued(&store.pool, &s.workflow).await;
    }
    Ok(())
}

pub(crate) async fn job(store: &PgStore, job: JobId) -> Result<JobDetail> {
    let summary = summary_of(store, job).await?;
    let rel = sqlx::query("SELECT source, place FROM releases WHERE id = $1")
        .bind(summary.release_id)
        .fetch_one(&store.pool)
        .await
        .map_err(db)?;
    let rows = sqlx::query(&format!("{SEGMENT_SELECT} ORDER BY s.idx"))
        .bind(job)
        .bind(summary.release_id)
        .fetch_all(&store.pool)
        .await
        .map_err(db)?;
    let mut segments: Vec<TargetSegment> = rows.iter().map(target_segment_of).collect::<Result<_>>()?;
    attach_dismissals(&mut segments, &dismissals_of(&store.pool, job, None).await?);
    Ok(JobDetail { summary, release_source: rel.get(0), release_place: rel.get(1), segments })
}

pub(crate) async fn job_segment(store: &PgStore, job: JobId, idx: u32) -> Result<(JobSummary, TargetSegment)> {
    let row = sqlx::query(&format!(
        "{SUMMARY_SELECT_COLUMNS}, {SEGMENT_COLUMNS}
         FROM jobs j JOIN releases r ON r.id = j.release_id
         LEFT JOIN segments s ON s.release_id = j.release_id AND s.idx = $1
         LEFT JOIN target_segments t ON t.job_id = j.id AND t.idx = s.idx
         WHERE j.id = $2"
    ))
    .bind(idx as i32)
    .bind(job)
    .fetch_optional(&store.pool)
    .await
    .map_err(db)?
    .ok_or(StoreError::NoSuchJob(job))?;
    if row.get::<Option<i32>, _>(SUMMARY_WIDTH).is_none() {
        return Err(StoreError::NoSuchSegment { job, segment: idx });
    }
    let mut seg = target_segment_at(&row, SUMMARY_WIDTH)?;
    attach_dismissals(std::slice::from_mut(&mut seg), &dismissals_of(&store.pool, job, Some(idx)).await?);
    Ok((summary(&row)?, seg))
}

pub(crate) async fn segments_of(store: &PgStore, release: ReleaseId) -> Result<Vec<SourceSegment>> {
    let rows = sqlx::query("SELECT idx, paragraph, text, lang FROM segments WHERE release_id = $1 ORDER BY idx")
        .bind(release)
        .fetch_all(&store.pool)
        .await
        .map_err(db)?;
    Ok(rows
        .into_iter()
        .map(|r| SourceSegment {
            idx: r.get::<i32, _>(0) as u32,
            paragraph: r.get::<Option<i32>, _>(1).map(|p| p as u32),
            text: r.get(2),
            lang: r.get::<Option<&str>, _>(3).and_then(|l| l.parse().ok()),
        })
        .collect())
}

pub(crate) async fn summary_of(store: &PgStore, job: JobId) -> Result<JobSummary> {
    let row = sqlx::query(&format!("{SUMMARY_SELECT} WHERE j.id = $1"))
        .bind(job)
        .fetch_optional(&store.pool)
        .await
        .map_err(db)?
        .ok_or(StoreError::NoSuchJob(job))?;
    summary(&row)
}

pub(crate) async fn approved(store: &PgStore) -> Result<Vec<ApprovedTranslation>> {
    let jobs = sqlx::query(
        "SELECT j.id, j.release_id, r.source, r.lang, j.target_lang, r.release_date, r.place, j.approved_at, j.approved_by
         FROM jobs j JOIN releases r ON r.id = j.release_id WHERE j.state = 'approved' ORDER BY j.id",
    )
    .fetch_all(&store.pool)
    .await
    .map_err(db)?;
    let mut out = Vec::with_capacity(jobs.len());
    for r in jobs {
        let job_id: i64 = r.get(0);
        let segs = sqlx::query(
            "SELECT s.paragraph, COALESCE(t.edited, t.suggestion, '') FROM segments s
             LEFT JOIN target_segments t ON t.job_id = $1 AND t.idx = s.idx
             WHERE s.release_id = $2 ORDER BY s.idx",
        )
        .bind(job_id)
        .bind(r.get::<i64, _>(1))
        .fetch_all(&store.pool)
        .await
        .map_err(db)?;
        out.push(ApprovedTranslation {
            job_id,
            release_id: r.get(1),
            release_source: r.get(2),
            source_lang: parse_lang(r.get::<&str, _>(3))?,
            target_lang: parse_lang(r.get::<&str, _>(4))?,
            release_date: r.get(5),
            place: r.get(6),
            approved_at: r.get::<Option<chrono::DateTime<chrono::Utc>>, _>(7).unwrap_or_default(),
            approved_by: r.get::<Option<String>, _>(8).unwrap_or_default(),
            segments: segs.into_iter().map(|s| (s.get::<Option<i32>, _>(0).map(|p| p as u32), s.get(1))).collect(),
        });
    }
    Ok(out)
}
