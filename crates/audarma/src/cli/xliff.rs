//! `audarma xliff export` and `audarma xliff import`: jobs out to CAT tools as XLIFF and back in as
//! edits. What a file says and what importing it would do are `audarma_xliff`'s; this selects the
//! jobs, writes the files (`crate::atomic`), checks each edit as `audarma edit` does and reports.

use super::{actor, jobs::parse_state, open, Cli, Exit, GlossaryArgs};
use crate::atomic;
use crate::output::{json, shown};
use audarma_core::{JobState, Lang};
use audarma_pipeline::Terminology;
use audarma_store::{JobFilter, Store};
use audarma_xliff::{Document, Imported, Options, XliffVersion};
use clap::Subcommand;
use std::path::{Path, PathBuf};

#[derive(Subcommand, Debug)]
pub enum XliffCmd {
    /// Write jobs as XLIFF, one file per job (`job-ID.SRC-TGT.xlf`): each segment's source, current
    /// text, state and version, QA findings and comments as notes, glossary terms and memory matches.
    Export {
        /// The jobs (or select them with --state and --lang).
        jobs: Vec<i64>,
        #[arg(long, value_parser = parse_state)]
        state: Option<JobState>,
        /// Target language of the jobs selected with --state.
        #[arg(long)]
        lang: Option<Lang>,
        #[arg(long)]
        out: PathBuf,
        /// XLIFF version: 1.2, 2.0 or 2.1.
        #[arg(long = "xliff-version", visible_alias = "version", default_value = "2.0", value_parser = parse_version)]
        xliff_version: XliffVersion,
        /// Write each target as a copy of its source, state needs-translation (the current text goes
        /// with the matches): for CAT tools that translate <target>, such as OmegaT's XLIFF filter.
        #[arg(long)]
        copy_source: bool,
    },
    /// Read XLIFF files exported by `xliff export` back: every changed target becomes an edit
    /// (versioned, checked, logged under --as). A segment changed in audarma since the export is not
    /// overwritten; a file for another job or language pair, or with a modified source, is refused.
    Import {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Refuse files that are not for this job.
        #[arg(long)]
        job: Option<i64>,
        /// Check the edits with this workflow's glossaries and `[qa]` severities.
        #[arg(long, conflicts_with = "paths")]
        workflow: Option<PathBuf>,
        #[command(flatten)]
        glossary: GlossaryArgs,
    },
}

fn parse_version(s: &str) -> Result<XliffVersion, String> {
    XliffVersion::parse(s).ok_or_else(|| format!("unknown XLIFF version {s:?} (1.2, 2.0 or 2.1)"))
}

pub(super) async fn export(
    cli: &Cli,
    jobs: &[i64],
    state: Option<JobState>,
    lang: Option<Lang>,
    out: &Path,
    options: Options,
) -> Result<(), Exit> {
    if jobs.is_empty() && state.is_none() {
        return Err(Exit::input("name the jobs to export, or select them with --state (and --lang)"));
    }
    let store = open(cli).await?;
    let mut ids = jobs.to_vec();
    if let Some(state) = state {
        let filter = JobFilter { state: Some(state), target_lang: lang, ..Default::default() };
        ids.extend(store.list_jobs(&filter).await?.iter().map(|j| j.id));
    }
    std::fs::create_dir_all(out).map_err(|e| Exit::input(format!("{}: cannot create: {e}", out.display())))?;
    let mut written = Vec::new();
    for id in ids {
        let detail = store.job(id).await?;
        let comments = store.comments(id).await?;
        let doc = Document::from_job(&detail, &comments);
        let path = out.join(audarma_xliff::file_name(&doc));
        atomic::write(&path, &audarma_xliff::write(&doc, &options)).map_err(Exit::internal)?;
        written.push(path);
    }
    if cli.json {
        json(&serde_json::json!({ "written": written, "version": options.version }));
    } else {
        println!("exported {} job(s) as XLIFF {} to {}", written.len(), options.version, out.display());
    }
    Ok(())
}

