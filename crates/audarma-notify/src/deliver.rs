//! Delivering: a [`Notifier`] holds the webhooks of some workflows with their secrets and does
//! [`Notifier::round`]s — mark the jobs that became due, queue each webhook's new events from the
//! store's event log, then claim what is due and post it, recording each attempt — once (`audarma notify
//! deliver`) or every few seconds ([`Notifier::run`], in `audarma worker` and `audarma serve`).

use crate::config::{ConfigError, Secret, Webhook};
use crate::payload::Payload;
use crate::sign::{signature, SIGNATURE_HEADER};
use audarma_core::Due;
use audarma_store::{Attempt, Delivery, Hook, JobId, LeaseOwner, NotifyEvent, Store, StoreError};
use chrono::{DateTime, NaiveDate, Utc};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// How long a claimed delivery is reserved for one attempt: well beyond [`TIMEOUT`].
pub const LEASE_SECS: i64 = 60;
/// The longest one attempt may take (connecting included).
pub const TIMEOUT: Duration = Duration::from_secs(10);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// Deliveries claimed at a time. One webhook's are posted one after another, so a batch of one
/// webhook takes at most `BATCH` × [`TIMEOUT`], well within [`LEASE_SECS`].
const BATCH: u32 = 4;
/// The most batches of one round: a round ends even if deliveries keep falling due.
const MAX_BATCHES: usize = 128;

/// A webhook's configuration could not be used (the file and the field), or no HTTP client.
#[derive(Debug, thiserror::Error)]
pub enum NotifyError {
    #[error("{}: {source}", file.display())]
    Config {
        file: PathBuf,
        #[source]
        source: ConfigError,
    },
    #[error("cannot make the HTTP client for webhooks: {0}")]
    Client(#[source] reqwest::Error),
}

/// The webhooks of one workflow file.
#[derive(Debug, Clone, Copy)]
pub struct WorkflowHooks<'a> {
    pub file: &'a Path,
    /// The workflow's `name`: the store knows jobs and hooks by it.
    pub workflow: &'a str,
    pub hooks: &'a [Webhook],
}

struct Target {
    workflow: String,
    hook: Webhook,
    secret: Secret,
}

/// What happened next to a delivery after an attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case", tag = "next", content = "at")]
pub enum Next {
    /// Delivered: nothing more to do.
    Done,
    /// Tried again at this time.
    Retry(DateTime<Utc>),
    /// The last attempt failed: given up.
    GaveUp,
}

/// One attempt of one delivery.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Outcome {
    pub delivery: i64,
    pub workflow: String,
    pub webhook: String,
    pub event: NotifyEvent,
    pub job: Option<JobId>,
    pub attempt: u32,
    /// The receiver's HTTP status, when it answered.
    pub status: Option<u16>,
    pub error: Option<String>,
    #[serde(flatten)]
    pub next: Next,
}

impl Outcome {
    pub fn failed(&self) -> bool {
        self.next != Next::Done
    }

    /// One line for a terminal or a log: never the URL or the secret.
    pub fn line(&self) -> String {
        let what = match self.job {
            Some(job) => format!("{} of job {job}", self.event),
            None => self.event.to_string(),
        };
        let head = format!(
            "{}/{}: delivery {} ({what}), attempt {}",
            self.workflow, self.webhook, self.delivery, self.attempt
        );
        let error = self.error.as_deref().unwrap_or("failed");
        match self.next {
            Next::Done => format!("{head}: delivered ({})", self.status.unwrap_or_default()),
            Next::Retry(at) => format!("{head}: {error}; retried at {}", at.format("%Y-%m-%d %H:%M:%S UTC")),
            Next::GaveUp => format!("{head}: {error}; given up (see `audarma notify log`)"),
        }
    }
}

/// What a round did.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Round {
    /// Jobs that became due in this round (a `deadline` event each).
    pub marked_due: usize,
    /// Deliveries queued from the event log.
    pub queued: u64,
    /// Every attempt made, in order.
    pub attempts: Vec<Outcome>,
}

impl Round {
    pub fn delivered(&self) -> usize {
        self.attempts.iter().filter(|o| !o.failed()).count()
    }

    pub fn failures(&self) -> impl Iterator<Item = &Outcome> {
        self.attempts.iter().filter(|o| o.failed())
    }
}

/// The webhooks of some workflows, their secrets, an HTTP client, and the worker name claims are made in.
pub struct Notifier {
    client: reqwest::Client,
    targets: Vec<Target>,
    owner: String,
}

