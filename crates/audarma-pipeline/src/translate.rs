//! The translation step: one claimed job through translation memory, the cache and the backend, then
//! glossary verification and QA on every suggestion ([`translate_job`]); [`plan`] is the decision per
//! segment that the dry run shares.

use crate::{fuzzy_matches, Terminology};
use audarma_core::{Lang, SuggestionOrigin};
use audarma_mt::{MtError, MtRequest, MtSegment, Translator};
use audarma_store::{ClaimedJob, Store, Suggestion};
use std::collections::HashMap;

/// The glossary as (source term, preferred target term) entries for each pair, for backends that
/// store glossaries. Every accepted source form is an entry; `dnt` terms map to themselves.
pub fn glossary_entries(terms: &Terminology, pairs: &[(Lang, Lang)]) -> Vec<audarma_mt::GlossaryEntries> {
    pairs
        .iter()
        .map(|&(source, target)| {
            let mut entries = Vec::new();
            for c in &terms.glossary.concepts {
                let Some(preferred) = c.preferred(target) else { continue };
                for s in c.terms(source) {
                    entries.push((s.clone(), if c.dnt { s.clone() } else { preferred.to_string() }));
                }
            }
            audarma_mt::GlossaryEntries { source, target, entries }
        })
        .collect()
}

/// What happens to one source segment of a job before any backend is asked: the one decision
/// [`translate_job`] acts on and [`crate::dry_run`] counts, so the two cannot disagree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Plan {
    /// Already in the target language (a quotation): kept as written.
    Keep,
    /// An exact translation-memory match (of a segment in the release's own language).
    Memory(String),
    /// Sent for translation from this language (unless the cache has it).
    Translate(Lang),
}

/// The plan for a segment in `lang` of a release in `release_lang`, translated into `target`, given its
/// exact memory match (looked up in the release's pair).
pub fn plan(lang: Lang, release_lang: Lang, target: Lang, memory: Option<String>) -> Plan {
    if lang == target {
        Plan::Keep
    } else if let Some(t) = memory.filter(|_| lang == release_lang) {
        Plan::Memory(t)
    } else {
        Plan::Translate(lang)
    }
}

/// The cache key of a pair's machine translations, or `None` for backends not worth caching.
pub(crate) fn cache_key(
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
    // And with which model.
    let mut models: HashMap<u32, String> = HashMap::new();
    // What the backend gets, by the language each segment is really in.
    let mut rest: Vec<(Lang, MtSegment)> = Vec::new();
    for (seg, tm) in job.segments.iter().zip(memory) {
        match plan(seg.lang.unwrap_or(sl), sl, tl, tm) {
            Plan::Keep => {
                outputs.insert(seg.idx, (Some(seg.text.clone()), SuggestionOrigin::Source));
            }
            Plan::Memory(t) => {
                outputs.insert(seg.idx, (Some(t), SuggestionOrigin::Memory));
            }
            Plan::Translate(lang) => rest.push((
                lang,
                MtSegment { idx: seg.idx, text: seg.text.clone(), terms: terms.hints(&seg.text, lang, tl) },
            )),
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
                        if let Some(m) = o.model {
                            models.insert(o.idx, m);
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
                    store.release_job(job.id, job.lease(actor), &message, actor).await?;
                    return Ok(Some(JobOutcome::Stopped(message)));
                }
                Err(e) => {
                    let message = e.to_string();
                    store.fail_job(job.id, job.lease(actor), &message, actor).await?;
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
        store.fail_job(job.id, job.lease(actor), &message, actor).await?;
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
        let model = match origin {
            SuggestionOrigin::Machine => models.remove(&seg.idx).or_else(|| backend.model().map(str::to_string)),
            _ => None,
        };
        suggestions.push(Suggestion {
            idx: seg.idx,
            text,
            origin,
            backend: backend_name,
            model,
            terms: term_results,
            findings,
            tm: Some(tm),
        });
    }
    let segments = suggestions.iter().filter(|s| s.text.is_some()).count();
    store.complete_translation(job.id, job.lease(actor), &suggestions, actor).await?;
    tracing::debug!(job = job.id, from_cache, "translated");
    Ok(JobOutcome::Translated { segments, from_memory, chars_sent })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_plan_keeps_quotations_takes_memory_only_in_the_release_language_and_sends_the_rest() {
        use Lang::{En, Kk, Ru};
        assert_eq!(plan(Ru, En, Ru, Some("x".into())), Plan::Keep, "already in the target language");
        assert_eq!(plan(En, En, Ru, Some("x".into())), Plan::Memory("x".into()));
        assert_eq!(
            plan(Kk, En, Ru, Some("x".into())),
            Plan::Translate(Kk),
            "memory is looked up in the release's pair"
        );
        assert_eq!(plan(En, En, Ru, None), Plan::Translate(En));
    }
}
