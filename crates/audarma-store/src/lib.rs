//! The persistence seam of audarma.
//!
//! [`Store`] is a trait of business verbs (`insert_release`, `claim_next_job`, `approve_job`, …), not of
//! tables. Callers (pipeline, CLI, server) only ever see this trait; each database has its own crate
//! (`audarma-store-sqlite` today, a PostgreSQL one later) with its own migrations. Every verb that
//! changes a job's state checks the transition against [`audarma_core::JobState`] and appends to the
//! event log in the same transaction, so the log and the state can never disagree.

pub mod analytics;
pub mod export;
pub mod notify;
pub mod tm_tsv;

use async_trait::async_trait;
use audarma_core::{Check, Finding, JobState, Lang, Release, Role, Severity, SuggestionOrigin, TermResult};

pub use analytics::{
    approve_reviewed, describe_score, job_score, report_rows, segment_effort, split_pair_backend_month, words,
    AnnotationCount, Effort, EffortInput, EffortSummary, FixedTerm, InflectionFix, MqmAnnotation, NewAnnotation,
    ReportBy, ReportRow, SegmentEffort, Start, DEFAULT_MQM_PASS, START_BANDS,
};
pub use audarma_core::TmMatch;
use chrono::{DateTime, NaiveDate, Utc};
pub use notify::{
    idempotency_key, state_told, Attempt, Delivery, DeliveryFilter, DeliveryRecord, DeliveryState, FeedItem, Hook,
    NotifyEvent, DEADLINE_EVENT, RUN_FAILED_EVENT,
};
use serde::Serialize;

mod fuzzy;
pub use fuzzy::{
    choose_terms, fuzzy_matches, fuzzy_score, index_text, length_window, postings, rank_fuzzy, term_key, IndexedText,
    Posting, Scorer, FUZZY_CANDIDATES, FUZZY_MIN_WORD_CHARS, POSTINGS_BUDGET, TERMS_ALWAYS, TERMS_AT_MOST,
};

pub type ReleaseId = i64;
pub type JobId = i64;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("job {0} does not exist")]
    NoSuchJob(JobId),
    #[error("job {job} has no segment {segment}")]
    NoSuchSegment { job: JobId, segment: u32 },
    #[error("segment {segment} of job {job} has {chars} characters: the span {start}..{end} is not inside it")]
    BadSpan { job: JobId, segment: u32, start: u32, end: u32, chars: u32 },
    #[error("job {job} has no annotation {id}")]
    NoSuchAnnotation { job: JobId, id: i64 },
    #[error("job {job} fails its MQM review: {score}; approve with an override reason to publish it anyway")]
    MqmFailed { job: JobId, score: String },
    #[error("segment {segment} of job {job} has no {check} finding with that message on its current text")]
    NoSuchFinding { job: JobId, segment: u32, check: Check },
    #[error("job {job} is {state}: {action} needs a job in {needed}")]
    WrongState { job: JobId, state: JobState, action: &'static str, needed: &'static str },
    #[error("segment {segment} of job {job} was changed by someone else (version {current}, you had {expected})")]
    Conflict { job: JobId, segment: u32, expected: i64, current: i64 },
    /// Approval refused: `errors` findings block it ([`is_blocking`]), in `segments` (in order).
    #[error(
        "job {job} cannot be approved: {errors} error finding(s) in segment(s) {}; fix them or approve with an override reason",
        comma_list(.segments)
    )]
    Blocked { job: JobId, errors: usize, segments: Vec<u32> },
    #[error("job {job} cannot be approved: {empty} segment(s) have no translation yet")]
    Incomplete { job: JobId, empty: usize },
    #[error("job {0} is no longer leased to this run (its lease expired and another run took it)")]
    LeaseLost(JobId),
    /// Someone else has the job a user tried to take.
    #[error("job {job} is already taken by {by}")]
    Taken { job: JobId, by: String },
    /// A queue search longer than every store answers ([`check_search`]).
    #[error("search: {0}")]
    BadSearch(String),
    #[error("user {0:?} already exists")]
    UserExists(String),
    #[error("no user named {0:?}")]
    NoSuchUser(String),
    #[error("no token {0}")]
    NoSuchToken(i64),
    #[error("no webhook delivery {0}")]
    NoSuchDelivery(i64),
    /// Another process claimed the delivery after this one's lease ran out: its attempt stands.
    #[error("webhook delivery {0} is no longer leased to this process (its lease ran out and another claimed it)")]
    DeliveryLeaseLost(i64),
    /// The database failed (its error kept as the source).
    #[error("database: {0}")]
    Database(#[source] Box<dyn std::error::Error + Send + Sync>),
    /// A stored value cannot be read back (a malformed timestamp, JSON that is not the record it
    /// should be, an unknown role): the database was changed outside audarma or is damaged.
    #[error("the database holds an unreadable {what}: {detail}")]
    Corrupt { what: &'static str, detail: String },
}

impl StoreError {
    /// [`StoreError::Blocked`] from each blocking segment's findings (see [`blocking_findings`]).
    pub fn blocked(job: JobId, blocking: &[(u32, Vec<Finding>)]) -> StoreError {
        StoreError::Blocked {
            job,
            errors: blocking.iter().map(|(_, f)| f.len()).sum(),
            segments: blocking.iter().map(|(i, _)| *i).collect(),
        }
    }
}

fn comma_list(items: &[u32]) -> String {
    items.iter().map(u32::to_string).collect::<Vec<_>>().join(", ")
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// What `insert_release` did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Inserted {
    New {
        id: ReleaseId,
    },
    /// A release with the same content hash was already stored; nothing was written.
    Existing {
        id: ReleaseId,
    },
}

impl Inserted {
    pub fn id(self) -> ReleaseId {
        match self {
            Inserted::New { id } | Inserted::Existing { id } => id,
        }
    }
}

/// A stored source segment: segment 0 is the title, then the body sentences in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SourceSegment {
    pub idx: u32,
    /// The paragraph the sentence belongs to; `None` for the title.
    pub paragraph: Option<u32>,
    pub text: String,
    /// The segment's language when it differs from the release's.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lang: Option<Lang>,
}

