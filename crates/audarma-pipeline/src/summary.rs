//! What a run reports: its summary line and `--json`, and progress for terminals.

use serde::Serialize;

/// What a run did, for its one summary line and `--json`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct RunSummary {
    pub workflow: String,
    pub releases_new: usize,
    pub releases_skipped: usize,
    pub jobs_created: usize,
    pub jobs_translated: usize,
    pub jobs_failed: usize,
    pub segments_translated: usize,
    pub segments_from_memory: usize,
    pub chars_sent: usize,
    /// Pages and feeds the server said were unchanged since the last run (not downloaded).
    pub unchanged: usize,
    /// Files that could not be read, each `path: reason`.
    pub input_errors: Vec<String>,
    /// Jobs that failed, each `job N: reason`.
    pub failures: Vec<String>,
    /// Why the run stopped early (quota), if it did.
    pub stopped: Option<String>,
    /// A signal (SIGINT, SIGTERM) stopped the run: the jobs in flight were finished, the rest stay queued.
    pub interrupted: bool,
    /// What the backend sent and was billed for in this run.
    pub usage: audarma_mt::Usage,
    /// The same per backend (a router has several).
    pub usage_by_backend: Vec<(String, audarma_mt::Usage)>,
}

impl RunSummary {
    pub fn line(&self) -> String {
        let mut s = format!(
            "{}: releases {} new, {} skipped; jobs {} created, {} translated, {} failed; segments {} translated ({} from memory)",
            self.workflow,
            self.releases_new,
            self.releases_skipped,
            self.jobs_created,
            self.jobs_translated,
            self.jobs_failed,
            self.segments_translated,
            self.segments_from_memory
        );
        if self.usage.requests > 0 {
            s.push_str(&format!("; {} chars sent in {} request(s)", self.usage.chars, self.usage.requests));
            if self.usage_by_backend.len() > 1 {
                let per: Vec<String> =
                    self.usage_by_backend.iter().map(|(n, u)| format!("{n} {} chars", u.chars)).collect();
                s.push_str(&format!(" ({})", per.join(", ")));
            }
            if self.usage.tokens_in + self.usage.tokens_out > 0 {
                s.push_str(&format!(" ({} + {} tokens)", self.usage.tokens_in, self.usage.tokens_out));
            }
        }
        if self.unchanged > 0 {
            s.push_str(&format!("; {} page(s) unchanged", self.unchanged));
        }
        if !self.input_errors.is_empty() {
            s.push_str(&format!("; {} unreadable source(s)", self.input_errors.len()));
        }
        if let Some(why) = &self.stopped {
            s.push_str(&format!("; stopped early: {why}"));
        }
        if self.interrupted {
            s.push_str("; interrupted: the jobs in flight were finished, the rest stay queued");
        }
        s
    }

    /// What made the run fail as a whole, one line each (the `run_failed` webhook event): sources that
    /// could not be read, an early stop. Failed jobs are not in it: each is told as `failed`.
    pub fn run_problems(&self) -> Vec<String> {
        let mut problems = self.input_errors.clone();
        if let Some(why) = &self.stopped {
            problems.push(format!("stopped early: {why}"));
        }
        problems
    }

    /// Whether anything went wrong that cron must hear about.
    pub fn has_failures(&self) -> bool {
        !self.input_errors.is_empty() || !self.failures.is_empty() || self.stopped.is_some()
    }
}

/// Progress reports, shown as bars on a terminal and ignored from cron.
pub trait Progress: Send + Sync {
    fn ingest_started(&self, _files: usize) {}
    fn file_done(&self, _path: &str) {}
    fn translate_started(&self, _jobs: usize) {}
    fn job_done(&self, _job: i64) {}
}

pub struct NoProgress;
impl Progress for NoProgress {}
