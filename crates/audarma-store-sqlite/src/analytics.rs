//! Review analytics: the post-editing records written at approval, reviewers' MQM annotations, and
//! the report's sums per group (in SQL).

use crate::events::event;
use crate::rows::{db, json, now, parse_lang, parse_ts, to_json, ts};
use crate::write::WriteTx;
use crate::SqliteStore;
use audarma_analytics::mqm::{ErrorType, Severity as MqmSeverity};
use audarma_analytics::time::{FAST_CUT, SLOW_CUT};
use audarma_core::{Finding, SuggestionOrigin, TermResult};
use audarma_store::{
    segment_effort, text_hash, AnnotationCount, EffortInput, EffortSummary, FixedTerm, JobId, MqmAnnotation,
    NewAnnotation, ReportBy, Result, SegmentEffort, Start, StoreError, TmMatch, START_BANDS,
};
use chrono::{DateTime, Utc};
use sqlx::sqlite::SqliteRow;
use sqlx::Row;

/// Writes the post-editing record of every translated segment of a job being approved (quotations
/// kept as written are not translations and are left out). Runs in the approval's transaction.
pub(crate) async fn record_efforts(tx: &mut WriteTx, job: JobId, approver: &str) -> Result<()> {
    let rows = sqlx::query(
        "SELECT t.idx, t.suggestion, t.origin, t.backend, COALESCE(t.edited, t.suggestion, ''), t.findings,
                COALESCE(t.suggestion_findings, t.findings), j.workflow, COALESCE(j.assignee, ?2), r.lang, j.target_lang, t.seconds_total,
                t.terms, t.model, t.tm, t.start_text, t.start_score
           FROM target_segments t
           JOIN jobs j ON j.id = t.job_id
           JOIN releases r ON r.id = j.release_id
           JOIN segments s ON s.release_id = j.release_id AND s.idx = t.idx
          WHERE t.job_id = ?1 AND COALESCE(s.lang, r.lang) <> j.target_lang AND t.origin <> 'source'
          ORDER BY t.idx",
    )
    .bind(job)
    .bind(approver)
    .fetch_all(&mut **tx)
    .await
    .map_err(db)?;
    let at = ts(now());
    for r in &rows {
        let approved: String = r.get(4);
        let findings: Vec<Finding> = json("target_segments.findings", r.get::<&str, _>(5))?;
        let before: Vec<Finding> = json("target_segments.suggestion_findings", r.get::<&str, _>(6))?;
        let terms: Vec<TermResult> = json("target_segments.terms", r.get::<&str, _>(12))?;
        let tm: Option<Vec<TmMatch>> =
            r.get::<Option<&str>, _>(14).map(|t| json("target_segments.tm", t)).transpose()?;
        let target_lang = parse_lang(r.get(10))?;
        let chosen = r.get::<Option<String>, _>(15).zip(r.get::<Option<i64>, _>(16).map(|s| s.clamp(0, 100) as u8));
        let start = Start::new(r.get(1), r.get(2), r.get(3), r.get(13), tm.as_deref(), chosen);
        let (terms, before) = if start.chosen { (&[][..], &[][..]) } else { (&terms[..], &before[..]) };
        let e = segment_effort(EffortInput {
            suggestion: start.text.as_deref(),
            approved: &approved,
            target_lang,
            terms,
            suggestion_findings: before,
            findings: &findings,
        });
        sqlx::query(
            "INSERT OR REPLACE INTO segment_effort
               (job_id, idx, approved_at, approver, translator, workflow, source_lang, target_lang, start, backend,
                words, tokens, word_edits, chrf, untouched, term_fixes, fixed_terms, seconds, model, fuzzy,
                inflection_fixes, inflected_terms)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(job)
        .bind(r.get::<i64, _>(0))
        .bind(&at)
        .bind(approver)
        .bind(r.get::<String, _>(8))
        .bind(r.get::<String, _>(7))
        .bind(r.get::<String, _>(9))
        .bind(r.get::<String, _>(10))
        .bind(&start.origin)
        .bind(&start.backend)
        .bind(i64::from(e.words))
        .bind(i64::from(e.tokens))
        .bind(i64::from(e.word_edits))
        .bind(e.chrf)
        .bind(e.untouched)
        .bind(e.fixed_terms.len() as i64)
        .bind(to_json(&e.fixed_terms))
        .bind(r.get::<Option<f64>, _>(11))
        .bind(&start.model)
        .bind(start.fuzzy.map(i64::from))
        .bind(e.inflected.len() as i64)
        .bind(to_json(&e.inflected))
        .execute(&mut **tx)
        .await
        .map_err(db)?;
    }
    Ok(())
}

/// The rows a grouping leaves out: the jobs nobody annotated, for `AnnotatedJob`.
fn only(by: ReportBy) -> &'static str {
    match by {
        ReportBy::AnnotatedJob => " AND job_id IN (SELECT job_id FROM annotations WHERE removed_at IS NULL)",
        _ => "",
    }
}

