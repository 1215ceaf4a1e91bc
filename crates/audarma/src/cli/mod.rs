//! The command line: the arguments (`Cli`, one `Command` per verb), the helpers every verb shares
//! (opening the store, the acting user, reading input files), how a verb fails (`Exit`: message and
//! exit code), and `execute`, which hands each verb to the module of its family:
//! - `run`: ingest, run (and its dry run), workflow check;
//! - `jobs`: queue, show, edit, approve, reject, retry, history;
//! - `export`: approved translations to files;
//! - `glossary`: glossary lint, match, export, import;
//! - `qa`: `qa` and `glossary verify` over two files of aligned lines;
//! - `tm`: translation memory import;
//! - `users`: users, tokens and serving the review desk;
//! - `text`: detect and segment;
//! - `xliff`: jobs out to CAT tools as XLIFF, and back in as edits;
//! - `notify`: webhooks delivered once, the delivery log, and the background notifier of `worker` and
//!   `serve`.

mod db;
mod exit;
mod export;
mod glossary;
mod jobs;
mod mqm;
mod notify;
mod qa;
mod report;
mod run;
mod text;
mod tm;
mod users;
mod xliff;

use audarma_core::{JobState, Lang};
use audarma_glossary::Glossary;
use audarma_pipeline::Terminology;
use audarma_store::Store;
use audarma_store_sqlite::SqliteStore;
use clap::{Args, Parser, Subcommand, ValueEnum};
pub use exit::Exit;
use glossary::GlossaryCmd;
use mqm::MqmCmd;
use notify::NotifyCmd;
use qa::AlignedArgs;
use run::WorkflowCmd;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tm::TmCmd;
use users::{TokenCmd, UserCmd};
use xliff::XliffCmd;

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

