//! Running workflows on the command line: ingesting releases, a run (and its dry run) with progress
//! bars on a terminal, and checking a workflow file.

use super::{actor, open, Cli, Exit};
use crate::output::json;
use audarma_core::Lang;
use audarma_glossary::{lint, Glossary};
use audarma_pipeline::{Progress, Terminology, Workflow};
use clap::Subcommand;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

#[derive(Subcommand, Debug)]
pub enum WorkflowCmd {
    /// Validate a workflow file without running it.
    Check { file: PathBuf },
}

pub(super) async fn ingest(cli: &Cli, paths: &[PathBuf], lang: Option<Lang>) -> Result<(), Exit> {
    let store = open(cli).await?;
    let mut results = Vec::new();
    let mut failed = false;
    for f in audarma_ingest::collect_files(paths) {
        let release = f.and_then(|p| audarma_ingest::read_file(&p, lang));
        match release {
            Ok(r) => {
                let inserted = store.insert_release(&r, &actor(cli)).await?;
                let (id, new) = match inserted {
                    audarma_store::Inserted::New { id } => (id, true),
                    audarma_store::Inserted::Existing { id } => (id, false),
                };
                if !cli.json {
                    if new {
                        println!("{}: new release {id} ({}, {} segments)", r.source, r.lang, r.segment_count());
                    } else {
                        println!("{}: already stored as release {id}; nothing created", r.source);
                    }
                }
                results.push(serde_json::json!({ "path": r.source, "release": id, "new": new, "lang": r.lang, "segments": r.segment_count() }));
            }
            Err(e) => {
                failed = true;
                eprintln!("audarma: {e}");
                results.push(serde_json::json!({ "error": e.to_string() }));
            }
        }
    }
    if cli.json {
        json(&serde_json::json!({ "files": results }));
    }
    if failed {
        Err(Exit::problems())
    } else {
        Ok(())
    }
}

pub(super) fn load_workflow(file: &Path) -> Result<(Workflow, Terminology), Exit> {
    let wf = Workflow::load(file).map_err(Exit::input)?;
    if let Some(p) = wf.check_paths().into_iter().next() {
        return Err(Exit::input(p));
    }
    let glossary = Glossary::load(&wf.glossaries).map_err(Exit::input)?;
    let qa = wf.qa.clone();
    let words = qa.read_words().map_err(|e| Exit::input(e.to_string()))?;
    Ok((wf, Terminology::with_qa(glossary, qa).with_words(words)))
}

pub(super) fn workflow_check(cli: &Cli, file: &Path) -> Result<(), Exit> {
    let (wf, terms) = load_workflow(file)?;
    audarma_pipeline::check_backend(&wf).map_err(|e| Exit::input(format!("{}: {e}", file.display())))?;
    let problems = lint(&terms.glossary);
    if cli.json {
        json(&serde_json::json!({
            "workflow": wf.name, "ok": problems.is_empty(), "targets": wf.targets,
            "concepts": terms.glossary.len(), "backends": wf.backends.iter().map(|(n, c)| serde_json::json!({"name": n, "kind": c.kind})).collect::<Vec<_>>(),
            "glossary_problems": problems.iter().map(ToString::to_string).collect::<Vec<_>>(),
        }));
    } else {
        for p in &problems {
            println!("{p}");
        }
        println!(
            "{}: workflow `{}` is valid ({} source path(s), targets {}, {} glossary concepts)",
            file.display(),
            wf.name,
            wf.sources.len(),
            wf.targets.iter().map(|l| l.code()).collect::<Vec<_>>().join(", "),
            terms.glossary.len()
        );
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Exit::problems())
    }
}

struct Bars {
    bar: indicatif::ProgressBar,
}

impl Progress for Bars {
    fn ingest_started(&self, files: usize) {
        self.bar.set_length(files as u64);
        self.bar.set_position(0);
        self.bar.set_message("reading releases");
    }
    fn file_done(&self, _: &str) {
        self.bar.inc(1);
    }
    fn translate_started(&self, jobs: usize) {
        self.bar.set_length(jobs as u64);
        self.bar.set_position(0);
        self.bar.set_message("translating");
    }
    fn job_done(&self, _: i64) {
        self.bar.inc(1);
    }
}

