//! Review analytics: the post-editing records written at approval, reviewers' MQM annotations, and
//! the report's sums per group (in SQL).

use crate::rows::{db, json, now, parse_lang, to_json};
use crate::write::event;
use crate::PgStore;
use audarma_analytics::mqm::{ErrorType, Severity as MqmSeverity};
use audarma_analytics::time::{FAST_CUT, SLOW_CUT};
use audarma_core::{Finding, SuggestionOrigin, TermResult};
use audarma_store::{
    segment_effort, text_hash, AnnotationCount, EffortInput, EffortSummary, FixedTerm, JobId, MqmAnnotation,
    NewAnnotation, ReportBy, Result, SegmentEffort, Start, StoreError, TmMatch, START_BANDS,
};
use chrono::{DateTime, Utc};
use sqlx::postgres::PgRow;
use sqlx::{PgConnection, Row};

/// Writes the post-editing record of every translated segment of a job being approved (quotations
/// kept as written are not translations and are left out). Runs in the approval's transaction.
pub(crate) async fn record_efforts(tx: &mut PgConnection, job: JobId, approver: &str) -> Result<()> {
    let rows = sqlx::query(
        "SELECT t.idx, t.suggestion, t.origin, t.backend, COALESCE(t.edited, t.suggestion, ''), t.findings,
                COALESCE(t.suggestion_findings, t.findings), j.workflow, COALESCE(j.assignee, $2), r.lang, j.target_lang, t.seconds_total,
                t.terms, t.model, t.tm, t.start_text, t.start_score
           FROM target_segments t
           JOIN jobs j ON j.id = t.job_id
           JOIN releases r ON r.id = j.release_id
           JOIN segments s ON s.release_id = j.release_id AND s.idx = t.idx
          WHERE t.job_id = $1 AND COALESCE(s.lang, r.lang) <> j.target_lang AND t.origin <> 'source'
          ORDER BY t.idx",
    )
    .bind(job)
    .bind(approver)
    .fetch_all(&mut *tx)
    .await
    .map_err(db)?;
    let at = now();
    for r in &rows {
        let approved: String = r.get(4);
        let findings: Vec<Finding> = json("target_segments.findings", r.get(5))?;
        let before: Vec<Finding> = json("target_segments.suggestion_findings", r.get(6))?;
        let terms: Vec<TermResult> = json("target_segments.terms", r.get(12))?;
        let tm: Option<Vec<TmMatch>> =
            r.get::<Option<serde_json::Value>, _>(14).map(|t| json("target_segments.tm", t)).transpose()?;
        let target_lang = parse_lang(r.get(10))?;
        let chosen = r.get::<Option<String>, _>(15).zip(r.get::<Option<i32>, _>(16).map(|s| s.clamp(0, 100) as u8));
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
            "INSERT INTO segment_effort
               (job_id, idx, approved_at, approver, translator, workflow, source_lang, target_lang, start, backend,
                words, tokens, word_edits, chrf, untouched, term_fixes, fixed_terms, seconds, model, fuzzy,
                inflection_fixes, inflected_terms)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22)
             ON CONFLICT (job_id, idx) DO UPDATE SET approved_at = excluded.approved_at, approver = excluded.approver,
               translator = excluded.translator, workflow = excluded.workflow, source_lang = excluded.source_lang,
               target_lang = excluded.target_lang, start = excluded.start, backend = excluded.backend,
               words = excluded.words, tokens = excluded.tokens, word_edits = excluded.word_edits, chrf = excluded.chrf,
               untouched = excluded.untouched, term_fixes = excluded.term_fixes, fixed_terms = excluded.fixed_terms,
               seconds = excluded.seconds, model = excluded.model, fuzzy = excluded.fuzzy,
               inflection_fixes = excluded.inflection_fixes, inflected_terms = excluded.inflected_terms",
        )
        .bind(job)
        .bind(r.get::<i32, _>(0))
        .bind(at)
        .bind(approver)
        .bind(r.get::<String, _>(8))
        .bind(r.get::<String, _>(7))
        .bind(r.get::<String, _>(9))
        .bind(r.get::<String, _>(10))
        .bind(&start.origin)
        .bind(&start.backend)
        .bind(e.words as i32)
        .bind(e.tokens as i32)
        .bind(e.word_edits as i32)
        .bind(e.chrf)
        .bind(e.untouched)
        .bind(e.fixed_terms.len() as i32)
        .bind(to_json(&e.fixed_terms))
        .bind(r.get::<Option<f64>, _>(11))
        .bind(&start.model)
        .bind(start.fuzzy.map(i32::from))
        .bind(e.inflected.len() as i32)
        .bind(to_json(&e.inflected))
        .execute(&mut *tx)
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
        ReportBy::Month => format!("to_char({prefix}approved_at AT TIME ZONE 'UTC', 'YYYY-MM')"),
        ReportBy::Job | ReportBy::AnnotatedJob => format!("{prefix}job_id::text"),
        ReportBy::PairBackendMonth => format!(
            "{p}source_lang || '-' || {p}target_lang || ' ' || COALESCE({p}backend, {p}start) || ' ' || to_char({p}approved_at AT TIME ZONE 'UTC', 'YYYY-MM')",
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

pub(crate) async fn effort_summary(
    store: &PgStore,
    by: ReportBy,
    since: Option<DateTime<Utc>>,
    until: Option<DateTime<Utc>>,
) -> Result<Vec<EffortSummary>> {
    let timed = "seconds IS NOT NULL AND words > 0 AND seconds / words BETWEEN $5 AND $6";
    let sql = format!(
        "SELECT {k} AS k, count(DISTINCT job_id), count(*), sum(words)::bigint, sum(tokens)::bigint, sum(untouched::int)::bigint,
                sum(word_edits)::bigint, sum(chrf), sum(term_fixes)::bigint, sum(inflection_fixes)::bigint,
                COALESCE(sum(CASE WHEN {timed} THEN seconds END), 0)::float8,
                COALESCE(sum(CASE WHEN {timed} THEN words END), 0)::bigint
           FROM segment_effort
          WHERE ($1::timestamptz IS NULL OR approved_at >= $2) AND ($3::timestamptz IS NULL OR approved_at < $4){only}
          GROUP BY k ORDER BY k",
        k = key(by, ""),
        only = only(by)
    );
    let rows = sqlx::query(&sql)
        .bind(since)
        .bind(since)
        .bind(until)
        .bind(until)
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
    store: &PgStore,
    by: ReportBy,
    since: Option<DateTime<Utc>>,
    until: Option<DateTime<Utc>>,
) -> Result<Vec<AnnotationCount>> {
    let sql = format!(
        "SELECT {k} AS k, a.severity, count(*)
           FROM annotations a JOIN segment_effort e ON e.job_id = a.job_id AND e.idx = a.idx
          WHERE a.removed_at IS NULL AND ($1::timestamptz IS NULL OR e.approved_at >= $2) AND ($3::timestamptz IS NULL OR e.approved_at < $4)
          GROUP BY k, a.severity ORDER BY k, a.severity",
        k = key(by, "e.")
    );
    let rows =
        sqlx::query(&sql).bind(since).bind(since).bind(until).bind(until).fetch_all(&store.pool).await.map_err(db)?;
    rows.iter()
        .map(|r| Ok(AnnotationCount { key: r.get(0), severity: severity(r.get(1))?, count: r.get::<i64, _>(2) as u64 }))
        .collect()
}

pub(crate) async fn fixed_terms(
    store: &PgStore,
    since: Option<DateTime<Utc>>,
    until: Option<DateTime<Utc>>,
    limit: u32,
) -> Result<Vec<FixedTerm>> {
    let period = "($1::timestamptz IS NULL OR e.approved_at >= $2) AND ($3::timestamptz IS NULL OR e.approved_at < $4)";
    let rows = sqlx::query(&format!(
        "SELECT concept, sum(fixed)::bigint, sum(inflected)::bigint FROM (
             SELECT f.value AS concept, 1 AS fixed, 0 AS inflected
               FROM segment_effort e, jsonb_array_elements_text(e.fixed_terms) f(value)
              WHERE e.term_fixes > 0 AND {period}
             UNION ALL
             SELECT f.value ->> 'concept', 0, 1 FROM segment_effort e, jsonb_array_elements(e.inflected_terms) f(value)
              WHERE e.inflection_fixes > 0 AND {period}) t
          GROUP BY concept ORDER BY sum(fixed) + sum(inflected) DESC, concept LIMIT $5"
    ))
    .bind(since)
    .bind(since)
    .bind(until)
    .bind(until)
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
    store: &PgStore,
    since: Option<DateTime<Utc>>,
    until: Option<DateTime<Utc>>,
) -> Result<Vec<SegmentEffort>> {
    let rows = sqlx::query(
        "SELECT job_id, idx, approved_at, approver, translator, workflow, source_lang, target_lang, start, backend,
                words, tokens, word_edits, chrf, untouched, fixed_terms, seconds, model, fuzzy, inflected_terms
           FROM segment_effort WHERE ($1::timestamptz IS NULL OR approved_at >= $2) AND ($3::timestamptz IS NULL OR approved_at < $4)
          ORDER BY job_id, idx",
    )
    .bind(since)
    .bind(since)
    .bind(until)
    .bind(until)
    .fetch_all(&store.pool)
    .await
    .map_err(db)?;
    rows.iter().map(effort_row).collect()
}

