//! Webhook deliveries as every store keeps them: what a webhook is told about ([`NotifyEvent`]), the
//! deliveries queued from the event log ([`Delivery`], [`DeliveryRecord`]) and how an attempt ends
//! ([`Attempt`]). The store knows a webhook only by its workflow and name ([`Hook`]); its URL and secret
//! stay in the workflow file and the environment.
//!
//! The contract both stores keep (pinned by `audarma-store-tests/tests/it/notify.rs`):
//! - Deliveries come from the event log, which is append-only: [`crate::Store::queue_deliveries`] reads
//!   the events a hook has not seen yet (a cursor per hook) and queues one delivery per (hook, event) it
//!   subscribes to, at most once however many processes queue at the same time. A hook seen for the first
//!   time starts at the end of the log: it is not sent the past.
//! - On PostgreSQL, where transactions commit out of the order their events were numbered in, the cursor
//!   is a snapshot, not an event id: a read takes the events it sees that the previous read did not, so
//!   an event whose transaction was open at one read is taken by a later one, never skipped.
//! - A delivery is claimed under a lease ([`crate::Store::claim_deliveries`]); while the lease holds no
//!   other process claims it, and only that claim can record its outcome. A process that dies mid-attempt
//!   leaves the delivery to be claimed again once the lease runs out: at least once, never lost.

use crate::{JobId, Lease, LeaseOwner, ReleaseId};
use audarma_core::{JobState, Lang};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// What a webhook can subscribe to (`[[notify]] events`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NotifyEvent {
    /// A job was translated and waits for review.
    InReview,
    /// A job was approved.
    Approved,
    /// A job failed (its error in `error`).
    Failed,
    /// A run of the workflow failed as a whole: unreadable sources, a quota stop, a database error.
    RunFailed,
    /// A job became due: its deadline is tomorrow, today or past (once per job and deadline).
    Deadline,
}

impl NotifyEvent {
    pub const ALL: [NotifyEvent; 5] = [
        NotifyEvent::InReview,
        NotifyEvent::Approved,
        NotifyEvent::Failed,
        NotifyEvent::RunFailed,
        NotifyEvent::Deadline,
    ];

    /// The name in workflow files, payloads and the delivery log.
    pub fn as_str(self) -> &'static str {
        match self {
            NotifyEvent::InReview => "in_review",
            NotifyEvent::Approved => "approved",
            NotifyEvent::Failed => "failed",
            NotifyEvent::RunFailed => "run_failed",
            NotifyEvent::Deadline => "deadline",
        }
    }

    pub fn parse(s: &str) -> Option<NotifyEvent> {
        NotifyEvent::ALL.into_iter().find(|e| e.as_str() == s)
    }

    /// The notification an event of the log is, if any: a `state` event into `in_review`, `approved` or
    /// `failed`; a `deadline` event; a `run-failed` event. (Both stores select the same events in SQL;
    /// this is the rule in one place, and the conformance suite holds them to it.)
    pub fn of_event(kind: &str, after: Option<&str>) -> Option<NotifyEvent> {
        match kind {
            "state" => match after? {
                "in_review" => Some(NotifyEvent::InReview),
                "approved" => Some(NotifyEvent::Approved),
                "failed" => Some(NotifyEvent::Failed),
                _ => None,
            },
            DEADLINE_EVENT => Some(NotifyEvent::Deadline),
            RUN_FAILED_EVENT => Some(NotifyEvent::RunFailed),
            _ => None,
        }
    }
}

impl std::fmt::Display for NotifyEvent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The job state a notification tells: where a `state` event left the job (`after`), the state a
/// `deadline` event found it in (`detail.state`); none for a failed run.
pub fn state_told<'a>(event: NotifyEvent, after: Option<&'a str>, detail: &'a serde_json::Value) -> Option<&'a str> {
    match event {
        NotifyEvent::RunFailed => None,
        NotifyEvent::Deadline => detail.get("state").and_then(|s| s.as_str()),
        NotifyEvent::InReview | NotifyEvent::Approved | NotifyEvent::Failed => after,
    }
}

/// The event-log kind of a job becoming due (detail: `deadline`, `state`, `workflow`).
pub const DEADLINE_EVENT: &str = "deadline";
/// The event-log kind of a failed run (detail: `workflow`, `problems`).
pub const RUN_FAILED_EVENT: &str = "run-failed";

/// A webhook as the store knows it: its workflow, its name within the workflow, what it subscribes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hook<'a> {
    pub workflow: &'a str,
    pub name: &'a str,
    pub events: &'a [NotifyEvent],
}

/// Where a delivery is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryState {
    /// Not delivered yet: waiting for its next attempt (or in one).
    Pending,
    /// The receiver answered 2xx.
    Delivered,
    /// Every attempt failed; no more will be made.
    Failed,
}

impl DeliveryState {
    pub const ALL: [DeliveryState; 3] = [DeliveryState::Pending, DeliveryState::Delivered, DeliveryState::Failed];

    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryState::Pending => "pending",
            DeliveryState::Delivered => "delivered",
            DeliveryState::Failed => "failed",
        }
    }

    pub fn parse(s: &str) -> Option<DeliveryState> {
        DeliveryState::ALL.into_iter().find(|e| e.as_str() == s)
    }
}

