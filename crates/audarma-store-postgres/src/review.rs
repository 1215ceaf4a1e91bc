//! The review desk's writes: edits, approval (and what blocks it), rejection, dismissed findings and
//! their counts, plans, comments, and the word lists.

use crate::rows::{db, json, now, parse_check, parse_lang, parse_state, to_json};
use crate::write::{event, job_state, transition};
use crate::PgStore;
use audarma_core::{Finding, JobState, Lang};
use audarma_store::{
    blocking_findings, dismissals_for, text_hash, Comment, Dismissal, FindingCount, FindingRef, JobId, Result,
    StoreError, StoredDismissal, TargetSegment, TmMatch, TmUnit,
};
use chrono::NaiveDate;
use sqlx::{Postgres, Row};

#[allow(clippy::too_many_arguments)]
pub(crate) async fn edit_segment(
    store: &PgStore,
    job: JobId,
    idx: u32,
    text: &str,
    findings: &[Finding],
    expected_version: Option<i64>,
    seconds: Option<f64>,
    actor: &str,
) -> Result<i64> {
    // One statement: the state and version checks are in its WHERE clause (the job's row locked for
    // the check, so an approval cannot slip between), the event is appended and the job touched by a
    // trigger. Of two desks saving the same version, one wins and the other is a conflict.
    let saved = sqlx::query(
        "UPDATE target_segments
            SET edited = $1, findings = $2, version = version + 1, updated_at = $3, updated_by = $4, text_hash = $8,
                edit_seconds = $9,
                seconds_total = CASE WHEN $9::float8 IS NULL THEN seconds_total ELSE COALESCE(seconds_total, 0) + $9 END,
                suggestion_findings = CASE WHEN edited IS NULL THEN COALESCE(suggestion_findings, findings)
                                           ELSE suggestion_findings END
          WHERE job_id = $5 AND idx = $6 AND ($7::bigint IS NULL OR version = $7)
            AND (SELECT state FROM jobs WHERE id = $5 FOR SHARE) = 'in_review'
         RETURNING version",
    )
    .bind(text)
    .bind(to_json(findings))
    .bind(now())
    .bind(actor)
    .bind(job)
    .bind(idx as i32)
    .bind(expected_version)
    .bind(text_hash(text))
    .bind(seconds)
    .fetch_optional(&store.pool)
    .await
    .map_err(db)?;
    if let Some(row) = saved {
        return Ok(row.get(0));
    }
    let row = sqlx::query(
        "SELECT j.state, t.version FROM jobs j LEFT JOIN target_segments t ON t.job_id = j.id AND t.idx = $1
          WHERE j.id = $2",
    )
    .bind(idx as i32)
    .bind(job)
    .fetch_optional(&store.pool)
    .await
    .map_err(db)?
    .ok_or(StoreError::NoSuchJob(job))?;
    let state = parse_state(row.get::<&str, _>(0))?;
    if !state.is_editable() {
        return Err(StoreError::WrongState { job, state, action: "editing", needed: "in_review" });
    }
    let current: i64 = row.get::<Option<i64>, _>(1).ok_or(StoreError::NoSuchSegment { job, segment: idx })?;
    Err(StoreError::Conflict { job, segment: idx, expected: expected_version.unwrap_or(current), current })
}

pub(crate) async fn start_from_match(store: &PgStore, job: JobId, idx: u32, chosen: Option<&TmMatch>) -> Result<()> {
    let mut tx = store.write().await?;
    let state = job_state(&mut tx, job).await?;
    if !state.is_editable() {
        return Err(StoreError::WrongState { job, state, action: "choosing a start", needed: "in_review" });
    }
    let set =
        sqlx::query("UPDATE target_segments SET start_text = $1, start_score = $2 WHERE job_id = $3 AND idx = $4")
            .bind(chosen.map(|m| m.target.as_str()))
            .bind(chosen.map(|m| i32::from(m.score)))
            .bind(job)
            .bind(idx as i32)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
    if set.rows_affected() == 0 {
        return Err(StoreError::NoSuchSegment { job, segment: idx });
    }
    tx.commit().await.map_err(db)
}

