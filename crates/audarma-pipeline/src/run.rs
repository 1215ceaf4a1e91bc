//! One run of a workflow: take back the jobs of dead runs, learn from the store, ingest, then as many
//! claim loops as the backend takes requests at once, renewing leases on a timer.

use crate::liveness::hostname;
use crate::{glossary_entries, ingest, translate_job, JobOutcome, Progress, RunSummary, Terminology, Workflow};
use audarma_mt::Translator;
use audarma_store::{LeaseOwner, Store};
use std::sync::Arc;
use tracing::Instrument;

/// How long a claimed job stays reserved for a run before others may take it back: short, and renewed
/// every [`LEASE_SECS`]/3 seconds while the run lives (a heartbeat), so a killed worker's jobs are
/// back in the queue within a minute however long a job takes.
pub const LEASE_SECS: i64 = 30;

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
        let alive = pid.parse::<u32>().map(crate::liveness::process_alive).unwrap_or(true);
        if h == host && owner != worker && !alive {
            let n = store.reclaim_jobs_of(LeaseOwner(&owner), "its run is no longer running", worker).await?;
            tracing::info!(owner = owner.as_str(), jobs = n, "took back jobs of a run that died");
        }
    }
    Ok(())
}

/// What the backend used that is not in the store yet: each job's usage is recorded as soon as the job
/// ends, so a run that is killed loses at most the jobs it had in flight, never a whole run's billing.
struct UsageRecorder<'a> {
    workflow: &'a str,
    worker: &'a str,
    recorded: std::sync::Mutex<std::collections::HashMap<String, audarma_mt::Usage>>,
}

impl UsageRecorder<'_> {
    /// Records the usage since the last call (per backend), if any.
    async fn record(&self, store: &dyn Store, backend: &dyn Translator) -> Result<(), audarma_store::StoreError> {
        let deltas: Vec<audarma_store::UsageRecord> = {
            let mut recorded = self.recorded.lock().unwrap_or_else(|e| e.into_inner());
            backend
                .usage_by_backend()
                .into_iter()
                .filter_map(|(name, now)| {
                    let before = recorded.insert(name.clone(), now).unwrap_or_default();
                    let used = now.since(&before);
                    let d = audarma_store::UsageRecord {
                        workflow: self.workflow.to_string(),
                        worker: self.worker.to_string(),
                        backend: name,
                        requests: used.requests,
                        chars: used.chars,
                        billed_chars: used.billed_chars,
                        tokens_in: used.tokens_in,
                        tokens_out: used.tokens_out,
                    };
                    (d.requests > 0 || d.chars > 0).then_some(d)
                })
                .collect()
        };
        for d in deltas {
            store.record_usage(&d).await?;
        }
        Ok(())
    }
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
    run_until(store, wf, terms, backend, worker, progress, &std::sync::atomic::AtomicBool::new(false)).await
}

/// [`run`], stopping early once `interrupted` is set (SIGINT, SIGTERM): the jobs in flight are finished
/// and recorded, no new job is claimed, and the summary says it was interrupted. Nothing is left
/// `translating`: every claimed job is finished, failed or handed back.
pub async fn run_until(
    store: Arc<dyn Store>,
    wf: &Workflow,
    terms: &Terminology,
    backend: Arc<dyn Translator>,
    worker: &str,
    progress: &dyn Progress,
    interrupted: &std::sync::atomic::AtomicBool,
) -> Result<RunSummary, audarma_store::StoreError> {
    // A backend's counters run from when it was built: a long-running worker keeps one backend across
    // runs, so this run's usage is counted from the counters as they are now.
    let at_start = backend.usage();
    let usage = UsageRecorder {
        workflow: &wf.name,
        worker,
        recorded: std::sync::Mutex::new(backend.usage_by_backend().into_iter().collect()),
    };
    let by_backend_at_start: std::collections::HashMap<String, audarma_mt::Usage> =
        backend.usage_by_backend().into_iter().collect();
    let mut summary = RunSummary { workflow: wf.name.clone(), ..Default::default() };
    reclaim_from_dead_runs(store.as_ref(), wf, worker).await?;
    terms.learn_from(store.as_ref()).await?;
    ingest(store.as_ref(), wf, worker, progress, &mut summary).await?;
    // A count, not the list: a queue of a hundred thousand jobs costs a worker nothing per round.
    let queued = store
        .count_jobs(&audarma_store::JobFilter {
            state: Some(audarma_core::JobState::Queued),
            workflow: Some(wf.name.clone()),
            ..Default::default()
        })
        .await? as usize;
    if queued > 0 {
        // Stored glossaries (DeepL) are made ready once per run, before any job.
        if let Err(e) = backend.prepare(&glossary_entries(terms, &wf.pairs())).await {
            tracing::warn!(error = %e, "the stored glossary could not be prepared; translating without it");
        }
    }
    progress.translate_started(queued);
    // As many claim loops as the backend takes requests at once: jobs overlap their network waits.
    let stop = std::sync::atomic::AtomicBool::new(false);
    let shared = std::sync::Mutex::new(&mut summary);
    let loops = (0..backend.concurrency().max(1)).map(|_| async {
        while !stop.load(std::sync::atomic::Ordering::Relaxed)
            && !interrupted.load(std::sync::atomic::Ordering::Relaxed)
        {
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
            usage.record(store.as_ref(), backend.as_ref()).await?;
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
    summary.usage = backend.usage().since(&at_start);
    summary.usage_by_backend = backend
        .usage_by_backend()
        .into_iter()
        .map(|(n, u)| {
            let used = u.since(by_backend_at_start.get(&n).unwrap_or(&audarma_mt::Usage::default()));
            (n, used)
        })
        .filter(|(_, u)| u.requests > 0)
        .collect();
    usage.record(store.as_ref(), backend.as_ref()).await?;
    if interrupted.load(std::sync::atomic::Ordering::Relaxed) {
        summary.interrupted = true;
    }
    Ok(summary)
}