impl std::fmt::Display for DeliveryState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A delivery claimed for one attempt, with what its body tells.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Delivery {
    pub id: i64,
    pub workflow: String,
    /// The webhook's name within its workflow.
    pub hook: String,
    pub event: NotifyEvent,
    /// The event of the log it tells about.
    pub event_id: i64,
    /// Which claim of the delivery this is (1 for the first): with the owner, what fences its outcome.
    pub attempt: u32,
    /// When the event happened, and who did it.
    pub at: DateTime<Utc>,
    pub actor: String,
    pub job: Option<JobId>,
    pub release: Option<ReleaseId>,
    /// The release's title (job events).
    pub title: Option<String>,
    pub source_lang: Option<Lang>,
    pub target_lang: Option<Lang>,
    /// The job's state the event left it in (job events).
    pub state: Option<JobState>,
    /// The event's detail: a failed job's `error`, a deadline's `deadline`, a failed run's `problems`.
    pub detail: serde_json::Value,
}

impl Delivery {
    /// This claim's lease, held by `owner` (the process that claimed it).
    pub fn lease<'a>(&self, owner: &'a str) -> Lease<'a> {
        Lease { owner: LeaseOwner(owner), attempt: self.attempt }
    }

    /// The idempotency key of this (event, webhook): the same on every attempt, different for every other
    /// webhook and event, so a receiver can drop a delivery it has already seen.
    pub fn idempotency_key(&self) -> String {
        idempotency_key(&self.workflow, &self.hook, self.event_id)
    }
}

/// The idempotency key of an event for a webhook: `audarma-EVENT-HASH`, HASH the first 16 hex digits of
/// SHA-256 of the workflow and the webhook's name (which may hold any character a header may not).
pub fn idempotency_key(workflow: &str, hook: &str, event_id: i64) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    h.update(workflow.as_bytes());
    h.update([0]);
    h.update(hook.as_bytes());
    let digest = hex::encode(h.finalize());
    format!("audarma-{event_id}-{}", &digest[..16])
}

/// How one attempt ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attempt<'a> {
    /// The receiver answered with this 2xx status.
    Delivered { status: u16 },
    /// The attempt failed (the status, when the receiver answered): tried again at `retry_at`, or
    /// never again when `None` (the delivery is `failed`).
    Failed { status: Option<u16>, error: &'a str, retry_at: Option<DateTime<Utc>> },
}

/// A delivery as the log shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DeliveryRecord {
    pub id: i64,
    pub workflow: String,
    pub hook: String,
    pub event: NotifyEvent,
    pub event_id: i64,
    pub job: Option<JobId>,
    pub state: DeliveryState,
    /// Attempts made (claims, so an attempt cut short by a dying process counts).
    pub attempts: u32,
    /// The HTTP status of the last attempt, when the receiver answered.
    pub last_status: Option<u16>,
    /// The error of the last failed attempt (kept once a later attempt succeeds).
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// When a pending delivery is next tried.
    pub next_at: Option<DateTime<Utc>>,
    pub delivered_at: Option<DateTime<Utc>>,
}

/// Which deliveries the log lists: newest first, at most `limit`.
#[derive(Debug, Clone, Default)]
pub struct DeliveryFilter {
    pub workflow: Option<String>,
    pub state: Option<DeliveryState>,
    pub limit: Option<u32>,
}

/// An entry of a user's feed: an event of one of their jobs, and the job as it is now.
#[derive(Debug, Clone, Serialize)]
pub struct FeedItem {
    pub event: crate::Event,
    pub job: crate::JobSummary,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_events_map_to_notifications() {
        for e in NotifyEvent::ALL {
            assert_eq!(NotifyEvent::parse(e.as_str()), Some(e));
            assert_eq!(serde_json::to_value(e).unwrap(), e.as_str());
        }
        for s in DeliveryState::ALL {
            assert_eq!(DeliveryState::parse(s.as_str()), Some(s));
        }
        assert_eq!(NotifyEvent::parse("approve"), None);
        assert_eq!(NotifyEvent::of_event("state", Some("in_review")), Some(NotifyEvent::InReview));
        assert_eq!(NotifyEvent::of_event("state", Some("failed")), Some(NotifyEvent::Failed));
        assert_eq!(NotifyEvent::of_event("state", Some("translating")), None);
        assert_eq!(NotifyEvent::of_event("deadline", None), Some(NotifyEvent::Deadline));
        assert_eq!(NotifyEvent::of_event("run-failed", None), Some(NotifyEvent::RunFailed));
        assert_eq!(NotifyEvent::of_event("edit", Some("approved")), None);
    }

    #[test]
    fn idempotency_keys_differ_by_event_and_webhook_and_fit_a_header() {
        let k = idempotency_key("demo", "chat", 42);
        assert_eq!(k, idempotency_key("demo", "chat", 42));
        assert_ne!(k, idempotency_key("demo", "chat", 43));
        assert_ne!(k, idempotency_key("demo", "ops", 42));
        // The separator keeps ("ab", "c") and ("a", "bc") apart.
        assert_ne!(idempotency_key("ab", "c", 1), idempotency_key("a", "bc", 1));
        assert!(k.starts_with("audarma-42-") && k.len() == "audarma-42-".len() + 16, "{k}");
        assert!(idempotency_key("дем о", "чат\n", 1).bytes().all(|b| b.is_ascii_graphic()));
    }
}
