//! The run: sources → releases → jobs → translation → checks → review queue.
//!
//! [`run`] is idempotent and safe to overlap: releases are keyed by content hash, jobs by
//! (release, target language), and a job is claimed atomically before it is translated, so two runs
//! at once never translate the same job and a second run does nothing new. A run that dies leaves
//! its claimed jobs `translating` with a lease; the next run takes them back once it expires.
//!
//! [`translate_job`] is the one place a claimed job is translated: translation memory first, the
//! backend for the rest, then glossary verification and QA on every suggestion.

mod web;
mod workflow;

use async_trait::async_trait;
use audarma_core::{Lang, SuggestionOrigin};
use audarma_glossary::{verify, Glossary, Matcher, TermCheck, TermHint};
use audarma_mt::{MtError, MtRequest, MtSegment, TmSource, Translator};
use audarma_store::{ClaimedJob, Inserted, LeaseOwner, Store, Suggestion};
use serde::Serialize;
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;
use tracing::Instrument;

pub use workflow::{Workflow, WorkflowError};

/// Translation-memory units a pair needs before its length ratio is learned rather than assumed.
pub const MIN_TM_UNITS: usize = 50;

/// How long a claimed job stays reserved for a run before others may take it back.
pub const LEASE_SECS: i64 = 300;

/// What a run did, for its one summary line and `--json`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct RunSummary {
    pub workflow: String,
    pub releases_new: usize,
    pub releases_skipped: usize,
    pub jobs_created: usize,
    pub jobs_translated: usize,
    pub jobs_failed: usize,
    pub segments_translated: usize,
    pub segments_from_memory: usize,
    pub chars_sent: usize,
    /// Pages and feeds the server said were unchanged since the last run (not downloaded).
    pub unchanged: usize,
    /// Files that could not be read, each `path: reason`.
    pub input_errors: Vec<String>,
    /// Jobs that failed, each `job N: reason`.
    pub failures: Vec<String>,
    /// Why the run stopped early (quota), if it did.
    pub stopped: Option<String>,
    /// What the backend sent and was billed for in this run.
    pub usage: audarma_mt::Usage,
    /// The same per backend (a router has several).
    pub usage_by_backend: Vec<(String, audarma_mt::Usage)>,
}

impl RunSummary {
    pub fn line(&self) -> String {
        let mut s = format!(
            "{}: releases {} new, {} skipped; jobs {} created, {} translated, {} failed; segments {} translated ({} from memory)",
            self.workflow,
            self.releases_new,
            self.releases_skipped,
            self.jobs_created,
            self.jobs_translated,
            self.jobs_failed,
            self.segments_translated,
            self.segments_from_memory
        );
        if self.usage.requests > 0 {
            s.push_str(&format!("; {} chars sent in {} request(s)", self.usage.chars, self.usage.requests));
            if self.usage_by_backend.len() > 1 {
                let per: Vec<String> =
                    self.usage_by_backend.iter().map(|(n, u)| format!("{n} {} chars", u.chars)).collect();
                s.push_str(&format!(" ({})", per.join(", ")));
            }
            if self.usage.tokens_in + self.usage.tokens_out > 0 {
                s.push_str(&format!(" ({} + {} tokens)", self.usage.tokens_in, self.usage.tokens_out));
            }
        }
        if self.unchanged > 0 {
            s.push_str(&format!("; {} page(s) unchanged", self.unchanged));
        }
        if !self.input_errors.is_empty() {
            s.push_str(&format!("; {} unreadable source(s)", self.input_errors.len()));
        }
        if let Some(why) = &self.stopped {
            s.push_str(&format!("; stopped early: {why}"));
        }
        s
    }

    /// Whether anything went wrong that cron must hear about.
    pub fn has_failures(&self) -> bool {
        !self.input_errors.is_empty() || !self.failures.is_empty() || self.stopped.is_some()
    }
}

/// Progress reports, shown as bars on a terminal and ignored from cron.
pub trait Progress: Send + Sync {
    fn ingest_started(&self, _files: usize) {}
    fn file_done(&self, _path: &str) {}
    fn translate_started(&self, _jobs: usize) {}
    fn job_done(&self, _job: i64) {}
}

pub struct NoProgress;
impl Progress for NoProgress {}

/// Translation memory lookups through the store, for backends and the TM-first step.
pub struct StoreTm(pub Arc<dyn Store>);

#[async_trait]
impl TmSource for StoreTm {
    async fn exact(&self, source: Lang, target: Lang, texts: &[String]) -> Result<Vec<Option<String>>, String> {
        self.0.tm_exact(source, target, texts).await.map_err(|e| e.to_string())
    }
}

/// How many of the newest translation-memory units per language lend their words to spelling.
pub const TM_WORD_UNITS: u32 = 5000;