/// The worker a job is leased to (a run's `host:pid`): only it may complete, fail or release the job
/// while it holds the lease. Not the same thing as the actor an event is logged under, though a run
/// acts under its worker id; the type keeps the two from being swapped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct LeaseOwner<'a>(pub &'a str);

impl<'a> LeaseOwner<'a> {
    pub fn as_str(&self) -> &'a str {
        self.0
    }
}

impl std::fmt::Display for LeaseOwner<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0)
    }
}

/// How many times a job may lose its worker mid-translation (its lease running out: the worker was
/// killed, crashed or stalled) before the store fails it instead of queueing it again: a release that
/// crashes every worker that takes it must not take them down one after another for ever.
pub const MAX_CRASHES: u32 = 3;

/// One claim of a job: the worker it is leased to and which claim of the job it is. Completing,
/// failing or handing back a job is fenced by both, so neither another worker nor this worker's own
/// earlier claim (its lease ran out and the job was claimed again) can overwrite the job.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Lease<'a> {
    pub owner: LeaseOwner<'a>,
    /// The job's claims so far, this one included (1 for the first).
    pub attempt: u32,
}

/// A job handed to one worker; nobody else will translate it while the lease holds.
#[derive(Debug, Clone, Serialize)]
pub struct ClaimedJob {
    /// Which claim of the job this is (1 for the first): with the owner, what fences its completion.
    pub attempt: u32,
    pub id: JobId,
    pub release_id: ReleaseId,
    pub source_lang: Lang,
    pub target_lang: Lang,
    pub release_date: Option<NaiveDate>,
    pub segments: Vec<SourceSegment>,
}

impl ClaimedJob {
    /// This claim's lease, held by `owner` (the worker that claimed it).
    pub fn lease<'a>(&self, owner: &'a str) -> Lease<'a> {
        Lease { owner: LeaseOwner(owner), attempt: self.attempt }
    }
}

/// The machine's offer for one target segment, as the pipeline saves it.
#[derive(Debug, Clone, Serialize)]
pub struct Suggestion {
    pub idx: u32,
    pub text: Option<String>,
    pub origin: SuggestionOrigin,
    /// The backend that produced it (`pseudo`, `memory`, `deepl`, …).
    pub backend: Option<String>,
    /// The backend's model, where it has one.
    pub model: Option<String>,
    /// Glossary terms found in the source segment and what they must become.
    pub terms: Vec<TermResult>,
    /// QA findings on the suggestion.
    pub findings: Vec<Finding>,
    /// Fuzzy translation-memory matches of the source found at translation time; `None` when not
    /// looked up.
    pub tm: Option<Vec<TmMatch>>,
}

#[derive(Debug, Clone, Default)]
pub struct JobFilter {
    pub state: Option<JobState>,
    pub target_lang: Option<Lang>,
    pub workflow: Option<String>,
    /// The jobs of one release.
    pub release: Option<ReleaseId>,
    /// Jobs assigned to this user.
    pub assignee: Option<String>,
    /// A queue search: words the job's release must contain. The contract every store keeps (pinned by
    /// `audarma-store-tests/tests/it/search.rs`, on every store):
    /// - The text is split at whitespace into words; every word is required (AND), in any order. No
    ///   words (empty or blank text): no condition.
    /// - A word of three characters or more matches anywhere in the release's title or body (two
    ///   words may match in different ones), as a substring (`ранзит` finds `транзите`), ignoring
    ///   case in every script (Latin, Cyrillic, Kazakh `Қ`/`қ`). Letters are not folded into others:
    ///   `қ` is not `к`, `ә` is not `а`.
    /// - A word of one or two characters matches the title only, as a substring. (SQLite folds case
    ///   only in ASCII letters here; that is a limitation, not part of the contract.)
    /// - The text is data, never syntax: punctuation belongs to the word it is written with (`грузов.`
    ///   is not `грузов,`); quotes, `%`, `_`, `*`, `OR`, `NOT` are searched for as written.
    ///
    /// - At most [`MAX_SEARCH_WORDS`] words and [`MAX_SEARCH_CHARS`] characters: a longer search is
    ///   refused ([`check_search`], [`StoreError::BadSearch`]) by the store and, earlier, by the desk.
    ///
    /// SQLite: FTS5 trigram index over titles and bodies for the long words, `LIKE` on titles for the
    /// short ones.
    pub text: Option<String>,
    pub sort: JobSort,
    pub limit: Option<u32>,
    pub offset: u32,
}

/// The most words a queue search may have: each is a condition, and a thousand of them made SQLite's
/// expression tree too large (a 500 for the desk).
pub const MAX_SEARCH_WORDS: usize = 16;
/// The longest queue search, in characters.
pub const MAX_SEARCH_CHARS: usize = 256;