/// A script an export can be written in besides the language's own.
#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum Script {
    /// Latin: Kazakh in the alphabet of 2021 (`kk-Latn`).
    Latn,
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
    /// Run workflows until stopped (SIGTERM, Ctrl-C): a long-running worker for deployments without
    /// cron, woken when jobs are queued (PostgreSQL) or polling (SQLite).
    Worker {
        #[arg(required = true)]
        workflows: Vec<PathBuf>,
        /// Worker name for job leases (default: host and process id).
        #[arg(long)]
        worker: Option<String>,
        /// Jobs translated at once (overrides each backend's `concurrency`).
        #[arg(long, value_parser = clap::value_parser!(u16).range(1..=256))]
        concurrency: Option<u16>,
        /// Seconds between looks at the queue when nothing wakes the worker.
        #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=3600))]
        poll: u64,
        /// Seconds between rounds of webhook deliveries (the workflows' `[[notify]]` tables).
        #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=3600))]
        notify_every: u64,
    },
    /// Workflow files.
    #[command(subcommand)]
    Workflow(WorkflowCmd),
    /// Glossary files.
    #[command(subcommand)]
    Glossary(GlossaryCmd),
    /// List translation jobs.
    Queue {
        #[arg(long, value_parser = jobs::parse_state)]
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
        /// Approve despite `error` findings or a failing MQM score, saying why (kept in the event log).
        #[arg(long = "override", value_name = "REASON")]
        override_reason: Option<String>,
        /// The workflow whose `[review] mqm_pass` judges the job's MQM annotations (95 without one).
        #[arg(long)]
        workflow: Option<PathBuf>,
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
        /// `latn`: only the approved Kazakh translations, in the Kazakh Latin alphabet (2021), as
        /// `release-ID.kk-Latn.{md,json}`, names as the glossary's `kk-Latn` forms give them; the other
        /// languages are not written.
        #[arg(long, value_enum)]
        script: Option<Script>,
        #[command(flatten)]
        glossary: GlossaryArgs,
    },
    /// Jobs as XLIFF for CAT tools, and XLIFF files back in as edits.
    #[command(subcommand)]
    Xliff(XliffCmd),
    /// Webhooks (`[[notify]]` in workflow files): deliver what is due, read the delivery log.
    #[command(subcommand)]
    Notify(NotifyCmd),
    /// Translation memory.
    #[command(subcommand)]
    Tm(TmCmd),
    /// MQM annotations: mark errors in a job's target, score it, export a batch for Google's MQM viewer.
    #[command(subcommand)]
    Mqm(MqmCmd),
    /// Post-editing and MQM figures of approved segments: segments, words, share untouched, HTER,
    /// chrF++, MQM score, term fixes per 100 segments, seconds per word — per group.
    Report {
        #[arg(long, value_enum, default_value = "backend")]
        by: report::By,
        /// From this day (`2026-11-01`) or moment (RFC 3339).
        #[arg(long, value_parser = tm::parse_since)]
        since: Option<chrono::DateTime<chrono::Utc>>,
        /// Until (before) this day or moment.
        #[arg(long, value_parser = tm::parse_since)]
        until: Option<chrono::DateTime<chrono::Utc>>,
        #[arg(long, conflicts_with = "advise")]
        csv: bool,
        /// Which backend each language pair should be routed to, by post-edit distance, with the
        /// difference to the others and a 95 % bootstrap interval (no advice on too few segments).
        #[arg(long)]
        advise: bool,
    },
    /// The database: its health, and copying an SQLite installation to PostgreSQL.
    #[command(subcommand)]
    Db(db::DbCmd),
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
        /// Take the glossary and QA settings from this workflow (else the glossary of --glossary), and
        /// deliver its webhooks (`[[notify]]`) in the background.
        #[arg(long)]
        workflow: Option<PathBuf>,
        /// Seconds between rounds of webhook deliveries.
        #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=3600))]
        notify_every: u64,
        #[command(flatten)]
        glossary: GlossaryArgs,
        /// Mark cookies Secure: set this when the desk is reached over HTTPS (e.g. behind a proxy).
        #[arg(long)]
        secure_cookies: bool,
        /// The desk is behind a reverse proxy that sets X-Forwarded-For: rate-limit logins by that address.
        #[arg(long)]
        behind_proxy: bool,
        /// With --behind-proxy: how many proxies in front of the desk append to X-Forwarded-For (the
        /// client is the entry the outermost one appended; entries left of it are the client's own say).
        #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u16).range(1..=16))]
        trusted_proxies: u16,
        /// Require `Authorization: Bearer <token>` on /metrics, the token read from this environment
        /// variable (without it, /metrics is open: bind the desk to a private address or filter it).
        #[arg(long, value_name = "VAR")]
        metrics_token_env: Option<String>,
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

/// Whether `--db` names a PostgreSQL database (`postgres://…` or `postgresql://…`); anything else is
/// a SQLite file (`sqlite:PATH`, `sqlite://PATH` or a plain path).
fn is_postgres(url: &str) -> bool {
    url.starts_with("postgres://") || url.starts_with("postgresql://")
}

/// The store `--db` names, opened (and migrated) for one command, or for a long-running server
/// (`server`: SQLite checkpoints in the background then).
pub(super) async fn open_store(url: &str, server: bool) -> Result<Arc<dyn Store>, Exit> {
    if is_postgres(url) {
        return Ok(Arc::new(audarma_store_postgres::PgStore::open(url).await.map_err(Exit::internal)?));
    }
    Ok(if server {
        Arc::new(SqliteStore::open_for_server(url).await.map_err(Exit::internal)?)
    } else {
        Arc::new(SqliteStore::open(url).await.map_err(Exit::internal)?)
    })
}

/// The store of `--db` for one command (the desk opens it for a long-running server: `users::serve`).
async fn open(cli: &Cli) -> Result<Arc<dyn Store>, Exit> {
    open_store(&cli.db, false).await
}

fn read_input(file: &Option<PathBuf>) -> Result<String, Exit> {
    match file.as_deref() {
        None => read_stdin(),
        Some(p) if p == Path::new("-") => read_stdin(),
        Some(p) => read_text(p),
    }
}

fn read_stdin() -> Result<String, Exit> {
    let mut s = String::new();
    std::io::Read::read_to_string(&mut std::io::stdin(), &mut s).map_err(|e| Exit::input(format!("stdin: {e}")))?;
    Ok(s)
}