pub(crate) async fn approve_job(store: &PgStore, job: JobId, actor: &str, override_reason: Option<&str>) -> Result<()> {
    let mut tx = store.write().await?;
    // The job's row first: edits check its state under a share lock, so none lands mid-approval.
    job_state(&mut tx, job).await?;
    let dismissed = dismissals_of(&mut *tx, job, None).await?;
    let mut blocking: Vec<(u32, Vec<Finding>)> = Vec::new();
    let stored = sqlx::query(
        "SELECT idx, findings, COALESCE(edited, suggestion, '') FROM target_segments WHERE job_id = $1 ORDER BY idx",
    )
    .bind(job)
    .fetch_all(&mut *tx)
    .await
    .map_err(db)?;
    for r in &stored {
        let idx = r.get::<i32, _>(0) as u32;
        let findings: Vec<Finding> = json("target_segments.findings", r.get::<serde_json::Value, _>(1))?;
        let errors = blocking_findings(&findings, &dismissals_for(&dismissed, idx, r.get::<&str, _>(2)));
        if !errors.is_empty() {
            blocking.push((idx, errors));
        }
    }
    let rows = sqlx::query(
        "SELECT COALESCE(s.lang, r.lang), j.target_lang, s.text, COALESCE(t.edited, t.suggestion)
         FROM jobs j JOIN releases r ON r.id = j.release_id
         JOIN segments s ON s.release_id = j.release_id
         LEFT JOIN target_segments t ON t.job_id = j.id AND t.idx = s.idx
         WHERE j.id = $1 ORDER BY s.idx",
    )
    .bind(job)
    .fetch_all(&mut *tx)
    .await
    .map_err(db)?;
    let empty = rows.iter().filter(|r| r.get::<Option<String>, _>(3).is_none_or(|t| t.trim().is_empty())).count();
    transition(&mut tx, job, JobState::Approved, "approving", "in_review", actor, serde_json::json!({})).await?;
    if !blocking.is_empty() {
        match override_reason.map(str::trim).filter(|r| !r.is_empty()) {
            None => return Err(StoreError::blocked(job, &blocking)),
            Some(reason) => {
                let overridden: Vec<_> =
                    blocking.iter().map(|(i, e)| serde_json::json!({ "segment": i, "findings": e })).collect();
                let detail = serde_json::json!({ "reason": reason, "overridden": overridden });
                event(&mut tx, actor, Some(job), None, "override", detail, None, None).await?;
            }
        }
    }
    if empty > 0 {
        return Err(StoreError::Incomplete { job, empty });
    }
    let mut units = Vec::new();
    for r in &rows {
        let (src, tgt): (&str, &str) = (r.get(0), r.get(1));
        if src == tgt {
            // A quotation kept as written is not a translation.
            continue;
        }
        let (source, target): (String, Option<String>) = (r.get(2), r.get(3));
        let mut unit = TmUnit::new(parse_lang(src)?, parse_lang(tgt)?, source, target.unwrap_or_default());
        unit.created_by = Some(actor.to_string());
        units.push(unit);
    }
    let added = crate::memory::insert_units(&mut tx, &units, &format!("job:{job}")).await?;
    let detail = serde_json::json!({ "tm_units_added": added });
    event(&mut tx, actor, Some(job), None, "tm", detail, None, None).await?;
    crate::analytics::record_efforts(&mut tx, job, actor).await?;
    tx.commit().await.map_err(db)
}

pub(crate) async fn reject_job(store: &PgStore, job: JobId, reason: &str, actor: &str) -> Result<()> {
    let mut tx = store.write().await?;
    let detail = serde_json::json!({ "reason": reason });
    transition(&mut tx, job, JobState::Rejected, "rejecting", "in_review", actor, detail).await?;
    tx.commit().await.map_err(db)
}

