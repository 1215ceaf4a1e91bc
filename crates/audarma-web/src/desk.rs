//! What the desk does, once for the JSON API and the pages: each operation checks the caller's role
//! and its input, then calls one `Store` verb. Errors are a [`DeskError`]; the API answers them as
//! JSON with a status, the pages as a page in the user's language.

use crate::view::{self, FindingView, SegmentView};
use crate::{Caller, Desk};
use audarma_analytics::mqm::{ErrorType, Severity as MqmSeverity};
use audarma_core::{JobState, Lang};
use audarma_store::{Comment, Dismissal, FindingRef, JobId, JobSummary, StoreError};
use serde::{Deserialize, Serialize};

/// Text with a stray control character (an escape sequence, a bell) is refused where it enters: it
/// would be stored and later printed to a terminal.
fn refuse_controls(field: &str, text: &str) -> Result<(), DeskError> {
    match audarma_text::stray_control(text) {
        Some(c) => {
            Err(DeskError::BadRequest(format!("{field}: contains the control character U+{:04X}; remove it", c as u32)))
        }
        None => Ok(()),
    }
}

/// Why a desk operation was refused or failed.
#[derive(Debug, thiserror::Error)]
pub enum DeskError {
    /// The caller's role does not allow it (403).
    #[error("{0}")]
    Forbidden(String),
    /// The input is wrong; the message names the field (400).
    #[error("{0}")]
    BadRequest(String),
    /// The input is longer than the desk takes; the message names the field and the limit (413).
    #[error("{0}")]
    TooLarge(String),
    /// The job is not in a state that allows it (409).
    #[error("{0}")]
    WrongState(String),
    /// The store refused or failed (its own status: 404, 409, 422, 500).
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Something on the server failed (500; the message goes to the log, not the client).
    #[error("{0}")]
    Internal(String),
}

#[derive(Serialize)]
pub struct JobView {
    #[serde(flatten)]
    pub summary: JobSummary,
    pub release_source: String,
    pub release_place: Option<String>,
    pub segments: Vec<SegmentView>,
    pub comments: Vec<Comment>,
}

pub async fn job_view(desk: &Desk, id: JobId) -> Result<JobView, DeskError> {
    let detail = desk.store.job(id).await?;
    let segments = view::segments(desk.store.as_ref(), &desk.terms, &detail).await?;
    let comments = desk.store.comments(id).await?;
    Ok(JobView {
        summary: detail.summary,
        release_source: detail.release_source,
        release_place: detail.release_place,
        segments,
        comments,
    })
}

#[derive(Debug, Serialize)]
pub struct Saved {
    pub version: i64,
    pub findings: Vec<FindingView>,
    pub terms: Vec<view::TermView>,
}

/// What a translator's text started from, when the editor says (`start`): the suggestion, or the
/// segment's fuzzy memory match number `k` as the editor lists them (`match-K`, from 0).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StartFrom {
    Suggestion,
    Match(u32),
}

impl StartFrom {
    pub fn parse(s: &str) -> Result<StartFrom, DeskError> {
        match s.trim() {
            "suggestion" => Ok(StartFrom::Suggestion),
            m => m
                .strip_prefix("match-")
                .and_then(|k| k.parse().ok())
                .map(StartFrom::Match)
                .ok_or_else(|| DeskError::BadRequest(format!("start: {s:?} is not suggestion or match-N"))),
        }
    }
}