/// The glossary compiled for matching in every language, loaded once per run.
pub struct Terminology {
    pub glossary: Glossary,
    /// The glossary's content hash: translations cached under another version are not reused.
    pub version: String,
    matchers: HashMap<Lang, Matcher>,
    qa: QaConfig,
    /// The QA context per language pair, built on first use: severities, the words spelling accepts,
    /// and the target language's Hunspell dictionary (from `spellers`).
    contexts: HashMap<(Lang, Lang), std::sync::OnceLock<audarma_qa::Context<'static>>>,
    /// Length ratios per pair learned from translation memory ([`Terminology::learn_from`]).
    ratios: std::sync::OnceLock<HashMap<(Lang, Lang), (f64, f64)>>,
    /// Words the spelling check accepts beyond the dictionaries: the workflow's word lists
    /// ([`Terminology::with_words`]) and the desk's per-language lists ([`Terminology::learn_from`]).
    words: Vec<String>,
    store_words: std::sync::OnceLock<HashMap<Lang, Vec<String>>>,
    /// One Hunspell dictionary per target language, shared by the contexts of both source languages
    /// (a few hundred milliseconds to load, so once per process: it is leaked, not dropped).
    spellers: HashMap<Lang, std::sync::OnceLock<Option<&'static audarma_qa::Speller>>>,
}

/// The `[qa]` table of a workflow: severities per check (`"error"`, `"warning"`, `"info"` or `"off"`),
/// whether the spelling check runs, and word lists it accepts (files of one word a line, `#`
/// comments, relative to the workflow file).
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct QaConfig {
    #[serde(default)]
    pub severities: std::collections::BTreeMap<String, String>,
    #[serde(default = "yes")]
    pub spelling: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub words: Vec<std::path::PathBuf>,
}

fn yes() -> bool {
    true
}

impl Default for QaConfig {
    fn default() -> Self {
        QaConfig { severities: Default::default(), spelling: true, words: Vec::new() }
    }
}

impl QaConfig {
    /// The words of the `words` lists, or the first file that cannot be read (named).
    pub fn read_words(&self) -> Result<Vec<String>, String> {
        let mut out = Vec::new();
        for p in &self.words {
            let text =
                std::fs::read_to_string(p).map_err(|e| format!("{}: cannot read the word list: {e}", p.display()))?;
            out.extend(
                text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).map(str::to_lowercase),
            );
        }
        Ok(out)
    }

    /// Checks every name and level, naming the one at fault.
    pub fn validate(&self) -> Result<(), String> {
        for (check, level) in &self.severities {
            if check.parse::<audarma_qa::Check>().is_err() {
                let names: Vec<&str> = audarma_qa::Check::ALL.iter().map(|c| c.as_str()).collect();
                return Err(format!("`qa.severities.{check}`: no such check (one of: {})", names.join(", ")));
            }
            if !matches!(level.as_str(), "error" | "warning" | "info" | "off") {
                return Err(format!("`qa.severities.{check}`: {level:?} is not error, warning, info or off"));
            }
        }
        Ok(())
    }

    fn context_parts(
        &self,
    ) -> (HashMap<audarma_qa::Check, audarma_qa::Severity>, std::collections::HashSet<audarma_qa::Check>) {
        let mut severities = HashMap::new();
        let mut disabled = std::collections::HashSet::new();
        // Names were checked by `validate` when the workflow was read.
        let parsed = self.severities.iter().filter_map(|(c, l)| Some((c.parse::<audarma_qa::Check>().ok()?, l)));
        for (check, level) in parsed {
            let sev = match level.as_str() {
                "error" => audarma_qa::Severity::Error,
                "warning" => audarma_qa::Severity::Warning,
                "info" => audarma_qa::Severity::Info,
                _ => {
                    disabled.insert(check);
                    continue;
                }
            };
            severities.insert(check, sev);
        }
        if !self.spelling {
            disabled.insert(audarma_qa::Check::Spelling);
        }
        (severities, disabled)
    }
}

impl Terminology {
    pub fn new(glossary: Glossary) -> Self {
        Terminology::with_qa(glossary, QaConfig::default())
    }

    pub fn with_qa(glossary: Glossary, qa: QaConfig) -> Self {
        let matchers = Lang::ALL.into_iter().map(|l| (l, Matcher::new(&glossary, l))).collect();
        let contexts = Lang::ALL
            .into_iter()
            .flat_map(|s| Lang::ALL.into_iter().map(move |t| ((s, t), std::sync::OnceLock::new())))
            .collect();
        Terminology {
            version: glossary.version(),
            glossary,
            matchers,
            qa,
            contexts,
            ratios: Default::default(),
            words: Vec::new(),
            store_words: Default::default(),
            spellers: Lang::ALL.into_iter().map(|l| (l, std::sync::OnceLock::new())).collect(),
        }
    }

    /// Adds words the spelling check accepts in any language (a workflow's `[qa] words` lists).
    pub fn with_words(mut self, words: Vec<String>) -> Self {
        self.words = words;
        self
    }