/// The text of a file, decoded as ingest decodes releases (encoding, byte-order mark).
fn read_text(p: &Path) -> Result<String, Exit> {
    let bytes = std::fs::read(p).map_err(|e| Exit::input(format!("{}: cannot read: {e}", p.display())))?;
    audarma_ingest::decode(p, &bytes).map_err(Exit::input)
}

fn read_lines(p: &Path) -> Result<Vec<String>, Exit> {
    Ok(read_text(p)?.lines().map(str::to_string).collect())
}

/// The terminology a verb checks with: a workflow's glossaries and `[qa]` settings, else the glossary
/// of `--glossary`.
fn terminology(workflow: Option<&Path>, glossary: &GlossaryArgs) -> Result<Terminology, Exit> {
    match workflow {
        Some(file) => Ok(run::load_workflow(file)?.1),
        None => Ok(Terminology::new(glossary.load()?)),
    }
}

/// Runs the verb on a multi-threaded runtime (the desk serves, a run translates concurrently).
pub fn execute(cli: Cli) -> Result<(), Exit> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Exit::internal(format!("cannot start the runtime: {e}")))?;
    runtime.block_on(dispatch(cli))
}

async fn dispatch(cli: Cli) -> Result<(), Exit> {
    match &cli.command {
        Command::Ingest { paths, lang } => run::ingest(&cli, paths, *lang).await,
        Command::Run { workflow, worker, dry_run: true } => {
            let _ = worker;
            run::dry_run(&cli, workflow).await
        }
        Command::Run { workflow, worker, dry_run: false } => run::run(&cli, workflow, worker.clone()).await,
        Command::Worker { workflows, worker, concurrency, poll, notify_every } => {
            let poll = std::time::Duration::from_secs(*poll);
            let every = std::time::Duration::from_secs(*notify_every);
            run::worker(&cli, workflows, worker.clone(), concurrency.map(usize::from), poll, every).await
        }
        Command::Workflow(WorkflowCmd::Check { file }) => run::workflow_check(&cli, file),
        Command::Glossary(GlossaryCmd::Lint { paths }) => glossary::lint(&cli, paths),
        Command::Glossary(GlossaryCmd::Match { lang, glossary, file }) => {
            glossary::match_terms(&cli, *lang, glossary, file)
        }
        Command::Glossary(GlossaryCmd::Verify { pair }) => qa::aligned(&cli, pair, false),
        Command::Glossary(GlossaryCmd::Export { format, glossary, out }) => {
            glossary::export(&cli, *format, glossary, out.as_deref())
        }
        Command::Glossary(GlossaryCmd::Import { format, file, out, force, with }) => {
            glossary::import(&cli, *format, file, out, *force, with)
        }
        Command::Qa { pair } => qa::aligned(&cli, pair, true),
        Command::Queue { state, lang, workflow } => jobs::queue(&cli, *state, *lang, workflow).await,
        Command::Show { job } => jobs::show(&cli, *job).await,
        Command::Edit { job, segment, text, version, workflow, glossary } => {
            let terms = terminology(workflow.as_deref(), glossary)?;
            jobs::edit(&cli, *job, *segment, text, *version, &terms).await
        }
        Command::Approve { job, override_reason, workflow } => {
            jobs::approve(&cli, *job, override_reason.as_deref(), workflow.as_deref()).await
        }
        Command::Reject { job, reason } => jobs::reject(&cli, *job, reason).await,
        Command::Retry { job } => jobs::retry(&cli, *job).await,
        Command::History { job } => jobs::history(&cli, *job).await,
        Command::Export { out, script, glossary } => export::export(&cli, out, *script, glossary).await,
        Command::Xliff(XliffCmd::Export { jobs, state, lang, out, xliff_version, copy_source }) => {
            let options = audarma_xliff::Options { version: *xliff_version, copy_source: *copy_source };
            xliff::export(&cli, jobs, *state, *lang, out, options).await
        }
        Command::Xliff(XliffCmd::Import { files, job, workflow, glossary }) => {
            let terms = terminology(workflow.as_deref(), glossary)?;
            xliff::import(&cli, files, *job, &terms).await
        }
        Command::Notify(NotifyCmd::Deliver { workflows }) => notify::deliver(&cli, workflows).await,
        Command::Notify(NotifyCmd::Log { workflow, state, limit }) => {
            notify::log(&cli, workflow.as_deref(), *state, *limit).await
        }
        Command::Mqm(MqmCmd::Annotate { job, segment, error_type, severity, span, note, finding }) => {
            mqm::annotate(&cli, *job, *segment, *error_type, *severity, *span, note.clone(), *finding).await
        }
        Command::Mqm(MqmCmd::List { job, workflow }) => mqm::list(&cli, *job, workflow.as_deref()).await,
        Command::Mqm(MqmCmd::Remove { job, id }) => mqm::remove(&cli, *job, *id).await,
        Command::Mqm(MqmCmd::Types) => {
            mqm::types(&cli);
            Ok(())
        }
        Command::Mqm(MqmCmd::Export { format: _, since, until, out }) => mqm::export(&cli, *since, *until, out).await,
        Command::Report { by, since, until, csv, advise } => {
            report::report(&cli, *by, *since, *until, *csv, *advise).await
        }
        Command::Tm(TmCmd::Import { file, format }) => tm::import(&cli, file, *format).await,
        Command::Tm(TmCmd::Export { format, pair, since, out }) => tm::export(&cli, *format, *pair, *since, out).await,
        Command::Db(db::DbCmd::Check) => db::check(&cli).await,
        Command::Db(db::DbCmd::Copy { from, to }) => db::copy(&cli, from, to).await,
        Command::User(UserCmd::Add { name, role }) => users::add(&cli, name, role).await,
        Command::User(UserCmd::Disable { name }) => users::set_disabled(&cli, name, true).await,
        Command::User(UserCmd::Enable { name }) => users::set_disabled(&cli, name, false).await,
        Command::User(UserCmd::Passwd { name }) => users::passwd(&cli, name).await,
        Command::User(UserCmd::Sessions { name, end }) => users::sessions(&cli, name, *end).await,
        Command::User(UserCmd::FeedToken { name, base }) => users::feed_token(&cli, name, base.as_deref()).await,
        Command::Token(TokenCmd::Create { name, expires }) => users::create_token(&cli, name, *expires).await,
        Command::Token(TokenCmd::List { user }) => users::list_tokens(&cli, user.as_deref()).await,
        Command::Token(TokenCmd::Revoke { id }) => users::revoke_token(&cli, *id).await,
        Command::Serve {
            addr,
            workflow,
            notify_every,
            glossary,
            secure_cookies,
            behind_proxy,
            trusted_proxies,
            metrics_token_env,
        } => {
            let (terms, notifier, wf) = match workflow.as_deref() {
                Some(file) => {
                    let (wf, terms) = run::load_workflow(file)?;
                    let notifier = notify::notifier([&wf], &audarma_pipeline::default_worker())?;
                    (terms, notifier, Some(wf))
                }
                None => (Terminology::new(glossary.load()?), None, None),
            };
            let notifier = notifier.map(|n| (n, std::time::Duration::from_secs(*notify_every)));
            let metrics_token = match metrics_token_env {
                Some(var) => match std::env::var(var) {
                    Ok(t) if !t.trim().is_empty() => Some(t.trim().to_string()),
                    _ => {
                        return Err(Exit::input(format!("--metrics-token-env {var}: the variable is not set or empty")))
                    }
                },
                None => None,
            };
            let config = audarma_web::DeskConfig {
                secure_cookies: *secure_cookies,
                behind_proxy: *behind_proxy,
                trusted_proxies: usize::from(*trusted_proxies),
                metrics_token,
                mqm_pass: mqm::threshold(workflow.as_deref())?,
                ..Default::default()
            };
            users::serve(&cli, addr, terms, config, notifier, wf.as_ref()).await
        }
        Command::Detect { file } => text::detect(&cli, file),
        Command::Segment { file, lang } => text::segment(&cli, file, *lang),
    }
}