/// Checks a translator's text and saves it unless the segment changed since `version`, with the
/// seconds spent in the editor when the page or script measured them (more than an hour counts as
/// an hour; `audarma_store::check_edit_seconds`) and what the text started from when the editor says
/// (a fuzzy match used instead of the suggestion: approval measures the post-edit from it).
#[allow(clippy::too_many_arguments)]
pub async fn save_segment(
    desk: &Desk,
    caller: &Caller,
    id: JobId,
    idx: u32,
    text: &str,
    version: i64,
    seconds: Option<f64>,
    start: Option<&str>,
) -> Result<Saved, DeskError> {
    if !caller.role().can_edit() {
        return Err(DeskError::Forbidden(format!("a {} cannot edit translations", caller.user.role)));
    }
    let start = start.filter(|s| !s.trim().is_empty()).map(StartFrom::parse).transpose()?;
    let text = text.trim();
    if text.is_empty() {
        return Err(DeskError::BadRequest("text: the translation is empty".into()));
    }
    refuse_controls("text", text)?;
    let chars = text.chars().count();
    if chars > MAX_SEGMENT_CHARS {
        return Err(DeskError::TooLarge(format!(
            "text: a segment has at most {MAX_SEGMENT_CHARS} characters (this one has {chars})"
        )));
    }
    let (s, seg) = desk.store.job_segment(id, idx).await?;
    // A job someone took is theirs to edit (and a reviewer's); the others may comment.
    if let Some(assignee) = s.assignee.as_deref().filter(|a| *a != caller.user.name) {
        if !caller.role().can_review() {
            return Err(DeskError::Forbidden(format!(
                "job {id} is assigned to {assignee}: only they or a reviewer edit it"
            )));
        }
    }
    let source_lang = seg.source_lang.unwrap_or(s.source_lang);
    // The match used, from the matches the editor lists: checked before anything is saved.
    let chosen = match start {
        Some(StartFrom::Match(k)) => {
            let matches = view::memory_matches(desk.store.as_ref(), &seg, source_lang, s.target_lang).await?;
            let n = matches.len();
            let m = matches.into_iter().nth(k as usize).ok_or_else(|| {
                DeskError::BadRequest(format!("start: segment {idx} of job {id} has no memory match {k} (it has {n})"))
            })?;
            Some(m)
        }
        _ => None,
    };
    // Checking is CPU work: on the blocking pool, so that a long segment never holds up the requests
    // the async workers serve (a health check, another translator's page).
    let (terms, findings) = {
        let (checker, source, target) = (desk.terms.clone(), seg.source.clone(), text.to_string());
        let (tl, date) = (s.target_lang, s.release_date);
        tokio::task::spawn_blocking(move || checker.review(&source, Some(&target), source_lang, tl, date))
            .await
            .map_err(|e| DeskError::Internal(format!("checking the segment: {e}")))?
    };
    let seconds = seconds.and_then(audarma_store::check_edit_seconds);
    let version =
        desk.store.edit_segment_timed(id, idx, text, &findings, Some(version), seconds, &caller.user.name).await?;
    if start.is_some() {
        desk.store.start_from_match(id, idx, chosen.as_ref()).await?;
    }
    // Dismissals hold while the text is the same: saving the same text again keeps them.
    let dismissals = if seg.current() == Some(text) { seg.dismissals } else { Vec::new() };
    Ok(Saved { version, findings: view::findings(&findings, &dismissals, text), terms: view::term_views(&terms) })
}

#[derive(Debug, Deserialize)]
pub struct DismissBody {
    pub check: String,
    pub message: String,
    /// The segment's version the reviewer saw; a segment changed since is refused (409).
    pub version: Option<i64>,
    pub reason: Option<String>,
}

pub const MAX_REASON: usize = 2_000;

/// Marks a finding of a segment's current text "not a problem".
pub async fn dismiss(
    desk: &Desk,
    caller: &Caller,
    id: JobId,
    idx: u32,
    b: &DismissBody,
) -> Result<Dismissal, DeskError> {
    if !caller.role().can_judge_findings() {
        return Err(DeskError::Forbidden(format!("a {} cannot dismiss findings", caller.user.role)));
    }
    if b.check.trim().is_empty() {
        return Err(DeskError::BadRequest("check: the finding's check is missing".into()));
    }
    let check: audarma_core::Check = b
        .check
        .trim()
        .parse()
        .map_err(|e: audarma_core::ParseCheckError| DeskError::BadRequest(format!("check: {e}")))?;
    if b.message.is_empty() {
        return Err(DeskError::BadRequest("message: the finding's message is missing".into()));
    }
    if b.reason.as_deref().is_some_and(|r| r.chars().count() > MAX_REASON) {
        return Err(DeskError::BadRequest(format!("reason: at most {MAX_REASON} characters")));
    }
    let finding = FindingRef { check, message: b.message.clone() };
    Ok(desk.store.dismiss_finding(id, idx, &finding, b.version, b.reason.as_deref(), &caller.user.name).await?)
}

/// Findings raised and dismissed for one check and language pair.
#[derive(Debug, Clone, Serialize)]
pub struct FindingStat {
    pub check: audarma_core::Check,
    pub source: &'static str,
    pub target: &'static str,
    pub raised: u64,
    pub dismissed: u64,
    /// dismissed / raised, 0 when nothing was raised.
    pub dismissed_share: f64,
}