    /// Learns each pair's usual length ratio from translation memory, where it holds enough units
    /// (at least [`MIN_TM_UNITS`] with 40 characters or more of source): the 2nd to 98th percentile,
    /// widened by a fifth. Call it before the first check; pairs without enough memory keep defaults.
    /// It also takes, for spelling, the words reviewers added to each language's list on the desk and
    /// the words of the newest [`TM_WORD_UNITS`] translation-memory units of each language.
    pub async fn learn_from(&self, store: &dyn Store) -> Result<(), audarma_store::StoreError> {
        let mut learned = HashMap::new();
        for s in Lang::ALL {
            for t in s.others() {
                let mut r = store.tm_length_ratios(s, t, 40, 5000).await?;
                if r.len() < MIN_TM_UNITS {
                    continue;
                }
                r.sort_by(|a, b| a.total_cmp(b));
                let at = |q: f64| r[((r.len() - 1) as f64 * q).round() as usize];
                learned.insert((s, t), (at(0.02) * 0.8, at(0.98) * 1.2));
            }
        }
        let _ = self.ratios.set(learned);
        let mut words = HashMap::new();
        for l in Lang::ALL {
            let mut list = store.words(l).await?;
            // The words of approved translation memory: text a reviewer passed.
            let mut from_tm: Vec<String> = store
                .tm_targets(l, TM_WORD_UNITS)
                .await?
                .iter()
                .flat_map(|t| {
                    t.split(|c: char| !c.is_alphabetic())
                        .filter(|w| w.chars().count() >= 3)
                        .map(str::to_lowercase)
                        .collect::<Vec<_>>()
                })
                .collect();
            from_tm.sort_unstable();
            from_tm.dedup();
            list.extend(from_tm);
            words.insert(l, list);
        }
        let _ = self.store_words.set(words);
        Ok(())
    }

    fn context(&self, sl: Lang, tl: Lang) -> Option<&audarma_qa::Context<'static>> {
        Some(self.contexts.get(&(sl, tl))?.get_or_init(|| {
            let length_ratio = self.ratios.get().and_then(|r| r.get(&(sl, tl)).copied());
            let (severities, disabled) = self.qa.context_parts();
            let terms: Vec<String> = self.glossary.concepts.iter().flat_map(|c| c.terms(tl).iter().cloned()).collect();
            let listed = audarma_qa::press_words(tl)
                .map(str::to_string)
                .chain(self.words.iter().cloned())
                .chain(self.store_words.get().and_then(|w| w.get(&tl)).into_iter().flatten().cloned());
            let known_words =
                terms.iter().flat_map(|t| t.split_whitespace().map(str::to_lowercase)).chain(listed).collect();
            let speller = self.qa.spelling.then(|| self.speller(tl)).flatten();
            audarma_qa::Context { severities, disabled, known_words, speller, length_ratio, ..Default::default() }
        }))
    }

    /// The target language's dictionary, loaded on first use and kept for the life of the process.
    fn speller(&self, tl: Lang) -> Option<&'static audarma_qa::Speller> {
        *self.spellers[&tl].get_or_init(|| audarma_qa::Speller::load(tl).map(|s| &*Box::leak(Box::new(s))))
    }

    /// QA findings of one translated segment, with the workflow's settings.
    pub fn check(
        &self,
        source: &str,
        target: &str,
        sl: Lang,
        tl: Lang,
        checks: &[TermCheck],
    ) -> Vec<audarma_qa::Finding> {
        let found = self.matcher(tl).find_in(&self.glossary, target);
        let seg =
            audarma_qa::Segment { source, target, source_lang: sl, target_lang: tl, terms: checks, found: &found };
        match self.context(sl, tl) {
            Some(ctx) => audarma_qa::check_with(&seg, ctx),
            None => audarma_qa::check(&seg),
        }
    }

    pub fn matcher(&self, lang: Lang) -> &Matcher {
        &self.matchers[&lang]
    }

    /// The terms of a source segment and what they must become in `target`.
    pub fn hints(&self, text: &str, source: Lang, target: Lang) -> Vec<TermHint> {
        let mut out: Vec<TermHint> = Vec::new();
        for m in self.matcher(source).find(text).into_iter().filter(|m| !m.forbidden) {
            let hint = TermHint::from_match(&self.glossary.concepts[m.concept], &m, target);
            if !out.contains(&hint) {
                out.push(hint);
            }
        }
        out
    }

    /// Terminology verification of one translated segment.
    pub fn verify(
        &self,
        source: &str,
        target: &str,
        sl: Lang,
        tl: Lang,
        date: Option<chrono::NaiveDate>,
    ) -> Vec<TermCheck> {
        let found = self.matcher(sl).find(source);
        verify(&self.glossary, &found, self.matcher(tl), target, date)
    }

    /// The glossary as (source term, preferred target term) entries for each pair, for backends that
    /// store glossaries. Every accepted source form is an entry; `dnt` terms map to themselves.
    pub fn entries(&self, pairs: &[(Lang, Lang)]) -> Vec<audarma_mt::GlossaryEntries> {
        pairs
            .iter()
            .map(|&(source, target)| {
                let mut entries = Vec::new();
                for c in &self.glossary.concepts {
                    let Some(preferred) = c.preferred(target) else { continue };
                    for s in c.terms(source) {
                        entries.push((s.clone(), if c.dnt { s.clone() } else { preferred.to_string() }));
                    }
                }
                audarma_mt::GlossaryEntries { source, target, entries }
            })
            .collect()
    }

    /// Terms and QA findings of one segment, as the store keeps them.
    pub fn review(
        &self,
        source: &str,
        target: Option<&str>,
        sl: Lang,
        tl: Lang,
        date: Option<chrono::NaiveDate>,
    ) -> (Vec<audarma_core::TermResult>, Vec<audarma_qa::Finding>) {
        let hints = self.hints(source, sl, tl);
        let checks = target.map(|t| self.verify(source, t, sl, tl, date)).unwrap_or_default();
        let findings = self.check(source, target.unwrap_or_default(), sl, tl, &checks);
        let terms = hints
            .into_iter()
            .map(|h| {
                let status = checks.iter().find(|c| c.id == h.id).map(|c| c.status);
                audarma_core::TermResult { id: h.id, source: h.source, target: h.target, dnt: h.dnt, status }
            })
            .collect();
        (terms, findings)
    }
}