impl Notifier {
    /// Reads every webhook's secret with `env` (the process environment, in the binary): a variable that
    /// is not set is an error naming the file and the field. `owner` names this process in leases (a
    /// worker's `host:pid`).
    pub fn new(
        workflows: &[WorkflowHooks<'_>],
        owner: &str,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Notifier, NotifyError> {
        let mut targets = Vec::new();
        for wf in workflows {
            for (i, hook) in wf.hooks.iter().enumerate() {
                let secret = hook
                    .secret(i, env)
                    .map_err(|source| NotifyError::Config { file: wf.file.to_path_buf(), source })?;
                targets.push(Target { workflow: wf.workflow.to_string(), hook: hook.clone(), secret });
            }
        }
        let client = reqwest::Client::builder()
            .user_agent(concat!("audarma/", env!("CARGO_PKG_VERSION")))
            .timeout(TIMEOUT)
            .connect_timeout(CONNECT_TIMEOUT)
            // A redirect is an answer like any other: a receiver that moved says so in the log.
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(NotifyError::Client)?;
        Ok(Notifier { client, targets, owner: owner.to_string() })
    }

    /// Whether there is any webhook to deliver to.
    pub fn is_empty(&self) -> bool {
        self.targets.is_empty()
    }

    fn hooks(&self) -> impl Iterator<Item = Hook<'_>> {
        self.targets.iter().map(|t| Hook { workflow: &t.workflow, name: &t.hook.name, events: &t.hook.events })
    }

    /// One round on `today`: jobs that became due get their `deadline` event (when a webhook subscribes
    /// to them), every webhook's new events are queued, and what is due is claimed and posted until
    /// nothing is due (or [`MAX_BATCHES`] batches).
    pub async fn round(&self, store: &dyn Store, today: NaiveDate) -> Result<Round, StoreError> {
        let mut round = Round::default();
        // A webhook's first round sets its cursor at the end of the log, so the jobs marked due below
        // reach it too.
        for hook in self.hooks() {
            round.queued += store.queue_deliveries(&hook).await?;
        }
        if self.hooks().any(|h| h.events.contains(&NotifyEvent::Deadline)) {
            round.marked_due = store.mark_due_jobs(Due::by(today), &self.owner).await?.len();
            if round.marked_due > 0 {
                for hook in self.hooks().filter(|h| h.events.contains(&NotifyEvent::Deadline)) {
                    round.queued += store.queue_deliveries(&hook).await?;
                }
            }
        }
        let keys: Vec<(&str, &str)> =
            self.targets.iter().map(|t| (t.workflow.as_str(), t.hook.name.as_str())).collect();
        for _ in 0..MAX_BATCHES {
            let claimed = store.claim_deliveries(&keys, LeaseOwner(&self.owner), LEASE_SECS, BATCH).await?;
            if claimed.is_empty() {
                break;
            }
            // One webhook's deliveries are posted one after another, in the order of the log (a receiver
            // sees them in order unless one has to be retried); different webhooks' at once.
            let mut groups: Vec<Vec<&Delivery>> = Vec::new();
            for d in &claimed {
                match groups.iter_mut().find(|g| g[0].workflow == d.workflow && g[0].hook == d.hook) {
                    Some(g) => g.push(d),
                    None => groups.push(vec![d]),
                }
            }
            let posts = groups.into_iter().map(|group| async move {
                let mut outcomes = Vec::new();
                for d in group {
                    if let Some(outcome) = self.deliver(store, d).await? {
                        outcomes.push(outcome);
                    }
                }
                Ok::<_, StoreError>(outcomes)
            });
            for outcomes in futures_util::future::join_all(posts).await {
                round.attempts.extend(outcomes?);
            }
        }
        Ok(round)
    }

    /// Posts one claimed delivery and records how it went; `None` when its lease was lost meanwhile (another
    /// process took it over after the lease ran out: its attempt stands).
    async fn deliver(&self, store: &dyn Store, d: &Delivery) -> Result<Option<Outcome>, StoreError> {
        let (target, outcome) = self.attempt(d).await;
        let Some(target) = target else { return Ok(None) };
        let error = outcome.error.as_deref().unwrap_or_default();
        let attempt = match outcome.next {
            Next::Done => Attempt::Delivered { status: outcome.status.unwrap_or(200) },
            Next::Retry(at) => Attempt::Failed { status: outcome.status, error, retry_at: Some(at) },
            Next::GaveUp => Attempt::Failed { status: outcome.status, error, retry_at: None },
        };
        match store.finish_delivery(d.id, d.lease(&self.owner), &attempt).await {
            Ok(()) => {}
            Err(StoreError::DeliveryLeaseLost(id)) => {
                tracing::warn!(delivery = id, "webhook delivery lease lost; leaving it to the process holding it");
                return Ok(None);
            }
            Err(e) => return Err(e),
        }
        // Failures are reported by the caller: a line each from `notify deliver`, a warning each from `run`.
        if outcome.failed() {
            tracing::info!(
                workflow = d.workflow.as_str(),
                webhook = d.hook.as_str(),
                host = target.hook.host(),
                delivery = d.id,
                attempt = d.attempt,
                error = error,
                "webhook delivery failed"
            );
        } else {
            tracing::info!(
                workflow = d.workflow.as_str(),
                webhook = d.hook.as_str(),
                host = target.hook.host(),
                delivery = d.id,
                attempt = d.attempt,
                status = outcome.status,
                "webhook delivered"
            );
        }
        Ok(Some(outcome))
    }

    /// Posts one delivery; its target (none if the claim was for a webhook this notifier does not have,
    /// which `claim_deliveries` never returns) and how the attempt went.
    async fn attempt<'a>(&'a self, d: &Delivery) -> (Option<&'a Target>, Outcome) {
        let target = self.targets.iter().find(|t| t.workflow == d.workflow && t.hook.name == d.hook);
        let mut outcome = Outcome {
            delivery: d.id,
            workflow: d.workflow.clone(),
            webhook: d.hook.clone(),
            event: d.event,
            job: d.job,
            attempt: d.attempt,
            status: None,
            error: None,
            next: Next::Done,
        };
        let Some(t) = target else { return (None, outcome) };
        let body = Payload::of(d).to_bytes();
        let sent = self
            .client
            .post(t.hook.url.clone())
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .header("Idempotency-Key", d.idempotency_key())
            .header(SIGNATURE_HEADER, signature(&t.secret, &body))
            .header("X-Audarma-Event", d.event.as_str())
            .header("X-Audarma-Attempt", d.attempt.to_string())
            .body(body)
            .send()
            .await;
        let retry_after = match sent {
            Ok(res) if res.status().is_success() => {
                outcome.status = Some(res.status().as_u16());
                return (target, outcome);
            }
            Ok(res) => {
                let status = res.status();
                outcome.status = Some(status.as_u16());
                outcome.error = Some(format!("HTTP {}", status).trim().to_string());
                retry_after(res.headers())
            }
            Err(e) => {
                outcome.error = Some(describe(&e));
                None
            }
        };
        outcome.next = match t.hook.retry.after(d.attempt) {
            Some(wait) => {
                let wait = retry_after.map_or(wait, |ra| wait.max(ra.min(t.hook.retry.max)));
                Next::Retry(Utc::now() + chrono::Duration::from_std(wait).unwrap_or(chrono::Duration::MAX))
            }
            None => Next::GaveUp,
        };
        (target, outcome)
    }

