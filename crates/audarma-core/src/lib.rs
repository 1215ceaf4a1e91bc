//! Domain types of audarma. This crate does no I/O.
//!
//! - [`Lang`]: the three languages of a Kazakh government press office.
//! - [`Release`] and [`Paragraph`]: a press release as ingested, before it is stored.
//! - [`JobState`]: the state machine of one translation job (one release into one target language);
//!   [`Due`]: how near a job is to its deadline.
//! - [`SuggestionOrigin`]: where a machine suggestion for a target segment came from.
//! - [`Finding`] (with [`Check`], [`Severity`], [`Evidence`]), [`TermResult`] and [`TmMatch`]: what
//!   the checks say about a segment, as the store keeps it and the desk and CLI read it.
//! - [`Role`]: what a desk user may do.

mod finding;
mod job;
mod lang;
mod release;
mod review;
mod role;

pub use finding::{Check, Evidence, Finding, ParseCheckError, ParseSeverityError, Severity};
pub use job::{Due, JobState, TransitionError, DUE_WITHIN_DAYS};
pub use lang::{Lang, ParseLangError};
pub use release::{content_hash, Paragraph, Release};
pub use review::{TermResult, TermStatus, TmMatch};
pub use role::{ParseRoleError, Role};

/// Where the text offered to the translator for a target segment came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SuggestionOrigin {
    /// An exact translation-memory match.
    Memory,
    /// A fuzzy translation-memory match the translator chose to start from instead of the
    /// suggestion (the desk's "use this match"). Never a suggestion's own origin.
    Fuzzy,
    /// A machine-translation backend (its name is stored beside it).
    Machine,
    /// The deterministic pseudo-translation used for testing pipelines and UIs.
    Pseudo,
    /// The source segment kept as it is: it is already in the target language (a quotation).
    Source,
    /// No suggestion: the translator starts from an empty target.
    None,
}

impl SuggestionOrigin {
    pub fn as_str(self) -> &'static str {
        match self {
            SuggestionOrigin::Memory => "memory",
            SuggestionOrigin::Fuzzy => "fuzzy",
            SuggestionOrigin::Machine => "machine",
            SuggestionOrigin::Pseudo => "pseudo",
            SuggestionOrigin::Source => "source",
            SuggestionOrigin::None => "none",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "memory" => SuggestionOrigin::Memory,
            "fuzzy" => SuggestionOrigin::Fuzzy,
            "machine" => SuggestionOrigin::Machine,
            "pseudo" => SuggestionOrigin::Pseudo,
            "source" => SuggestionOrigin::Source,
            "none" => SuggestionOrigin::None,
            _ => return None,
        })
    }
}