/// The cache key of a pair's machine translations, or `None` for backends not worth caching.
fn cache_key(
    backend: &dyn Translator,
    terms: &Terminology,
    source: Lang,
    target: Lang,
) -> Option<audarma_store::CacheKey> {
    backend.cacheable().then(|| audarma_store::CacheKey {
        backend: backend.cache_name(source, target),
        model: String::new(),
        source,
        target,
        glossary_version: terms.version.clone(),
    })
}

/// Fuzzy matches of at least this similarity (0–100) are kept for the translator.
pub const FUZZY_MIN_SCORE: u8 = 60;
/// At most this many fuzzy matches per segment.
pub const FUZZY_MATCHES: u32 = 3;

/// The translation-memory units resembling a source segment, as the review
/// desk shows them. Looked up once, when the segment is translated, and kept with it: the lookup costs
/// milliseconds, which a page of twenty segments should not pay on every view.
pub async fn fuzzy_matches(
    store: &dyn Store,
    text: &str,
    source: Lang,
    target: Lang,
) -> Result<Vec<audarma_store::TmMatch>, audarma_store::StoreError> {
    if source == target {
        return Ok(Vec::new());
    }
    audarma_store::fuzzy_matches(store, source, target, text, FUZZY_MIN_SCORE, FUZZY_MATCHES).await
}

/// How a job's translation ended.
pub enum JobOutcome {
    Translated {
        segments: usize,
        from_memory: usize,
        chars_sent: usize,
    },
    /// The backend's quota is exhausted: the job was handed back to the queue.
    Stopped(String),
    Failed(String),
}