pub async fn finding_stats(desk: &Desk) -> Result<Vec<FindingStat>, DeskError> {
    Ok(desk
        .store
        .finding_counts()
        .await?
        .into_iter()
        .map(|c| FindingStat {
            dismissed_share: if c.raised == 0 { 0.0 } else { c.dismissed as f64 / c.raised as f64 },
            check: c.check,
            source: c.source_lang.code(),
            target: c.target_lang.code(),
            raised: c.raised,
            dismissed: c.dismissed,
        })
        .collect())
}

pub const MAX_WORD: usize = 64;

/// One word: letters (and the marks, hyphens and apostrophes inside words), at most [`MAX_WORD`].
pub fn check_word(word: &str) -> Result<&str, DeskError> {
    let word = word.trim();
    if word.is_empty() {
        return Err(DeskError::BadRequest("word: the word is empty".into()));
    }
    if word.chars().count() > MAX_WORD {
        return Err(DeskError::BadRequest(format!("word: at most {MAX_WORD} characters")));
    }
    let inner = |c: char| c.is_alphanumeric() || matches!(c, '-' | '\'' | '’' | '\u{301}');
    if !word.chars().all(inner) || !word.chars().any(char::is_alphabetic) {
        return Err(DeskError::BadRequest(format!("word: {word:?} is not one word (letters, hyphens, apostrophes)")));
    }
    Ok(word)
}

/// Adds a word to a language's word list; `true` when it was new.
pub async fn add_word(desk: &Desk, caller: &Caller, lang: Lang, word: &str) -> Result<bool, DeskError> {
    if !caller.role().can_judge_findings() {
        return Err(DeskError::Forbidden(format!("a {} cannot add words", caller.user.role)));
    }
    let word = check_word(word)?;
    Ok(desk.store.add_word(lang, word, &caller.user.name).await?)
}

pub async fn approve(desk: &Desk, caller: &Caller, id: JobId, reason: Option<&str>) -> Result<(), DeskError> {
    if !caller.role().can_review() {
        return Err(DeskError::Forbidden(format!("a {} cannot approve jobs", caller.user.role)));
    }
    let reason = reason.map(str::trim).filter(|r| !r.is_empty());
    Ok(audarma_store::approve_reviewed(desk.store.as_ref(), id, &caller.user.name, reason, desk.config.mqm_pass)
        .await?)
}

pub async fn reject(desk: &Desk, caller: &Caller, id: JobId, reason: &str) -> Result<(), DeskError> {
    if !caller.role().can_review() {
        return Err(DeskError::Forbidden(format!("a {} cannot reject jobs", caller.user.role)));
    }
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(DeskError::BadRequest("reason: rejecting a job needs a reason".into()));
    }
    Ok(desk.store.reject_job(id, reason, &caller.user.name).await?)
}

/// Reviewers assign anyone; translators take a job nobody has, or give their own back. Approved jobs
/// are not reassigned.
pub async fn assign(desk: &Desk, caller: &Caller, id: JobId, assignee: Option<&str>) -> Result<(), DeskError> {
    let assignee = assignee.map(str::trim).filter(|a| !a.is_empty());
    let role = caller.role();
    if !role.can_edit() {
        return Err(DeskError::Forbidden(format!("a {} cannot take jobs", caller.user.role)));
    }
    let job = desk.store.job_summary(id).await?;
    if job.state == JobState::Approved {
        return Err(DeskError::WrongState(format!("job {id} is approved")));
    }
    if !role.can_review() {
        let me = caller.user.name.as_str();
        let refused = || {
            DeskError::Forbidden(
                "translators may take a job nobody has, or give their own back; a reviewer assigns the rest".into(),
            )
        };
        match assignee {
            Some(a) if a == me && job.assignee.as_deref().is_none_or(|c| c == me) => {
                // One conditional write: of two translators taking the job at once exactly one gets it,
                // the other a 409 saying who has it.
                return Ok(desk.store.take_job(id, me, me).await?);
            }
            None if job.assignee.as_deref() == Some(me) => {}
            _ => return Err(refused()),
        }
    }
    Ok(desk.store.assign_job(id, assignee, &caller.user.name).await?)
}

pub const MAX_COMMENT: usize = 10_000;

/// The longest segment a translator may save: a sentence, or a long paragraph kept as one. QA and the
/// history's word diff grow faster than the text, so the bound keeps each of them to milliseconds.
pub const MAX_SEGMENT_CHARS: usize = 5_000;

