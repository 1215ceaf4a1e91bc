//! `audarma mqm`: reviewers' MQM annotations on the command line — add one (or accept a QA finding
//! as one, its category preset), list, remove, score a job, and export a batch as the TSV Google's
//! MQM viewer (Marot) reads.

use super::tm::parse_since;
use super::{actor, open, Cli, Exit};
use crate::atomic;
use crate::output::json;
use audarma_analytics::mqm::{ErrorType, Severity as Mqm};
use audarma_pipeline::{ReviewConfig, Workflow};
use audarma_store::{job_score, MqmAnnotation, NewAnnotation};
use chrono::{DateTime, Utc};
use clap::Subcommand;
use std::path::{Path, PathBuf};

#[derive(Subcommand, Debug)]
pub enum MqmCmd {
    /// Mark an error in a segment's target: an MQM category (`terminology/wrong-inflection`,
    /// `accuracy/omission`, … — `audarma mqm types` lists them) and a severity (neutral, minor,
    /// major, critical). With --finding N, the segment's Nth QA finding (as `audarma show` lists
    /// them, from 1) presets the category, severity and span.
    Annotate {
        job: i64,
        segment: u32,
        #[arg(long = "type", value_parser = parse_type)]
        error_type: Option<ErrorType>,
        #[arg(long, value_parser = parse_severity)]
        severity: Option<Mqm>,
        /// Characters START..END of the target (from 0, END excluded); the whole segment without it.
        #[arg(long, value_parser = parse_span)]
        span: Option<(u32, u32)>,
        #[arg(long)]
        note: Option<String>,
        #[arg(long)]
        finding: Option<usize>,
    },
    /// A job's annotations and its MQM score.
    List {
        job: i64,
        /// The workflow whose `[review] mqm_pass` the score is judged by (95 without one).
        #[arg(long)]
        workflow: Option<PathBuf>,
    },
    /// Remove an annotation (the event log keeps it).
    Remove { job: i64, id: i64 },
    /// The MQM categories and severities.
    Types,
    /// Annotations on segments approved in a period, as Marot's TSV (one line per error, and a
    /// `no-error` line for each segment of an annotated job without one).
    Export {
        #[arg(long, default_value = "tsv", value_parser = ["tsv"])]
        format: String,
        #[arg(long, value_parser = parse_since)]
        since: Option<DateTime<Utc>>,
        #[arg(long, value_parser = parse_since)]
        until: Option<DateTime<Utc>>,
        #[arg(long)]
        out: PathBuf,
    },
}

fn parse_type(s: &str) -> Result<ErrorType, String> {
    s.parse().map_err(|_| format!("{s:?} is not an MQM category (see `audarma mqm types`)"))
}

fn parse_severity(s: &str) -> Result<Mqm, String> {
    s.parse().map_err(|_| format!("{s:?} is not a severity (neutral, minor, major, critical)"))
}

fn parse_span(s: &str) -> Result<(u32, u32), String> {
    let bad = || format!("{s:?} is not a span START..END of characters");
    let (a, b) = s.split_once("..").ok_or_else(bad)?;
    let (a, b): (u32, u32) = (a.trim().parse().map_err(|_| bad())?, b.trim().parse().map_err(|_| bad())?);
    if a > b {
        return Err(bad());
    }
    Ok((a, b))
}

/// The pass threshold: the workflow's `[review] mqm_pass`, else the default.
pub(super) fn threshold(workflow: Option<&Path>) -> Result<f64, Exit> {
    match workflow {
        Some(p) => Ok(Workflow::load(p).map_err(Exit::input)?.review.mqm_pass),
        None => Ok(ReviewConfig::DEFAULT_MQM_PASS),
    }
}

#[allow(clippy::too_many_arguments)]
pub(super) async fn annotate(
    cli: &Cli,
    job: i64,
    segment: u32,
    error_type: Option<ErrorType>,
    severity: Option<Mqm>,
    span: Option<(u32, u32)>,
    note: Option<String>,
    finding: Option<usize>,
) -> Result<(), Exit> {
    let store = open(cli).await?;
    let (mut error_type, mut severity, mut span) = (error_type, severity, span);
    if let Some(n) = finding {
        let detail = store.job(job).await?;
        let seg = detail
            .segments
            .iter()
            .find(|s| s.idx == segment)
            .ok_or(audarma_store::StoreError::NoSuchSegment { job, segment })?;
        let f = n.checked_sub(1).and_then(|i| seg.findings.get(i)).ok_or_else(|| {
            Exit::input(format!("--finding {n}: segment {segment} of job {job} has {} finding(s)", seg.findings.len()))
        })?;
        let preset = audarma_analytics::preset(f);
        error_type = error_type.or(Some(preset.error_type));
        severity = severity.or(Some(preset.severity));
        span = span.or(f.start.zip(f.end).map(|(a, b)| (a as u32, b as u32)));
    }
    let error_type = error_type.ok_or_else(|| Exit::input("--type is required (or --finding N to preset it)"))?;
    let severity = severity.ok_or_else(|| Exit::input("--severity is required (or --finding N to preset it)"))?;
    let new = NewAnnotation { idx: segment, span, error_type, severity, note: note.filter(|n| !n.trim().is_empty()) };
    let a = store.add_annotation(job, &new, &actor(cli)).await?;
    if cli.json {
        json(&a);
    } else {
        println!("annotation {} on job {job}, segment {segment}: {} ({})", a.id, a.error_type, a.severity);
    }
    Ok(())
}