/// Translates one claimed job and moves it to `in_review` (or `failed`, or back to `queued`).
pub async fn translate_job(
    store: &dyn Store,
    backend: &dyn Translator,
    terms: &Terminology,
    job: &ClaimedJob,
    actor: &str,
) -> Result<JobOutcome, audarma_store::StoreError> {
    let (sl, tl) = (job.source_lang, job.target_lang);
    let texts: Vec<String> = job.segments.iter().map(|s| s.text.clone()).collect();
    let memory = store.tm_exact(sl, tl, &texts).await?;
    let mut outputs: HashMap<u32, (Option<String>, SuggestionOrigin)> = HashMap::new();
    // Which backend produced a segment, when a router says.
    let mut producers: HashMap<u32, String> = HashMap::new();
    // What the backend gets, by the language each segment is really in.
    let mut rest: Vec<(Lang, MtSegment)> = Vec::new();
    for (seg, tm) in job.segments.iter().zip(memory) {
        let lang = seg.lang.unwrap_or(sl);
        if lang == tl {
            // A quotation already in the target language is kept as written.
            outputs.insert(seg.idx, (Some(seg.text.clone()), SuggestionOrigin::Source));
        } else if let Some(t) = tm.filter(|_| lang == sl) {
            outputs.insert(seg.idx, (Some(t), SuggestionOrigin::Memory));
        } else {
            rest.push((
                lang,
                MtSegment { idx: seg.idx, text: seg.text.clone(), terms: terms.hints(&seg.text, lang, tl) },
            ));
        }
    }
    let from_memory = outputs.values().filter(|(_, o)| *o == SuggestionOrigin::Memory).count();
    let mut chars_sent = 0;
    let mut errors: Vec<String> = Vec::new();
    let mut from_cache = 0;
    // Fuzzy memory matches for the translator are looked up while the backend translates: both wait
    // on something else (the database, the network), and a job should not wait for them one by one.
    let fuzzy = async {
        let mut found = Vec::with_capacity(job.segments.len());
        for seg in &job.segments {
            found.push(fuzzy_matches(store, &seg.text, seg.lang.unwrap_or(sl), tl).await?);
        }
        Ok::<_, audarma_store::StoreError>(found)
    };
    let work = async {
        for source in Lang::ALL {
            let mut segments: Vec<MtSegment> =
                rest.iter().filter(|(l, _)| *l == source).map(|(_, s)| s.clone()).collect();
            if segments.is_empty() {
                continue;
            }
            // Translations already paid for (same backend, model, pair, text and glossary) are reused.
            let key = cache_key(backend, terms, source, tl);
            if let Some(key) = &key {
                let texts: Vec<String> = segments.iter().map(|s| s.text.clone()).collect();
                let cached = store.cache_get(key, &texts).await?;
                let mut keep = Vec::with_capacity(segments.len());
                for (seg, hit) in segments.into_iter().zip(cached) {
                    match hit {
                        Some(t) => {
                            from_cache += 1;
                            outputs.insert(seg.idx, (Some(t), SuggestionOrigin::Machine));
                        }
                        None => keep.push(seg),
                    }
                }
                segments = keep;
                if segments.is_empty() {
                    continue;
                }
            }
            let request = MtRequest { source, target: tl, segments };
            chars_sent += request.chars();
            match backend.translate(&request).await {
                Ok(out) => {
                    let mut fresh = Vec::new();
                    for o in out {
                        if let Some(e) = o.error {
                            errors.push(format!("segment {}: {e}", o.idx));
                        }
                        if let (Some(t), Some(seg)) = (&o.text, request.segments.iter().find(|s| s.idx == o.idx)) {
                            fresh.push((seg.text.clone(), t.clone()));
                        }
                        if let Some(b) = o.backend {
                            producers.insert(o.idx, b);
                        }
                        outputs.insert(o.idx, (o.text, o.origin));
                    }
                    if let Some(key) = &key {
                        store.cache_put(key, &fresh).await?;
                    }
                }
                // Quota exhausted, or the backend still failing after its retries (an outage): the job goes
                // back to the queue for the next run, and this run stops.
                Err(MtError::Quota { message, .. }) | Err(MtError::Transient { message, .. }) => {
                    store.release_job(job.id, LeaseOwner(actor), &message, actor).await?;
                    return Ok(Some(JobOutcome::Stopped(message)));
                }
                Err(e) => {
                    let message = e.to_string();
                    store.fail_job(job.id, LeaseOwner(actor), &message, actor).await?;
                    return Ok(Some(JobOutcome::Failed(message)));
                }
            }
        }
        Ok::<Option<JobOutcome>, audarma_store::StoreError>(None)
    };
    let (fuzzy, early) = tokio::join!(fuzzy, work);
    if let Some(outcome) = early? {
        return Ok(outcome);
    }
    let mut fuzzy = fuzzy?.into_iter();
    if !errors.is_empty() {
        // A segment the backend could not translate fails the job, visibly, never silently.
        let n = errors.len();
        let mut message = errors.into_iter().take(3).collect::<Vec<_>>().join("; ");
        if n > 3 {
            message.push_str(&format!("; and {} more", n - 3));
        }
        store.fail_job(job.id, LeaseOwner(actor), &message, actor).await?;
        return Ok(JobOutcome::Failed(message));
    }
    let mut suggestions = Vec::with_capacity(job.segments.len());
    for seg in &job.segments {
        let tm = fuzzy.next().unwrap_or_default();
        let (text, origin) = outputs.remove(&seg.idx).unwrap_or((None, SuggestionOrigin::None));
        let text = text.filter(|t| !t.trim().is_empty());
        let origin = if text.is_some() { origin } else { SuggestionOrigin::None };
        let (term_results, findings) =
            terms.review(&seg.text, text.as_deref(), seg.lang.unwrap_or(sl), tl, job.release_date);
        let backend_name = match origin {
            SuggestionOrigin::Memory => Some("memory".to_string()),
            SuggestionOrigin::None | SuggestionOrigin::Source => None,
            _ => Some(producers.remove(&seg.idx).unwrap_or_else(|| backend.name().to_string())),
        };
        suggestions.push(Suggestion {
            idx: seg.idx,
            text,
            origin,
            backend: backend_name,
            terms: term_results,
            findings,
            tm: Some(tm),
        });
    }
    let segments = suggestions.iter().filter(|s| s.text.is_some()).count();
    store.complete_translation(job.id, LeaseOwner(actor), &suggestions, actor).await?;
    tracing::debug!(job = job.id, from_cache, "translated");
    Ok(JobOutcome::Translated { segments, from_memory, chars_sent })
}

