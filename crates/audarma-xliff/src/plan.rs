//! What importing a read file into its job would do, decided before anything is written: the whole
//! file refused ([`Refusal`]: another job, another language pair, a modified source, a job no longer
//! in review), or per unit unchanged, an edit, a conflict or refused.

use crate::{base_of, normalise, Content, ReadDocument};
use audarma_core::{JobState, Lang};
use audarma_store::JobDetail;
use serde::Serialize;

/// Why a whole file is refused; nothing of it is imported.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum Refusal {
    #[error("the file is for job {file}, not job {job}")]
    WrongJob { file: i64, job: i64 },
    #[error("the file is {file_source}→{file_target}, but job {job} is {job_source}→{job_target}")]
    WrongLanguage { job: i64, file_source: Lang, file_target: Lang, job_source: Lang, job_target: Lang },
    #[error("line {line}: the source of unit {unit} is not the source of segment {segment} of job {job} (modified source; export the job again)")]
    SourceModified { job: i64, unit: String, segment: u32, line: usize },
    #[error("line {line}: unit {unit}: job {job} has no segment {segment}")]
    NoSuchSegment { job: i64, unit: String, segment: u32, line: usize },
    #[error("job {job} is {state}: edits need a job in in_review")]
    NotInReview { job: i64, state: JobState },
}

/// An edit to make: the segment, the new text, and the version the segment must still have.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlannedEdit {
    pub segment: u32,
    /// The target, whitespace runs collapsed and trimmed (XML tools reflow spaces).
    pub text: String,
    pub expected_version: i64,
}

/// A segment changed in audarma since the export, and changed in the file too: not overwritten.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Conflict {
    pub segment: u32,
    pub exported_version: i64,
    pub current_version: i64,
}

/// A unit whose target cannot become an edit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RefusedUnit {
    pub segment: u32,
    pub line: usize,
    pub reason: String,
}

/// What importing a file would do, unit by unit.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Plan {
    pub job: i64,
    pub edits: Vec<PlannedEdit>,
    pub unchanged: Vec<u32>,
    pub conflicts: Vec<Conflict>,
    pub refused: Vec<RefusedUnit>,
}

/// Compares a read file with its job as stored. `expected_job`: the job the file must be for (the
/// desk's upload on a job's page), if any.
pub fn plan(doc: &ReadDocument, job: &JobDetail, expected_job: Option<i64>) -> Result<Plan, Refusal> {
    let s = &job.summary;
    if let Some(expected) = expected_job {
        if doc.job != expected {
            return Err(Refusal::WrongJob { file: doc.job, job: expected });
        }
    }
    if doc.job != s.id {
        return Err(Refusal::WrongJob { file: doc.job, job: s.id });
    }
    if doc.source_lang != s.source_lang || doc.target_lang != s.target_lang {
        return Err(Refusal::WrongLanguage {
            job: s.id,
            file_source: doc.source_lang,
            file_target: doc.target_lang,
            job_source: s.source_lang,
            job_target: s.target_lang,
        });
    }
    let mut plan = Plan { job: s.id, ..Plan::default() };
    for unit in &doc.units {
        let Some(seg) = job.segments.iter().find(|g| g.idx == unit.idx) else {
            return Err(Refusal::NoSuchSegment {
                job: s.id,
                unit: unit.id.clone(),
                segment: unit.idx,
                line: unit.line,
            });
        };
        let same_source = matches!(&unit.source, Content::Text(t) if normalise(t) == normalise(&seg.source));
        if !same_source {
            return Err(Refusal::SourceModified {
                job: s.id,
                unit: unit.id.clone(),
                segment: unit.idx,
                line: unit.line,
            });
        }
        let refuse = |reason: String| RefusedUnit { segment: unit.idx, line: unit.line, reason };
        let text = match &unit.target {
            None => None,
            Some(Content::Markup { element, .. }) => {
                plan.refused.push(refuse(format!(
                    "unit {}: the target holds markup (<{element}>), which audarma's plain-text segments cannot keep; write it as text",
                    unit.id
                )));
                continue;
            }
            Some(Content::Text(t)) => Some(t.as_str()),
        };
        let text = text.map(str::trim).filter(|t| !t.is_empty());
        // Untouched in the file (whatever happened in audarma since): nothing to do.
        if base_of(text) == unit.base {
            plan.unchanged.push(unit.idx);
            continue;
        }
        let Some(text) = text else {
            plan.refused
                .push(refuse(format!("unit {}: the target was emptied; audarma does not clear a segment", unit.id)));
            continue;
        };
        if seg.current().is_some_and(|c| normalise(c) == normalise(text)) {
            plan.unchanged.push(unit.idx);
            continue;
        }
        if seg.version != unit.version {
            plan.conflicts.push(Conflict {
                segment: unit.idx,
                exported_version: unit.version,
                current_version: seg.version,
            });
            continue;
        }
        if let Some(c) = audarma_text::stray_control(text) {
            plan.refused.push(refuse(format!(
                "unit {}: the target contains the control character U+{:04X}",
                unit.id, c as u32
            )));
            continue;
        }
        plan.edits.push(PlannedEdit { segment: unit.idx, text: normalise(text), expected_version: unit.version });
    }
    if !plan.edits.is_empty() && s.state != JobState::InReview {
        return Err(Refusal::NotInReview { job: s.id, state: s.state });
    }
    Ok(plan)
}
