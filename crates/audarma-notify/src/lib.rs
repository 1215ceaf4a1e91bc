//! Webhooks: what a workflow's `[[notify]]` tables ask to be told, delivered from the store's event log.
//!
//! - `config`: the `[[notify]]` table ([`RawWebhook`]) checked into a [`Webhook`] — the URL (https, or
//!   plain http to this machine), the events, the environment variable holding the HMAC secret
//!   ([`Webhook::secret`], read only when deliveries start), the retry schedule ([`Retry`]: exponential
//!   backoff with a cap, a number of attempts). Errors name the field ([`ConfigError`]), never the
//!   secret nor the URL's path.
//! - `sign`: `X-Audarma-Signature: sha256=<hex HMAC-SHA256 of the body>` ([`signature`], [`verify`]).
//! - `payload`: the JSON body ([`Payload`]), the same bytes on every attempt.
//! - `deliver`: [`Notifier`], which marks jobs that became due, queues each webhook's new events
//!   (`Store::queue_deliveries`), claims what is due under a lease and posts it with the
//!   `Idempotency-Key` of the (event, webhook), recording each attempt (`Store::finish_delivery`): at
//!   least once, never lost when a process dies, never posted by two processes at once.
//!
//! Only this crate and `audarma-mt`/`audarma-fetch` make HTTP requests; it posts only to the URLs the
//! workflow files name.

mod config;
mod deliver;
mod payload;
mod sign;

pub use config::{ConfigError, RawWebhook, Retry, Secret, Webhook};
pub use deliver::{Next, Notifier, NotifyError, Outcome, Round, WorkflowHooks, LEASE_SECS, TIMEOUT};
pub use payload::Payload;
pub use sign::{signature, verify, SIGNATURE_HEADER};