/// Stores a release read from `source` and creates its missing jobs.
pub(crate) async fn store_release(
    store: &dyn Store,
    wf: &Workflow,
    release: &audarma_core::Release,
    actor: &str,
    summary: &mut RunSummary,
) -> Result<(), audarma_store::StoreError> {
    let inserted = store.insert_release(release, actor).await?;
    match inserted {
        Inserted::New { id } => {
            summary.releases_new += 1;
            tracing::info!(release = id, source = %release.source, lang = %release.lang, "new release");
        }
        Inserted::Existing { id } => {
            summary.releases_skipped += 1;
            tracing::debug!(release = id, source = %release.source, "release already stored");
        }
    }
    let created = store.ensure_jobs(inserted.id(), &wf.targets_for(release.lang), &wf.name, actor).await?;
    summary.jobs_created += created.len();
    Ok(())
}

/// Ingests the workflow's sources (files, then feeds and pages): new releases are stored and get
/// their jobs. A source that cannot be read is reported in the summary; the others still are.
pub async fn ingest(
    store: &dyn Store,
    wf: &Workflow,
    actor: &str,
    progress: &dyn Progress,
    summary: &mut RunSummary,
) -> Result<(), audarma_store::StoreError> {
    let files = audarma_ingest::collect_files(&wf.sources);
    progress.ingest_started(files.len() + wf.feeds.len() + wf.urls.len());
    for f in files {
        let path = match f {
            Ok(p) => p,
            Err(e) => {
                tracing::info!(error = %e, "cannot read source");
                summary.input_errors.push(e.to_string());
                continue;
            }
        };
        match audarma_ingest::read_file(&path, wf.source_lang) {
            Ok(release) => store_release(store, wf, &release, actor, summary).await?,
            Err(e) => {
                tracing::info!(error = %e, "cannot ingest");
                summary.input_errors.push(e.to_string());
            }
        }
        progress.file_done(&path.display().to_string());
    }
    if !wf.feeds.is_empty() || !wf.urls.is_empty() {
        web::ingest(store, wf, actor, progress, summary).await?;
    }
    Ok(())
}

/// This machine's name, for worker ids (`host:pid`).
pub fn hostname() -> String {
    std::fs::read_to_string("/etc/hostname").map(|h| h.trim().to_string()).unwrap_or_else(|_| "localhost".into())
}

/// The default worker id of this process: `host:pid`.
pub fn default_worker() -> String {
    format!("{}:{}", hostname(), std::process::id())
}

/// Jobs claimed by a run on this machine whose process is gone (killed, crashed) go back to the queue
/// at once, without waiting for their lease to expire. Runs on other machines are left to their lease.
async fn reclaim_from_dead_runs(
    store: &dyn Store,
    wf: &Workflow,
    worker: &str,
) -> Result<(), audarma_store::StoreError> {
    let host = hostname();
    for owner in store.lease_owners(&wf.name).await? {
        let Some((h, pid)) = owner.rsplit_once(':') else { continue };
        let alive = pid.parse::<u32>().map(|p| Path::new(&format!("/proc/{p}")).exists()).unwrap_or(true);
        if h == host && owner != worker && !alive {
            let n = store.reclaim_jobs_of(LeaseOwner(&owner), "its run is no longer running", worker).await?;
            tracing::info!(owner = owner.as_str(), jobs = n, "took back jobs of a run that died");
        }
    }
    Ok(())
}

/// Builds the workflow's backend (checking its configuration and key variable before any call).
/// With named backends it is a [`audarma_mt::Router`]; a pair no backend translates is an error.
pub fn backend(store: Arc<dyn Store>, wf: &Workflow) -> Result<Arc<dyn Translator>, String> {
    backend_with(Arc::new(StoreTm(store)), wf)
}

/// Builds the workflow's backends without a store, to check the configuration (`workflow check`).
pub fn check_backend(wf: &Workflow) -> Result<(), String> {
    struct NoTm;
    #[async_trait]
    impl TmSource for NoTm {
        async fn exact(&self, _: Lang, _: Lang, texts: &[String]) -> Result<Vec<Option<String>>, String> {
            Ok(vec![None; texts.len()])
        }
    }
    backend_with(Arc::new(NoTm), wf).map(|_| ())
}

fn backend_with(tm: Arc<dyn TmSource>, wf: &Workflow) -> Result<Arc<dyn Translator>, String> {
    let translator: Arc<dyn Translator> = match (&wf.backends[..], wf.routing.is_empty()) {
        ([(_, only)], true) => audarma_mt::build(only, tm)?,
        (named, _) => {
            let members = named
                .iter()
                .map(|(n, c)| audarma_mt::build(c, tm.clone()).map(|b| (n.clone(), b)))
                .collect::<Result<Vec<_>, _>>()?;
            Arc::new(audarma_mt::Router::new(members, &wf.routing)?)
        }
    };
    let missing: Vec<String> =
        wf.pairs().into_iter().filter(|(s, t)| !translator.supports(*s, *t)).map(|(s, t)| format!("{s}→{t}")).collect();
    if !missing.is_empty() {
        return Err(format!("no configured backend translates {}", missing.join(", ")));
    }
    Ok(translator)
}