/// One file's outcome: imported (perhaps with conflicts and refused units), or refused whole.
#[derive(serde::Serialize)]
struct FileOutcome {
    file: PathBuf,
    #[serde(flatten)]
    imported: Option<Imported>,
    #[serde(skip_serializing_if = "Option::is_none")]
    refused: Option<String>,
}

pub(super) async fn import(cli: &Cli, files: &[PathBuf], job: Option<i64>, terms: &Terminology) -> Result<(), Exit> {
    let store = open(cli).await?;
    terms.learn_from(store.as_ref()).await?;
    let who = actor(cli);
    let mut outcomes = Vec::new();
    for file in files {
        let outcome = match import_file(store.as_ref(), file, job, terms, &who).await {
            Ok(imported) => FileOutcome { file: file.clone(), imported: Some(imported), refused: None },
            Err(FileError::Refused(why)) => FileOutcome { file: file.clone(), imported: None, refused: Some(why) },
            Err(FileError::Store(e)) => return Err(e.into()),
        };
        outcomes.push(outcome);
    }
    let refused_files = outcomes.iter().filter(|o| o.refused.is_some()).count();
    let problems = outcomes.iter().filter_map(|o| o.imported.as_ref()).filter(|i| i.has_problems()).count();
    if cli.json {
        json(&serde_json::json!({ "files": outcomes }));
    } else {
        for o in &outcomes {
            print_outcome(o);
        }
    }
    if refused_files + problems > 0 {
        return Err(Exit::input(format!(
            "{refused_files} file(s) refused, {problems} file(s) imported in part: what was not imported is listed above"
        )));
    }
    Ok(())
}

fn print_outcome(o: &FileOutcome) {
    let name = o.file.display();
    if let Some(why) = &o.refused {
        println!("{name}: refused: {}", shown(why));
        return;
    }
    let Some(i) = &o.imported else { return };
    println!(
        "{name}: job {}: {} edited, {} unchanged, {} conflict(s), {} refused",
        i.job,
        i.edited.len(),
        i.unchanged,
        i.conflicts.len(),
        i.refused.len()
    );
    for (segment, version) in &i.edited {
        println!("  edited: segment {segment} (version {version})");
    }
    for c in &i.conflicts {
        println!(
            "  conflict: segment {} changed in audarma since the export (exported at version {}, now {}); not overwritten",
            c.segment, c.exported_version, c.current_version
        );
    }
    for r in &i.refused {
        println!("  refused: line {}: {}", r.line, shown(&r.reason));
    }
}

enum FileError {
    Refused(String),
    Store(audarma_store::StoreError),
}

async fn import_file(
    store: &dyn Store,
    file: &Path,
    job: Option<i64>,
    terms: &Terminology,
    actor: &str,
) -> Result<Imported, FileError> {
    let bytes = std::fs::read(file).map_err(|e| FileError::Refused(format!("cannot read: {e}")))?;
    let doc = audarma_xliff::read(&bytes).map_err(|e| FileError::Refused(e.to_string()))?;
    let detail = match store.job(doc.job).await {
        Ok(d) => d,
        Err(audarma_store::StoreError::NoSuchJob(j)) => {
            return Err(FileError::Refused(format!("the file is for job {j}, which does not exist")))
        }
        Err(e) => return Err(FileError::Store(e)),
    };
    let plan = audarma_xliff::plan(&doc, &detail, job).map_err(|e| FileError::Refused(e.to_string()))?;
    let s = &detail.summary;
    let findings: Vec<_> = plan
        .edits
        .iter()
        .map(|e| {
            let seg = detail.segments.iter().find(|g| g.idx == e.segment);
            let source = seg.map(|g| g.source.as_str()).unwrap_or_default();
            let source_lang = seg.and_then(|g| g.source_lang).unwrap_or(s.source_lang);
            terms.review(source, Some(&e.text), source_lang, s.target_lang, s.release_date).1
        })
        .collect();
    audarma_xliff::apply(store, &plan, &findings, actor).await.map_err(FileError::Store)
}
