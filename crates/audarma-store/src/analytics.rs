//! What the store keeps for review analytics, and the one computation both stores make with it.
//!
//! - [`SegmentEffort`]: per approved segment, what the translator started from (the suggestion's
//!   origin, backend and model, the best fuzzy memory match beside it) and the post-editing effort to the approved text, computed at approval by
//!   [`segment_effort`] in the same transaction ([`Store::approve_job`](crate::Store::approve_job)).
//! - [`MqmAnnotation`]: a reviewer's MQM error on a span of a segment's target.
//! - [`ReportBy`] and [`EffortSummary`] / [`AnnotationCount`]: the report's groups, summed by the
//!   store (in SQL, so 100,000 approved jobs are never read row by row).

use crate::{JobDetail, JobId, Result, Store, StoreError, TmMatch};
use audarma_analytics::mqm::{ErrorType, Severity as MqmSeverity};
use audarma_core::{Check, Finding, Lang, SuggestionOrigin, TermResult, TermStatus};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One approved segment's post-editing record.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SegmentEffort {
    pub job: JobId,
    pub idx: u32,
    pub approved_at: DateTime<Utc>,
    pub approver: String,
    /// Who translated: the job's assignee at approval, else the approver.
    pub translator: String,
    pub workflow: String,
    pub source_lang: Lang,
    pub target_lang: Lang,
    /// What the translator started from.
    pub start: SuggestionOrigin,
    /// The backend of a machine suggestion (`deepl`, `memory`, `pseudo`…).
    pub backend: Option<String>,
    /// The backend's model, where it has one (`gpt-4o-mini`, `yandexgpt`…).
    pub model: Option<String>,
    /// The score (60–99) of the best fuzzy memory match shown beside the suggestion, if any.
    pub fuzzy: Option<u8>,
    /// Words of the approved text (tokens with a letter or digit).
    pub words: u32,
    /// Tokens of the approved text (words and punctuation): HTER's denominator.
    pub tokens: u32,
    /// Token edits from the suggestion (all tokens when there was none).
    pub word_edits: u32,
    /// chrF++ of the suggestion against the approved text (0 without a suggestion).
    pub chrf: f64,
    /// Approved as suggested.
    pub untouched: bool,
    /// Glossary concepts with a terminology finding on the suggestion and none on the approved text.
    pub fixed_terms: Vec<String>,
    /// Glossary terms the suggestion named right in the wrong form, which the translator re-inflected.
    pub inflected: Vec<InflectionFix>,
    /// Seconds spent editing, when the desk measured them.
    pub seconds: Option<f64>,
}

/// A glossary term the suggestion named right but in the wrong inflection, as the translator fixed
/// it: the concept, the suggestion's form and the approved one ("Мемлекет басшысына" →
/// "Мемлекет басшысының"). MQM's terminology/wrong-inflection, found without a reviewer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InflectionFix {
    pub concept: String,
    pub from: String,
    pub to: String,
}

/// The effort figures of one segment ([`segment_effort`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Effort {
    pub words: u32,
    pub tokens: u32,
    pub word_edits: u32,
    pub chrf: f64,
    pub untouched: bool,
    pub fixed_terms: Vec<String>,
    pub inflected: Vec<InflectionFix>,
}

/// What the translator started from and the post-edit, as the store holds them at approval.
#[derive(Debug, Clone, Copy)]
pub struct EffortInput<'a> {
    pub suggestion: Option<&'a str>,
    pub approved: &'a str,
    pub target_lang: Lang,
    /// The source's glossary terms, with the forms the suggestion gave them ([`TermResult::found`]).
    pub terms: &'a [TermResult],
    /// The findings the suggestion had (kept at the first edit; the current ones if never edited).
    pub suggestion_findings: &'a [Finding],
    /// The approved text's findings.
    pub findings: &'a [Finding],
}

