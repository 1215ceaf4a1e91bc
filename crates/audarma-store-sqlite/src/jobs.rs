//! Jobs through their lifecycle: releases in, jobs created, claimed under a lease, completed, failed,
//! released or retried; and reading one job (its summary, its segments) and the approved ones.

use crate::events::event;
use crate::review::{attach_dismissals, dismissals_of};
use crate::rows::{
    db, now, parse_date, parse_lang, parse_ts, summary, target_segment_at, target_segment_of, to_json, ts,
    SEGMENT_COLUMNS, SEGMENT_SELECT, SUMMARY_SELECT, SUMMARY_SELECT_COLUMNS, SUMMARY_WIDTH,
};
use crate::write::{transition, WriteTx};
use crate::SqliteStore;
use audarma_core::{JobState, Lang, Release};
use audarma_store::{
    text_hash, ApprovedTranslation, ClaimedJob, Inserted, JobDetail, JobId, JobSummary, Lease, LeaseOwner, ReleaseId,
    Result, SourceSegment, StoreError, Suggestion, TargetSegment, MAX_CRASHES,
};
use sqlx::Row;

pub(crate) async fn insert_release(store: &SqliteStore, release: &Release, actor: &str) -> Result<Inserted> {
    let hash = release.content_hash();
    let mut tx = store.write().await?;
    if let Some(row) = sqlx::query("SELECT id FROM releases WHERE content_hash = ?")
        .bind(&hash)
        .fetch_optional(&mut *tx)
        .await
        .map_err(db)?
    {
        return Ok(Inserted::Existing { id: row.get(0) });
    }
    let id: i64 = sqlx::query(
        "INSERT INTO releases (source, lang, title, release_date, place, body, content_hash, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(&release.source)
    .bind(release.lang.code())
    .bind(&release.title)
    .bind(release.date.map(|d| d.format("%Y-%m-%d").to_string()))
    .bind(&release.place)
    .bind(release.body())
    .bind(&hash)
    .bind(ts(now()))
    .fetch_one(&mut *tx)
    .await
    .map_err(db)?
    .get(0);
    let mut idx = 0i64;
    if !release.title.is_empty() {
        sqlx::query("INSERT INTO segments (release_id, idx, paragraph, text) VALUES (?, 0, NULL, ?)")
            .bind(id)
            .bind(&release.title)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        idx = 1;
    }
    for (p, para) in release.paragraphs.iter().enumerate() {
        for s in &para.sentences {
            sqlx::query("INSERT INTO segments (release_id, idx, paragraph, text, lang) VALUES (?, ?, ?, ?, ?)")
                .bind(id)
                .bind(idx)
                .bind(p as i64)
                .bind(s)
                .bind(para.lang.map(|l| l.code()))
                .execute(&mut *tx)
                .await
                .map_err(db)?;
            idx += 1;
        }
    }
    let detail = serde_json::json!({ "source": release.source, "lang": release.lang, "segments": idx });
    event(&mut tx, actor, None, Some(id), "ingest", detail, None, None).await?;
    tx.commit().await.map_err(db)?;
    Ok(Inserted::New { id })
}

pub(crate) async fn release_by_hash(store: &SqliteStore, hash: &str) -> Result<Option<ReleaseId>> {
    let row = sqlx::query("SELECT id FROM releases WHERE content_hash = ?")
        .bind(hash)
        .fetch_optional(&store.pool)
        .await
        .map_err(db)?;
    Ok(row.map(|r| r.get(0)))
}

pub(crate) async fn ensure_jobs(
    store: &SqliteStore,
    release: ReleaseId,
    targets: &[Lang],
    workflow: &str,
    actor: &str,
) -> Result<Vec<JobId>> {
    let mut tx = store.write().await?;
    let mut created = Vec::new();
    for t in targets {
        let at = ts(now());
        let row = sqlx::query(
            "INSERT INTO jobs (release_id, target_lang, workflow, state, created_at, updated_at)
             VALUES (?, ?, ?, 'queued', ?, ?) ON CONFLICT (release_id, target_lang) DO NOTHING RETURNING id",
        )
        .bind(release)
        .bind(t.code())
        .bind(workflow)
        .bind(&at)
        .bind(&at)
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
    Ok(created)
}

pub(crate) async fn claim_next_job(
    store: &SqliteStore,
    workflow: &str,
    owner: LeaseOwner<'_>,
    lease_secs: i64,
) -> Result<Option<ClaimedJob>> {
    // The claiming worker acts for itself: it is the actor of the claim and of the reclaims below.
    let worker = owner.as_str();
    let mut tx = store.write().await?;
    let at = now();
    // Jobs of a run that died mid-translation go back to the queue once their lease ran out, or fail
    // once they have taken down MAX_CRASHES workers.
    let stale = sqlx::query(
        "UPDATE jobs SET crashes = crashes + 1 WHERE workflow = ? AND state = 'translating' AND lease_until < ?
         RETURNING id, lease_owner, crashes",
    )
    .bind(workflow)
    .bind(ts(at))
    .fetch_all(&mut *tx)
    .await
    .map_err(db)?;
    for row in stale {
        let id: i64 = row.get(0);
        let owner: Option<String> = row.get(1);
        let crashes: i64 = row.get(2);
        if crashes >= i64::from(MAX_CRASHES) {
            let error = format!(
                "its lease ran out {crashes} times (the worker died or stalled while translating it); \
                 not retried automatically, see the job's events"
            );
            let detail = serde_json::json!({ "error": error, "owner": owner, "crashes": crashes });
            transition(&mut tx, id, JobState::Failed, "reclaim", "translating", worker, detail).await?;
        } else {
            let detail = serde_json::json!({ "reason": "lease expired", "owner": owner, "crashes": crashes });
            transition(&mut tx, id, JobState::Queued, "reclaim", "translating", worker, detail).await?;
        }
    }
    let row = sqlx::query(
        "SELECT j.id, j.release_id, r.lang, j.target_lang, r.release_date FROM jobs j
         JOIN releases r ON r.id = j.release_id
         WHERE j.workflow = ? AND j.state = 'queued' ORDER BY j.priority DESC, j.id LIMIT 1",
    )
    .bind(workflow)
    .fetch_optional(&mut *tx)
    .await
    .map_err(db)?;
    let Some(row) = row else {
        tx.commit().await.map_err(db)?;
        return Ok(None);
    };
    let id: i64 = row.get(0);
    let release_id: i64 = row.get(1);
    let source_lang = parse_lang(row.get::<&str, _>(2))?;
    let target_lang = parse_lang(row.get::<&str, _>(3))?;
    let release_date = parse_date(row.get(4));
    let detail = serde_json::json!({ "worker": worker });
    transition(&mut tx, id, JobState::Translating, "claim", "queued", worker, detail).await?;
    let attempt: i64 = sqlx::query(
        "UPDATE jobs SET lease_owner = ?, lease_until = ?, attempts = attempts + 1 WHERE id = ? RETURNING attempts",
    )
    .bind(worker)
    .bind(ts(at + chrono::Duration::seconds(lease_secs)))
    .bind(id)
    .fetch_one(&mut *tx)
    .await
    .map_err(db)?
    .get(0);
    tx.commit().await.map_err(db)?;
    let segments = segments_of(store, release_id).await?;
    Ok(Some(ClaimedJob { attempt: attempt as u32, id, release_id, source_lang, target_lang, release_date, segments }))
}

pub(crate) async fn lease_owners(store: &SqliteStore, workflow: &str) -> Result<Vec<String>> {
    let rows = sqlx::query(
        "SELECT DISTINCT lease_owner FROM jobs WHERE workflow = ? AND state = 'translating' AND lease_owner IS NOT NULL
         ORDER BY 1",
    )
    .bind(workflow)
    .fetch_all(&store.pool)
    .await
    .map_err(db)?;
    Ok(rows.into_iter().map(|r| r.get(0)).collect())
}

pub(crate) async fn reclaim_jobs_of(
    store: &SqliteStore,
    owner: LeaseOwner<'_>,
    reason: &str,
    actor: &str,
) -> Result<usize> {
    let owner = owner.as_str();
    let mut tx = store.write().await?;
    let ids: Vec<i64> = sqlx::query("SELECT id FROM jobs WHERE lease_owner = ? AND state = 'translating'")
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

pub(crate) async fn renew_leases(store: &SqliteStore, owner: LeaseOwner<'_>, lease_secs: i64) -> Result<()> {
    sqlx::query("UPDATE jobs SET lease_until = ? WHERE lease_owner = ? AND state = 'translating'")
        .bind(ts(now() + chrono::Duration::seconds(lease_secs)))
        .bind(owner.as_str())
        .execute(&store.pool)
        .await
        .map_err(db)?;
    Ok(())
}

/// Refuses to finish a job whose current claim is not `lease` (its lease expired and another run, or
/// this one again, claimed it).
pub(crate) async fn check_lease(tx: &mut WriteTx, job: JobId, lease: Lease<'_>) -> Result<()> {
    let row = sqlx::query("SELECT state, lease_owner, attempts FROM jobs WHERE id = ?")
        .bind(job)
        .fetch_optional(&mut **tx)
        .await
        .map_err(db)?
        .ok_or(StoreError::NoSuchJob(job))?;
    let (state, holder, attempt): (String, Option<String>, i64) = (row.get(0), row.get(1), row.get(2));
    if state == "translating"
        && (holder.as_deref() != Some(lease.owner.as_str()) || attempt != i64::from(lease.attempt))
    {
        return Err(StoreError::LeaseLost(job));
    }
    Ok(())
}

pub(crate) async fn complete_translation(
    store: &SqliteStore,
    job: JobId,
    lease: Lease<'_>,
    suggestions: &[Suggestion],
    actor: &str,
) -> Result<()> {
    let mut tx = store.write().await?;
    check_lease(&mut tx, job, lease).await?;
    let at = ts(now());
    // A re-run (after reject or failure) replaces the earlier suggestions wholesale; versions carry
    // on, so an edit based on the old text is refused as stale.
    let version: i64 = sqlx::query("SELECT COALESCE(MAX(version), 0) + 1 FROM target_segments WHERE job_id = ?")
        .bind(job)
        .fetch_one(&mut *tx)
        .await
        .map_err(db)?
        .get(0);
    sqlx::query("DELETE FROM target_segments WHERE job_id = ?").bind(job).execute(&mut *tx).await.map_err(db)?;
    for s in suggestions {
        sqlx::query(
            "INSERT INTO target_segments (job_id, idx, suggestion, origin, backend, terms, findings, updated_at, version, tm,
                                          text_hash, model)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(job)
        .bind(s.idx as i64)
        .bind(&s.text)
        .bind(s.origin.as_str())
        .bind(&s.backend)
        .bind(to_json(&s.terms))
        .bind(to_json(&s.findings))
        .bind(&at)
        .bind(version)
        .bind(s.tm.as_ref().map(to_json))
        .bind(text_hash(s.text.as_deref().unwrap_or_default()))
        .bind(&s.model)
        .execute(&mut *tx)
        .await
        .map_err(db)?;
    }
    let translated = suggestions.iter().filter(|s| s.text.is_some()).count();
    let detail = serde_json::json!({ "segments": suggestions.len(), "translated": translated });
    transition(&mut tx, job, JobState::InReview, "complete", "translating", actor, detail).await?;
    sqlx::query("UPDATE jobs SET crashes = 0 WHERE id = ?").bind(job).execute(&mut *tx).await.map_err(db)?;
    tx.commit().await.map_err(db)
}

pub(crate) async fn fail_job(
    store: &SqliteStore,
    job: JobId,
    lease: Lease<'_>,
    error: &str,
    actor: &str,
) -> Result<()> {
    let mut tx = store.write().await?;
    check_lease(&mut tx, job, lease).await?;
    let detail = serde_json::json!({ "error": error });
    transition(&mut tx, job, JobState::Failed, "fail", "translating", actor, detail).await?;
    tx.commit().await.map_err(db)
}

pub(crate) async fn release_job(
    store: &SqliteStore,
    job: JobId,
    lease: Lease<'_>,
    reason: &str,
    actor: &str,
) -> Result<()> {
    let mut tx = store.write().await?;
    check_lease(&mut tx, job, lease).await?;
    let detail = serde_json::json!({ "reason": reason });
    transition(&mut tx, job, JobState::Queued, "release", "translating", actor, detail).await?;
    tx.commit().await.map_err(db)
}

pub(crate) async fn retry_job(store: &SqliteStore, job: JobId, actor: &str) -> Result<()> {
    let mut tx = store.write().await?;
    let detail = serde_json::json!({ "action": "retry" });
    transition(&mut tx, job, JobState::Queued, "retry", "failed or rejected", actor, detail).await?;
    sqlx::query("UPDATE jobs SET crashes = 0 WHERE id = ?").bind(job).execute(&mut *tx).await.map_err(db)?;
    tx.commit().await.map_err(db)
}

pub(crate) async fn job(store: &SqliteStore, job: JobId) -> Result<JobDetail> {
    let summary = summary_of(store, job).await?;
    let rel = sqlx::query("SELECT source, place FROM releases WHERE id = ?")
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

pub(crate) async fn job_summary(store: &SqliteStore, job: JobId) -> Result<JobSummary> {
    summary_of(store, job).await
}

pub(crate) async fn job_segment(store: &SqliteStore, job: JobId, idx: u32) -> Result<(JobSummary, TargetSegment)> {
    // One query for both: re-checking an edit is on the path of every save.
    let row = sqlx::query(&format!(
        "{SUMMARY_SELECT_COLUMNS}, {SEGMENT_COLUMNS}
         FROM jobs j JOIN releases r ON r.id = j.release_id
         LEFT JOIN segments s ON s.release_id = j.release_id AND s.idx = ?
         LEFT JOIN target_segments t ON t.job_id = j.id AND t.idx = s.idx
         WHERE j.id = ?"
    ))
    .bind(i64::from(idx))
    .bind(job)
    .fetch_optional(&store.pool)
    .await
    .map_err(db)?
    .ok_or(StoreError::NoSuchJob(job))?;
    if row.get::<Option<i64>, _>(SUMMARY_WIDTH).is_none() {
        return Err(StoreError::NoSuchSegment { job, segment: idx });
    }
    let mut seg = target_segment_at(&row, SUMMARY_WIDTH)?;
    attach_dismissals(std::slice::from_mut(&mut seg), &dismissals_of(&store.pool, job, Some(idx)).await?);
    Ok((summary(&row)?, seg))
}

pub(crate) async fn segments_of(store: &SqliteStore, release: ReleaseId) -> Result<Vec<SourceSegment>> {
    let rows = sqlx::query("SELECT idx, paragraph, text, lang FROM segments WHERE release_id = ? ORDER BY idx")
        .bind(release)
        .fetch_all(&store.pool)
        .await
        .map_err(db)?;
    Ok(rows
        .into_iter()
        .map(|r| SourceSegment {
            idx: r.get::<i64, _>(0) as u32,
            paragraph: r.get::<Option<i64>, _>(1).map(|p| p as u32),
            text: r.get(2),
            lang: r.get::<Option<&str>, _>(3).and_then(|l| l.parse().ok()),
        })
        .collect())
}

pub(crate) async fn summary_of(store: &SqliteStore, job: JobId) -> Result<JobSummary> {
    let row = sqlx::query(&format!("{SUMMARY_SELECT} WHERE j.id = ?"))
        .bind(job)
        .fetch_optional(&store.pool)
        .await
        .map_err(db)?
        .ok_or(StoreError::NoSuchJob(job))?;
    summary(&row)
}

pub(crate) async fn approved(store: &SqliteStore) -> Result<Vec<ApprovedTranslation>> {
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
             LEFT JOIN target_segments t ON t.job_id = ? AND t.idx = s.idx
             WHERE s.release_id = ? ORDER BY s.idx",
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
            release_date: parse_date(r.get(5)),
            place: r.get(6),
            approved_at: r.get::<Option<&str>, _>(7).map(parse_ts).transpose()?.unwrap_or_default(),
            approved_by: r.get::<Option<String>, _>(8).unwrap_or_default(),
            segments: segs.into_iter().map(|s| (s.get::<Option<i64>, _>(0).map(|p| p as u32), s.get(1))).collect(),
        });
    }
    Ok(out)
}