/// Runs a workflow once: ingest, then translate every queued job of the workflow.
pub async fn run(
    store: Arc<dyn Store>,
    wf: &Workflow,
    terms: &Terminology,
    backend: Arc<dyn Translator>,
    worker: &str,
    progress: &dyn Progress,
) -> Result<RunSummary, audarma_store::StoreError> {
    let mut summary = RunSummary { workflow: wf.name.clone(), ..Default::default() };
    reclaim_from_dead_runs(store.as_ref(), wf, worker).await?;
    terms.learn_from(store.as_ref()).await?;
    ingest(store.as_ref(), wf, worker, progress, &mut summary).await?;
    let queued = store
        .list_jobs(&audarma_store::JobFilter {
            state: Some(audarma_core::JobState::Queued),
            workflow: Some(wf.name.clone()),
            ..Default::default()
        })
        .await?
        .len();
    if queued > 0 {
        // Stored glossaries (DeepL) are made ready once per run, before any job.
        if let Err(e) = backend.prepare(&terms.entries(&wf.pairs())).await {
            tracing::warn!(error = %e, "the stored glossary could not be prepared; translating without it");
        }
    }
    progress.translate_started(queued);
    // As many claim loops as the backend takes requests at once: jobs overlap their network waits.
    let stop = std::sync::atomic::AtomicBool::new(false);
    let shared = std::sync::Mutex::new(&mut summary);
    let loops = (0..backend.concurrency().max(1)).map(|_| async {
        while !stop.load(std::sync::atomic::Ordering::Relaxed) {
            let Some(job) = store.claim_next_job(&wf.name, LeaseOwner(worker), LEASE_SECS).await? else { break };
            let span =
                tracing::info_span!("job", id = job.id, pair = %format!("{}-{}", job.source_lang, job.target_lang));
            let outcome =
                match translate_job(store.as_ref(), backend.as_ref(), terms, &job, worker).instrument(span).await {
                    Ok(o) => o,
                    // Another run took the job back after this one's lease expired: its result stands.
                    Err(audarma_store::StoreError::LeaseLost(id)) => {
                        tracing::info!(job = id, "lease lost; leaving the job to the run that holds it");
                        continue;
                    }
                    Err(e) => return Err(e),
                };
            {
                let mut summary = shared.lock().unwrap_or_else(|e| e.into_inner());
                match outcome {
                    JobOutcome::Translated { segments, from_memory, chars_sent } => {
                        summary.jobs_translated += 1;
                        summary.segments_translated += segments;
                        summary.segments_from_memory += from_memory;
                        summary.chars_sent += chars_sent;
                        tracing::info!(job = job.id, segments, from_memory, "job in review");
                    }
                    JobOutcome::Failed(why) => {
                        summary.jobs_failed += 1;
                        tracing::info!(job = job.id, error = %why, "job failed");
                        summary.failures.push(format!("job {}: {why}", job.id));
                    }
                    JobOutcome::Stopped(why) => {
                        tracing::info!(job = job.id, error = %why, "run stopped");
                        summary.stopped = Some(why);
                        stop.store(true, std::sync::atomic::Ordering::Relaxed);
                    }
                }
            }
            progress.job_done(job.id);
        }
        Ok::<(), audarma_store::StoreError>(())
    });
    // Leases are renewed on a timer while the loops work, so a long job never loses its lease.
    let renew = async {
        loop {
            tokio::time::sleep(std::time::Duration::from_secs((LEASE_SECS / 3) as u64)).await;
            if let Err(e) = store.renew_leases(LeaseOwner(worker), LEASE_SECS).await {
                tracing::warn!(error = %e, "could not renew leases");
            }
        }
    };
    // The renewer never finishes: the select ends when the loops do.
    let results = tokio::select! {
        results = futures_util::future::join_all(loops) => results,
        () = renew => Vec::new(),
    };
    for r in results {
        r?;
    }
    summary.usage = backend.usage();
    summary.usage_by_backend = backend.usage_by_backend().into_iter().filter(|(_, u)| u.requests > 0).collect();
    for (name, u) in summary.usage_by_backend.clone() {
        store
            .record_usage(&audarma_store::UsageRecord {
                workflow: wf.name.clone(),
                worker: worker.to_string(),
                backend: name,
                requests: u.requests,
                chars: u.chars,
                billed_chars: u.billed_chars,
                tokens_in: u.tokens_in,
                tokens_out: u.tokens_out,
            })
            .await?;
    }
    Ok(summary)
}