pub(super) async fn dry_run(cli: &Cli, file: &Path) -> Result<(), Exit> {
    let (wf, terms) = load_workflow(file)?;
    let store = open(cli).await?;
    let backend =
        audarma_pipeline::backend(store.clone(), &wf).map_err(|e| Exit::input(format!("{}: {e}", file.display())))?;
    let d = audarma_pipeline::dry_run(store.as_ref(), &wf, &terms, backend.as_ref()).await?;
    for e in &d.input_errors {
        eprintln!("audarma: {e}");
    }
    if cli.json {
        json(&d);
    } else {
        d.lines().iter().for_each(|l| println!("{l}"));
    }
    Ok(())
}

pub(super) async fn run(cli: &Cli, file: &Path, worker: Option<String>) -> Result<(), Exit> {
    let (wf, terms) = load_workflow(file)?;
    let store = open(cli).await?;
    let backend =
        audarma_pipeline::backend(store.clone(), &wf).map_err(|e| Exit::input(format!("{}: {e}", file.display())))?;
    let worker = worker.unwrap_or_else(audarma_pipeline::default_worker);
    let interactive = std::io::stderr().is_terminal() && !cli.json;
    let bars = interactive.then(|| {
        let bar = indicatif::ProgressBar::new(0);
        bar.set_style(
            indicatif::ProgressStyle::with_template("{msg:>18} [{bar:30}] {pos}/{len}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
                .progress_chars("=> "),
        );
        Bars { bar }
    });
    let progress: &dyn Progress = match &bars {
        Some(b) => b,
        None => &audarma_pipeline::NoProgress,
    };
    // SIGINT or SIGTERM (cron's timeout, systemd, Ctrl-C): finish the jobs in flight, record what they
    // were billed, claim nothing more, and exit 4. Nothing is left `translating`.
    let interrupted = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    tokio::spawn({
        let interrupted = interrupted.clone();
        async move {
            stop_signal().await;
            tracing::warn!("stopping: finishing the jobs in flight, claiming no more");
            interrupted.store(true, std::sync::atomic::Ordering::Relaxed);
        }
    });
    let summary =
        match audarma_pipeline::run_until(store.clone(), &wf, &terms, backend, &worker, progress, &interrupted).await {
            Ok(s) => s,
            Err(e) => {
                log_run_failure(store.as_ref(), &wf.name, &[e.to_string()], &worker).await;
                return Err(Exit::internal(e));
            }
        };
    log_run_failure(store.as_ref(), &wf.name, &summary.run_problems(), &worker).await;
    if let Some(b) = &bars {
        b.bar.finish_and_clear();
    }
    for e in summary.input_errors.iter().chain(&summary.failures) {
        eprintln!("audarma: {e}");
    }
    if cli.json {
        json(&summary);
    } else {
        println!("{}", summary.line());
    }
    if summary.interrupted {
        Err(Exit::interrupted())
    } else if summary.has_failures() {
        Err(Exit::problems())
    } else {
        Ok(())
    }
}

/// Logs a run that failed as a whole (the `run_failed` webhook event); nothing when `problems` is empty.
/// A store that cannot log it (the database is what failed) is said on stderr.
async fn log_run_failure(store: &dyn audarma_store::Store, workflow: &str, problems: &[String], worker: &str) {
    if problems.is_empty() {
        return;
    }
    if let Err(e) = store.log_run_failure(workflow, problems, worker).await {
        eprintln!("audarma: {workflow}: the failed run could not be logged: {e}");
    }
}

/// The first SIGINT or SIGTERM.
async fn stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// `audarma worker`: runs workflows for as long as it lives, for deployments without cron. Each round
/// runs every workflow as `audarma run` does (ingest, then claim until the queue is empty); between
/// rounds it waits for a job to be queued (PostgreSQL wakes it at once; SQLite is polled) or for the
/// poll interval. The workflows' webhooks are delivered in the background every `notify_every`. A
/// failed run is logged (`run_failed`) when its problems differ from the workflow's previous round, so
/// a source that stays unreadable is told once, not every round. SIGINT or SIGTERM: the jobs in flight
/// are finished, nothing more is claimed, exit 0.
pub(super) async fn worker(
    cli: &Cli,
    files: &[PathBuf],
    worker: Option<String>,
    concurrency: Option<usize>,
    poll: std::time::Duration,
    notify_every: std::time::Duration,
) -> Result<(), Exit> {
    let store = open(cli).await?;
    let mut workflows = Vec::new();
    for file in files {
        let (mut wf, terms) = load_workflow(file)?;
        if let Some(n) = concurrency {
            for (_, b) in wf.backends.iter_mut() {
                b.concurrency = Some(n);
            }
        }
        let backend = audarma_pipeline::backend(store.clone(), &wf)
            .map_err(|e| Exit::input(format!("{}: {e}", file.display())))?;
        workflows.push((wf, terms, backend));
    }
    let names: Vec<&str> = workflows.iter().map(|(wf, _, _)| wf.name.as_str()).collect();
    let worker = worker.unwrap_or_else(audarma_pipeline::default_worker);
    let notifier = super::notify::notifier(workflows.iter().map(|(wf, _, _)| wf), &worker)?;
    super::notify::forget_removed(store.as_ref(), workflows.iter().map(|(wf, _, _)| wf)).await?;
    let stop_delivering = std::sync::Arc::new(tokio::sync::Notify::new());
    let deliverer = match notifier {
        Some(n) => Some(super::notify::spawn(n, store.clone(), notify_every, stop_delivering.clone()).await),
        None => None,
    };
    let mut last_problems: std::collections::HashMap<String, Vec<String>> = std::collections::HashMap::new();
    let interrupted = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let stopped = std::sync::Arc::new(tokio::sync::Notify::new());
    tokio::spawn({
        let (interrupted, stopped) = (interrupted.clone(), stopped.clone());
        async move {
            stop_signal().await;
            tracing::warn!("stopping: finishing the jobs in flight, claiming no more");
            interrupted.store(true, std::sync::atomic::Ordering::Relaxed);
            stopped.notify_one();
        }
    });
    tracing::info!(worker = worker.as_str(), workflows = ?names, "worker started");
    let mut failures = 0usize;
    while !interrupted.load(std::sync::atomic::Ordering::Relaxed) {
        for (wf, terms, backend) in &workflows {
            let progress = &audarma_pipeline::NoProgress;
            let problems = match audarma_pipeline::run_until(
                store.clone(),
                wf,
                terms,
                backend.clone(),
                &worker,
                progress,
                &interrupted,
            )
            .await
            {
                Ok(summary) => {
                    for e in summary.input_errors.iter().chain(&summary.failures) {
                        eprintln!("audarma: {e}");
                    }
                    failures += summary.failures.len();
                    if summary.jobs_translated + summary.jobs_failed > 0 {
                        tracing::info!(workflow = wf.name.as_str(), summary = %summary.line(), "round done");
                    }
                    summary.run_problems()
                }
                // The database went away for a moment: say so and try again next round.
                Err(e) => {
                    eprintln!("audarma: {}: {e}", wf.name);
                    vec![e.to_string()]
                }
            };
            if last_problems.get(&wf.name) != Some(&problems) {
                log_run_failure(store.as_ref(), &wf.name, &problems, &worker).await;
                last_problems.insert(wf.name.clone(), problems);
            }
        }
        if interrupted.load(std::sync::atomic::Ordering::Relaxed) {
            break;
        }
        tokio::select! {
            r = store.wait_for_jobs(&names, poll) => {
                if let Err(e) = r {
                    tracing::warn!(error = %e, "waiting for jobs; polling instead");
                    tokio::time::sleep(poll).await;
                }
            }
            () = stopped.notified() => {}
        }
    }
    if let Some(d) = deliverer {
        // The round in flight is finished.
        stop_delivering.notify_one();
        let _ = d.await;
    }
    if cli.json {
        json(&serde_json::json!({ "worker": worker, "stopped": true, "job_failures": failures }));
    }
    Ok(())
}