pub(crate) async fn dismiss_finding(
    store: &PgStore,
    job: JobId,
    idx: u32,
    finding: &FindingRef,
    expected_version: Option<i64>,
    reason: Option<&str>,
    actor: &str,
) -> Result<Dismissal> {
    let mut tx = store.write().await?;
    let row = sqlx::query(
        "SELECT j.state, s.idx, t.version, t.findings, COALESCE(t.edited, t.suggestion, ''),
                COALESCE(s.lang, r.lang), j.target_lang
           FROM jobs j JOIN releases r ON r.id = j.release_id
           LEFT JOIN segments s ON s.release_id = j.release_id AND s.idx = $1
           LEFT JOIN target_segments t ON t.job_id = j.id AND t.idx = $1
          WHERE j.id = $2
            FOR SHARE OF j",
    )
    .bind(idx as i32)
    .bind(job)
    .fetch_optional(&mut *tx)
    .await
    .map_err(db)?
    .ok_or(StoreError::NoSuchJob(job))?;
    let state = parse_state(row.get::<&str, _>(0))?;
    if row.get::<Option<i32>, _>(1).is_none() {
        return Err(StoreError::NoSuchSegment { job, segment: idx });
    }
    if !state.is_editable() {
        return Err(StoreError::WrongState { job, state, action: "dismissing a finding", needed: "in_review" });
    }
    let current: i64 = row.get::<Option<i64>, _>(2).ok_or(StoreError::NoSuchSegment { job, segment: idx })?;
    if let Some(expected) = expected_version.filter(|v| *v != current) {
        return Err(StoreError::Conflict { job, segment: idx, expected, current });
    }
    let findings: Vec<Finding> = json(
        "target_segments.findings",
        row.get::<Option<serde_json::Value>, _>(3).unwrap_or(serde_json::Value::Array(Vec::new())),
    )?;
    let Some(found) = findings.iter().find(|f| finding.matches(f)).cloned() else {
        return Err(StoreError::NoSuchFinding { job, segment: idx, check: finding.check });
    };
    let hash = text_hash(row.get::<&str, _>(4));
    let (source_lang, target_lang): (String, String) = (row.get(5), row.get(6));
    sqlx::query(
        "INSERT INTO findings_raised (job_id, idx, check_name, message, text_hash, source_lang, target_lang)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING",
    )
    .bind(job)
    .bind(idx as i32)
    .bind(finding.check.as_str())
    .bind(&finding.message)
    .bind(&hash)
    .bind(&source_lang)
    .bind(&target_lang)
    .execute(&mut *tx)
    .await
    .map_err(db)?;
    let reason = reason.map(str::trim).filter(|r| !r.is_empty());
    let at = now();
    let inserted = sqlx::query(
        "INSERT INTO finding_dismissals
             (job_id, idx, check_name, message, text_hash, source_lang, target_lang, reason, actor, at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT DO NOTHING",
    )
    .bind(job)
    .bind(idx as i32)
    .bind(finding.check.as_str())
    .bind(&finding.message)
    .bind(&hash)
    .bind(&source_lang)
    .bind(&target_lang)
    .bind(reason)
    .bind(actor)
    .bind(at)
    .execute(&mut *tx)
    .await
    .map_err(db)?
    .rows_affected();
    if inserted == 0 {
        let earlier = dismissals_of(&mut *tx, job, Some(idx)).await?;
        tx.commit().await.map_err(db)?;
        return earlier
            .into_iter()
            .find(|d| {
                d.text_hash == hash && d.dismissal.check == finding.check && d.dismissal.message == finding.message
            })
            .map(|d| d.dismissal)
            .ok_or_else(|| db("a dismissal vanished"));
    }
    let detail = serde_json::json!({
        "segment": idx,
        "version": current,
        "check": finding.check,
        "message": finding.message,
        "severity": found.severity,
        "reason": reason,
        "text_hash": hash,
    });
    event(&mut tx, actor, Some(job), None, "finding-dismissed", detail, None, reason).await?;
    tx.commit().await.map_err(db)?;
    Ok(Dismissal {
        check: finding.check,
        message: finding.message.clone(),
        reason: reason.map(str::to_string),
        by: actor.to_string(),
        at,
    })
}

pub(crate) async fn finding_counts(store: &PgStore) -> Result<Vec<FindingCount>> {
    crate::queue::fold_now_and_then(store).await;
    let rows = sqlx::query(
        "SELECT check_name, source_lang, target_lang, SUM(raised)::bigint, SUM(dismissed)::bigint
           FROM (SELECT check_name, source_lang, target_lang, raised, dismissed FROM finding_counts
                 UNION ALL
                 SELECT check_name, source_lang, target_lang, raised, dismissed FROM finding_count_deltas) c
          GROUP BY check_name, source_lang, target_lang
          ORDER BY check_name COLLATE \"C\", source_lang, target_lang",
    )
    .fetch_all(&store.pool)
    .await
    .map_err(db)?;
    rows.iter()
        .map(|r| {
            Ok(FindingCount {
                check: parse_check(r.get::<&str, _>(0))?,
                source_lang: parse_lang(r.get::<&str, _>(1))?,
                target_lang: parse_lang(r.get::<&str, _>(2))?,
                raised: r.get::<i64, _>(3) as u64,
                dismissed: r.get::<i64, _>(4) as u64,
            })
        })
        .collect()
}

/// A job's dismissals (of one segment, or all), with the text each was given on.
pub(crate) async fn dismissals_of<'e, E>(ex: E, job: JobId, idx: Option<u32>) -> Result<Vec<StoredDismissal>>
where
    E: sqlx::Executor<'e, Database = Postgres>,
{
    let rows = sqlx::query(
        "SELECT idx, text_hash, check_name, message, reason, actor, at FROM finding_dismissals
          WHERE job_id = $1 AND ($2::int IS NULL OR idx = $2) ORDER BY at",
    )
    .bind(job)
    .bind(idx.map(|i| i as i32))
    .fetch_all(ex)
    .await
    .map_err(db)?;
    rows.iter()
        .map(|r| {
            let dismissal = Dismissal {
                check: parse_check(r.get::<&str, _>(2))?,
                message: r.get(3),
                reason: r.get(4),
                by: r.get(5),
                at: r.get(6),
            };
            Ok(StoredDismissal { segment: r.get::<i32, _>(0) as u32, text_hash: r.get(1), dismissal })
        })
        .collect()
}

/// Gives each segment the dismissals made for its current text; those of earlier texts no longer apply.
pub(crate) fn attach_dismissals(segments: &mut [TargetSegment], found: &[StoredDismissal]) {
    if found.is_empty() {
        return;
    }
    for seg in segments.iter_mut() {
        seg.dismissals = dismissals_for(found, seg.idx, seg.current().unwrap_or_default());
    }
}

pub(crate) async fn plan_job(
    store: &PgStore,
    job: JobId,
    priority: i64,
    deadline: Option<NaiveDate>,
    actor: &str,
) -> Result<()> {
    let mut tx = store.write().await?;
    let res = sqlx::query("UPDATE jobs SET priority = $1, deadline = $2 WHERE id = $3")
        .bind(priority)
        .bind(deadline)
        .bind(job)
        .execute(&mut *tx)
        .await
        .map_err(db)?;
    if res.rows_affected() == 0 {
        return Err(StoreError::NoSuchJob(job));
    }
    let detail = serde_json::json!({ "priority": priority, "deadline": deadline.map(|d| d.to_string()) });
    event(&mut tx, actor, Some(job), None, "plan", detail, None, None).await?;
    tx.commit().await.map_err(db)
}

pub(crate) async fn add_comment(
    store: &PgStore,
    job: JobId,
    segment: Option<u32>,
    body: &str,
    actor: &str,
) -> Result<Comment> {
    let mut tx = store.write().await?;
    let exists =
        sqlx::query("SELECT 1 FROM jobs WHERE id = $1").bind(job).fetch_optional(&mut *tx).await.map_err(db)?;
    if exists.is_none() {
        return Err(StoreError::NoSuchJob(job));
    }
    if let Some(idx) = segment {
        let seg = sqlx::query(
            "SELECT 1 FROM jobs j JOIN segments s ON s.release_id = j.release_id WHERE j.id = $1 AND s.idx = $2",
        )
        .bind(job)
        .bind(idx as i32)
        .fetch_optional(&mut *tx)
        .await
        .map_err(db)?;
        if seg.is_none() {
            return Err(StoreError::NoSuchSegment { job, segment: idx });
        }
    }
    let at = now();
    let id: i64 = sqlx::query(
        "INSERT INTO comments (job_id, segment, author, body, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(job)
    .bind(segment.map(|s| s as i32))
    .bind(actor)
    .bind(body)
    .bind(at)
    .fetch_one(&mut *tx)
    .await
    .map_err(db)?
    .get(0);
    let detail = serde_json::json!({ "comment": id, "segment": segment });
    event(&mut tx, actor, Some(job), None, "comment", detail, None, Some(body)).await?;
    tx.commit().await.map_err(db)?;
    Ok(Comment { id, job_id: job, segment, author: actor.to_string(), body: body.to_string(), at })
}

pub(crate) async fn comments(store: &PgStore, job: JobId) -> Result<Vec<Comment>> {
    let rows = sqlx::query("SELECT id, segment, author, body, created_at FROM comments WHERE job_id = $1 ORDER BY id")
        .bind(job)
        .fetch_all(&store.pool)
        .await
        .map_err(db)?;
    Ok(rows
        .iter()
        .map(|r| Comment {
            id: r.get(0),
            job_id: job,
            segment: r.get::<Option<i32>, _>(1).map(|s| s as u32),
            author: r.get(2),
            body: r.get(3),
            at: r.get(4),
        })
        .collect())
}

pub(crate) async fn add_word(store: &PgStore, lang: Lang, word: &str, actor: &str) -> Result<bool> {
    let word = word.trim();
    let mut tx = store.write().await?;
    let added = sqlx::query(
        "INSERT INTO words (lang, folded, word, added_by, added_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
    )
    .bind(lang.code())
    .bind(word.to_lowercase())
    .bind(word)
    .bind(actor)
    .bind(now())
    .execute(&mut *tx)
    .await
    .map_err(db)?
    .rows_affected()
        > 0;
    if added {
        let detail = serde_json::json!({ "lang": lang, "word": word });
        event(&mut tx, actor, None, None, "word-added", detail, None, Some(word)).await?;
    }
    tx.commit().await.map_err(db)?;
    Ok(added)
}

pub(crate) async fn words(store: &PgStore, lang: Lang) -> Result<Vec<String>> {
    let rows = sqlx::query("SELECT word FROM words WHERE lang = $1 ORDER BY folded COLLATE \"C\"")
        .bind(lang.code())
        .fetch_all(&store.pool)
        .await
        .map_err(db)?;
    Ok(rows.into_iter().map(|r| r.get(0)).collect())
}