pub(super) async fn list(cli: &Cli, job: i64, workflow: Option<&Path>) -> Result<(), Exit> {
    let pass = threshold(workflow)?;
    let store = open(cli).await?;
    let detail = store.job(job).await?;
    let annotations = store.annotations(job).await?;
    let score = job_score(&detail, &annotations, pass);
    if cli.json {
        json(&serde_json::json!({ "job": job, "annotations": annotations, "score": score }));
        return Ok(());
    }
    for a in &annotations {
        let text = detail.segments.iter().find(|s| s.idx == a.idx).and_then(|s| s.current()).unwrap_or_default();
        let marked = a.marked(text);
        println!(
            "{:>5}  segment {:<3} {:<8} {:<36} {}{}",
            a.id,
            a.idx,
            a.severity.as_str(),
            a.error_type.as_str(),
            marked.map(|m| format!("«{m}» ")).unwrap_or_default(),
            a.note.as_deref().unwrap_or_default()
        );
    }
    println!("{}", audarma_store::describe_score(&score));
    Ok(())
}

pub(super) async fn remove(cli: &Cli, job: i64, id: i64) -> Result<(), Exit> {
    let store = open(cli).await?;
    store.remove_annotation(job, id, &actor(cli)).await?;
    if cli.json {
        json(&serde_json::json!({ "job": job, "removed": id }));
    } else {
        println!("annotation {id} of job {job} removed");
    }
    Ok(())
}

pub(super) fn types(cli: &Cli) {
    if cli.json {
        json(&serde_json::json!({ "types": ErrorType::ALL, "severities": Mqm::ALL }));
        return;
    }
    for t in ErrorType::ALL {
        println!("{t}");
    }
    println!();
    for s in Mqm::ALL {
        println!("{s} ({} penalty points)", s.weight());
    }
}

/// A TSV field: tabs and line breaks would break the row.
fn field(s: &str) -> String {
    s.replace(['\t', '\n', '\r'], " ")
}

/// `text` with the characters `span` enclosed in `<v>…</v>`, as Marot marks an error.
fn marked(text: &str, span: Option<(u32, u32)>) -> String {
    let Some((s, e)) = span else { return field(text) };
    let chars: Vec<char> = text.chars().collect();
    let (s, e) = ((s as usize).min(chars.len()), (e as usize).min(chars.len()));
    let part = |a: usize, b: usize| chars[a..b].iter().collect::<String>();
    field(&format!("{}<v>{}</v>{}", part(0, s), part(s, e), part(e, chars.len())))
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

pub(super) async fn export(
    cli: &Cli,
    since: Option<DateTime<Utc>>,
    until: Option<DateTime<Utc>>,
    out: &Path,
) -> Result<(), Exit> {
    let store = open(cli).await?;
    let annotations = store.annotations_between(since, until).await?;
    let mut jobs: Vec<i64> = annotations.iter().map(|a| a.job).collect();
    jobs.dedup();
    let mut tsv =
        String::from("system\tdoc\tdocSegId\tglobalSegId\trater\tsource\ttarget\tcategory\tseverity\tmetadata\n");
    let (mut errors, mut clean) = (0, 0);
    let mut global = 0;
    for job in &jobs {
        let detail = store.job(*job).await?;
        let approver = store
            .events(Some(*job))
            .await?
            .into_iter()
            .rev()
            .find(|e| e.kind == "state" && e.after.as_deref() == Some("approved"))
            .map(|e| e.actor);
        let doc = format!("job-{job}:{}-{}", detail.summary.source_lang.code(), detail.summary.target_lang.code());
        let of_job: Vec<&MqmAnnotation> = annotations.iter().filter(|a| a.job == *job).collect();
        for seg in &detail.segments {
            global += 1;
            let system = seg.backend.clone().unwrap_or_else(|| seg.origin.as_str().to_string());
            let target = seg.current().unwrap_or_default();
            let row = |rater: &str, target: String, category: &str, severity: &str, metadata: serde_json::Value| {
                format!(
                    "{}\t{doc}\t{}\t{global}\t{}\t{}\t{target}\t{category}\t{severity}\t{metadata}\n",
                    field(&system),
                    seg.idx + 1,
                    field(rater),
                    field(&seg.source)
                )
            };
            let marks: Vec<&&MqmAnnotation> = of_job.iter().filter(|a| a.idx == seg.idx).collect();
            if marks.is_empty() {
                let rater = approver.as_deref().unwrap_or("audarma");
                tsv.push_str(&row(rater, field(target), "no-error", "no-error", serde_json::json!({})));
                clean += 1;
            }
            for a in marks {
                let metadata = serde_json::json!({
                    "timestamp": a.created_at.timestamp_millis(),
                    "note": a.note,
                    "marked_text": a.marked(target),
                    "audarma_annotation": a.id,
                });
                tsv.push_str(&row(
                    &a.created_by,
                    marked(target, a.span),
                    a.error_type.as_str(),
                    &capitalised(a.severity.as_str()),
                    metadata,
                ));
                errors += 1;
            }
        }
    }
    atomic::write(out, tsv.as_bytes()).map_err(Exit::internal)?;
    if cli.json {
        json(&serde_json::json!({ "file": out, "jobs": jobs.len(), "errors": errors, "no_error_segments": clean }));
    } else {
        println!("{}: {errors} error(s) and {clean} segment(s) without one, from {} job(s)", out.display(), jobs.len());
    }
    Ok(())
}
