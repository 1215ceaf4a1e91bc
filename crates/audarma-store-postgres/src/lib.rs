//! PostgreSQL implementation of [`audarma_store::Store`]: several workers on several machines and
//! several desks behind a load balancer, on one database.
//!
//! - [`PgStore::open`] checks the database's `LC_CTYPE` folds Cyrillic case and migrates it under an
//!   advisory lock.
//! - Every read that a write depends on locks what it read (`FOR UPDATE`) or the write is one
//!   conditional statement; claims take the oldest queued job with `FOR UPDATE SKIP LOCKED`, so
//!   workers never wait on each other; every completion is fenced by the lease owner.
//! - The event log, edit logging, job counts and finding counts behave as SQLite's (triggers).
//!
//! Modules: `open` (pool, locale check, migrations), `write` (transactions, checked transitions, the
//! event log), `rows` (row mapping), `queue` (filters, lists, counts), `jobs` (releases, jobs, claims
//! and leases), `review` (edits, approval, findings, plans, comments, words), `assign`, `memory`
//! (memory, MT cache, fetch validators, usage), `users` (users, tokens, sessions, login failures),
//! `notify` (waking idle workers), `hooks` (webhook deliveries from the event log, deadline events,
//! failed runs) and `feed` (users' feed tokens and the events of their jobs).

mod analytics;
mod assign;
mod copy;
mod feed;
mod hooks;
mod jobs;
mod memory;
mod migrations;
mod notify;
mod open;
mod queue;
mod review;
mod rows;
mod users;
mod write;

pub use copy::{copy_from_sqlite, Copied};
pub use open::redact;

use async_trait::async_trait;
use audarma_core::Finding;
use audarma_core::{Lang, Release, Role};
use audarma_store::{
    AnnotationCount, ApprovedTranslation, Attempt, CacheKey, ClaimedJob, Comment, Delivery, DeliveryFilter,
    DeliveryRecord, Dismissal, EffortSummary, Event, FeedItem, FindingCount, FindingRef, Hook, Inserted, JobCount,
    JobDetail, JobFilter, JobId, JobSummary, Lease, LeaseOwner, MqmAnnotation, NewAnnotation, ReleaseId, ReportBy,
    Result, SegmentEffort, Session, SessionInfo, Store, Suggestion, TargetSegment, TmUnit, TokenInfo, UsageRecord,
    User,
};
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::PgPool;

pub struct PgStore {
    pub(crate) pool: PgPool,
    /// The connection listening for queued jobs, kept between waits.
    pub(crate) listener: tokio::sync::Mutex<Option<sqlx::postgres::PgListener>>,
    /// When this process last looked whether the count deltas need folding (see
    /// `queue::fold_now_and_then`): at most every [`queue::FOLD_EVERY`], not on every page.
    pub(crate) fold_checked: std::sync::Mutex<Option<std::time::Instant>>,
}

#[async_trait]
impl Store for PgStore {
    async fn health(&self) -> Result<audarma_store::Health> {
        open::health(self).await
    }

    async fn insert_release(&self, release: &Release, actor: &str) -> Result<Inserted> {
        jobs::insert_release(self, release, actor).await
    }

    async fn ensure_jobs(
        &self,
        release: ReleaseId,
        targets: &[Lang],
        workflow: &str,
        actor: &str,
    ) -> Result<Vec<JobId>> {
        jobs::ensure_jobs(self, release, targets, workflow, actor).await
    }

    async fn claim_next_job(
        &self,
        workflow: &str,
        owner: LeaseOwner<'_>,
        lease_secs: i64,
    ) -> Result<Option<ClaimedJob>> {
        jobs::claim_next_job(self, workflow, owner, lease_secs).await
    }

    async fn wait_for_jobs(&self, workflows: &[&str], timeout: std::time::Duration) -> Result<()> {
        notify::wait_for_jobs(self, workflows, timeout).await
    }

    async fn lease_owners(&self, workflow: &str) -> Result<Vec<String>> {
        jobs::lease_owners(self, workflow).await
    }

    async fn reclaim_jobs_of(&self, owner: LeaseOwner<'_>, reason: &str, actor: &str) -> Result<usize> {
        jobs::reclaim_jobs_of(self, owner, reason, actor).await
    }

    async fn renew_leases(&self, owner: LeaseOwner<'_>, lease_secs: i64) -> Result<()> {
        jobs::renew_leases(self, owner, lease_secs).await
    }

    async fn complete_translation(
        &self,
        job: JobId,
        lease: Lease<'_>,
        suggestions: &[Suggestion],
        actor: &str,
    ) -> Result<()> {
        jobs::complete_translation(self, job, lease, suggestions, actor).await
    }

