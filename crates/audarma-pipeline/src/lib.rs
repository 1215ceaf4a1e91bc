//! The run: sources → releases → jobs → translation → checks → review queue.
//!
//! [`run`] is idempotent and safe to overlap: releases are keyed by content hash, jobs by
//! (release, target language), and a job is claimed atomically before it is translated, so two runs
//! at once never translate the same job and a second run does nothing new. A run that dies leaves
//! its claimed jobs `translating` with a lease; the next run takes them back once it expires.
//!
//! [`translate_job`] is the one place a claimed job is translated: translation memory first, the
//! backend for the rest, then glossary verification and QA on every suggestion.

mod backend;
mod dry_run;
mod ingest;
mod liveness;
mod run;
mod summary;
mod translate;
mod web;
mod workflow;

pub use audarma_review::{
    fuzzy_matches, QaConfig, QaConfigError, Terminology, FUZZY_MATCHES, FUZZY_MIN_SCORE, MIN_TM_UNITS, TM_WORD_UNITS,
};
pub use backend::{backend, check_backend, BackendError, StoreTm};
pub use dry_run::{dry_run, DryRun, DryRunPair};
pub use ingest::ingest;
pub(crate) use ingest::store_release;
pub use liveness::{default_worker, hostname, process_alive};
pub use run::{run, run_until, LEASE_SECS};
pub use summary::{NoProgress, Progress, RunSummary};
pub use translate::{glossary_entries, plan, translate_job, JobOutcome, Plan};
pub use workflow::{ReviewConfig, Workflow, WorkflowError};