pub async fn comment(
    desk: &Desk,
    caller: &Caller,
    id: JobId,
    body: &str,
    segment: Option<u32>,
) -> Result<Comment, DeskError> {
    let body = body.trim();
    if body.is_empty() {
        return Err(DeskError::BadRequest("body: the comment is empty".into()));
    }
    refuse_controls("body", body)?;
    if body.chars().count() > MAX_COMMENT {
        return Err(DeskError::TooLarge(format!("body: a comment has at most {MAX_COMMENT} characters")));
    }
    Ok(desk.store.add_comment(id, segment, body, &caller.user.name).await?)
}

fn admin_only(caller: &Caller) -> Result<(), DeskError> {
    if caller.role().can_manage_users() {
        Ok(())
    } else {
        Err(DeskError::Forbidden(format!("a {} cannot manage users", caller.user.role)))
    }
}

/// Users as the admin sees them (no hashes).
#[derive(Debug, Serialize)]
pub struct UserView {
    pub name: String,
    pub role: audarma_core::Role,
    pub locale: Option<String>,
    pub disabled: bool,
}

pub async fn list_users(desk: &Desk, caller: &Caller) -> Result<Vec<UserView>, DeskError> {
    admin_only(caller)?;
    Ok(desk
        .store
        .users()
        .await?
        .into_iter()
        .map(|u| UserView { name: u.name, role: u.role, locale: u.locale, disabled: u.disabled })
        .collect())
}

#[derive(Debug, Deserialize)]
pub struct NewUser {
    pub name: String,
    pub role: String,
    pub password: String,
}

pub async fn add_user(desk: &Desk, caller: &Caller, u: &NewUser) -> Result<UserView, DeskError> {
    admin_only(caller)?;
    let name = u.name.trim();
    let role =
        crate::auth::check_new_user(name, &u.role, &u.password).map_err(|e| DeskError::BadRequest(e.to_string()))?;
    let password = u.password.clone();
    let hash = tokio::task::spawn_blocking(move || crate::auth::hash_password(&password))
        .await
        .map_err(|e| DeskError::Internal(e.to_string()))?
        .map_err(|e| DeskError::Internal(e.to_string()))?;
    let user = desk.store.add_user(name, role, &hash, &caller.user.name).await?;
    Ok(UserView { name: user.name, role: user.role, locale: None, disabled: false })
}

pub async fn set_role(desk: &Desk, caller: &Caller, name: &str, role: &str) -> Result<(), DeskError> {
    admin_only(caller)?;
    let role = crate::auth::check_role(role).map_err(|e| DeskError::BadRequest(e.to_string()))?;
    if name == caller.user.name && role != audarma_core::Role::Admin {
        return Err(DeskError::BadRequest("role: admins cannot take their own admin role away".into()));
    }
    Ok(desk.store.set_user_role(name, role, &caller.user.name).await?)
}

/// Disables or enables a user (admins; not themselves): a disabled user cannot log in, their sessions
/// end and their tokens stop working.
pub async fn set_disabled(desk: &Desk, caller: &Caller, name: &str, disabled: bool) -> Result<(), DeskError> {
    admin_only(caller)?;
    if disabled && name == caller.user.name {
        return Err(DeskError::BadRequest("user: admins cannot disable themselves".into()));
    }
    Ok(desk.store.set_user_disabled(name, disabled, &caller.user.name).await?)
}

/// Ends every session of a user: an admin for anyone, anyone for themselves.
pub async fn end_sessions(desk: &Desk, caller: &Caller, name: &str) -> Result<usize, DeskError> {
    if name != caller.user.name {
        admin_only(caller)?;
    }
    Ok(desk.store.end_sessions(name, &caller.user.name).await?)
}

/// A new feed token for the caller (any role: the feed shows only their own jobs), replacing the old one;
/// the token itself, to be shown once.
pub async fn new_feed_token(desk: &Desk, caller: &Caller) -> Result<String, DeskError> {
    let (token, hash) = crate::auth::new_feed_token();
    desk.store.set_feed_token(&caller.user.name, &hash, &caller.user.name).await?;
    Ok(token)
}

/// The caller's own open sessions.
pub async fn my_sessions(desk: &Desk, caller: &Caller) -> Result<Vec<audarma_store::SessionInfo>, DeskError> {
    Ok(desk.store.sessions_of(&caller.user.name).await?)
}