    async fn fail_job(&self, job: JobId, lease: Lease<'_>, error: &str, actor: &str) -> Result<()> {
        jobs::fail_job(self, job, lease, error, actor).await
    }

    async fn release_job(&self, job: JobId, lease: Lease<'_>, reason: &str, actor: &str) -> Result<()> {
        jobs::release_job(self, job, lease, reason, actor).await
    }

    async fn retry_job(&self, job: JobId, actor: &str) -> Result<()> {
        jobs::retry_job(self, job, actor).await
    }

    async fn list_jobs(&self, filter: &JobFilter) -> Result<Vec<JobSummary>> {
        queue::list_jobs(self, filter).await
    }

    async fn job(&self, job: JobId) -> Result<JobDetail> {
        jobs::job(self, job).await
    }

    async fn job_summary(&self, job: JobId) -> Result<JobSummary> {
        jobs::summary_of(self, job).await
    }

    async fn job_segment(&self, job: JobId, idx: u32) -> Result<(JobSummary, TargetSegment)> {
        jobs::job_segment(self, job, idx).await
    }

    async fn edit_segment_timed(
        &self,
        job: JobId,
        idx: u32,
        text: &str,
        findings: &[Finding],
        expected_version: Option<i64>,
        seconds: Option<f64>,
        actor: &str,
    ) -> Result<i64> {
        review::edit_segment(self, job, idx, text, findings, expected_version, seconds, actor).await
    }

    async fn approve_job(&self, job: JobId, actor: &str, override_reason: Option<&str>) -> Result<()> {
        review::approve_job(self, job, actor, override_reason).await
    }

    async fn reject_job(&self, job: JobId, reason: &str, actor: &str) -> Result<()> {
        review::reject_job(self, job, reason, actor).await
    }

    async fn events(&self, job: Option<JobId>) -> Result<Vec<Event>> {
        write::events(self, job).await
    }

    async fn tm_exact(&self, source: Lang, target: Lang, texts: &[String]) -> Result<Vec<Option<String>>> {
        memory::tm_exact(self, source, target, texts).await
    }

    async fn tm_add(&self, units: &[TmUnit], origin: &str) -> Result<u64> {
        memory::tm_add(self, units, origin).await
    }

    async fn tm_add_bulk(&self, units: &[TmUnit], origin: &str) -> Result<u64> {
        memory::tm_add_bulk(self, units, origin).await
    }

    async fn tm_index_pending(&self) -> Result<u64> {
        memory::tm_index_pending(self).await
    }

    async fn add_annotation(&self, job: JobId, new: &NewAnnotation, actor: &str) -> Result<MqmAnnotation> {
        analytics::add_annotation(self, job, new, actor).await
    }

    async fn record_mqm_override(
        &self,
        job: JobId,
        score: &audarma_analytics::Score,
        reason: &str,
        actor: &str,
    ) -> Result<()> {
        analytics::record_mqm_override(self, job, score, reason, actor).await
    }

    async fn remove_annotation(&self, job: JobId, id: i64, actor: &str) -> Result<()> {
        analytics::remove_annotation(self, job, id, actor).await
    }

    async fn annotations(&self, job: JobId) -> Result<Vec<MqmAnnotation>> {
        analytics::annotations(self, job).await
    }

    async fn annotations_between(
        &self,
        since: Option<DateTime<Utc>>,
        until: Option<DateTime<Utc>>,
    ) -> Result<Vec<MqmAnnotation>> {
        analytics::annotations_between(self, since, until).await
    }

    async fn efforts(&self, since: Option<DateTime<Utc>>, until: Option<DateTime<Utc>>) -> Result<Vec<SegmentEffort>> {
        analytics::efforts(self, since, until).await
    }

    async fn effort_summary(
        &self,
        by: ReportBy,
        since: Option<DateTime<Utc>>,
        until: Option<DateTime<Utc>>,
    ) -> Result<Vec<EffortSummary>> {
        analytics::effort_summary(self, by, since, until).await
    }

    async fn annotation_counts(
        &self,
        by: ReportBy,
        since: Option<DateTime<Utc>>,
        until: Option<DateTime<Utc>>,
    ) -> Result<Vec<AnnotationCount>> {
        analytics::annotation_counts(self, by, since, until).await
    }

    async fn fixed_terms(
        &self,
        since: Option<DateTime<Utc>>,
        until: Option<DateTime<Utc>>,
        limit: u32,
    ) -> Result<Vec<audarma_store::FixedTerm>> {
        analytics::fixed_terms(self, since, until, limit).await
    }

