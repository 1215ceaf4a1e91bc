//! What a run would send, per language pair, without writing or calling anything.

use crate::translate::{cache_key, plan, Plan};
use crate::{Terminology, Workflow};
use audarma_core::Lang;
use audarma_mt::Translator;
use audarma_store::Store;
use serde::Serialize;

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
            match plan(*lang, release_lang, target, tm) {
                Plan::Keep => {}
                Plan::Memory(_) => p.from_memory += 1,
                Plan::Translate(_) if cached => p.from_cache += 1,
                Plan::Translate(_) => {
                    p.segments += 1;
                    p.chars += text.chars().count();
                }
            }
        }
        d.segments += p.segments;
        d.chars += p.chars;
        d.pairs.push(p);
    }
    Ok(d)
}
