//! Arguments and the verbs.

use crate::output::{clip, json};
use crate::Exit;
use audarma_core::{JobState, Lang};
use audarma_glossary::{exchange, lint, Format, Glossary, LoadError, Matcher, Problem};
use audarma_pipeline::{Progress, Terminology, Workflow};
use audarma_store::{JobFilter, Store, TmUnit};
use audarma_store_sqlite::SqliteStore;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

#[derive(Parser, Debug)]
#[command(
    name = "audarma",
    version,
    about = "Translate press releases between Kazakh, Russian and English, with the diplomatic glossary, checks and human review."
)]
pub struct Cli {
    /// Database URL or SQLite file (created and migrated on first use).
    #[arg(long, global = true, env = "AUDARMA_DB", hide_env_values = true, default_value = "sqlite:audarma.db")]
    pub db: String,
    /// Print results as JSON, for scripts.
    #[arg(long, global = true)]
    pub json: bool,
    /// Log format on stderr.
    #[arg(long, global = true, value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,
    /// More logging (-v: info, -vv: debug). Without it only warnings and errors are logged.
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    /// Who is acting, for the event log (default: $USER).
    #[arg(long = "as", global = true, value_name = "USER")]
    pub actor: Option<String>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Read release files (.txt, .md, .html, or directories of them) into the store.
    Ingest {
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// The language of the releases (otherwise detected).
        #[arg(long)]
        lang: Option<Lang>,
    },
    /// Run a workflow: ingest its sources, create jobs, translate, check, queue for review.
    Run {
        workflow: PathBuf,
        /// Worker name for job leases (default: host and process id).
        #[arg(long)]
        worker: Option<String>,
        /// Print what would be sent to the backend, and its size, without writing or calling anything.
        #[arg(long)]
        dry_run: bool,
    },
    /// Workflow files.
    #[command(subcommand)]
    Workflow(WorkflowCmd),
    /// Glossary files.
    #[command(subcommand)]
    Glossary(GlossaryCmd),
    /// List translation jobs.
    Queue {
        #[arg(long, value_parser = parse_state)]
        state: Option<JobState>,
        /// Target language.
        #[arg(long)]
        lang: Option<Lang>,
        #[arg(long)]
        workflow: Option<String>,
    },
    /// Show a job: each segment's source, suggestion, current text, terms and findings.
    Show { job: i64 },
    /// Replace the text of one segment of a job in review.
    Edit {
        job: i64,
        segment: u32,
        text: String,
        /// Refuse the edit if the segment has changed since this version.
        #[arg(long)]
        version: Option<i64>,
        /// Check the edit with this workflow's glossaries and `[qa]` severities (as the run did).
        #[arg(long, conflicts_with = "paths")]
        workflow: Option<PathBuf>,
        #[command(flatten)]
        glossary: GlossaryArgs,
    },
    /// Approve a job in review: its text goes to translation memory and export.
    Approve {
        job: i64,
        /// Approve despite `error` findings, saying why (kept in the event log).
        #[arg(long = "override", value_name = "REASON")]
        override_reason: Option<String>,
    },
    /// Reject a job in review.
    Reject {
        job: i64,
        #[arg(long, required = true)]
        reason: String,
    },
    /// Send a failed or rejected job back to the queue for the next run.
    Retry { job: i64 },
    /// The event log of a job (or of everything).
    History { job: Option<i64> },
    /// Write every approved translation as Markdown with front matter and as JSON.
    Export {
        #[arg(long)]
        out: PathBuf,
    },
    /// Translation memory.
    #[command(subcommand)]
    Tm(TmCmd),
    /// People of the review desk.
    #[command(subcommand)]
    User(UserCmd),
    /// Bearer tokens for scripts.
    #[command(subcommand)]
    Token(TokenCmd),
    /// Serve the review desk (web pages and the JSON API) until stopped with Ctrl-C or SIGTERM.
    Serve {
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: String,
        /// Take the glossary and QA settings from this workflow (else the glossary of --glossary).
        #[arg(long)]
        workflow: Option<PathBuf>,
        #[command(flatten)]
        glossary: GlossaryArgs,
        /// Mark cookies Secure: set this when the desk is reached over HTTPS (e.g. behind a proxy).
        #[arg(long)]
        secure_cookies: bool,
        /// The desk is behind a reverse proxy that sets X-Forwarded-For: rate-limit logins by that address.
        #[arg(long)]
        behind_proxy: bool,
    },
    /// Check translations made anywhere: two files of aligned lines (source, target).
    Qa {
        #[command(flatten)]
        pair: AlignedArgs,
    },
    /// Detect the language of a text (a file, or - for stdin).
    Detect { file: Option<PathBuf> },
    /// Split a text into sentences (a file, or - for stdin).
    Segment {
        file: Option<PathBuf>,
        #[arg(long)]
        lang: Option<Lang>,
    },
}