    async fn approved(&self) -> Result<Vec<ApprovedTranslation>> {
        jobs::approved(self).await
    }

    async fn fetch_validators(&self, url: &str) -> Result<Option<(Option<String>, Option<String>)>> {
        memory::fetch_validators(self, url).await
    }

    async fn record_fetch(&self, url: &str, etag: Option<&str>, last_modified: Option<&str>) -> Result<()> {
        memory::record_fetch(self, url, etag, last_modified).await
    }

    async fn cache_get(&self, key: &CacheKey, texts: &[String]) -> Result<Vec<Option<String>>> {
        memory::cache_get(self, key, texts).await
    }

    async fn cache_put(&self, key: &CacheKey, pairs: &[(String, String)]) -> Result<()> {
        memory::cache_put(self, key, pairs).await
    }

    async fn record_usage(&self, u: &UsageRecord) -> Result<()> {
        memory::record_usage(self, u).await
    }

    async fn usage_totals(&self) -> Result<Vec<UsageRecord>> {
        memory::usage_totals(self).await
    }

    async fn tm_length_ratios(
        &self,
        source: Lang,
        target: Lang,
        min_source_chars: u32,
        limit: u32,
    ) -> Result<Vec<f64>> {
        memory::tm_length_ratios(self, source, target, min_source_chars, limit).await
    }

    async fn tm_targets(&self, target: Lang, limit: u32) -> Result<Vec<String>> {
        memory::tm_targets(self, target, limit).await
    }

    async fn add_user(&self, name: &str, role: Role, password_hash: &str, actor: &str) -> Result<User> {
        users::add_user(self, name, role, password_hash, actor).await
    }

    async fn user(&self, name: &str) -> Result<Option<User>> {
        users::user(self, name).await
    }

    async fn add_token(
        &self,
        user: &str,
        token_hash: &str,
        expires_at: Option<DateTime<Utc>>,
        actor: &str,
    ) -> Result<()> {
        users::add_token(self, user, token_hash, expires_at, actor).await
    }

    async fn tokens(&self, user: Option<&str>) -> Result<Vec<TokenInfo>> {
        users::tokens(self, user).await
    }

    async fn revoke_token(&self, id: i64, actor: &str) -> Result<()> {
        users::revoke_token(self, id, actor).await
    }

    async fn set_user_disabled(&self, user: &str, disabled: bool, actor: &str) -> Result<()> {
        users::set_user_disabled(self, user, disabled, actor).await
    }

    async fn set_password(&self, user: &str, password_hash: &str, actor: &str) -> Result<()> {
        users::set_password(self, user, password_hash, actor).await
    }

    async fn sessions_of(&self, user: &str) -> Result<Vec<SessionInfo>> {
        users::sessions_of(self, user).await
    }

    async fn end_sessions(&self, user: &str, actor: &str) -> Result<usize> {
        users::end_sessions(self, user, actor).await
    }

    async fn user_by_token(&self, token_hash: &str) -> Result<Option<User>> {
        users::user_by_token(self, token_hash).await
    }

    async fn release_by_hash(&self, hash: &str) -> Result<Option<ReleaseId>> {
        jobs::release_by_hash(self, hash).await
    }

    async fn count_jobs(&self, filter: &JobFilter) -> Result<u64> {
        queue::count_jobs(self, filter).await
    }

    async fn job_counts(&self) -> Result<Vec<JobCount>> {
        queue::job_counts(self).await
    }

    async fn assign_job(&self, job: JobId, assignee: Option<&str>, actor: &str) -> Result<()> {
        assign::assign_job(self, job, assignee, actor).await
    }

    async fn take_job(&self, job: JobId, user: &str, actor: &str) -> Result<()> {
        assign::take_job(self, job, user, actor).await
    }

    async fn plan_job(&self, job: JobId, priority: i64, deadline: Option<NaiveDate>, actor: &str) -> Result<()> {
        review::plan_job(self, job, priority, deadline, actor).await
    }

    async fn add_comment(&self, job: JobId, segment: Option<u32>, body: &str, actor: &str) -> Result<Comment> {
        review::add_comment(self, job, segment, body, actor).await
    }

    async fn comments(&self, job: JobId) -> Result<Vec<Comment>> {
        review::comments(self, job).await
    }

    async fn tm_term_counts(&self, terms: &[i64]) -> Result<Vec<i64>> {
        memory::tm_term_counts(self, terms).await
    }

