use std::fmt;

/// The state of one translation job (one release into one target language).
///
/// ```text
/// queued ──▶ translating ──▶ in_review ──▶ approved
///   ▲             │              │
///   │             ▼              └──────▶ rejected ──▶ queued (re-run)
///   └───────── failed
/// ```
///
/// `failed` keeps its error in the store; `audarma retry` sends a failed job back to `queued`.
/// A job left `translating` by a killed run is reclaimed to `queued` by the next run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JobState {
    Queued,
    Translating,
    InReview,
    Approved,
    Rejected,
    Failed,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a job cannot go from {from} to {to}")]
pub struct TransitionError {
    pub from: JobState,
    pub to: JobState,
}

impl JobState {
    pub const ALL: [JobState; 6] = [
        JobState::Queued,
        JobState::Translating,
        JobState::InReview,
        JobState::Approved,
        JobState::Rejected,
        JobState::Failed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            JobState::Queued => "queued",
            JobState::Translating => "translating",
            JobState::InReview => "in_review",
            JobState::Approved => "approved",
            JobState::Rejected => "rejected",
            JobState::Failed => "failed",
        }
    }

    pub fn parse(s: &str) -> Option<JobState> {
        JobState::ALL.into_iter().find(|st| st.as_str() == s)
    }

    /// Whether the state machine allows `self → to`.
    pub fn can_go_to(self, to: JobState) -> bool {
        use JobState::*;
        matches!(
            (self, to),
            (Queued, Translating)
                | (Translating, InReview)
                | (Translating, Failed)
                | (Translating, Queued) // a run stopped (quota, kill) hands the job back
                | (InReview, Approved)
                | (InReview, Rejected)
                | (Failed, Queued)
                | (Rejected, Queued)
        )
    }

    /// Checks a transition, returning the new state.
    pub fn transition(self, to: JobState) -> Result<JobState, TransitionError> {
        if self.can_go_to(to) {
            Ok(to)
        } else {
            Err(TransitionError { from: self, to })
        }
    }

    /// Whether segments of a job in this state may be edited by a translator.
    pub fn is_editable(self) -> bool {
        matches!(self, JobState::InReview)
    }
}

/// How near a job is to its deadline, a date. The one rule for "due", shared by the queue, the feed and
/// the `deadline` webhook event: a job is due from the day before its deadline ([`DUE_WITHIN_DAYS`]),
/// on the day itself, and overdue once the day has passed. Approved and rejected jobs are done and never due.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Due {
    /// The deadline is today or tomorrow.
    Soon,
    /// The deadline has passed.
    Overdue,
}

/// A job is due this many days before its deadline.
pub const DUE_WITHIN_DAYS: u64 = 1;

impl Due {
    /// Whether a job in `state` with `deadline` is due on `today`, and how.
    pub fn of(state: JobState, deadline: Option<chrono::NaiveDate>, today: chrono::NaiveDate) -> Option<Due> {
        let deadline = deadline?;
        if matches!(state, JobState::Approved | JobState::Rejected) {
            None
        } else if deadline < today {
            Some(Due::Overdue)
        } else if deadline <= Due::by(today) {
            Some(Due::Soon)
        } else {
            None
        }
    }

    /// The latest deadline that is due on `today`: jobs with this deadline or an earlier one are due.
    pub fn by(today: chrono::NaiveDate) -> chrono::NaiveDate {
        today.checked_add_days(chrono::Days::new(DUE_WITHIN_DAYS)).unwrap_or(today)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Due::Soon => "soon",
            Due::Overdue => "overdue",
        }
    }
}

impl fmt::Display for JobState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::JobState::*;
    use super::*;

    #[test]
    fn happy_path_is_allowed() {
        let s = Queued.transition(Translating).and_then(|s| s.transition(InReview));
        assert_eq!(s.and_then(|s| s.transition(Approved)), Ok(Approved));
    }

    #[test]
    fn terminal_and_skipping_transitions_are_refused() {
        assert!(Approved.transition(InReview).is_err());
        assert!(Queued.transition(Approved).is_err());
        assert!(InReview.transition(Translating).is_err());
        assert_eq!(Approved.transition(Rejected).unwrap_err().to_string(), "a job cannot go from approved to rejected");
    }

    #[test]
    fn a_job_is_due_the_day_before_its_deadline_and_overdue_after_it() {
        let day = |d| chrono::NaiveDate::from_ymd_opt(2026, 12, d).unwrap();
        let today = day(10);
        assert_eq!(Due::of(InReview, Some(day(12)), today), None);
        assert_eq!(Due::of(InReview, Some(day(11)), today), Some(Due::Soon));
        assert_eq!(Due::of(Queued, Some(day(10)), today), Some(Due::Soon));
        assert_eq!(Due::of(Failed, Some(day(9)), today), Some(Due::Overdue));
        assert_eq!(Due::of(InReview, None, today), None);
        // Done jobs are never due, however late.
        assert_eq!(Due::of(Approved, Some(day(1)), today), None);
        assert_eq!(Due::of(Rejected, Some(day(1)), today), None);
        assert_eq!(Due::by(today), day(11));
    }

    #[test]
    fn names_round_trip() {
        for st in JobState::ALL {
            assert_eq!(JobState::parse(st.as_str()), Some(st));
        }
        assert_eq!(JobState::parse("done"), None);
    }
}