fn key(by: ReportBy, prefix: &str) -> String {
    match by {
        ReportBy::Backend => format!("COALESCE({prefix}backend, {prefix}start)"),
        ReportBy::Model => {
            format!("COALESCE({p}backend || COALESCE(' ' || {p}model, ''), {p}start)", p = prefix)
        }
        ReportBy::Start => start_key(prefix),
        ReportBy::Pair => format!("{prefix}source_lang || '-' || {prefix}target_lang"),
        ReportBy::Workflow => format!("{prefix}workflow"),
        ReportBy::Translator => format!("{prefix}translator"),
        ReportBy::Month => format!("substr({prefix}approved_at, 1, 7)"),
        ReportBy::Job | ReportBy::AnnotatedJob => format!("CAST({prefix}job_id AS TEXT)"),
        ReportBy::PairBackendMonth => format!(
            "{p}source_lang || '-' || {p}target_lang || ' ' || COALESCE({p}backend, {p}start) || ' ' || substr({p}approved_at, 1, 7)",
            p = prefix
        ),
    }
}

/// [`ReportBy::Start`]'s key: a fuzzy match started from with its band (`fuzzy 85-94`); an exact
/// memory match, or a start with no match beside it, alone; else the start and the band of the best
/// match beside it (`machine + fuzzy 75-84`).
fn start_key(p: &str) -> String {
    let mut band = String::from("CASE");
    for (min, name) in START_BANDS {
        band.push_str(&format!(" WHEN {p}fuzzy >= {min} THEN '{name}'"));
    }
    band.push_str(" END");
    format!(
        "CASE WHEN {p}start = 'fuzzy' THEN 'fuzzy ' || {band} WHEN {p}start = 'memory' OR {p}fuzzy IS NULL THEN {p}start \
         ELSE {p}start || ' + fuzzy ' || {band} END"
    )
}

fn bounds(since: Option<DateTime<Utc>>, until: Option<DateTime<Utc>>) -> (Option<String>, Option<String>) {
    (since.map(ts), until.map(ts))
}

pub(crate) async fn effort_summary(
    store: &SqliteStore,
    by: ReportBy,
    since: Option<DateTime<Utc>>,
    until: Option<DateTime<Utc>>,
) -> Result<Vec<EffortSummary>> {
    let (since, until) = bounds(since, until);
    let timed = "seconds IS NOT NULL AND words > 0 AND seconds / words BETWEEN ?5 AND ?6";
    let sql = format!(
        "SELECT {k} AS k, count(DISTINCT job_id), count(*), sum(words), sum(tokens), sum(untouched), sum(word_edits),
                sum(chrf), sum(term_fixes), sum(inflection_fixes),
                COALESCE(sum(CASE WHEN {timed} THEN seconds END), 0.0), COALESCE(sum(CASE WHEN {timed} THEN words END), 0)
           FROM segment_effort
          WHERE (?1 IS NULL OR approved_at >= ?2) AND (?3 IS NULL OR approved_at < ?4){only}
          GROUP BY k ORDER BY k",
        k = key(by, ""),
        only = only(by)
    );
    let rows = sqlx::query(&sql)
        .bind(&since)
        .bind(&since)
        .bind(&until)
        .bind(&until)
        .bind(FAST_CUT)
        .bind(SLOW_CUT)
        .fetch_all(&store.pool)
        .await
        .map_err(db)?;
    Ok(rows
        .iter()
        .map(|r| EffortSummary {
            key: r.get(0),
            jobs: r.get::<i64, _>(1) as u64,
            segments: r.get::<i64, _>(2) as u64,
            words: r.get::<i64, _>(3) as u64,
            tokens: r.get::<i64, _>(4) as u64,
            untouched: r.get::<i64, _>(5) as u64,
            word_edits: r.get::<i64, _>(6) as u64,
            chrf_sum: r.get(7),
            term_fixes: r.get::<i64, _>(8) as u64,
            inflection_fixes: r.get::<i64, _>(9) as u64,
            timed_seconds: r.get(10),
            timed_words: r.get::<i64, _>(11) as u64,
        })
        .collect())
}