/// The effort of one segment from what the store holds ([`EffortInput`]).
///
/// A term is **fixed** when the suggestion had a terminology finding on it and the approved text has
/// none; it is **re-inflected** when the suggestion named it right (no finding, its form kept in
/// [`TermResult::found`]) and the translator changed only its form ([`audarma_glossary::reinflected`]).
pub fn segment_effort(p: EffortInput<'_>) -> Effort {
    let EffortInput { suggestion, approved, target_lang, terms, suggestion_findings, findings } = p;
    let tokens = audarma_analytics::tokens(approved);
    let words = word_tokens(&tokens) as u32;
    let (word_edits, chrf) = match suggestion {
        Some(s) => {
            (audarma_analytics::post_edit(s, approved).word_edits as u32, audarma_analytics::chrf_pp(s, approved))
        }
        None => (tokens.len() as u32, 0.0),
    };
    let concepts = |f: &[Finding]| -> Vec<String> {
        let mut c: Vec<String> = f
            .iter()
            .filter(|f| f.check == Check::Terminology)
            .filter_map(|f| f.evidence.as_ref().and_then(|e| e.concept.clone()))
            .collect();
        c.sort();
        c.dedup();
        c
    };
    let after = concepts(findings);
    Effort {
        words,
        tokens: tokens.len() as u32,
        word_edits,
        chrf,
        untouched: suggestion.is_some_and(|s| s == approved),
        fixed_terms: concepts(suggestion_findings).into_iter().filter(|c| !after.contains(c)).collect(),
        inflected: suggestion
            .filter(|s| *s != approved)
            .map_or_else(Vec::new, |s| reinflected(s, terms, approved, target_lang)),
    }
}

/// The terms of `terms` the suggestion named right whose form `approved` changed in place.
fn reinflected(suggestion: &str, terms: &[TermResult], approved: &str, lang: Lang) -> Vec<InflectionFix> {
    let mut out: Vec<InflectionFix> = Vec::new();
    for t in terms.iter().filter(|t| t.status == Some(TermStatus::Ok) && !t.dnt) {
        let Some(from) = t.found.as_deref() else { continue };
        if out.iter().any(|f| f.concept == t.id) {
            continue;
        }
        if let Some(to) = audarma_glossary::reinflected(suggestion, from, approved, lang) {
            out.push(InflectionFix { concept: t.id.clone(), from: from.to_string(), to });
        }
    }
    out
}

/// A reviewer's MQM annotation as stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MqmAnnotation {
    pub id: i64,
    pub job: JobId,
    pub idx: u32,
    /// Character offsets in the target (`None`: the whole segment, or an omission).
    pub span: Option<(u32, u32)>,
    pub error_type: ErrorType,
    pub severity: MqmSeverity,
    pub note: Option<String>,
    /// The hash of the target text it was made on (`TargetSegment::current_hash`).
    pub text_hash: String,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
}

impl MqmAnnotation {
    /// The characters of `text` (the segment's target) its span marks; `None` without a span.
    pub fn marked(&self, text: &str) -> Option<String> {
        self.span.map(|(s, e)| text.chars().skip(s as usize).take(e.saturating_sub(s) as usize).collect())
    }
}

/// An annotation to add.
#[derive(Debug, Clone, PartialEq)]
pub struct NewAnnotation {
    pub idx: u32,
    pub span: Option<(u32, u32)>,
    pub error_type: ErrorType,
    pub severity: MqmSeverity,
    pub note: Option<String>,
}

/// How the report groups approved segments.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportBy {
    /// The suggestion's backend (`none` when the translator started from nothing).
    Backend,
    /// The backend and its model (`openai gpt-4o-mini`; the backend alone when it has none).
    Model,
    /// What the translator started from: `machine`, `memory` (exact), `pseudo`, `none`, a fuzzy
    /// memory match they chose by MateCat's bands (`fuzzy 85-94`), and a suggestion with a fuzzy
    /// match beside it (`machine + fuzzy 75-84`).
    Start,
    /// `src-tgt`.
    Pair,
    Workflow,
    Translator,
    /// `YYYY-MM` of approval.
    Month,
    /// The job (its id): what a distribution of job scores is made of.
    Job,
    /// The job (its id), only the jobs with annotations: the jobs an MQM distribution is made of,
    /// without reading the others.
    AnnotatedJob,
    /// `src-tgt backend YYYY-MM` (the backend as in [`ReportBy::Backend`]): the desk's post-edit
    /// distance by backend over time per pair. [`split_pair_backend_month`] reads the key back.
    PairBackendMonth,
}

/// The fuzzy bands of [`ReportBy::Start`] (MateCat's): the lowest score of each, highest first.
pub const START_BANDS: [(u8, &str); 5] = [(100, "100"), (95, "95-99"), (85, "85-94"), (75, "75-84"), (0, "60-74")];