    /// Rounds every `every` until `stop` completes (checked between rounds): the background deliverer
    /// of `audarma worker` and `audarma serve`. Failures are logged, never fatal: the next round tries
    /// again.
    pub async fn run(&self, store: &dyn Store, every: Duration, stop: impl std::future::Future<Output = ()>) {
        tokio::pin!(stop);
        loop {
            let today = chrono::Local::now().date_naive();
            match self.round(store, today).await {
                Ok(r) if r.queued > 0 || !r.attempts.is_empty() => {
                    for f in r.failures() {
                        tracing::warn!("webhook: {}", f.line());
                    }
                    tracing::info!(
                        queued = r.queued,
                        delivered = r.delivered(),
                        failed = r.failures().count(),
                        "webhook round"
                    );
                }
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "webhook round failed; trying again next round"),
            }
            tokio::select! {
                () = &mut stop => break,
                () = tokio::time::sleep(every) => {}
            }
        }
    }
}

/// `Retry-After` in seconds (the HTTP-date form is not used by webhook receivers in practice).
fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    let v = headers.get(reqwest::header::RETRY_AFTER)?.to_str().ok()?;
    v.trim().parse::<u64>().ok().map(Duration::from_secs)
}

/// A transport error without its URL (whose path may carry a token), with its causes.
fn describe(e: &reqwest::Error) -> String {
    if e.is_timeout() {
        return format!("no answer within {} s", TIMEOUT.as_secs());
    }
    let mut parts = vec![if e.is_connect() { "cannot connect".to_string() } else { "request failed".to_string() }];
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        let text = s.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        source = s.source();
    }
    parts.join(": ")
}