pub(crate) async fn annotation_counts(
    store: &SqliteStore,
    by: ReportBy,
    since: Option<DateTime<Utc>>,
    until: Option<DateTime<Utc>>,
) -> Result<Vec<AnnotationCount>> {
    let (since, until) = bounds(since, until);
    let sql = format!(
        "SELECT {k} AS k, a.severity, count(*)
           FROM annotations a JOIN segment_effort e ON e.job_id = a.job_id AND e.idx = a.idx
          WHERE a.removed_at IS NULL AND (?1 IS NULL OR e.approved_at >= ?2) AND (?3 IS NULL OR e.approved_at < ?4)
          GROUP BY k, a.severity ORDER BY k, a.severity",
        k = key(by, "e.")
    );
    let rows = sqlx::query(&sql)
        .bind(&since)
        .bind(&since)
        .bind(&until)
        .bind(&until)
        .fetch_all(&store.pool)
        .await
        .map_err(db)?;
    rows.iter()
        .map(|r| Ok(AnnotationCount { key: r.get(0), severity: severity(r.get(1))?, count: r.get::<i64, _>(2) as u64 }))
        .collect()
}

pub(crate) async fn fixed_terms(
    store: &SqliteStore,
    since: Option<DateTime<Utc>>,
    until: Option<DateTime<Utc>>,
    limit: u32,
) -> Result<Vec<FixedTerm>> {
    let (since, until) = bounds(since, until);
    let period = "(?1 IS NULL OR e.approved_at >= ?2) AND (?3 IS NULL OR e.approved_at < ?4)";
    let rows = sqlx::query(&format!(
        "SELECT concept, sum(fixed), sum(inflected) FROM (
             SELECT f.value AS concept, 1 AS fixed, 0 AS inflected FROM segment_effort e, json_each(e.fixed_terms) f
              WHERE e.term_fixes > 0 AND {period}
             UNION ALL
             SELECT json_extract(f.value, '$.concept'), 0, 1 FROM segment_effort e, json_each(e.inflected_terms) f
              WHERE e.inflection_fixes > 0 AND {period})
          GROUP BY concept ORDER BY sum(fixed) + sum(inflected) DESC, concept LIMIT ?5"
    ))
    .bind(&since)
    .bind(&since)
    .bind(&until)
    .bind(&until)
    .bind(i64::from(limit))
    .fetch_all(&store.pool)
    .await
    .map_err(db)?;
    Ok(rows
        .iter()
        .map(|r| FixedTerm {
            concept: r.get(0),
            term_fixes: r.get::<i64, _>(1) as u64,
            inflection_fixes: r.get::<i64, _>(2) as u64,
        })
        .collect())
}

pub(crate) async fn efforts(
    store: &SqliteStore,
    since: Option<DateTime<Utc>>,
    until: Option<DateTime<Utc>>,
) -> Result<Vec<SegmentEffort>> {
    let (since, until) = bounds(since, until);
    let rows = sqlx::query(
        "SELECT job_id, idx, approved_at, approver, translator, workflow, source_lang, target_lang, start, backend,
                words, tokens, word_edits, chrf, untouched, fixed_terms, seconds, model, fuzzy, inflected_terms
           FROM segment_effort WHERE (?1 IS NULL OR approved_at >= ?2) AND (?3 IS NULL OR approved_at < ?4)
          ORDER BY job_id, idx",
    )
    .bind(&since)
    .bind(&since)
    .bind(&until)
    .bind(&until)
    .fetch_all(&store.pool)
    .await
    .map_err(db)?;
    rows.iter().map(effort_row).collect()
}