/// What the translator of a segment started from, as approval records it: the suggestion (its origin,
/// backend and model, and the best fuzzy match shown beside it), or the fuzzy memory match they chose
/// instead ([`Store::start_from_match`](crate::Store::start_from_match)): then the match's text, origin
/// `fuzzy`, no backend (the report groups it as `fuzzy`, apart from exact memory) and its score.
#[derive(Debug, Clone, PartialEq)]
pub struct Start {
    pub text: Option<String>,
    pub origin: String,
    pub backend: Option<String>,
    pub model: Option<String>,
    pub fuzzy: Option<u8>,
    /// A match the translator chose: the suggestion's findings and term forms are not about it, so
    /// no term fix or re-inflection is counted from them.
    pub chosen: bool,
}

impl Start {
    pub fn new(
        suggestion: Option<String>,
        origin: String,
        backend: Option<String>,
        model: Option<String>,
        tm: Option<&[TmMatch]>,
        chosen: Option<(String, u8)>,
    ) -> Start {
        match chosen {
            Some((text, score)) => Start {
                text: Some(text),
                origin: SuggestionOrigin::Fuzzy.as_str().to_string(),
                backend: None,
                model: None,
                fuzzy: Some(score),
                chosen: true,
            },
            None => Start { text: suggestion, origin, backend, model, fuzzy: best_fuzzy(tm), chosen: false },
        }
    }
}

/// The score of the best of the fuzzy memory matches kept with a segment.
fn best_fuzzy(tm: Option<&[TmMatch]>) -> Option<u8> {
    tm?.iter().map(|m| m.score).max()
}

/// The parts of a [`ReportBy::PairBackendMonth`] key: (pair, backend, month). The pair and the month
/// have no spaces, so a backend name with spaces is read back whole.
pub fn split_pair_backend_month(key: &str) -> Option<(&str, &str, &str)> {
    let (pair, rest) = key.split_once(' ')?;
    let (backend, month) = rest.rsplit_once(' ')?;
    Some((pair, backend, month))
}

/// Sums over the approved segments of one group.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct EffortSummary {
    pub key: String,
    pub jobs: u64,
    pub segments: u64,
    pub words: u64,
    pub tokens: u64,
    pub untouched: u64,
    pub word_edits: u64,
    /// Sum of the segments' chrF++ (the report shows the mean).
    pub chrf_sum: f64,
    pub term_fixes: u64,
    /// Terms re-inflected ([`InflectionFix`]).
    pub inflection_fixes: u64,
    /// Seconds and words of the segments whose time per word counts (0.25–30 s, as MateCat).
    pub timed_seconds: f64,
    pub timed_words: u64,
}

/// A glossary concept translators fixed in a period: how often its term was wrong or missing, and
/// how often it was right but wrongly inflected.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FixedTerm {
    pub concept: String,
    pub term_fixes: u64,
    pub inflection_fixes: u64,
}

/// MQM annotations on approved segments of one group, by severity.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AnnotationCount {
    pub key: String,
    pub severity: MqmSeverity,
    pub count: u64,
}

/// One group's figures as the report shows them (`audarma report`, the desk's reports page).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReportRow {
    pub key: String,
    pub jobs: u64,
    pub segments: u64,
    pub words: u64,
    /// Share of segments approved as suggested, 0–1.
    pub untouched: f64,
    /// Token edits over approved tokens (HTER without shifts), 0–1 and more.
    pub hter: f64,
    /// Mean segment chrF++ of the suggestion against the approved text.
    pub chrf: f64,
    /// MQM 2.0 raw score of the group's approved words with their annotations (`None`: no words).
    pub mqm: Option<f64>,
    pub annotations: u64,
    pub critical: u64,
    pub term_fixes_per_100: f64,
    /// Terms re-inflected per 100 segments: the right term in the wrong form.
    pub inflection_fixes_per_100: f64,
    /// Seconds per word over the segments whose time counts (`None`: none timed).
    pub seconds_per_word: Option<f64>,
}

