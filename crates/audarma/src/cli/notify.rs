//! Webhooks on the command line: delivering once (cron), the delivery log, and the notifier the
//! long-running `worker` and `serve` keep in the background.

use super::{open, Cli, Exit};
use crate::output::{clip, json, shown};
use audarma_notify::{Notifier, WorkflowHooks};
use audarma_pipeline::Workflow;
use audarma_store::{DeliveryFilter, DeliveryState, Store};
use clap::Subcommand;
use std::path::PathBuf;

#[derive(Subcommand, Debug)]
pub enum NotifyCmd {
    /// Deliver once what the webhooks (`[[notify]]`) of these workflows are due, then exit: for cron.
    /// Quiet unless a delivery fails (one line each on stderr, exit 1).
    Deliver {
        #[arg(required = true)]
        workflows: Vec<PathBuf>,
    },
    /// The delivery log, newest first: each delivery's event, state, attempts, last status and error.
    Log {
        /// Only this workflow's deliveries (its `name`).
        #[arg(long)]
        workflow: Option<String>,
        #[arg(long, value_parser = parse_state)]
        state: Option<DeliveryState>,
        /// At most this many.
        #[arg(long, default_value_t = 50)]
        limit: u32,
    },
}

fn parse_state(s: &str) -> Result<DeliveryState, String> {
    DeliveryState::parse(s)
        .ok_or_else(|| format!("unknown state {s:?} (one of: {})", DeliveryState::ALL.map(|s| s.as_str()).join(", ")))
}

/// The webhooks of workflow files, their secrets read from the environment: a file that cannot be read
/// or a variable that is not set is an error naming the file (and the field). `None` when no file has
/// a `[[notify]]` table.
pub(super) fn notifier<'a>(
    workflows: impl IntoIterator<Item = &'a Workflow>,
    owner: &str,
) -> Result<Option<Notifier>, Exit> {
    let hooks: Vec<WorkflowHooks<'_>> = workflows
        .into_iter()
        .filter(|w| !w.notify.is_empty())
        .map(|w| WorkflowHooks { file: &w.file, workflow: &w.name, hooks: &w.notify })
        .collect();
    if hooks.is_empty() {
        return Ok(None);
    }
    let env = |k: &str| std::env::var(k).ok();
    Notifier::new(&hooks, owner, &env).map(Some).map_err(|e| match e {
        audarma_notify::NotifyError::Config { .. } => Exit::input(e),
        audarma_notify::NotifyError::Client(_) => Exit::internal(e),
    })
}

/// Gives up the pending deliveries of webhooks no longer in their workflow files, and forgets their
/// cursors (`Store::forget_removed_hooks`): once, when a command starts with the files. Says so on
/// standard error when there were any; returns how many.
pub(super) async fn forget_removed<'a>(
    store: &dyn audarma_store::Store,
    workflows: impl IntoIterator<Item = &'a Workflow>,
) -> Result<u64, Exit> {
    let mut total = 0;
    for w in workflows {
        let kept: Vec<&str> = w.notify.iter().map(|h| h.name.as_str()).collect();
        let reason = format!("the webhook is no longer in {}", w.file.display());
        let gone = store.forget_removed_hooks(&w.name, &kept, &reason).await?;
        if gone > 0 {
            eprintln!("audarma: {}: gave up {gone} pending deliveries of webhooks no longer in it", w.file.display());
        }
        total += gone;
    }
    Ok(total)
}

/// Today, as deadlines are written: the date where audarma runs.
pub(super) fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}

pub(super) async fn deliver(cli: &Cli, files: &[PathBuf]) -> Result<(), Exit> {
    let mut workflows = Vec::new();
    for f in files {
        workflows.push(Workflow::load(f).map_err(Exit::input)?);
    }
    let owner = audarma_pipeline::default_worker();
    let notifier = notifier(&workflows, &owner)?;
    let store = open(cli).await?;
    let forgotten = forget_removed(store.as_ref(), &workflows).await?;
    let Some(notifier) = notifier else {
        if forgotten > 0 {
            return Ok(());
        }
        let names: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
        return Err(Exit::input(format!("{}: no `[[notify]]` table: no webhook to deliver to", names.join(", "))));
    };
    let round = notifier.round(store.as_ref(), today()).await?;
    let failures: Vec<_> = round.failures().collect();
    for f in &failures {
        eprintln!("audarma: {}", shown(&f.line()));
    }
    if cli.json {
        json(&round);
    }
    if failures.is_empty() {
        Ok(())
    } else {
        Err(Exit::problems())
    }
}

pub(super) async fn log(
    cli: &Cli,
    workflow: Option<&str>,
    state: Option<DeliveryState>,
    limit: u32,
) -> Result<(), Exit> {
    let store = open(cli).await?;
    let filter = DeliveryFilter { workflow: workflow.map(String::from), state, limit: Some(limit) };
    let log = store.deliveries(&filter).await?;
    if cli.json {
        json(&serde_json::json!({ "deliveries": log }));
        return Ok(());
    }
    if log.is_empty() {
        println!("no deliveries");
        return Ok(());
    }
    let when = |t: chrono::DateTime<chrono::Utc>| t.format("%Y-%m-%d %H:%M:%S").to_string();
    println!(
        "{:>6}  {:<28} {:<10} {:>6}  {:<9} {:>8}  {:>6}  {:<19}  LAST ERROR",
        "ID", "WEBHOOK", "EVENT", "JOB", "STATE", "ATTEMPTS", "STATUS", "WHEN (UTC)"
    );
    for d in log {
        let at = match d.state {
            DeliveryState::Pending => d.next_at.map(|t| format!("next {}", when(t))),
            DeliveryState::Delivered => d.delivered_at.map(when),
            DeliveryState::Failed => Some(when(d.updated_at)),
        };
        println!(
            "{:>6}  {:<28} {:<10} {:>6}  {:<9} {:>8}  {:>6}  {:<19}  {}",
            d.id,
            clip(&format!("{}/{}", d.workflow, d.hook), 28),
            d.event.as_str(),
            d.job.map(|j| j.to_string()).unwrap_or_else(|| "—".into()),
            d.state.as_str(),
            d.attempts,
            d.last_status.map(|s| s.to_string()).unwrap_or_else(|| "—".into()),
            at.unwrap_or_else(|| "—".into()),
            d.last_error.as_deref().map(|e| clip(e, 60)).unwrap_or_default(),
        );
    }
    Ok(())
}

/// Delivers in the background every `every` until `stop` (the worker's and the desk's notifier). A
/// first round runs before this returns, so a webhook seen for the first time starts before the jobs
/// its process is about to change (it would not be sent what happened before it was first seen).
pub(super) async fn spawn(
    notifier: Notifier,
    store: std::sync::Arc<dyn Store>,
    every: std::time::Duration,
    stop: std::sync::Arc<tokio::sync::Notify>,
) -> tokio::task::JoinHandle<()> {
    if let Err(e) = notifier.round(store.as_ref(), today()).await {
        tracing::warn!(error = %e, "webhook round failed; trying again next round");
    }
    tokio::spawn(async move {
        let stop = async move { stop.notified().await };
        tokio::pin!(stop);
        tokio::select! {
            () = &mut stop => return,
            () = tokio::time::sleep(every) => {}
        }
        notifier.run(store.as_ref(), every, stop).await;
    })
}
