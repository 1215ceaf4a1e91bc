//! What a reviewer is shown beside a segment besides its findings: the glossary terms of its source
//! with their judgement ([`TermResult`]) and the translation-memory matches looked up when it was
//! translated ([`TmMatch`]). The store keeps both as JSON in these shapes.

use serde::{Deserialize, Serialize};

/// The judgement on one glossary concept of a source segment in its target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TermStatus {
    /// The target holds one of the concept's target terms.
    #[default]
    Ok,
    /// The target names a concept that may stand for this one (an alternative, a title its holder
    /// held on the date, the holder of a title): a correct paraphrase.
    Realised,
    /// It does not name the concept. Weak evidence: the translator may have paraphrased.
    Missing,
    /// It holds a forbidden term of the concept.
    Forbidden,
    /// The concept's name is not valid on the release date (Nur-Sultan in 2023).
    Outdated,
    /// The concept is missing and the target names another concept of its kind (a place, an
    /// organisation) that the source does not: a wrong term.
    Other,
}

impl TermStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            TermStatus::Ok => "ok",
            TermStatus::Realised => "realised",
            TermStatus::Missing => "missing",
            TermStatus::Forbidden => "forbidden",
            TermStatus::Outdated => "outdated",
            TermStatus::Other => "other",
        }
    }
}

/// A glossary term found in a source segment, what it must become, and (once there is a target)
/// how the target renders it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TermResult {
    /// The concept.
    pub id: String,
    /// The form found in the source.
    pub source: String,
    /// The preferred target term.
    pub target: String,
    /// Do not translate: the term stays as it is.
    #[serde(default)]
    pub dnt: bool,
    /// `None` while there is no target text to judge.
    #[serde(default)]
    pub status: Option<TermStatus>,
    /// The form the target gives the term where it names it right (`Ok`), with a hyphenated case
    /// suffix ("ЕҚЫҰ-ға"): what approval compares with the approved text to tell a term the
    /// translator re-inflected. `None` without a target, or for terms written before it was kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub found: Option<String>,
}

/// A translation-memory unit whose source resembles a text, with how much (0–100).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TmMatch {
    pub source: String,
    pub target: String,
    pub score: u8,
}
