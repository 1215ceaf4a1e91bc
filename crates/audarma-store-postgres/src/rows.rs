//! Row mapping: what a stored value means as a record, and the one way each is read. A value that
//! cannot be read back is [`StoreError::Corrupt`], never a silent default.

use audarma_core::{Check, JobState, Lang, Role, SuggestionOrigin};
use audarma_store::{JobSummary, Result, StoreError, TargetSegment, User};
use chrono::{DateTime, SubsecRound, Utc};
use sqlx::postgres::PgRow;
use sqlx::Row;

pub(crate) fn db(e: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> StoreError {
    StoreError::Database(e.into())
}

pub(crate) fn corrupt(what: &'static str, detail: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt { what, detail: detail.to_string() }
}

/// Now, to the microsecond PostgreSQL keeps: what a verb returns compares equal to a re-read.
pub(crate) fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(6)
}

pub(crate) fn parse_lang(s: &str) -> Result<Lang> {
    s.parse().map_err(|e| corrupt("language", e))
}

pub(crate) fn parse_state(s: &str) -> Result<JobState> {
    JobState::parse(s).ok_or_else(|| corrupt("job state", format!("{s:?}")))
}

pub(crate) fn parse_role(s: &str) -> Result<Role> {
    s.parse().map_err(|e| corrupt("users.role", e))
}

pub(crate) fn parse_check(s: &str) -> Result<Check> {
    s.parse().map_err(|e| corrupt("check name", e))
}

/// A JSONB column read as the record it holds; JSON that is not that record is an error.
pub(crate) fn json<T: serde::de::DeserializeOwned>(what: &'static str, v: serde_json::Value) -> Result<T> {
    serde_json::from_value(v).map_err(|e| corrupt(what, e))
}

/// A record as the JSON a column stores.
pub(crate) fn to_json<T: serde::Serialize + ?Sized>(v: &T) -> serde_json::Value {
    serde_json::to_value(v).unwrap_or_else(|_| serde_json::Value::Array(Vec::new()))
}

/// The columns of a target segment, as [`target_segment_at`] reads them.
pub(crate) const SEGMENT_COLUMNS: &str =
    "s.idx, s.paragraph, s.text, t.suggestion, t.origin, t.backend, t.edited, t.version,
    t.terms, t.findings, s.lang AS segment_lang, t.tm";

/// A job's segments: binds the job id ($1), then its release id ($2).
pub(crate) const SEGMENT_SELECT: &str =
    "SELECT s.idx, s.paragraph, s.text, t.suggestion, t.origin, t.backend, t.edited, t.version,
    t.terms, t.findings, s.lang AS segment_lang, t.tm
     FROM segments s LEFT JOIN target_segments t ON t.job_id = $1 AND t.idx = s.idx
     WHERE s.release_id = $2";

pub(crate) fn target_segment_of(r: &PgRow) -> Result<TargetSegment> {
    target_segment_at(r, 0)
}

/// A target segment from the columns of [`SEGMENT_COLUMNS`], starting at column `at`.
pub(crate) fn target_segment_at(r: &PgRow, at: usize) -> Result<TargetSegment> {
    let empty = || serde_json::Value::Array(Vec::new());
    Ok(TargetSegment {
        idx: r.get::<i32, _>(at) as u32,
        paragraph: r.get::<Option<i32>, _>(at + 1).map(|p| p as u32),
        source: r.get(at + 2),
        source_lang: r.get::<Option<&str>, _>(at + 10).and_then(|l| l.parse().ok()),
        suggestion: r.get(at + 3),
        origin: r.get::<Option<&str>, _>(at + 4).and_then(SuggestionOrigin::parse).unwrap_or(SuggestionOrigin::None),
        backend: r.get(at + 5),
        edited: r.get(at + 6),
        version: r.get::<Option<i64>, _>(at + 7).unwrap_or(0),
        terms: json("target_segments.terms", r.get::<Option<serde_json::Value>, _>(at + 8).unwrap_or_else(empty))?,
        findings: json(
            "target_segments.findings",
            r.get::<Option<serde_json::Value>, _>(at + 9).unwrap_or_else(empty),
        )?,
        tm: r.get::<Option<serde_json::Value>, _>(at + 11).map(|t| json("target_segments.tm", t)).transpose()?,
        dismissals: Vec::new(),
    })
}

pub(crate) const USER_COLUMNS: &str = "u.id, u.name, u.role, u.password_hash, u.locale, u.disabled_at";
/// How many columns [`USER_COLUMNS`] has: what a query selects after them starts here.
pub(crate) const USER_WIDTH: usize = 6;

pub(crate) fn user_of(r: &PgRow) -> Result<User> {
    Ok(User {
        id: r.get(0),
        name: r.get(1),
        role: parse_role(r.get::<&str, _>(2))?,
        password_hash: r.get(3),
        locale: r.get(4),
        disabled: r.get::<Option<DateTime<Utc>>, _>(5).is_some(),
    })
}

macro_rules! summary_columns {
    () => {
        "SELECT j.id, j.release_id, r.title, r.release_date, r.lang, j.target_lang, j.state,
        j.workflow, j.error, j.updated_at, j.assignee, j.priority, j.deadline,
        (SELECT COUNT(*) FROM segments s WHERE s.release_id = j.release_id) AS n_segments,
        (SELECT COUNT(*) FROM target_segments t WHERE t.job_id = j.id AND t.edited IS NOT NULL) AS n_edited"
    };
}
pub(crate) const SUMMARY_SELECT_COLUMNS: &str = summary_columns!();

/// How many columns [`SUMMARY_SELECT_COLUMNS`] has.
pub(crate) const SUMMARY_WIDTH: usize = 15;

pub(crate) const SUMMARY_SELECT: &str =
    concat!(summary_columns!(), " FROM jobs j JOIN releases r ON r.id = j.release_id");

/// A job summary from the columns of [`SUMMARY_SELECT_COLUMNS`] (read by name).
pub(crate) fn summary(r: &PgRow) -> Result<JobSummary> {
    Ok(JobSummary {
        id: r.get("id"),
        release_id: r.get("release_id"),
        title: r.get("title"),
        release_date: r.get("release_date"),
        source_lang: parse_lang(r.get::<&str, _>("lang"))?,
        target_lang: parse_lang(r.get::<&str, _>("target_lang"))?,
        state: parse_state(r.get::<&str, _>("state"))?,
        workflow: r.get("workflow"),
        segments: r.get::<i64, _>("n_segments") as u32,
        edited: r.get::<i64, _>("n_edited") as u32,
        error: r.get("error"),
        updated_at: r.get("updated_at"),
        assignee: r.get("assignee"),
        priority: r.get("priority"),
        deadline: r.get("deadline"),
    })
}