impl ReportRow {
    /// A group's row from its sums and its annotations counted by severity.
    pub fn new(s: &EffortSummary, counts: &[(MqmSeverity, u64)]) -> ReportRow {
        let ratio = |a: f64, b: f64| if b > 0.0 { a / b } else { 0.0 };
        let penalty: u64 = counts.iter().map(|(sev, n)| sev.weight() * n).sum();
        ReportRow {
            key: s.key.clone(),
            jobs: s.jobs,
            segments: s.segments,
            words: s.words,
            untouched: ratio(s.untouched as f64, s.segments as f64),
            hter: ratio(s.word_edits as f64, s.tokens as f64),
            chrf: ratio(s.chrf_sum, s.segments as f64),
            mqm: (s.words > 0).then(|| 100.0 * (1.0 - penalty as f64 / s.words as f64)),
            annotations: counts.iter().map(|(_, n)| n).sum(),
            critical: counts.iter().filter(|(sev, _)| *sev == MqmSeverity::Critical).map(|(_, n)| n).sum(),
            term_fixes_per_100: 100.0 * ratio(s.term_fixes as f64, s.segments as f64),
            inflection_fixes_per_100: 100.0 * ratio(s.inflection_fixes as f64, s.segments as f64),
            seconds_per_word: (s.timed_words > 0).then(|| s.timed_seconds / s.timed_words as f64),
        }
    }
}

/// The report's rows for a grouping and period, from the sums the store makes
/// ([`Store::effort_summary`], [`Store::annotation_counts`]), by key.
pub async fn report_rows(
    store: &dyn Store,
    by: ReportBy,
    since: Option<DateTime<Utc>>,
    until: Option<DateTime<Utc>>,
) -> Result<Vec<ReportRow>> {
    let sums = store.effort_summary(by, since, until).await?;
    let mut counts: BTreeMap<String, Vec<(MqmSeverity, u64)>> = BTreeMap::new();
    for c in store.annotation_counts(by, since, until).await? {
        counts.entry(c.key).or_default().push((c.severity, c.count));
    }
    Ok(sums.iter().map(|s| ReportRow::new(s, counts.get(&s.key).map(Vec::as_slice).unwrap_or_default())).collect())
}

/// Words of a text as the MQM score and the report count them: tokens with a letter or digit.
pub fn words(text: &str) -> u64 {
    word_tokens(&audarma_analytics::tokens(text))
}

/// Of a text's tokens, the words (those with a letter or digit).
fn word_tokens(tokens: &[&str]) -> u64 {
    tokens.iter().filter(|t| t.chars().any(char::is_alphanumeric)).count() as u64
}

/// The MQM score of a job's current text: its annotations against the words of its target
/// segments, passing at `threshold` (MQM 2.0 scoring: any Critical fails).
pub fn job_score(detail: &JobDetail, annotations: &[MqmAnnotation], threshold: f64) -> audarma_analytics::Score {
    let total = detail.segments.iter().filter_map(|s| s.current()).map(words).sum();
    let marked: Vec<audarma_analytics::Annotation> =
        annotations.iter().map(|a| audarma_analytics::Annotation::new(a.error_type, a.severity)).collect();
    audarma_analytics::score(&marked, total, threshold)
}

/// The MQM pass threshold when a workflow does not set `[review] mqm_pass`.
pub const DEFAULT_MQM_PASS: f64 = 95.0;

/// One line: a score and its verdict.
pub fn describe_score(score: &audarma_analytics::Score) -> String {
    let raw = score.raw_score.map(|r| format!("{r:.1}")).unwrap_or_else(|| "–".into());
    format!(
        "MQM {raw} over {} words ({} penalty points; {} critical, {} major, {} minor): {} at {}",
        score.words,
        score.penalty_total,
        score.counts.critical,
        score.counts.major,
        score.counts.minor,
        if score.pass { "pass" } else { "fail" },
        score.threshold
    )
}

/// Approval as reviewers see it, for every front end: a job its reviewers annotated must pass its
/// MQM score at `mqm_pass`, or be approved with a reason (logged with the score as `mqm-override`);
/// then [`Store::approve_job`] (which has its own rule for error findings, with the same reason).
pub async fn approve_reviewed(
    store: &dyn Store,
    job: JobId,
    actor: &str,
    override_reason: Option<&str>,
    mqm_pass: f64,
) -> Result<()> {
    let reason = override_reason.map(str::trim).filter(|r| !r.is_empty());
    let annotations = store.annotations(job).await?;
    if !annotations.is_empty() {
        let score = job_score(&store.job(job).await?, &annotations, mqm_pass);
        if !score.pass {
            match reason {
                None => return Err(StoreError::MqmFailed { job, score: describe_score(&score) }),
                Some(reason) => store.record_mqm_override(job, &score, reason, actor).await?,
            }
        }
    }
    store.approve_job(job, actor, reason).await
}