#[derive(Subcommand, Debug)]
pub enum WorkflowCmd {
    /// Validate a workflow file without running it.
    Check { file: PathBuf },
}

#[derive(Args, Debug, Clone)]
pub struct GlossaryArgs {
    /// Glossary file or directory (repeatable; default: ./glossaries).
    #[arg(long = "glossary", value_name = "PATH")]
    pub paths: Vec<PathBuf>,
}

impl GlossaryArgs {
    fn paths(&self) -> Vec<PathBuf> {
        if self.paths.is_empty() {
            vec![PathBuf::from("glossaries")]
        } else {
            self.paths.clone()
        }
    }

    fn load(&self) -> Result<Glossary, Exit> {
        Glossary::load(&self.paths()).map_err(Exit::input)
    }
}

/// Two files of aligned lines and how to read them.
#[derive(Args, Debug, Clone)]
pub struct AlignedArgs {
    #[arg(long)]
    pub from: Lang,
    #[arg(long)]
    pub to: Lang,
    #[command(flatten)]
    pub glossary: GlossaryArgs,
    /// The release date, for terms valid only in a date range.
    #[arg(long)]
    pub date: Option<chrono::NaiveDate>,
    pub source: PathBuf,
    pub target: PathBuf,
}

impl AlignedArgs {
    fn lines(&self) -> Result<Vec<(String, String)>, Exit> {
        let (s, t) = (read_lines(&self.source)?, read_lines(&self.target)?);
        if s.len() != t.len() {
            return Err(Exit::input(format!(
                "{} has {} lines but {} has {}: the files must be aligned line by line",
                self.source.display(),
                s.len(),
                self.target.display(),
                t.len()
            )));
        }
        Ok(s.into_iter().zip(t).collect())
    }
}