/// Whether a queue search is within what every store answers.
pub fn check_search(text: &str) -> Result<()> {
    let words = text.split_whitespace().count();
    if words > MAX_SEARCH_WORDS {
        return Err(StoreError::BadSearch(format!("at most {MAX_SEARCH_WORDS} words (this one has {words})")));
    }
    let chars = text.chars().count();
    if chars > MAX_SEARCH_CHARS {
        return Err(StoreError::BadSearch(format!("at most {MAX_SEARCH_CHARS} characters (this one has {chars})")));
    }
    Ok(())
}

/// The order of a job list.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JobSort {
    /// Oldest first: the order jobs arrived in.
    #[default]
    Id,
    /// Highest priority first, then oldest.
    Priority,
    /// Newest release date first.
    Date,
    /// Nearest deadline first; jobs without one last.
    Deadline,
}

impl JobSort {
    pub fn parse(s: &str) -> Option<JobSort> {
        Some(match s {
            "id" => JobSort::Id,
            "priority" => JobSort::Priority,
            "date" => JobSort::Date,
            "deadline" => JobSort::Deadline,
            _ => return None,
        })
    }
}

/// How many jobs are in one state for one target language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JobCount {
    pub state: JobState,
    pub target_lang: Lang,
    pub jobs: u64,
}

/// A translator's note on a job or one of its segments.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Comment {
    pub id: i64,
    pub job_id: JobId,
    pub segment: Option<u32>,
    pub author: String,
    pub body: String,
    pub at: DateTime<Utc>,
}

/// A logged-in browser: who, and the CSRF token its forms must carry.
#[derive(Debug, Clone, Serialize)]
pub struct Session {
    pub user: User,
    #[serde(skip)]
    pub csrf: String,
    pub expires_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize)]
pub struct JobSummary {
    pub id: JobId,
    pub release_id: ReleaseId,
    pub title: String,
    pub release_date: Option<NaiveDate>,
    pub source_lang: Lang,
    pub target_lang: Lang,
    pub state: JobState,
    pub workflow: String,
    pub segments: u32,
    pub edited: u32,
    pub error: Option<String>,
    pub updated_at: DateTime<Utc>,
    pub assignee: Option<String>,
    pub priority: i64,
    pub deadline: Option<NaiveDate>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TargetSegment {
    pub idx: u32,
    pub paragraph: Option<u32>,
    pub source: String,
    /// The source segment's language when it differs from the release's.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_lang: Option<Lang>,
    pub suggestion: Option<String>,
    pub origin: SuggestionOrigin,
    pub backend: Option<String>,
    /// The translator's text, when edited; otherwise the suggestion stands.
    pub edited: Option<String>,
    pub version: i64,
    pub terms: Vec<TermResult>,
    pub findings: Vec<Finding>,
    /// Fuzzy translation-memory matches stored when the segment was translated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tm: Option<Vec<TmMatch>>,
    /// The findings a reviewer marked "not a problem" for the current text (dismissals of an earlier
    /// text no longer apply and are not listed).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub dismissals: Vec<Dismissal>,
}

impl TargetSegment {
    /// The text that would be published now: the edit if there is one, else the suggestion.
    pub fn current(&self) -> Option<&str> {
        self.edited.as_deref().or(self.suggestion.as_deref())
    }

    /// The hash of the current text, which dismissals are tied to.
    pub fn current_hash(&self) -> String {
        text_hash(self.current().unwrap_or_default())
    }

    /// The dismissal of one stored finding, if a reviewer marked it "not a problem" for this text.
    pub fn dismissal_of(&self, finding: &Finding) -> Option<&Dismissal> {
        self.dismissals.iter().find(|d| d.matches(finding))
    }

    /// The findings that block approval: see [`blocking_findings`].
    pub fn blocking_findings(&self) -> Vec<Finding> {
        blocking_findings(&self.findings, &self.dismissals)
    }
}

/// A finding's identity on one segment: its check and its message (on one text of the segment, which
/// the store ties it to).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct FindingRef {
    pub check: Check,
    pub message: String,
}

impl FindingRef {
    /// Whether a stored finding is this one.
    pub fn matches(&self, finding: &Finding) -> bool {
        finding.check == self.check && finding.message == self.message
    }
}

/// A reviewer's "not a problem" on one finding of a segment, valid while the segment's text is the one
/// it was given on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Dismissal {
    pub check: Check,
    pub message: String,
    pub reason: Option<String>,
    pub by: String,
    pub at: DateTime<Utc>,
}

impl Dismissal {
    pub fn matches(&self, finding: &Finding) -> bool {
        finding.check == self.check && finding.message == self.message
    }
}

/// Whether a stored finding blocks approval: an `error` that no dismissal (of the current text) covers.
/// The one rule for "this job has error findings", used by the store's approval and the desk alike.
pub fn is_blocking(finding: &Finding, dismissals: &[Dismissal]) -> bool {
    finding.severity == Severity::Error && !dismissals.iter().any(|d| d.matches(finding))
}

/// The findings of a segment that block approval, given its current dismissals.
pub fn blocking_findings(findings: &[Finding], dismissals: &[Dismissal]) -> Vec<Finding> {
    findings.iter().filter(|f| is_blocking(f, dismissals)).cloned().collect()
}

/// A dismissal as a store keeps it: with the segment and the text (by [`text_hash`]) it was given on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredDismissal {
    pub segment: u32,
    pub text_hash: String,
    pub dismissal: Dismissal,
}