    async fn tm_candidates(
        &self,
        source: Lang,
        target: Lang,
        terms: &[i64],
        chars: (u32, u32),
        limit: u32,
    ) -> Result<Vec<(String, String)>> {
        memory::tm_candidates(self, source, target, terms, chars, limit).await
    }

    async fn tm_units(
        &self,
        pair: Option<(Lang, Lang)>,
        since: Option<DateTime<Utc>>,
        after: i64,
        limit: u32,
    ) -> Result<Vec<(i64, TmUnit)>> {
        memory::tm_units(self, pair, since, after, limit).await
    }

    async fn set_user_locale(&self, user: &str, locale: Option<&str>) -> Result<()> {
        users::set_user_locale(self, user, locale).await
    }

    async fn users(&self) -> Result<Vec<User>> {
        users::users(self).await
    }

    async fn set_user_role(&self, user: &str, role: Role, actor: &str) -> Result<()> {
        users::set_user_role(self, user, role, actor).await
    }

    async fn login_attempt(&self, limits: &[(&str, u32)], window: std::time::Duration) -> Result<Option<u64>> {
        users::login_attempt(self, limits, window).await
    }

    async fn login_succeeded(&self, forget: &str, take_back: &str) -> Result<()> {
        users::login_succeeded(self, forget, take_back).await
    }

    async fn create_session(&self, token_hash: &str, user: &str, csrf: &str, expires_at: DateTime<Utc>) -> Result<()> {
        users::create_session(self, token_hash, user, csrf, expires_at).await
    }

    async fn session(&self, token_hash: &str) -> Result<Option<Session>> {
        users::session(self, token_hash).await
    }

    async fn delete_session(&self, token_hash: &str) -> Result<()> {
        users::delete_session(self, token_hash).await
    }

    async fn dismiss_finding(
        &self,
        job: JobId,
        idx: u32,
        finding: &FindingRef,
        expected_version: Option<i64>,
        reason: Option<&str>,
        actor: &str,
    ) -> Result<Dismissal> {
        review::dismiss_finding(self, job, idx, finding, expected_version, reason, actor).await
    }

    async fn finding_counts(&self) -> Result<Vec<FindingCount>> {
        review::finding_counts(self).await
    }

    async fn add_word(&self, lang: Lang, word: &str, actor: &str) -> Result<bool> {
        review::add_word(self, lang, word, actor).await
    }

    async fn words(&self, lang: Lang) -> Result<Vec<String>> {
        review::words(self, lang).await
    }

    async fn queue_deliveries(&self, hook: &Hook<'_>) -> Result<u64> {
        hooks::queue_deliveries(self, hook).await
    }

    async fn claim_deliveries(
        &self,
        hooks: &[(&str, &str)],
        owner: LeaseOwner<'_>,
        lease_secs: i64,
        limit: u32,
    ) -> Result<Vec<Delivery>> {
        hooks::claim_deliveries(self, hooks, owner, lease_secs, limit).await
    }

    async fn finish_delivery(&self, id: i64, lease: Lease<'_>, attempt: &Attempt<'_>) -> Result<()> {
        hooks::finish_delivery(self, id, lease, attempt).await
    }

    async fn start_from_match(&self, job: JobId, idx: u32, chosen: Option<&audarma_store::TmMatch>) -> Result<()> {
        review::start_from_match(self, job, idx, chosen).await
    }

    async fn forget_removed_hooks(&self, workflow: &str, kept: &[&str], reason: &str) -> Result<u64> {
        hooks::forget_removed_hooks(self, workflow, kept, reason).await
    }

    async fn deliveries(&self, filter: &DeliveryFilter) -> Result<Vec<DeliveryRecord>> {
        hooks::deliveries(self, filter).await
    }

    async fn mark_due_jobs(&self, due_by: NaiveDate, actor: &str) -> Result<Vec<JobId>> {
        hooks::mark_due_jobs(self, due_by, actor).await
    }

    async fn log_run_failure(&self, workflow: &str, problems: &[String], actor: &str) -> Result<()> {
        hooks::log_run_failure(self, workflow, problems, actor).await
    }

    async fn set_feed_token(&self, user: &str, token_hash: &str, actor: &str) -> Result<()> {
        feed::set_feed_token(self, user, token_hash, actor).await
    }

    async fn user_by_feed_token(&self, token_hash: &str) -> Result<Option<User>> {
        feed::user_by_feed_token(self, token_hash).await
    }

    async fn feed(&self, user: &str, limit: u32) -> Result<Vec<FeedItem>> {
        feed::feed(self, user, limit).await
    }
}