#[derive(Debug, Deserialize)]
pub struct PasswordChange {
    pub current: String,
    pub new: String,
}

/// Changes the caller's own password: the current one must be given; every session ends (log in again).
pub async fn change_password(desk: &Desk, caller: &Caller, change: &PasswordChange) -> Result<(), DeskError> {
    crate::auth::check_password(&change.new).map_err(|e| DeskError::BadRequest(format!("new {e}")))?;
    let (current, stored) = (change.current.clone(), caller.user.password_hash.clone());
    let ok = tokio::task::spawn_blocking(move || crate::auth::verify_password(&current, &stored))
        .await
        .map_err(|e| DeskError::Internal(e.to_string()))?;
    if !ok {
        return Err(DeskError::Forbidden("current: the current password is wrong".into()));
    }
    let new = change.new.clone();
    let hash = tokio::task::spawn_blocking(move || crate::auth::hash_password(&new))
        .await
        .map_err(|e| DeskError::Internal(e.to_string()))?
        .map_err(|e| DeskError::Internal(e.to_string()))?;
    Ok(desk.store.set_password(&caller.user.name, &hash, &caller.user.name).await?)
}

/// Every token (or one user's), for admins: never the token or its hash.
pub async fn tokens(
    desk: &Desk,
    caller: &Caller,
    user: Option<&str>,
) -> Result<Vec<audarma_store::TokenInfo>, DeskError> {
    admin_only(caller)?;
    Ok(desk.store.tokens(user).await?)
}

/// Revokes a token (admins): it stops working at once.
pub async fn revoke_token(desk: &Desk, caller: &Caller, id: i64) -> Result<(), DeskError> {
    admin_only(caller)?;
    Ok(desk.store.revoke_token(id, &caller.user.name).await?)
}

/// Sets a user's password (admins; a reset for someone who lost theirs): their sessions end.
pub async fn reset_password(desk: &Desk, caller: &Caller, name: &str, new: &str) -> Result<(), DeskError> {
    admin_only(caller)?;
    crate::auth::check_password(new).map_err(|e| DeskError::BadRequest(e.to_string()))?;
    let new = new.to_string();
    let hash = tokio::task::spawn_blocking(move || crate::auth::hash_password(&new))
        .await
        .map_err(|e| DeskError::Internal(e.to_string()))?
        .map_err(|e| DeskError::Internal(e.to_string()))?;
    Ok(desk.store.set_password(name, &hash, &caller.user.name).await?)
}

/// The largest XLIFF file the desk takes for import.
pub const MAX_XLIFF_BYTES: usize = 8 * 1024 * 1024;

/// A job as an XLIFF file for a CAT tool: its name and bytes. Anyone who may see the job may export it.
pub async fn export_xliff(
    desk: &Desk,
    id: JobId,
    options: audarma_xliff::Options,
) -> Result<(String, Vec<u8>), DeskError> {
    let detail = desk.store.job(id).await?;
    let comments = desk.store.comments(id).await?;
    let doc = audarma_xliff::Document::from_job(&detail, &comments);
    Ok((audarma_xliff::file_name(&doc), audarma_xliff::write(&doc, &options)))
}