/// The dismissals that hold for a segment's current `text`: those given on that very text. A changed
/// text brings its findings back; the same text again keeps them dismissed.
pub fn dismissals_for(stored: &[StoredDismissal], segment: u32, text: &str) -> Vec<Dismissal> {
    if stored.is_empty() {
        return Vec::new();
    }
    let hash = text_hash(text);
    stored.iter().filter(|d| d.segment == segment && d.text_hash == hash).map(|d| d.dismissal.clone()).collect()
}

/// SHA-256 of a segment's text, hex: what a dismissal and a raised finding are tied to.
pub fn text_hash(text: &str) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(Sha256::digest(text.as_bytes()))
}

/// Findings raised and dismissed for one check and language pair since counting began. A finding is
/// raised once per (segment, check, message, text): storing the same findings again for an unchanged
/// text (a re-save, a re-run that gives the same translation) does not count it again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FindingCount {
    pub check: Check,
    pub source_lang: Lang,
    pub target_lang: Lang,
    pub raised: u64,
    pub dismissed: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct JobDetail {
    #[serde(flatten)]
    pub summary: JobSummary,
    pub release_source: String,
    pub release_place: Option<String>,
    pub segments: Vec<TargetSegment>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Event {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub actor: String,
    pub job_id: Option<JobId>,
    pub release_id: Option<ReleaseId>,
    pub kind: String,
    pub detail: serde_json::Value,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// A translation-memory unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TmUnit {
    pub source_lang: Lang,
    pub target_lang: Lang,
    pub source: String,
    pub target: String,
    /// When it was made (a TMX `creationdate`, an approval); `None` takes the time it is stored.
    pub created_at: Option<DateTime<Utc>>,
    /// Who made it (a TMX `creationid`, the approving reviewer), when known.
    pub created_by: Option<String>,
}

impl TmUnit {
    /// A unit of unknown date and author.
    pub fn new(source_lang: Lang, target_lang: Lang, source: impl Into<String>, target: impl Into<String>) -> TmUnit {
        TmUnit {
            source_lang,
            target_lang,
            source: source.into(),
            target: target.into(),
            created_at: None,
            created_by: None,
        }
    }
}

/// An approved job as the exporter needs it.
#[derive(Debug, Clone, Serialize)]
pub struct ApprovedTranslation {
    pub job_id: JobId,
    pub release_id: ReleaseId,
    pub release_source: String,
    pub source_lang: Lang,
    pub target_lang: Lang,
    pub release_date: Option<NaiveDate>,
    pub place: Option<String>,
    pub approved_at: DateTime<Utc>,
    pub approved_by: String,
    /// Segment 0 (the title) first, then body sentences with their paragraph numbers.
    pub segments: Vec<(Option<u32>, String)>,
}

/// What a cached machine translation is keyed by, besides its source text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CacheKey {
    pub backend: String,
    pub model: String,
    pub source: Lang,
    pub target: Lang,
    pub glossary_version: String,
}

/// What one run sent to one backend.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct UsageRecord {
    pub workflow: String,
    pub worker: String,
    pub backend: String,
    pub requests: u64,
    pub chars: u64,
    pub billed_chars: u64,
    pub tokens_in: u64,
    pub tokens_out: u64,
}

/// A person of the review desk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct User {
    pub id: i64,
    pub name: String,
    pub role: Role,
    /// The UI language the user chose (`en`, `kk`, `ru`); `None` follows the browser.
    pub locale: Option<String>,
    /// A disabled user cannot log in, and their tokens and sessions do not work.
    #[serde(default)]
    pub disabled: bool,
    #[serde(skip)]
    pub password_hash: String,
}

/// A bearer token as an admin sees it (never the token or its hash).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TokenInfo {
    pub id: i64,
    pub user: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub expires_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

/// A login session as its user or an admin sees it (never the cookie or its hash).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SessionInfo {
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

/// What `audarma db check` reports of a database.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Health {
    /// `sqlite` or `postgres`.
    pub backend: &'static str,
    /// The newest migration applied.
    pub schema_version: i64,
    /// The newest migration this build knows: the database is current when they are equal.
    pub latest_schema: i64,
    /// Jobs still `translating` whose lease ran out: their workers died (the next claim takes them back).
    pub expired_leases: u64,
    /// Whatever else the backend can tell (its version, size, locale, integrity), as name and value.
    pub details: Vec<(String, String)>,
    /// Problems found; empty when healthy.
    pub problems: Vec<String>,
}

#[async_trait]
pub trait Store: Send + Sync {
    /// The database's schema version and health, for `audarma db check`.
    async fn health(&self) -> Result<Health>;

    /// Stores a release and its segments unless one with the same content hash exists.
    async fn insert_release(&self, release: &Release, actor: &str) -> Result<Inserted>;

    /// Creates the (release, target) jobs that do not exist yet, in state `queued`; returns the new ids.
    async fn ensure_jobs(
        &self,
        release: ReleaseId,
        targets: &[Lang],
        workflow: &str,
        actor: &str,
    ) -> Result<Vec<JobId>>;

    /// Atomically moves the highest-priority `queued` job of `workflow` (the oldest of those) to
    /// `translating`, leased to `owner` for
    /// `lease_secs`. Jobs whose lease expired (a killed run) are queued again first. A worker claims
    /// for itself: `owner` is also the actor the claim (and those reclaims) are logged under.
    async fn claim_next_job(
        &self,
        workflow: &str,
        owner: LeaseOwner<'_>,
        lease_secs: i64,
    ) -> Result<Option<ClaimedJob>>;