#[derive(Subcommand, Debug)]
pub enum GlossaryCmd {
    /// Check glossary files; prints `file:line: message` per problem and exits 1 if there are any.
    Lint { paths: Vec<PathBuf> },
    /// Judge translated lines against the glossary: ok, missing, forbidden or outdated per term.
    Verify {
        #[command(flatten)]
        pair: AlignedArgs,
    },
    /// Find glossary terms in each line of a file.
    Match {
        #[arg(long)]
        lang: Lang,
        #[command(flatten)]
        glossary: GlossaryArgs,
        file: PathBuf,
    },
    /// Write the glossary as TBX, CSV or TSV for terminology tools and spreadsheets (to stdout, or --out).
    Export {
        /// tbx (TBX-Basic), csv or tsv.
        #[arg(long)]
        format: Format,
        #[command(flatten)]
        glossary: GlossaryArgs,
        /// Write to this file (under a temporary name, then renamed) instead of stdout.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Read a TBX, CSV or TSV glossary into a glossary TOML file; nothing is written unless it passes lint.
    Import {
        /// tbx (TBX-Basic, or TBX 2008), csv or tsv.
        #[arg(long)]
        format: Format,
        file: PathBuf,
        /// The glossary file to write, e.g. glossaries/imported.toml.
        #[arg(long)]
        out: PathBuf,
        /// Replace --out if it exists.
        #[arg(long)]
        force: bool,
        /// Glossary files or directories the import joins (repeatable): lint checks the imported
        /// concepts against them too (duplicate ids, one term naming two concepts).
        #[arg(long = "glossary", value_name = "PATH")]
        with: Vec<PathBuf>,
    },
}

#[derive(Subcommand, Debug)]
pub enum UserCmd {
    /// Add a user. The password is prompted for on a terminal, else read from the first line of stdin.
    Add {
        name: String,
        #[arg(long, value_parser = ["translator", "reviewer", "glossary", "admin"])]
        role: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum TokenCmd {
    /// Create a bearer token for a user; it is printed once and only its hash is stored.
    Create { name: String },
}

#[derive(Subcommand, Debug)]
pub enum TmCmd {
    /// Import translation units from a TSV file with the header `source_lang  target_lang  source  target`.
    Import { file: PathBuf },
}

fn parse_state(s: &str) -> Result<JobState, String> {
    JobState::parse(s)
        .ok_or_else(|| format!("unknown state {s:?} (one of: {})", JobState::ALL.map(|s| s.as_str()).join(", ")))
}

pub fn init_logging(cli: &Cli) {
    let default = match cli.verbose {
        0 => "warn",
        1 => "info",
        _ => "debug",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_env("AUDARMA_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    let _ = match cli.log_format {
        LogFormat::Json => builder.json().try_init(),
        LogFormat::Text => builder.with_target(false).try_init(),
    };
}

fn actor(cli: &Cli) -> String {
    cli.actor.clone().or_else(|| std::env::var("USER").ok()).filter(|a| !a.is_empty()).unwrap_or_else(|| "cli".into())
}

async fn open(cli: &Cli) -> Result<Arc<dyn Store>, Exit> {
    if cli.db.starts_with("postgres") {
        return Err(Exit::input("--db: PostgreSQL is not supported yet; use a SQLite file (sqlite:PATH)"));
    }
    Ok(Arc::new(SqliteStore::open(&cli.db).await.map_err(Exit::internal)?))
}

fn read_input(file: &Option<PathBuf>) -> Result<String, Exit> {
    match file.as_deref() {
        None => read_stdin(),
        Some(p) if p == Path::new("-") => read_stdin(),
        Some(p) => {
            let bytes = std::fs::read(p).map_err(|e| Exit::input(format!("{}: cannot read: {e}", p.display())))?;
            audarma_ingest::decode(p, &bytes).map_err(Exit::input)
        }
    }
}

fn read_stdin() -> Result<String, Exit> {
    let mut s = String::new();
    std::io::Read::read_to_string(&mut std::io::stdin(), &mut s).map_err(|e| Exit::input(format!("stdin: {e}")))?;
    Ok(s)
}

fn read_lines(p: &Path) -> Result<Vec<String>, Exit> {
    let bytes = std::fs::read(p).map_err(|e| Exit::input(format!("{}: cannot read: {e}", p.display())))?;
    Ok(audarma_ingest::decode(p, &bytes).map_err(Exit::input)?.lines().map(str::to_string).collect())
}

pub async fn dispatch(cli: Cli) -> Result<(), Exit> {
    match &cli.command {
        Command::Ingest { paths, lang } => ingest(&cli, paths, *lang).await,
        Command::Run { workflow, worker, dry_run: true } => {
            let _ = worker;
            dry_run(&cli, workflow).await
        }
        Command::Run { workflow, worker, dry_run: false } => run(&cli, workflow, worker.clone()).await,
        Command::Workflow(WorkflowCmd::Check { file }) => workflow_check(&cli, file),
        Command::Glossary(GlossaryCmd::Lint { paths }) => glossary_lint(&cli, paths),
        Command::Glossary(GlossaryCmd::Match { lang, glossary, file }) => glossary_match(&cli, *lang, glossary, file),
        Command::Glossary(GlossaryCmd::Verify { pair }) => aligned(&cli, pair, false),
        Command::Glossary(GlossaryCmd::Export { format, glossary, out }) => {
            glossary_export(&cli, *format, glossary, out.as_deref())
        }
        Command::Glossary(GlossaryCmd::Import { format, file, out, force, with }) => {
            glossary_import(&cli, *format, file, out, *force, with)
        }
        Command::Qa { pair } => aligned(&cli, pair, true),
        Command::Queue { state, lang, workflow } => {
            let store = open(&cli).await?;
            let filter =
                JobFilter { state: *state, target_lang: *lang, workflow: workflow.clone(), ..Default::default() };
            let jobs = store.list_jobs(&filter).await?;
            if cli.json {
                json(&serde_json::json!({ "jobs": jobs }));
            } else if jobs.is_empty() {
                println!("no jobs");
            } else {
                println!(
                    "{:>5}  {:<11} {:<5} {:<10} {:>4}  {:<10} TITLE",
                    "JOB", "STATE", "PAIR", "DATE", "SEGS", "WORKFLOW"
                );
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
        Command::Show { job } => show(&cli, *job).await,
        Command::Edit { job, segment, text, version, workflow, glossary } => {
            let terms = match workflow {
                Some(file) => load_workflow(file)?.1,
                None => Terminology::new(glossary.load()?),
            };
            edit(&cli, *job, *segment, text, *version, &terms).await
        }
        Command::Approve { job, override_reason } => {
            let store = open(&cli).await?;
            store.approve_job(*job, &actor(&cli), override_reason.as_deref()).await?;
            report(&cli, *job, "approved");
            Ok(())
        }
        Command::Reject { job, reason } => {
            if reason.trim().is_empty() {
                return Err(Exit::input("--reason must say why the job is rejected"));
            }
            let store = open(&cli).await?;
            store.reject_job(*job, reason, &actor(&cli)).await?;
            report(&cli, *job, "rejected");
            Ok(())
        }
        Command::Retry { job } => {
            let store = open(&cli).await?;
            store.retry_job(*job, &actor(&cli)).await?;
            report(&cli, *job, "queued");
            Ok(())
        }
        Command::History { job } => {
            let store = open(&cli).await?;
            let events = store.events(*job).await?;
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
                        e.kind,
                        change,
                        if e.detail.as_object().is_some_and(|o| !o.is_empty()) {
                            e.detail.to_string()
                        } else {
                            String::new()
                        }
                    );
                }
            }
            Ok(())
        }
        Command::Export { out } => {
            let store = open(&cli).await?;
            let written = crate::export::export(store.as_ref(), out).await?;
            if cli.json {
                json(&serde_json::json!({ "written": written }));
            } else {
                println!("exported {} approved translation(s) to {}", written.len() / 2, out.display());
            }
            Ok(())
        }
        Command::Tm(TmCmd::Import { file }) => tm_import(&cli, file).await,
        Command::User(UserCmd::Add { name, role }) => user_add(&cli, name, role).await,
        Command::Token(TokenCmd::Create { name }) => {
            let store = open(&cli).await?;
            let (token, hash) = audarma_web::auth::new_token();
            store.add_token(name, &hash, &actor(&cli)).await?;
            if cli.json {
                json(&serde_json::json!({ "user": name, "token": token }));
            } else {
                println!("{token}");
                eprintln!("token for {name}: shown once; only its hash is stored");
            }
            Ok(())
        }
        Command::Serve { addr, workflow, glossary, secure_cookies, behind_proxy } => {
            let terms = match workflow {
                Some(file) => load_workflow(file)?.1,
                None => Terminology::new(glossary.load()?),
            };
            let config = audarma_web::DeskConfig {
                secure_cookies: *secure_cookies,
                behind_proxy: *behind_proxy,
                ..Default::default()
            };
            serve(&cli, addr, terms, config).await
        }
        Command::Detect { file } => {
            let text = read_input(file)?;
            let d = audarma_text::detector()
                .detect(&text)
                .ok_or_else(|| Exit::input("no language could be detected (no letters?)"))?;
            if cli.json {
                json(&serde_json::json!({ "lang": d.lang, "confidence": (d.confidence * 100.0).round() / 100.0 }));
            } else {
                println!("{} {:.2}", d.lang, d.confidence);
            }
            Ok(())
        }
        Command::Segment { file, lang } => {
            let text = audarma_text::normalize(&read_input(file)?);
            let lang = match lang {
                Some(l) => *l,
                None => audarma_text::detector()
                    .detect(&text)
                    .map(|d| d.lang)
                    .ok_or_else(|| Exit::input("cannot tell the language; pass --lang"))?,
            };
            let sentences: Vec<String> =
                audarma_text::paragraphs(&text).iter().flat_map(|p| audarma_text::segment(p, lang)).collect();
            // One buffered, locked stdout for the whole output: `println!` per sentence (or one
            // serde_json::Value of the whole text) cost more than segmenting it (BENCHMARKS.md §9).
            let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
            let written = if cli.json {
                crate::output::write_sentences_json(&mut out, lang.code(), &sentences)
            } else {
                sentences.iter().try_for_each(|s| writeln!(out, "{s}"))
            };
            match written.and_then(|()| out.flush()) {
                Ok(()) => Ok(()),
                // `audarma segment … | head`: the reader stopped reading; end quietly.
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                Err(e) => Err(Exit::internal(format!("cannot write to stdout: {e}"))),
            }
        }
    }
}

fn report(cli: &Cli, job: i64, state: &str) {
    if cli.json {
        json(&serde_json::json!({ "job": job, "state": state }));
    } else {
        println!("job {job} {state}");
    }
}

async fn ingest(cli: &Cli, paths: &[PathBuf], lang: Option<Lang>) -> Result<(), Exit> {
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

fn load_workflow(file: &Path) -> Result<(Workflow, Terminology), Exit> {
    let wf = Workflow::load(file).map_err(Exit::input)?;
    if let Some(p) = wf.check_paths().into_iter().next() {
        return Err(Exit::input(p));
    }
    let glossary = Glossary::load(&wf.glossaries).map_err(Exit::input)?;
    let qa = wf.qa.clone();
    let words = qa.read_words().map_err(|e| Exit::input(e.to_string()))?;
    Ok((wf, Terminology::with_qa(glossary, qa).with_words(words)))
}

fn workflow_check(cli: &Cli, file: &Path) -> Result<(), Exit> {
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

async fn dry_run(cli: &Cli, file: &Path) -> Result<(), Exit> {
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

async fn run(cli: &Cli, file: &Path, worker: Option<String>) -> Result<(), Exit> {
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
    let summary =
        audarma_pipeline::run(store, &wf, &terms, backend, &worker, progress).await.map_err(Exit::internal)?;
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
    if summary.has_failures() {
        Err(Exit::problems())
    } else {
        Ok(())
    }
}

fn glossary_lint(cli: &Cli, paths: &[PathBuf]) -> Result<(), Exit> {
    let paths = if paths.is_empty() { vec![PathBuf::from("glossaries")] } else { paths.to_vec() };
    let (g, mut problems) = Glossary::load_lenient(&paths);
    problems.extend(lint(&g));
    if cli.json {
        json(&serde_json::json!({ "concepts": g.len(), "problems": problems }));
    } else {
        for p in &problems {
            println!("{p}");
        }
        if problems.is_empty() {
            eprintln!("{} concepts, no problems", g.len());
        } else {
            eprintln!("{} concepts, {} problem(s)", g.len(), problems.len());
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Exit::problems())
    }
}

fn glossary_export(cli: &Cli, format: Format, args: &GlossaryArgs, out: Option<&Path>) -> Result<(), Exit> {
    let g = args.load()?;
    let text = exchange::export(&g, format).map_err(Exit::input)?;
    match out {
        Some(path) => {
            write_replacing(path, &text)?;
            if cli.json {
                json(&serde_json::json!({ "format": format, "concepts": g.len(), "out": path }));
            } else {
                eprintln!("{} concepts written to {} ({format})", g.len(), path.display());
            }
        }
        None if cli.json => json(&serde_json::json!({ "format": format, "concepts": g.len(), "content": text })),
        None => {
            use std::io::Write as _;
            let mut stdout = std::io::stdout().lock();
            match stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush()) {
                // The reader stopped early (`| head`): not a failure of the export.
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
                r => r.map_err(|e| Exit::internal(format!("stdout: {e}")))?,
            }
        }
    }
    Ok(())
}

/// Writes `content` over `path` atomically (see `atomic`).
fn write_replacing(path: &Path, content: &str) -> Result<(), Exit> {
    crate::atomic::write(path, content.as_bytes())
        .map_err(|e| Exit::input(format!("{}: cannot write: {e}", path.display())))
}

/// Import problems: one `file:line: message` each (or `--json`), exit 2, nothing written.
fn refuse_import(cli: &Cli, file: &Path, problems: Vec<Problem>) -> Exit {
    if cli.json {
        json(&serde_json::json!({ "file": file, "imported": false, "problems": problems }));
        Exit::input("")
    } else {
        let n = problems.len();
        Exit::input(format!("{}: not imported, {n} problem(s):\n{}", file.display(), LoadError(problems)))
    }
}

fn glossary_import(
    cli: &Cli,
    format: Format,
    file: &Path,
    out: &Path,
    force: bool,
    with: &[PathBuf],
) -> Result<(), Exit> {
    if out.extension().is_none_or(|e| e != "toml") {
        return Err(Exit::input(format!(
            "{}: --out must be a .toml file (glossaries are read from .toml files)",
            out.display()
        )));
    }
    if out.exists() && !force {
        return Err(Exit::input(format!("{}: already exists (--force replaces it)", out.display())));
    }
    let bytes = std::fs::read(file).map_err(|e| Exit::input(format!("{}: cannot read: {e}", file.display())))?;
    let text = audarma_ingest::decode(file, &bytes).map_err(Exit::input)?;
    let imported = exchange::import(file, &text, format).map_err(|e| refuse_import(cli, file, e.0))?;
    // Lint the import beside the glossaries it joins (without the file it replaces); keep what concerns it.
    let (mut joined, load_problems) = Glossary::load_lenient(with);
    if let Some(p) = load_problems.first() {
        return Err(Exit::input(format!("--glossary: {p}")));
    }
    let replaced = std::fs::canonicalize(out).ok();
    joined.concepts.retain(|c| replaced.is_none() || std::fs::canonicalize(&c.file).ok() != replaced);
    joined.concepts.extend(imported.concepts.iter().cloned());
    let problems: Vec<Problem> = lint(&joined).into_iter().filter(|p| p.file == file).collect();
    if !problems.is_empty() {
        return Err(refuse_import(cli, file, problems));
    }
    let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let toml = exchange::to_toml(&imported, &format!("Imported from {name} ({format}) by `audarma glossary import`."));
    // What is written must read back as it was imported.
    let mut check = Glossary::default();
    let mut reread = Vec::new();
    check.parse_file(out, &toml, &mut reread);
    if !reread.is_empty() || check.len() != imported.len() {
        return Err(Exit::internal(format!(
            "{}: the TOML written does not read back: {}",
            out.display(),
            LoadError(reread)
        )));
    }
    if out.exists() && !force {
        return Err(Exit::input(format!("{}: already exists (--force replaces it)", out.display())));
    }
    write_replacing(out, &toml)?;
    if cli.json {
        json(
            &serde_json::json!({ "file": file, "format": format, "imported": true, "concepts": imported.len(), "out": out }),
        );
    } else {
        eprintln!("{} concepts imported from {} into {}", imported.len(), file.display(), out.display());
    }
    Ok(())
}

/// `glossary verify` (terms only) and `qa` (every check) over aligned lines.
fn aligned(cli: &Cli, a: &AlignedArgs, qa: bool) -> Result<(), Exit> {
    let lines = a.lines()?;
    let terms = Terminology::new(a.glossary.load()?);
    let mut segments = Vec::new();
    let mut problems = 0;
    for (i, (source, target)) in lines.iter().enumerate() {
        let checks = terms.verify(source, target, a.from, a.to, a.date);
        if qa {
            let findings = terms.check(source, target, a.from, a.to, &checks);
            problems += findings.iter().filter(|f| f.severity == audarma_qa::Severity::Error).count();
            if !cli.json {
                for f in &findings {
                    let at = f.start.map(|s| format!(":{s}")).unwrap_or_default();
                    println!(
                        "{}{at}: {} {}: {}",
                        i + 1,
                        serde_json::to_value(f.severity).unwrap_or_default().as_str().unwrap_or(""),
                        f.check,
                        f.message
                    );
                }
            }
            segments.push(serde_json::json!({ "line": i + 1, "issues": findings }));
        } else {
            // Only certain evidence fails the command: a term not found may be a paraphrase.
            problems +=
                checks.iter().filter(|c| c.grade().is_some_and(|(_, g)| g == audarma_glossary::Grade::Error)).count();
            if !cli.json {
                for c in &checks {
                    let status = serde_json::to_value(c.status).unwrap_or_default();
                    let via = c.via.as_deref().map(|v| format!(" (via {v})")).unwrap_or_default();
                    let rule = c.grade().map(|(r, g)| format!(" [{r}, {g:?}]").to_lowercase()).unwrap_or_default();
                    println!(
                        "{}: {} {}{via} {:?} → {:?}{rule}",
                        i + 1,
                        c.id,
                        status.as_str().unwrap_or(""),
                        c.source,
                        c.target
                    );
                }
            }
            let terms: Vec<_> = checks
                .iter()
                .map(|c| {
                    let rule = c.grade().map(|(r, _)| r);
                    serde_json::json!({ "id": c.id, "status": c.status, "source": c.source, "target": c.target, "via": c.via, "expected": c.expected, "rule": rule })
                })
                .collect();
            segments.push(serde_json::json!({ "line": i + 1, "terms": terms }));
        }
    }
    if cli.json {
        json(&serde_json::json!({ "segments": segments }));
    }
    if problems > 0 {
        Err(Exit::problems())
    } else {
        Ok(())
    }
}

fn glossary_match(cli: &Cli, lang: Lang, args: &GlossaryArgs, file: &Path) -> Result<(), Exit> {
    let g = args.load()?;
    let m = Matcher::new(&g, lang);
    let mut matches = Vec::new();
    for (i, line) in read_lines(file)?.iter().enumerate() {
        for t in m.find_in(&g, line) {
            let start = line[..t.start].chars().count();
            let end = start + t.text.chars().count();
            if !cli.json {
                println!(
                    "{}:{}-{}: {} {:?}{}",
                    i + 1,
                    start,
                    end,
                    t.id,
                    t.text,
                    if t.forbidden { " (forbidden)" } else { "" }
                );
            }
            matches.push(serde_json::json!({ "line": i + 1, "id": t.id, "text": t.text, "start": start, "end": end, "forbidden": t.forbidden }));
        }
    }
    if cli.json {
        json(&serde_json::json!({ "matches": matches }));
    }
    Ok(())
}

async fn show(cli: &Cli, job: i64) -> Result<(), Exit> {
    let store = open(cli).await?;
    let d = store.job(job).await?;
    if cli.json {
        json(&d);
        return Ok(());
    }
    let s = &d.summary;
    println!(
        "job {} · {} · {}→{} · release {} ({})",
        s.id, s.state, s.source_lang, s.target_lang, s.release_id, d.release_source
    );
    println!("title: {}", s.title);
    if let Some(e) = &s.error {
        println!("error: {e}");
    }
    for seg in &d.segments {
        println!();
        let origin = seg.backend.clone().unwrap_or_else(|| seg.origin.as_str().to_string());
        println!("[{}] v{} ({origin}{})", seg.idx, seg.version, if seg.edited.is_some() { ", edited" } else { "" });
        println!("  {}: {}", seg.source_lang.unwrap_or(s.source_lang), seg.source);
        println!("  {}: {}", s.target_lang, seg.current().unwrap_or("—"));
        for t in &seg.terms {
            let status = t.status.map(|s| s.as_str()).unwrap_or("");
            println!("  term {}: {} → {} {status}", t.id, t.source, t.target);
        }
        print_findings(&seg.findings);
    }
    Ok(())
}

/// Prints QA findings, one indented line each.
fn print_findings(findings: &[audarma_qa::Finding]) {
    for f in findings {
        println!("  {} {}: {}", f.severity, f.check, f.message);
    }
}

async fn edit(
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
    let new_version = store.edit_segment(job, idx, text, &findings, version, &actor(cli)).await?;
    if cli.json {
        json(&serde_json::json!({ "job": job, "segment": idx, "version": new_version, "findings": findings }));
    } else {
        println!("job {job} segment {idx} saved (version {new_version})");
        print_findings(&findings);
    }
    Ok(())
}

async fn serve(cli: &Cli, addr: &str, terms: Terminology, config: audarma_web::DeskConfig) -> Result<(), Exit> {
    if cli.db.starts_with("postgres") {
        return Err(Exit::input("--db: PostgreSQL is not supported yet; use a SQLite file (sqlite:PATH)"));
    }
    let store: Arc<dyn Store> = Arc::new(SqliteStore::open_for_server(&cli.db).await.map_err(Exit::internal)?);
    terms.learn_from(store.as_ref()).await?;
    let desk = audarma_web::Desk::new(store, Arc::new(terms), config).map_err(Exit::internal)?;
    let listener = tokio::net::TcpListener::bind(addr).await.map_err(|e| Exit::input(format!("--addr {addr}: {e}")))?;
    let local = listener.local_addr().map_err(Exit::internal)?;
    eprintln!("review desk on http://{local}/ (Ctrl-C to stop)");
    tracing::info!(%local, "serving the review desk");
    audarma_web::serve(desk, listener).await.map_err(Exit::internal)
}

async fn user_add(cli: &Cli, name: &str, role: &str) -> Result<(), Exit> {
    let name = name.trim();
    audarma_web::auth::check_new_user(name, role, "a placeholder long enough").map_err(Exit::input)?;
    let password = if std::io::stdin().is_terminal() {
        let p = rpassword::prompt_password(format!("password for {name}: "))
            .map_err(|e| Exit::input(format!("password: {e}")))?;
        let again = rpassword::prompt_password("again: ").map_err(|e| Exit::input(format!("password: {e}")))?;
        if p != again {
            return Err(Exit::input("the two passwords differ"));
        }
        p
    } else {
        let mut line = String::new();
        std::io::stdin().read_line(&mut line).map_err(|e| Exit::input(format!("stdin: {e}")))?;
        line.trim_end_matches(['\n', '\r']).to_string()
    };
    let role = audarma_web::auth::check_new_user(name, role, &password).map_err(Exit::input)?;
    let hash = audarma_web::auth::hash_password(&password).map_err(Exit::internal)?;
    let store = open(cli).await?;
    let user = store.add_user(name, role, &hash, &actor(cli)).await?;
    if cli.json {
        json(&user);
    } else {
        println!("user {} added as {}", user.name, user.role);
    }
    Ok(())
}

async fn tm_import(cli: &Cli, file: &Path) -> Result<(), Exit> {
    let lines = read_lines(file)?;
    let mut units = Vec::new();
    for (i, line) in lines.iter().enumerate().skip(1) {
        if line.trim().is_empty() {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        let bad = |what: &str| Exit::input(format!("{}:{}: {what}", file.display(), i + 1));
        let [sl, tl, source, target] = cols[..] else {
            return Err(bad("expected 4 tab-separated columns: source_lang, target_lang, source, target"));
        };
        let sl: Lang = sl.parse().map_err(|e| bad(&format!("source_lang: {e}")))?;
        let tl: Lang = tl.parse().map_err(|e| bad(&format!("target_lang: {e}")))?;
        if source.trim().is_empty() || target.trim().is_empty() {
            return Err(bad("empty source or target"));
        }
        units.push(TmUnit {
            source_lang: sl,
            target_lang: tl,
            source: source.trim().into(),
            target: target.trim().into(),
        });
    }
    let store = open(cli).await?;
    let origin = format!("import:{}", file.file_name().and_then(|n| n.to_str()).unwrap_or("tsv"));
    let added = store.tm_add(&units, &origin).await?;
    if cli.json {
        json(&serde_json::json!({ "read": units.len(), "added": added }));
    } else {
        println!("{}: {} unit(s) read, {added} new", file.display(), units.len());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    // Fixture files, not published output.
    #![allow(clippy::disallowed_methods)]
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn run(args: &[&str]) -> Result<(), Exit> {
        let cli = Cli::try_parse_from(std::iter::once("audarma").chain(args.iter().copied())).unwrap();
        tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(dispatch(cli))
    }

    #[test]
    fn glossary_export_then_import_gives_a_lint_clean_file() {
        let shipped = concat!(env!("CARGO_MANIFEST_DIR"), "/../../glossaries");
        let dir = tempfile::tempdir().unwrap();
        let path = |name: &str| dir.path().join(name).to_str().unwrap().to_string();
        let (g, out) = (Glossary::load(&[PathBuf::from(shipped)]).unwrap(), path("imported.toml"));
        for format in ["tbx", "csv", "tsv"] {
            let sheet = path(&format!("g.{format}"));
            run(&["glossary", "export", "--format", format, "--glossary", shipped, "--out", &sheet]).unwrap();
            run(&["glossary", "import", "--format", format, &sheet, "--out", &out, "--force"]).unwrap();
            let back = Glossary::load(&[PathBuf::from(&out)]).unwrap();
            assert_eq!(back.len(), g.len(), "{format}");
            assert!(lint(&back).is_empty(), "{format}: {:?}", lint(&back));
            assert_eq!(back.version(), g.version(), "{format}: the glossary version changed");
        }
        let e = run(&["glossary", "import", "--format", "tsv", &path("g.tsv"), "--out", &out]).unwrap_err();
        assert_eq!(e.code, 2);
        assert!(e.message.contains("already exists (--force replaces it)"), "{}", e.message);
        // Joining the glossary it came from: every id is a duplicate, so nothing is written.
        let joined = path("joined.toml");
        let e =
            run(&["glossary", "import", "--format", "tsv", &path("g.tsv"), "--out", &joined, "--glossary", shipped])
                .unwrap_err();
        assert!(e.message.contains("g.tsv:2: duplicate id"), "{}", e.message);
        assert!(!Path::new(&joined).exists());
        let e = run(&["glossary", "import", "--format", "csv", &path("g.csv"), "--out", &path("x.csv")]).unwrap_err();
        assert!(e.message.contains("--out must be a .toml file"), "{}", e.message);
    }

    #[test]
    fn glossary_import_names_the_file_line_and_column_and_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let sheet = dir.path().join("sheet.csv");
        std::fs::write(&sheet, "id,en,kk,ru,domain\nok,A,Ә,А,\nbad,B,Б,Б,x\\y\n").unwrap();
        let out = dir.path().join("out.toml");
        let e =
            run(&["glossary", "import", "--format", "csv", sheet.to_str().unwrap(), "--out", out.to_str().unwrap()])
                .unwrap_err();
        assert_eq!(e.code, 2);
        assert!(e.message.contains("sheet.csv:3: column domain: `\\y` is not an escape"), "{}", e.message);
        assert!(!out.exists());
    }
}
