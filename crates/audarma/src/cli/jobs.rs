//! The review verbs on the command line: the queue, one job, editing a segment, approving, rejecting,
//! retrying, and the event log.

use super::{actor, open, Cli, Exit};
use crate::output::{clip, json, shown};
use audarma_core::{JobState, Lang};
use audarma_pipeline::Terminology;
use audarma_store::JobFilter;

pub(super) fn parse_state(s: &str) -> Result<JobState, String> {
    JobState::parse(s)
        .ok_or_else(|| format!("unknown state {s:?} (one of: {})", JobState::ALL.map(|s| s.as_str()).join(", ")))
}

fn report(cli: &Cli, job: i64, state: &str) {
    if cli.json {
        json(&serde_json::json!({ "job": job, "state": state }));
    } else {
        println!("job {job} {state}");
    }
}

pub(super) async fn show(cli: &Cli, job: i64) -> Result<(), Exit> {
    let store = open(cli).await?;
    let d = store.job(job).await?;
    if cli.json {
        json(&d);
        return Ok(());
    }
    let s = &d.summary;
    println!(
        "job {} · {} · {}→{} · release {} ({})",
        s.id,
        s.state,
        s.source_lang,
        s.target_lang,
        s.release_id,
        shown(&d.release_source)
    );
    println!("title: {}", shown(&s.title));
    if let Some(e) = &s.error {
        println!("error: {}", shown(e));
    }
    for seg in &d.segments {
        println!();
        let origin = seg.backend.clone().unwrap_or_else(|| seg.origin.as_str().to_string());
        println!("[{}] v{} ({origin}{})", seg.idx, seg.version, if seg.edited.is_some() { ", edited" } else { "" });
        println!("  {}: {}", seg.source_lang.unwrap_or(s.source_lang), shown(&seg.source));
        println!("  {}: {}", s.target_lang, shown(seg.current().unwrap_or("—")));
        for t in &seg.terms {
            let status = t.status.map(|s| s.as_str()).unwrap_or("");
            println!("  term {}: {} → {} {status}", shown(&t.id), shown(&t.source), shown(&t.target));
        }
        print_findings(&seg.findings);
    }
    Ok(())
}

/// Prints QA findings, one indented line each.
fn print_findings(findings: &[audarma_qa::Finding]) {
    for f in findings {
        println!("  {} {}: {}", f.severity, f.check, shown(&f.message));
    }
}

pub(super) async fn edit(
    cli: &Cli,
    job: i64,
    idx: u32,
    text: &str,
    version: Option<i64>,
    terms: &Terminology,
) -> Result<(), Exit> {
    let text = text.trim();
    if text.is_empty() {
        return Err(Exit::input("the new text is empty"));
    }
    if let Some(c) = audarma_text::stray_control(text) {
        return Err(Exit::input(format!("the new text contains the control character U+{:04X}; remove it", c as u32)));
    }
    let store = open(cli).await?;
    let d = store.job(job).await?;
    let seg = d
        .segments
        .iter()
        .find(|s| s.idx == idx)
        .ok_or(audarma_store::StoreError::NoSuchSegment { job, segment: idx })?;
    terms.learn_from(store.as_ref()).await?;
    let s = &d.summary;
    let source_lang = seg.source_lang.unwrap_or(s.source_lang);
    let (_, findings) = terms.review(&seg.source, Some(text), source_lang, s.target_lang, s.release_date);
    if version.is_none() && !cli.json {
        eprintln!(
            "warning: without --version this overwrites segment {idx} whatever changed since you read it; pass --version {} (from `audarma show {job}`) to be refused instead",
            seg.version
        );
    }
    let new_version = store.edit_segment(job, idx, text, &findings, version, &actor(cli)).await?;
    if cli.json {
        json(&serde_json::json!({ "job": job, "segment": idx, "version": new_version, "findings": findings }));
    } else {
        println!("job {job} segment {idx} saved (version {new_version})");
        print_findings(&findings);
    }
    Ok(())
}

pub(super) async fn queue(
    cli: &Cli,
    state: Option<JobState>,
    lang: Option<Lang>,
    workflow: &Option<String>,
) -> Result<(), Exit> {
    let store = open(cli).await?;
    let filter = JobFilter { state, target_lang: lang, workflow: workflow.clone(), ..Default::default() };
    let jobs = store.list_jobs(&filter).await?;
    if cli.json {
        json(&serde_json::json!({ "jobs": jobs }));
    } else if jobs.is_empty() {
        println!("no jobs");
    } else {
        println!("{:>5}  {:<11} {:<5} {:<10} {:>4}  {:<10} TITLE", "JOB", "STATE", "PAIR", "DATE", "SEGS", "WORKFLOW");
        for j in &jobs {
            let date = j.release_date.map(|d| d.to_string()).unwrap_or_default();
            let pair = format!("{}→{}", j.source_lang, j.target_lang);
            println!(
                "{:>5}  {:<11} {:<5} {:<10} {:>4}  {:<10} {}",
                j.id,
                j.state.as_str(),
                pair,
                date,
                j.segments,
                clip(&j.workflow, 10),
                clip(&j.title, 60)
            );
        }
    }
    Ok(())
}

pub(super) async fn approve(
    cli: &Cli,
    job: i64,
    override_reason: Option<&str>,
    workflow: Option<&std::path::Path>,
) -> Result<(), Exit> {
    let pass = super::mqm::threshold(workflow)?;
    let store = open(cli).await?;
    audarma_store::approve_reviewed(store.as_ref(), job, &actor(cli), override_reason, pass).await?;
    report(cli, job, "approved");
    Ok(())
}

pub(super) async fn reject(cli: &Cli, job: i64, reason: &str) -> Result<(), Exit> {
    if reason.trim().is_empty() {
        return Err(Exit::input("--reason must say why the job is rejected"));
    }
    let store = open(cli).await?;
    store.reject_job(job, reason, &actor(cli)).await?;
    report(cli, job, "rejected");
    Ok(())
}

pub(super) async fn retry(cli: &Cli, job: i64) -> Result<(), Exit> {
    let store = open(cli).await?;
    store.retry_job(job, &actor(cli)).await?;
    report(cli, job, "queued");
    Ok(())
}

pub(super) async fn history(cli: &Cli, job: Option<i64>) -> Result<(), Exit> {
    let store = open(cli).await?;
    let events = store.events(job).await?;
    if cli.json {
        json(&serde_json::json!({ "events": events }));
    } else {
        for e in events {
            let target = e.job_id.map(|j| format!("job {j}")).or(e.release_id.map(|r| format!("release {r}")));
            let change = match (&e.before, &e.after) {
                (Some(b), Some(a)) => format!(" {} → {}", clip(b, 50), clip(a, 50)),
                (None, Some(a)) => format!(" → {}", clip(a, 50)),
                _ => String::new(),
            };
            println!(
                "{}  {:<10} {:<12} {}{} {}",
                e.at.format("%Y-%m-%d %H:%M:%S"),
                clip(&e.actor, 10),
                target.unwrap_or_default(),
                shown(&e.kind),
                change,
                if e.detail.as_object().is_some_and(|o| !o.is_empty()) {
                    shown(&e.detail.to_string()).into_owned()
                } else {
                    String::new()
                }
            );
        }
    }
    Ok(())
}