/// Imports an XLIFF file exported for job `id`, as `audarma xliff import` does: every changed target
/// becomes a checked, versioned edit under the caller's name; a segment changed since the export is a
/// conflict, not overwritten. A file for another job or language pair, with a modified source, or
/// that is not an audarma XLIFF file is refused whole (400) and nothing is written.
pub async fn import_xliff(
    desk: &Desk,
    caller: &Caller,
    id: JobId,
    bytes: &[u8],
) -> Result<audarma_xliff::Imported, DeskError> {
    if !caller.role().can_edit() {
        return Err(DeskError::Forbidden(format!("a {} cannot edit translations", caller.user.role)));
    }
    if bytes.len() > MAX_XLIFF_BYTES {
        return Err(DeskError::TooLarge(format!("file: at most {MAX_XLIFF_BYTES} bytes")));
    }
    let doc = audarma_xliff::read(bytes).map_err(|e| DeskError::BadRequest(format!("file: {e}")))?;
    let detail = desk.store.job(id).await?;
    let s = &detail.summary;
    if let Some(assignee) = s.assignee.as_deref().filter(|a| *a != caller.user.name) {
        if !caller.role().can_review() {
            return Err(DeskError::Forbidden(format!(
                "job {id} is assigned to {assignee}: only they or a reviewer edit it"
            )));
        }
    }
    let mut plan = audarma_xliff::plan(&doc, &detail, Some(id)).map_err(|e| match e {
        audarma_xliff::Refusal::NotInReview { .. } => DeskError::WrongState(e.to_string()),
        e => DeskError::BadRequest(format!("file: {e}")),
    })?;
    // The desk's limit on a segment holds for imported text too.
    let (fit, long): (Vec<_>, Vec<_>) = plan.edits.drain(..).partition(|e| e.text.chars().count() <= MAX_SEGMENT_CHARS);
    plan.edits = fit;
    for e in long {
        plan.refused.push(audarma_xliff::RefusedUnit {
            segment: e.segment,
            line: 0,
            reason: format!("unit s{}: a segment has at most {MAX_SEGMENT_CHARS} characters", e.segment),
        });
    }
    // Checking is CPU work: on the blocking pool, as a single edit's is.
    let jobs: Vec<(String, audarma_core::Lang, String)> = plan
        .edits
        .iter()
        .map(|e| {
            let seg = detail.segments.iter().find(|g| g.idx == e.segment);
            let source = seg.map(|g| g.source.clone()).unwrap_or_default();
            let lang = seg.and_then(|g| g.source_lang).unwrap_or(s.source_lang);
            (source, lang, e.text.clone())
        })
        .collect();
    let (checker, tl, date) = (desk.terms.clone(), s.target_lang, s.release_date);
    let findings = tokio::task::spawn_blocking(move || {
        jobs.iter().map(|(src, sl, text)| checker.review(src, Some(text), *sl, tl, date).1).collect::<Vec<_>>()
    })
    .await
    .map_err(|e| DeskError::Internal(format!("checking the segments: {e}")))?;
    Ok(audarma_xliff::apply(desk.store.as_ref(), &plan, &findings, &caller.user.name).await?)
}

/// A finding named by its check and message, as a page or a script sends it.
#[derive(Debug, Clone, Deserialize)]
pub struct FindingName {
    pub check: String,
    pub message: String,
}

/// An MQM annotation to add to a segment, as the API and the pages send it: an error type and a
/// severity, or a QA finding of the segment's current text accepted as an annotation (its error type
/// and severity preset by `audarma_analytics::preset`, its span the finding's; a type or severity
/// given too overrides the preset).
#[derive(Debug, Default, Deserialize)]
pub struct AnnotationBody {
    pub segment: u32,
    /// The stable name of an MQM error type (`terminology/wrong-inflection`).
    #[serde(rename = "type")]
    pub error_type: Option<String>,
    /// `neutral`, `minor`, `major` or `critical`.
    pub severity: Option<String>,
    /// Character offsets `[start, end)` in the segment's current text.
    pub span: Option<(u32, u32)>,
    /// The text the reviewer marked: the span is where it stands in the current text (at `span`'s
    /// start when it stands there, else its first occurrence).
    pub marked: Option<String>,
    pub note: Option<String>,
    pub finding: Option<FindingName>,
}

pub const MAX_NOTE: usize = 2_000;

/// Where `marked` (or, without it, `span`) lies in `text`, in characters; `None` for the whole segment.
pub fn resolve_span(
    text: &str,
    span: Option<(u32, u32)>,
    marked: Option<&str>,
) -> Result<Option<(u32, u32)>, DeskError> {
    let chars: Vec<char> = text.chars().collect();
    let len = chars.len();
    match marked.filter(|m| !m.trim().is_empty()) {
        Some(m) => {
            let want: Vec<char> = m.chars().collect();
            let n = want.len();
            let at = |s: usize| chars.get(s..s + n).is_some_and(|c| c == want.as_slice());
            let start = span
                .map(|(s, _)| s as usize)
                .filter(|&s| at(s))
                .or_else(|| (0..len.saturating_sub(n) + 1).find(|&s| at(s)))
                .ok_or_else(|| DeskError::BadRequest(format!("marked: “{m}” is not in the segment's current text")))?;
            Ok(Some((start as u32, (start + n) as u32)))
        }
        None => match span {
            Some((s, e)) if s > e || e as usize > len => Err(DeskError::BadRequest(format!(
                "span: {s}..{e} is not inside the segment's current text ({len} characters)"
            ))),
            other => Ok(other),
        },
    }
}