fn effort_row(r: &PgRow) -> Result<SegmentEffort> {
    Ok(SegmentEffort {
        job: r.get(0),
        idx: r.get::<i32, _>(1) as u32,
        approved_at: r.get(2),
        approver: r.get(3),
        translator: r.get(4),
        workflow: r.get(5),
        source_lang: parse_lang(r.get(6))?,
        target_lang: parse_lang(r.get(7))?,
        start: origin(r.get(8))?,
        backend: r.get(9),
        words: r.get::<i32, _>(10) as u32,
        tokens: r.get::<i32, _>(11) as u32,
        word_edits: r.get::<i32, _>(12) as u32,
        chrf: r.get(13),
        untouched: r.get(14),
        fixed_terms: json("segment_effort.fixed_terms", r.get(15))?,
        seconds: r.get(16),
        model: r.get(17),
        fuzzy: r.get::<Option<i32>, _>(18).map(|f| f.clamp(0, 100) as u8),
        inflected: json("segment_effort.inflected_terms", r.get(19))?,
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

fn annotation_row(r: &PgRow) -> Result<MqmAnnotation> {
    let span = match (r.get::<Option<i32>, _>(3), r.get::<Option<i32>, _>(4)) {
        (Some(a), Some(b)) => Some((a as u32, b as u32)),
        _ => None,
    };
    Ok(MqmAnnotation {
        id: r.get(0),
        job: r.get(1),
        idx: r.get::<i32, _>(2) as u32,
        span,
        error_type: error_type(r.get(5))?,
        severity: severity(r.get(6))?,
        note: r.get(7),
        text_hash: r.get(8),
        created_at: r.get(9),
        created_by: r.get(10),
    })
}

pub(crate) async fn add_annotation(
    store: &PgStore,
    job: JobId,
    new: &NewAnnotation,
    actor: &str,
) -> Result<MqmAnnotation> {
    let mut tx = store.write().await?;
    let text: Option<Option<String>> =
        sqlx::query_scalar("SELECT COALESCE(edited, suggestion) FROM target_segments WHERE job_id = $1 AND idx = $2")
            .bind(job)
            .bind(new.idx as i32)
            .fetch_optional(&mut *tx)
            .await
            .map_err(db)?;
    let Some(text) = text else {
        let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM jobs WHERE id = $1")
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
    let at = now();
    let hash = text_hash(&text);
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO annotations (job_id, idx, span_start, span_end, error_type, severity, note, text_hash, created_at, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
    )
    .bind(job)
    .bind(new.idx as i32)
    .bind(new.span.map(|s| s.0 as i32))
    .bind(new.span.map(|s| s.1 as i32))
    .bind(new.error_type.as_str())
    .bind(new.severity.as_str())
    .bind(&new.note)
    .bind(&hash)
    .bind(at)
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

pub(crate) async fn remove_annotation(store: &PgStore, job: JobId, id: i64, actor: &str) -> Result<()> {
    let mut tx = store.write().await?;
    let removed = sqlx::query(
        "UPDATE annotations SET removed_at = $1, removed_by = $2 WHERE id = $3 AND job_id = $4 AND removed_at IS NULL
         RETURNING id, job_id, idx, span_start, span_end, error_type, severity, note, text_hash, created_at, created_by",
    )
    .bind(now())
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

pub(crate) async fn annotations(store: &PgStore, job: JobId) -> Result<Vec<MqmAnnotation>> {
    let rows = sqlx::query(&format!("{ANNOTATION} WHERE job_id = $1 AND removed_at IS NULL ORDER BY idx, id"))
        .bind(job)
        .fetch_all(&store.pool)
        .await
        .map_err(db)?;
    rows.iter().map(annotation_row).collect()
}

pub(crate) async fn annotations_between(
    store: &PgStore,
    since: Option<DateTime<Utc>>,
    until: Option<DateTime<Utc>>,
) -> Result<Vec<MqmAnnotation>> {
    let rows = sqlx::query(
        "SELECT a.id, a.job_id, a.idx, a.span_start, a.span_end, a.error_type, a.severity, a.note, a.text_hash,
                a.created_at, a.created_by
           FROM annotations a JOIN segment_effort e ON e.job_id = a.job_id AND e.idx = a.idx
          WHERE a.removed_at IS NULL AND ($1::timestamptz IS NULL OR e.approved_at >= $2) AND ($3::timestamptz IS NULL OR e.approved_at < $4)
          ORDER BY a.job_id, a.idx, a.id",
    )
    .bind(since)
    .bind(since)
    .bind(until)
    .bind(until)
    .fetch_all(&store.pool)
    .await
    .map_err(db)?;
    rows.iter().map(annotation_row).collect()
}

pub(crate) async fn record_mqm_override(
    store: &PgStore,
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