/// What a run would send, per language pair, without writing or calling anything.
#[derive(Debug, Clone, Default, Serialize)]
pub struct DryRun {
    pub workflow: String,
    pub releases_new: usize,
    pub jobs_new: usize,
    pub jobs_queued: usize,
    /// Per pair: `{pair, backend, segments, chars, from_memory, from_cache}`.
    pub pairs: Vec<DryRunPair>,
    pub segments: usize,
    pub chars: usize,
    /// Web sources are not fetched in a dry run.
    pub not_fetched: usize,
    pub input_errors: Vec<String>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct DryRunPair {
    pub pair: String,
    pub backend: String,
    pub segments: usize,
    pub chars: usize,
    pub from_memory: usize,
    pub from_cache: usize,
}

impl DryRun {
    pub fn lines(&self) -> Vec<String> {
        let mut out: Vec<String> = self
            .pairs
            .iter()
            .map(|p| {
                format!(
                    "{:<6} {:<20} {:>6} segments {:>9} chars   ({} from memory, {} cached)",
                    p.pair, p.backend, p.segments, p.chars, p.from_memory, p.from_cache
                )
            })
            .collect();
        out.push(format!(
            "{}: would send {} chars in {} segments ({} new releases, {} new jobs, {} queued jobs{})",
            self.workflow,
            self.chars,
            self.segments,
            self.releases_new,
            self.jobs_new,
            self.jobs_queued,
            if self.not_fetched > 0 {
                format!("; {} web sources not fetched", self.not_fetched)
            } else {
                String::new()
            }
        ));
        out
    }
}

/// Computes what `run` would send: new releases from the workflow's files and the workflow's queued
/// jobs, less translation-memory and cache hits. Reads the store; writes nothing; calls nothing.
pub async fn dry_run(
    store: &dyn Store,
    wf: &Workflow,
    terms: &Terminology,
    backend: &dyn Translator,
) -> Result<DryRun, audarma_store::StoreError> {
    let mut d = DryRun { workflow: wf.name.clone(), not_fetched: wf.feeds.len() + wf.urls.len(), ..Default::default() };
    // (release language, target) → each segment's language and text.
    type Work = Vec<((Lang, Lang), Vec<(Lang, String)>)>;
    let mut work: Work = Vec::new();
    let mut add = |pair: (Lang, Lang), segs: Vec<(Lang, String)>| match work.iter_mut().find(|(p, _)| *p == pair) {
        Some((_, v)) => v.extend(segs),
        None => work.push((pair, segs)),
    };
    for f in audarma_ingest::collect_files(&wf.sources) {
        let release = match f.and_then(|p| audarma_ingest::read_file(&p, wf.source_lang)) {
            Ok(r) => r,
            Err(e) => {
                d.input_errors.push(e.to_string());
                continue;
            }
        };
        if store.release_by_hash(&release.content_hash()).await?.is_some() {
            continue;
        }
        d.releases_new += 1;
        let mut segs: Vec<(Lang, String)> = Vec::new();
        if !release.title.is_empty() {
            segs.push((release.lang, release.title.clone()));
        }
        for p in &release.paragraphs {
            segs.extend(p.sentences.iter().map(|s| (p.lang.unwrap_or(release.lang), s.clone())));
        }
        for t in wf.targets_for(release.lang) {
            d.jobs_new += 1;
            add((release.lang, t), segs.clone());
        }
    }
    let filter = audarma_store::JobFilter {
        state: Some(audarma_core::JobState::Queued),
        workflow: Some(wf.name.clone()),
        ..Default::default()
    };
    for j in store.list_jobs(&filter).await? {
        d.jobs_queued += 1;
        let detail = store.job(j.id).await?;
        let segs = detail.segments.iter().map(|s| (s.source_lang.unwrap_or(j.source_lang), s.source.clone())).collect();
        add((j.source_lang, j.target_lang), segs);
    }
    for ((release_lang, target), segs) in work {
        let texts: Vec<String> = segs.iter().map(|(_, t)| t.clone()).collect();
        let memory = store.tm_exact(release_lang, target, &texts).await?;
        let mut p = DryRunPair {
            pair: format!("{release_lang}→{target}"),
            backend: backend.cache_name(release_lang, target),
            ..Default::default()
        };
        // Cache look-ups, one query per source language of the pair's segments.
        let mut cached = vec![false; segs.len()];
        for lang in Lang::ALL {
            let Some(key) = cache_key(backend, terms, lang, target) else { break };
            let idx: Vec<usize> = (0..segs.len()).filter(|&i| segs[i].0 == lang).collect();
            let texts: Vec<String> = idx.iter().map(|&i| segs[i].1.clone()).collect();
            for (i, hit) in idx.into_iter().zip(store.cache_get(&key, &texts).await?) {
                cached[i] = hit.is_some();
            }
        }
        for (((lang, text), tm), cached) in segs.iter().zip(memory).zip(cached) {
            if *lang == target {
                continue;
            }
            if tm.is_some() && *lang == release_lang {
                p.from_memory += 1;
            } else if cached {
                p.from_cache += 1;
            } else {
                p.segments += 1;
                p.chars += text.chars().count();
            }
        }
        d.segments += p.segments;
        d.chars += p.chars;
        d.pairs.push(p);
    }
    Ok(d)
}