/// Adds a reviewer's MQM annotation to a segment (reviewers and admins, as approving is theirs).
pub async fn add_annotation(
    desk: &Desk,
    caller: &Caller,
    id: JobId,
    b: &AnnotationBody,
) -> Result<audarma_store::MqmAnnotation, DeskError> {
    if !caller.role().can_review() {
        return Err(DeskError::Forbidden(format!("a {} cannot annotate MQM errors", caller.user.role)));
    }
    let parse_type = |t: &str| t.trim().parse::<ErrorType>().map_err(|e| DeskError::BadRequest(format!("type: {e}")));
    let parse_severity =
        |s: &str| s.trim().parse::<MqmSeverity>().map_err(|e| DeskError::BadRequest(format!("severity: {e}")));
    let given = |o: &Option<String>| o.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string);
    let error_type = given(&b.error_type).map(|t| parse_type(&t)).transpose()?;
    let severity = given(&b.severity).map(|s| parse_severity(&s)).transpose()?;
    let note = given(&b.note);
    if let Some(n) = &note {
        refuse_controls("note", n)?;
        if n.chars().count() > MAX_NOTE {
            return Err(DeskError::BadRequest(format!("note: at most {MAX_NOTE} characters")));
        }
    }
    let (_, seg) = desk.store.job_segment(id, b.segment).await?;
    let text = seg.current().unwrap_or_default();
    let (error_type, severity, span) = match &b.finding {
        Some(name) => {
            let check: audarma_core::Check = name
                .check
                .trim()
                .parse()
                .map_err(|e: audarma_core::ParseCheckError| DeskError::BadRequest(format!("check: {e}")))?;
            let f = seg
                .findings
                .iter()
                .find(|f| f.check == check && f.message == name.message)
                .ok_or(StoreError::NoSuchFinding { job: id, segment: b.segment, check })?;
            let preset = audarma_analytics::preset(f);
            let span = f.start.zip(f.end).map(|(s, e)| (s as u32, e as u32));
            (error_type.unwrap_or(preset.error_type), severity.unwrap_or(preset.severity), span)
        }
        None => (
            error_type.ok_or_else(|| DeskError::BadRequest("type: choose an MQM error type".into()))?,
            severity.ok_or_else(|| DeskError::BadRequest("severity: choose a severity".into()))?,
            resolve_span(text, b.span, b.marked.as_deref())?,
        ),
    };
    let new = audarma_store::NewAnnotation { idx: b.segment, span, error_type, severity, note };
    Ok(desk.store.add_annotation(id, &new, &caller.user.name).await?)
}

/// Removes an annotation (reviewers and admins); the event log keeps it.
pub async fn remove_annotation(desk: &Desk, caller: &Caller, id: JobId, annotation: i64) -> Result<(), DeskError> {
    if !caller.role().can_review() {
        return Err(DeskError::Forbidden(format!("a {} cannot remove MQM annotations", caller.user.role)));
    }
    Ok(desk.store.remove_annotation(id, annotation, &caller.user.name).await?)
}

/// An annotation as the desk shows it: the stored annotation and the text it marks in the current
/// text (`None` for the whole segment, or when the text changed since it was made: `stale`).
#[derive(Debug, Clone, Serialize)]
pub struct AnnotationView {
    #[serde(flatten)]
    pub annotation: audarma_store::MqmAnnotation,
    pub marked: Option<String>,
    /// The segment's text changed since the annotation was made: its span is of an earlier text.
    pub stale: bool,
}

/// A job's MQM review: its annotations and its score at the desk's pass threshold.
#[derive(Debug, Clone, Serialize)]
pub struct MqmView {
    pub job: JobId,
    pub score: audarma_analytics::Score,
    pub annotations: Vec<AnnotationView>,
}

pub async fn mqm(desk: &Desk, id: JobId) -> Result<MqmView, DeskError> {
    let detail = desk.store.job(id).await?;
    let annotations = desk.store.annotations(id).await?;
    let score = audarma_store::job_score(&detail, &annotations, desk.config.mqm_pass);
    let annotations = annotations
        .into_iter()
        .map(|a| {
            let seg = detail.segments.iter().find(|s| s.idx == a.idx);
            let stale = seg.is_none_or(|s| s.current_hash() != a.text_hash);
            let marked = seg.and_then(|s| s.current()).filter(|_| !stale).and_then(|text| a.marked(text));
            AnnotationView { annotation: a, marked, stale }
        })
        .collect();
    Ok(MqmView { job: id, score, annotations })
}