fn effort_row(r: &SqliteRow) -> Result<SegmentEffort> {
    Ok(SegmentEffort {
        job: r.get(0),
        idx: r.get::<i64, _>(1) as u32,
        approved_at: parse_ts(r.get(2))?,
        approver: r.get(3),
        translator: r.get(4),
        workflow: r.get(5),
        source_lang: parse_lang(r.get(6))?,
        target_lang: parse_lang(r.get(7))?,
        start: origin(r.get(8))?,
        backend: r.get(9),
        words: r.get::<i64, _>(10) as u32,
        tokens: r.get::<i64, _>(11) as u32,
        word_edits: r.get::<i64, _>(12) as u32,
        chrf: r.get(13),
        untouched: r.get(14),
        fixed_terms: json("segment_effort.fixed_terms", r.get::<&str, _>(15))?,
        seconds: r.get(16),
        model: r.get(17),
        fuzzy: r.get::<Option<i64>, _>(18).map(|f| f.clamp(0, 100) as u8),
        inflected: json("segment_effort.inflected_terms", r.get::<&str, _>(19))?,
    })
}

fn origin(s: &str) -> Result<SuggestionOrigin> {
    serde_json::from_value(serde_json::Value::String(s.to_string()))
        .map_err(|_| StoreError::Corrupt { what: "segment_effort.start", detail: s.to_string() })
}

fn severity(s: &str) -> Result<MqmSeverity> {
    s.parse().map_err(|_| StoreError::Corrupt { what: "annotations.severity", detail: s.to_string() })
}

fn error_type(s: &str) -> Result<ErrorType> {
    s.parse().map_err(|_| StoreError::Corrupt { what: "annotations.error_type", detail: s.to_string() })
}

const ANNOTATION: &str =
    "SELECT id, job_id, idx, span_start, span_end, error_type, severity, note, text_hash, created_at, created_by
                            FROM annotations";

fn annotation_row(r: &SqliteRow) -> Result<MqmAnnotation> {
    let span = match (r.get::<Option<i64>, _>(3), r.get::<Option<i64>, _>(4)) {
        (Some(a), Some(b)) => Some((a as u32, b as u32)),
        _ => None,
    };
    Ok(MqmAnnotation {
        id: r.get(0),
        job: r.get(1),
        idx: r.get::<i64, _>(2) as u32,
        span,
        error_type: error_type(r.get(5))?,
        severity: severity(r.get(6))?,
        note: r.get(7),
        text_hash: r.get(8),
        created_at: parse_ts(r.get(9))?,
        created_by: r.get(10),
    })
}