    /// Waits until a job of one of `workflows` may have been queued, or `timeout` passes: what an idle worker
    /// does between claims. Only a hint (a worker claims afterwards and may find nothing); a store
    /// that cannot be told simply waits out the timeout.
    async fn wait_for_jobs(&self, workflows: &[&str], timeout: std::time::Duration) -> Result<()>;

    /// The workers holding `translating` jobs of a workflow.
    async fn lease_owners(&self, workflow: &str) -> Result<Vec<String>>;

    /// Hands every job `owner` holds back to the queue (its process is gone); returns how many.
    /// Logged under `actor` (the run that noticed).
    async fn reclaim_jobs_of(&self, owner: LeaseOwner<'_>, reason: &str, actor: &str) -> Result<usize>;

    /// Extends the lease of every job `owner` holds.
    async fn renew_leases(&self, owner: LeaseOwner<'_>, lease_secs: i64) -> Result<()>;

    /// Saves the machine suggestions and moves the job `translating → in_review`, logged under
    /// `actor`. Fenced by the lease: unless `lease` is the job's current claim (its owner and
    /// attempt), [`StoreError::LeaseLost`] and nothing is written (its lease expired and another
    /// claim took it).
    async fn complete_translation(
        &self,
        job: JobId,
        lease: Lease<'_>,
        suggestions: &[Suggestion],
        actor: &str,
    ) -> Result<()>;

    /// Moves the job `translating → failed`, keeping the error; fenced by `lease` like
    /// [`Store::complete_translation`].
    async fn fail_job(&self, job: JobId, lease: Lease<'_>, error: &str, actor: &str) -> Result<()>;

    /// Hands a claimed job back: `translating → queued` (the run stopped before finishing it); fenced
    /// by `lease` like [`Store::complete_translation`].
    async fn release_job(&self, job: JobId, lease: Lease<'_>, reason: &str, actor: &str) -> Result<()>;

    /// `failed | rejected → queued`.
    async fn retry_job(&self, job: JobId, actor: &str) -> Result<()>;

    /// The jobs a filter selects, in its sort, one page of them (`limit`, `offset`). What a text search
    /// matches is [`JobFilter::text`]'s contract.
    async fn list_jobs(&self, filter: &JobFilter) -> Result<Vec<JobSummary>>;
    async fn job(&self, job: JobId) -> Result<JobDetail>;

    /// A job's summary alone.
    async fn job_summary(&self, job: JobId) -> Result<JobSummary>;

    /// One segment of a job and the job's summary: what re-checking an edit needs, without the rest.
    async fn job_segment(&self, job: JobId, idx: u32) -> Result<(JobSummary, TargetSegment)>;

    /// Saves a translator's text for one segment. With `expected_version`, a segment changed since
    /// is refused with [`StoreError::Conflict`] and nothing is written. Returns the new version.
    async fn edit_segment(
        &self,
        job: JobId,
        idx: u32,
        text: &str,
        findings: &[Finding],
        expected_version: Option<i64>,
        actor: &str,
    ) -> Result<i64> {
        self.edit_segment_timed(job, idx, text, findings, expected_version, None, actor).await
    }

    /// [`Store::edit_segment`] with the seconds the editor spent on it, when the desk measured them
    /// ([`check_edit_seconds`] first): kept in the edit's event (`detail.seconds`) and added to the
    /// segment's total, which approval writes to its `segment_effort.seconds`. An edit without
    /// seconds adds nothing (a segment never timed has none).
    #[allow(clippy::too_many_arguments)]
    async fn edit_segment_timed(
        &self,
        job: JobId,
        idx: u32,
        text: &str,
        findings: &[Finding],
        expected_version: Option<i64>,
        seconds: Option<f64>,
        actor: &str,
    ) -> Result<i64>;

    /// `in_review → approved`; every segment's current text goes to translation memory. A job whose
    /// segments have `error` findings not dismissed for their current text ([`is_blocking`]) is refused with [`StoreError::Blocked`] unless `override_reason`
    /// says why it may go out anyway; the reason and the findings it overrode go to the event log.
    async fn approve_job(&self, job: JobId, actor: &str, override_reason: Option<&str>) -> Result<()>;

    /// `in_review → rejected` with the reason in the event log.
    async fn reject_job(&self, job: JobId, reason: &str, actor: &str) -> Result<()>;

    async fn events(&self, job: Option<JobId>) -> Result<Vec<Event>>;

    /// Exact translation-memory lookups: one answer per text, in order.
    async fn tm_exact(&self, source: Lang, target: Lang, texts: &[String]) -> Result<Vec<Option<String>>>;

    /// Adds units to translation memory; units already present are skipped. Returns how many were new.
    async fn tm_add(&self, units: &[TmUnit], origin: &str) -> Result<u64>;

    /// [`Store::tm_add`] for imports of many units, batch after batch: the units are stored (and
    /// found exactly) at once, but their word-index entries wait until [`Store::tm_index_pending`],
    /// which merges them all in one pass; until then fuzzy lookups do not find them. A store that
    /// stops before the merge does it when next opened.
    async fn tm_add_bulk(&self, units: &[TmUnit], origin: &str) -> Result<u64>;

    /// Merges the word-index entries of units added with [`Store::tm_add_bulk`]; how many units they
    /// were for (0 when none waited).
    async fn tm_index_pending(&self) -> Result<u64>;

    async fn approved(&self) -> Result<Vec<ApprovedTranslation>>;

    /// The validators (ETag, Last-Modified) a URL's server sent when it was last stored.
    async fn fetch_validators(&self, url: &str) -> Result<Option<(Option<String>, Option<String>)>>;

    /// Records a URL's validators once what it served has been stored.
    async fn record_fetch(&self, url: &str, etag: Option<&str>, last_modified: Option<&str>) -> Result<()>;

    /// Cached machine translations: one answer per text, in order.
    async fn cache_get(&self, key: &CacheKey, texts: &[String]) -> Result<Vec<Option<String>>>;

    /// Caches machine translations (source, translation).
    async fn cache_put(&self, key: &CacheKey, pairs: &[(String, String)]) -> Result<()>;

    async fn record_usage(&self, usage: &UsageRecord) -> Result<()>;

    /// Usage summed per backend over all runs.
    async fn usage_totals(&self) -> Result<Vec<UsageRecord>>;

    /// Target/source length ratios (in characters) of translation-memory units of a pair whose source
    /// has at least `min_source_chars` characters, at most `limit` of the newest.
    async fn tm_length_ratios(&self, source: Lang, target: Lang, min_source_chars: u32, limit: u32)
        -> Result<Vec<f64>>;

    /// Adds a user (the password already hashed); an existing name is refused.
    async fn add_user(&self, name: &str, role: Role, password_hash: &str, actor: &str) -> Result<User>;

    async fn user(&self, name: &str) -> Result<Option<User>>;

    /// Stores a bearer token's hash for a user.
    async fn add_token(
        &self,
        user: &str,
        token_hash: &str,
        expires_at: Option<DateTime<Utc>>,
        actor: &str,
    ) -> Result<()>;

    /// The tokens of one user (or everyone's), newest first; revoked and expired ones included.
    async fn tokens(&self, user: Option<&str>) -> Result<Vec<TokenInfo>>;

    /// Revokes a token by id; it stops working at once. Logged as `token-revoked`.
    async fn revoke_token(&self, id: i64, actor: &str) -> Result<()>;

    /// Disables (or enables again) a user: a disabled user cannot log in, their sessions end and their
    /// tokens stop working. Logged as `user-disabled` / `user-enabled`.
    async fn set_user_disabled(&self, user: &str, disabled: bool, actor: &str) -> Result<()>;

    /// Replaces a user's password hash and ends their sessions. Logged as `password-changed`.
    async fn set_password(&self, user: &str, password_hash: &str, actor: &str) -> Result<()>;

    /// A user's unexpired sessions, newest first.
    async fn sessions_of(&self, user: &str) -> Result<Vec<SessionInfo>>;

    /// Ends every session of a user; returns how many. Logged as `sessions-ended`.
    async fn end_sessions(&self, user: &str, actor: &str) -> Result<usize>;

    /// The user a bearer token (by its hash) belongs to.
    async fn user_by_token(&self, token_hash: &str) -> Result<Option<User>>;

    /// The id of a stored release with this content hash (for dry runs, which write nothing).
    async fn release_by_hash(&self, hash: &str) -> Result<Option<ReleaseId>>;

    /// How many jobs match a filter (its sort, limit and offset ignored): always as many as
    /// [`Store::list_jobs`] would list without a limit.
    async fn count_jobs(&self, filter: &JobFilter) -> Result<u64>;

    /// Jobs per (state, target language), for the queue's counts and the metrics.
    async fn job_counts(&self) -> Result<Vec<JobCount>>;

    /// Assigns a job to a user (`None` unassigns), whoever has it now: a reviewer's decision. An
    /// unknown user is [`StoreError::NoSuchUser`]; an approved job is not reassigned
    /// ([`StoreError::WrongState`]). Decided by one conditional write; logged as an `assign` event
    /// (the assignee before and after).
    async fn assign_job(&self, job: JobId, assignee: Option<&str>, actor: &str) -> Result<()>;

    /// `user` takes a job nobody has (taking one's own again changes nothing but is logged). Decided
    /// by one conditional write, so of two people taking the same job at once exactly one gets it and
    /// the other [`StoreError::Taken`]. An approved job cannot be taken ([`StoreError::WrongState`]);
    /// an unknown user is [`StoreError::NoSuchUser`]. Logged as an `assign` event under `actor`.
    async fn take_job(&self, job: JobId, user: &str, actor: &str) -> Result<()>;

    /// Sets a job's priority (higher first) and deadline; logged.
    async fn plan_job(&self, job: JobId, priority: i64, deadline: Option<NaiveDate>, actor: &str) -> Result<()>;

    /// Adds a comment to a job (or one of its segments); logged as a `comment` event.
    async fn add_comment(&self, job: JobId, segment: Option<u32>, body: &str, actor: &str) -> Result<Comment>;

    async fn comments(&self, job: JobId) -> Result<Vec<Comment>>;

    /// How many units of the memory hold each term ([`index_text`] keys, which carry their language
    /// pair): one count per term, in order, 0 for a term no unit holds.
    async fn tm_term_counts(&self, terms: &[i64]) -> Result<Vec<i64>>;

    /// Candidates for fuzzy matching: (source, target) units of a pair whose source holds at least one
    /// of `terms` and has a length (as [`IndexedText::chars`]) within `chars`, those holding the most
    /// terms first, then the newest; at most `limit`. Only a shortlist: [`fuzzy_matches`] chooses the
    /// terms and scores the candidates, the same for every store.
    async fn tm_candidates(
        &self,
        source: Lang,
        target: Lang,
        terms: &[i64],
        chars: (u32, u32),
        limit: u32,
    ) -> Result<Vec<(String, String)>>;

    /// The memory's units of a pair (or every pair) created at or after `since`, in the order they were
    /// added, from after the unit numbered `after` (0 for the start), at most `limit`: pages of an export
    /// that never holds the whole memory. Each comes with its number, the `after` of the next page.
    async fn tm_units(
        &self,
        pair: Option<(Lang, Lang)>,
        since: Option<DateTime<Utc>>,
        after: i64,
        limit: u32,
    ) -> Result<Vec<(i64, TmUnit)>>;

    async fn set_user_locale(&self, user: &str, locale: Option<&str>) -> Result<()>;

    /// Every user, by name.
    async fn users(&self) -> Result<Vec<User>>;

    /// Changes a user's role; logged as a `user-role` event.
    async fn set_user_role(&self, user: &str, role: Role, actor: &str) -> Result<()>;

    /// Starts a login attempt under rate limits: `limits` are (key, most failures allowed within
    /// `window`). When a key has reached its limit, returns the seconds until its oldest failure leaves
    /// the window and records nothing; otherwise records the attempt as a failure under every key (a
    /// success takes it back: [`Store::login_succeeded`]) and returns `None`. Decided atomically and
    /// kept in the database, so parallel guesses are all counted, by every desk process sharing it.
    async fn login_attempt(&self, limits: &[(&str, u32)], window: std::time::Duration) -> Result<Option<u64>>;

    /// A login attempt succeeded: `forget`'s failures are deleted and the newest of `take_back`'s removed.
    async fn login_succeeded(&self, forget: &str, take_back: &str) -> Result<()>;

    /// Stores a login session (the hash of its cookie value) until `expires_at`.
    async fn create_session(&self, token_hash: &str, user: &str, csrf: &str, expires_at: DateTime<Utc>) -> Result<()>;

    /// The unexpired session a cookie (by its hash) belongs to.
    async fn session(&self, token_hash: &str) -> Result<Option<Session>>;

    async fn delete_session(&self, token_hash: &str) -> Result<()>;

    /// Marks a finding of a segment's current text "not a problem" (the job must be `in_review`; with
    /// `expected_version`, a segment changed since is refused with [`StoreError::Conflict`]). The
    /// dismissal holds while the text is the same; logged as a `finding-dismissed` event and counted
    /// as dismissed in [`Store::finding_counts`]. Dismissing a dismissed finding again changes nothing
    /// and returns the first dismissal.
    async fn dismiss_finding(
        &self,
        job: JobId,
        idx: u32,
        finding: &FindingRef,
        expected_version: Option<i64>,
        reason: Option<&str>,
        actor: &str,
    ) -> Result<Dismissal>;

    /// Findings raised and dismissed per (check, source language, target language).
    async fn finding_counts(&self) -> Result<Vec<FindingCount>>;

    /// Adds a word to a language's word list (which extends the spelling dictionary); logged as a
    /// `word-added` event. Returns false when the word (in any case) was there already.
    async fn add_word(&self, lang: Lang, word: &str, actor: &str) -> Result<bool>;

    /// A language's word list, sorted.
    async fn words(&self, lang: Lang) -> Result<Vec<String>>;

    /// Adds a reviewer's MQM annotation to segment `idx` of a job (in any state: approved text is
    /// annotated too), tied to the segment's current text; logged as an `annotation` event. A span
    /// that is not inside the text (in characters) is [`StoreError::BadSpan`].
    async fn add_annotation(&self, job: JobId, new: &NewAnnotation, actor: &str) -> Result<MqmAnnotation>;

    /// Logs that `actor` approves (or is about to approve) a job whose MQM score fails its threshold,
    /// with the score and the reason, as an `mqm-override` event.
    async fn record_mqm_override(
        &self,
        job: JobId,
        score: &audarma_analytics::Score,
        reason: &str,
        actor: &str,
    ) -> Result<()>;

    /// Removes an annotation of a job; logged as `annotation-removed` (the event keeps what it was).
    async fn remove_annotation(&self, job: JobId, id: i64, actor: &str) -> Result<()>;

    /// A job's annotations, by segment then as added; removed ones left out.
    async fn annotations(&self, job: JobId) -> Result<Vec<MqmAnnotation>>;

    /// The annotations on segments approved at or after `since` and before `until`, by job, segment
    /// and id (for `mqm export`).
    async fn annotations_between(
        &self,
        since: Option<DateTime<Utc>>,
        until: Option<DateTime<Utc>>,
    ) -> Result<Vec<MqmAnnotation>>;

    /// Post-editing records of the segments approved in `[since, until)`, by job and segment.
    async fn efforts(&self, since: Option<DateTime<Utc>>, until: Option<DateTime<Utc>>) -> Result<Vec<SegmentEffort>>;

    /// The post-editing records of `[since, until)` summed per group, by key.
    async fn effort_summary(
        &self,
        by: ReportBy,
        since: Option<DateTime<Utc>>,
        until: Option<DateTime<Utc>>,
    ) -> Result<Vec<EffortSummary>>;

    /// Annotations on the segments approved in `[since, until)`, counted per group and severity.
    async fn annotation_counts(
        &self,
        by: ReportBy,
        since: Option<DateTime<Utc>>,
        until: Option<DateTime<Utc>>,
    ) -> Result<Vec<AnnotationCount>>;

    /// The glossary concepts translators most often fixed or re-inflected in `[since, until)`, most
    /// fixes of either kind first (then by name), at most `limit`.
    async fn fixed_terms(
        &self,
        since: Option<DateTime<Utc>>,
        until: Option<DateTime<Utc>>,
        limit: u32,
    ) -> Result<Vec<FixedTerm>>;

    /// The target texts of the newest translation-memory units in `target` (at most `limit`): text a
    /// reviewer approved or a press office imported, whose words the spelling check accepts.
    async fn tm_targets(&self, target: Lang, limit: u32) -> Result<Vec<String>>;

    /// Queues a delivery to `hook` for every event of the log it has not seen that is one of its
    /// `events` in its workflow ([`NotifyEvent::of_event`]; a job's workflow, a failed run's own), and
    /// moves its cursor past them; returns how many were queued. A hook seen for the first time starts
    /// at the end of the log. An event is queued once per hook, whoever queues and however often (see
    /// [`notify`]).
    async fn queue_deliveries(&self, hook: &Hook<'_>) -> Result<u64>;

    /// Claims at most `limit` due deliveries of `hooks` (workflow, name), oldest due first, leased to
    /// `owner` for `lease_secs`: pending ones whose time has come and whose last claim's lease (if any)
    /// ran out. Each claim counts as an attempt. Two processes never hold the same delivery at once.
    async fn claim_deliveries(
        &self,
        hooks: &[(&str, &str)],
        owner: LeaseOwner<'_>,
        lease_secs: i64,
        limit: u32,
    ) -> Result<Vec<Delivery>>;

    /// Records how a claimed delivery's attempt ended; fenced by `lease` like
    /// [`Store::complete_translation`] ([`StoreError::LeaseLost`], nothing written).
    async fn finish_delivery(&self, id: i64, lease: Lease<'_>, attempt: &Attempt<'_>) -> Result<()>;

    /// Records what the translator of segment `idx` started from: a fuzzy memory match of its source
    /// (the caller's, from the matches it showed) instead of the suggestion, or the suggestion again
    /// (`None`). Approval measures the post-edit from that start ([`SuggestionOrigin::Fuzzy`], with the
    /// match's score). A job no longer editable is [`StoreError::WrongState`].
    async fn start_from_match(&self, job: JobId, idx: u32, chosen: Option<&TmMatch>) -> Result<()>;

    /// Forgets the webhooks of `workflow` that are no longer in its file (every hook not in `kept`):
    /// their pending deliveries not held by a claim become `failed` with `reason` as their error, and
    /// their cursors go, so a hook added again under the same name starts at the end of the log.
    /// Returns how many deliveries were given up.
    async fn forget_removed_hooks(&self, workflow: &str, kept: &[&str], reason: &str) -> Result<u64>;

    /// The delivery log, newest first.
    async fn deliveries(&self, filter: &DeliveryFilter) -> Result<Vec<DeliveryRecord>>;

    /// Appends a [`DEADLINE_EVENT`] for every job not approved or rejected whose deadline is `due_by`
    /// or earlier ([`audarma_core::Due::by`]) and that has none for that deadline yet: once per job and
    /// deadline, however many processes mark at once (a new deadline can be due again). Returns the jobs.
    async fn mark_due_jobs(&self, due_by: NaiveDate, actor: &str) -> Result<Vec<JobId>>;

    /// Appends a [`RUN_FAILED_EVENT`] for a run of `workflow` that failed, with what went wrong.
    async fn log_run_failure(&self, workflow: &str, problems: &[String], actor: &str) -> Result<()>;

    /// Gives a user a new feed token (its hash), replacing the one they had: the old feed link stops
    /// working. An unknown user is [`StoreError::NoSuchUser`]. Logged as `feed-token-created`.
    async fn set_feed_token(&self, user: &str, token_hash: &str, actor: &str) -> Result<()>;

    /// The user a feed token (by its hash) belongs to; none for a disabled user.
    async fn user_by_feed_token(&self, token_hash: &str) -> Result<Option<User>>;

    /// A user's feed: the events of the jobs assigned to them now that [`FEED_EVENTS`] lists, newest
    /// first, at most `limit`, each with its job as it is now.
    async fn feed(&self, user: &str, limit: u32) -> Result<Vec<FeedItem>>;
}

/// The kinds of events a user's feed shows: state changes, assignments and deadlines.
pub const FEED_EVENTS: [&str; 3] = ["state", "assign", DEADLINE_EVENT];

/// The longest time one edit may count: an editor left open over lunch is not an hour of work.
pub const MAX_EDIT_SECONDS: f64 = 3600.0;

/// The seconds of an edit as the desk measured them, if they can be: finite, above zero and at most
/// [`MAX_EDIT_SECONDS`] (more is capped); anything else is not a measurement (`None`).
pub fn check_edit_seconds(seconds: f64) -> Option<f64> {
    (seconds.is_finite() && seconds > 0.0).then(|| seconds.min(MAX_EDIT_SECONDS))
}

/// Normalises a segment for translation-memory keys: NFC is done at ingest; here whitespace is
/// collapsed and the text trimmed, so that spacing differences do not defeat an exact match.
pub fn tm_key(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