pub(crate) async fn add_annotation(
    store: &SqliteStore,
    job: JobId,
    new: &NewAnnotation,
    actor: &str,
) -> Result<MqmAnnotation> {
    let mut tx = store.write().await?;
    let text: Option<Option<String>> =
        sqlx::query_scalar("SELECT COALESCE(edited, suggestion) FROM target_segments WHERE job_id = ? AND idx = ?")
            .bind(job)
            .bind(i64::from(new.idx))
            .fetch_optional(&mut *tx)
            .await
            .map_err(db)?;
    let Some(text) = text else {
        let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM jobs WHERE id = ?")
            .bind(job)
            .fetch_optional(&mut *tx)
            .await
            .map_err(db)?;
        return Err(match exists {
            None => StoreError::NoSuchJob(job),
            Some(_) => StoreError::NoSuchSegment { job, segment: new.idx },
        });
    };
    let text = text.unwrap_or_default();
    let chars = text.chars().count() as u32;
    if let Some((start, end)) = new.span {
        if start > end || end > chars {
            return Err(StoreError::BadSpan { job, segment: new.idx, start, end, chars });
        }
    }
    // As stored (milliseconds), so what is returned is what is read back.
    let at = parse_ts(&ts(now()))?;
    let hash = text_hash(&text);
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO annotations (job_id, idx, span_start, span_end, error_type, severity, note, text_hash, created_at, created_by)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(job)
    .bind(i64::from(new.idx))
    .bind(new.span.map(|s| i64::from(s.0)))
    .bind(new.span.map(|s| i64::from(s.1)))
    .bind(new.error_type.as_str())
    .bind(new.severity.as_str())
    .bind(&new.note)
    .bind(&hash)
    .bind(ts(at))
    .bind(actor)
    .fetch_one(&mut *tx)
    .await
    .map_err(db)?;
    let annotation = MqmAnnotation {
        id,
        job,
        idx: new.idx,
        span: new.span,
        error_type: new.error_type,
        severity: new.severity,
        note: new.note.clone(),
        text_hash: hash,
        created_at: at,
        created_by: actor.to_string(),
    };
    let detail = serde_json::to_value(&annotation).map_err(db)?;
    event(&mut tx, actor, Some(job), None, "annotation", detail, None, None).await?;
    tx.commit().await.map_err(db)?;
    Ok(annotation)
}

pub(crate) async fn remove_annotation(store: &SqliteStore, job: JobId, id: i64, actor: &str) -> Result<()> {
    let mut tx = store.write().await?;
    let removed = sqlx::query(
        "UPDATE annotations SET removed_at = ?, removed_by = ? WHERE id = ? AND job_id = ? AND removed_at IS NULL
         RETURNING id, job_id, idx, span_start, span_end, error_type, severity, note, text_hash, created_at, created_by",
    )
    .bind(ts(now()))
    .bind(actor)
    .bind(id)
    .bind(job)
    .fetch_optional(&mut *tx)
    .await
    .map_err(db)?;
    let Some(row) = removed else { return Err(StoreError::NoSuchAnnotation { job, id }) };
    let detail = serde_json::to_value(annotation_row(&row)?).map_err(db)?;
    event(&mut tx, actor, Some(job), None, "annotation-removed", detail, None, None).await?;
    tx.commit().await.map_err(db)
}

pub(crate) async fn annotations(store: &SqliteStore, job: JobId) -> Result<Vec<MqmAnnotation>> {
    let rows = sqlx::query(&format!("{ANNOTATION} WHERE job_id = ? AND removed_at IS NULL ORDER BY idx, id"))
        .bind(job)
        .fetch_all(&store.pool)
        .await
        .map_err(db)?;
    rows.iter().map(annotation_row).collect()
}

pub(crate) async fn annotations_between(
    store: &SqliteStore,
    since: Option<DateTime<Utc>>,
    until: Option<DateTime<Utc>>,
) -> Result<Vec<MqmAnnotation>> {
    let (since, until) = bounds(since, until);
    let rows = sqlx::query(
        "SELECT a.id, a.job_id, a.idx, a.span_start, a.span_end, a.error_type, a.severity, a.note, a.text_hash,
                a.created_at, a.created_by
           FROM annotations a JOIN segment_effort e ON e.job_id = a.job_id AND e.idx = a.idx
          WHERE a.removed_at IS NULL AND (?1 IS NULL OR e.approved_at >= ?2) AND (?3 IS NULL OR e.approved_at < ?4)
          ORDER BY a.job_id, a.idx, a.id",
    )
    .bind(&since)
    .bind(&since)
    .bind(&until)
    .bind(&until)
    .fetch_all(&store.pool)
    .await
    .map_err(db)?;
    rows.iter().map(annotation_row).collect()
}

pub(crate) async fn record_mqm_override(
    store: &SqliteStore,
    job: JobId,
    score: &audarma_analytics::Score,
    reason: &str,
    actor: &str,
) -> Result<()> {
    let mut tx = store.write().await?;
    let detail = serde_json::json!({ "reason": reason, "score": score });
    event(&mut tx, actor, Some(job), None, "mqm-override", detail, None, None).await?;
    tx.commit().await.map_err(db)
}
