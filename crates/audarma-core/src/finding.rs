//! What a quality check says about a segment: its [`Check`], [`Severity`], message, place in the
//! target and [`Evidence`]. `audarma-qa` raises findings, the store keeps them (as JSON, in this
//! shape), the desk and the CLI show them; all three read this one type.

use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::fmt;

/// The quality checks, by their stable names (the names in workflow files, the store, the API and
/// metrics).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Check {
    Empty,
    Terminology,
    Numbers,
    Dates,
    Untranslated,
    WrongLanguage,
    MixedScript,
    Quotes,
    Punctuation,
    Whitespace,
    RepeatedWord,
    Length,
    Urls,
    Placeholders,
    Spelling,
    Capitalization,
}

impl Check {
    /// Every check, in the order they run.
    pub const ALL: &'static [Check] = &[
        Check::Empty,
        Check::Terminology,
        Check::Numbers,
        Check::Dates,
        Check::Untranslated,
        Check::WrongLanguage,
        Check::MixedScript,
        Check::Quotes,
        Check::Punctuation,
        Check::Whitespace,
        Check::RepeatedWord,
        Check::Length,
        Check::Urls,
        Check::Placeholders,
        Check::Spelling,
        Check::Capitalization,
    ];

    /// The stable name (`wrong-language`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            Check::Empty => "empty",
            Check::Terminology => "terminology",
            Check::Numbers => "numbers",
            Check::Dates => "dates",
            Check::Untranslated => "untranslated",
            Check::WrongLanguage => "wrong-language",
            Check::MixedScript => "mixed-script",
            Check::Quotes => "quotes",
            Check::Punctuation => "punctuation",
            Check::Whitespace => "whitespace",
            Check::RepeatedWord => "repeated-word",
            Check::Length => "length",
            Check::Urls => "urls",
            Check::Placeholders => "placeholders",
            Check::Spelling => "spelling",
            Check::Capitalization => "capitalization",
        }
    }
}

/// A check equals its stable name (`Check::WrongLanguage == "wrong-language"`), as written in
/// workflow files, annotated corpora and API bodies.
impl PartialEq<str> for Check {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Check {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for Check {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other
    }
}

impl fmt::Display for Check {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A name that is not a check; the message lists the checks there are.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown check {0:?} (checks: {names})", names = Check::ALL.iter().map(|c| c.as_str()).collect::<Vec<_>>().join(", "))]
pub struct ParseCheckError(pub String);

impl std::str::FromStr for Check {
    type Err = ParseCheckError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Check::ALL.iter().copied().find(|c| c.as_str() == s).ok_or_else(|| ParseCheckError(s.to_string()))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A name that is not a severity.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown severity {0:?} (info, warning, error)")]
pub struct ParseSeverityError(pub String);

impl std::str::FromStr for Severity {
    type Err = ParseSeverityError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "info" => Ok(Severity::Info),
            "warning" => Ok(Severity::Warning),
            "error" => Ok(Severity::Error),
            _ => Err(ParseSeverityError(s.to_string())),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub check: Check,
    pub severity: Severity,
    pub message: String,
    /// Character offsets in the target, where the finding has a place.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<usize>,
    /// Why: the rule, and the concept and forms behind the finding.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<Evidence>,
}

impl Finding {
    pub fn new(check: Check, severity: Severity, message: String) -> Self {
        Finding { check, severity, message, start: None, end: None, evidence: None }
    }

    /// With its evidence.
    pub fn because(mut self, evidence: Evidence) -> Self {
        self.evidence = Some(evidence);
        self
    }

    /// Placed at the byte span `byte_start..byte_end` of `text` (stored as character offsets).
    pub fn at(mut self, text: &str, byte_start: usize, byte_end: usize) -> Self {
        self.start = Some(text[..byte_start].chars().count());
        self.end = Some(text[..byte_end].chars().count());
        self
    }
}

/// What a finding rests on: the rule that raised it at its severity, and where there is one the
/// glossary concept, the form found in the target and the form expected.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Evidence {
    /// A stable name: `forbidden-form`, `outdated-name`, `other-concept`, `missing-term`,
    /// `missing-verbatim`, `missing-ambiguous`, `glossary-capitals`, `not-in-dictionary`, …
    pub rule: Cow<'static, str>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub concept: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub found: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected: Option<String>,
    /// The other concept involved (the one named instead).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub via: Option<String>,
}

impl Evidence {
    pub fn rule(rule: &'static str) -> Self {
        Evidence { rule: Cow::Borrowed(rule), ..Evidence::default() }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn check_names_are_stable_and_round_trip() {
        for c in Check::ALL {
            assert_eq!(serde_json::to_value(c).unwrap(), c.as_str());
            assert_eq!(c.as_str().parse::<Check>().unwrap(), *c);
        }
        assert_eq!(Check::ALL.len(), 16);
        let e = "spellling".parse::<Check>().unwrap_err().to_string();
        assert!(e.starts_with("unknown check \"spellling\" (checks: empty, terminology,"), "{e}");
    }

    #[test]
    fn a_stored_finding_reads_back_as_it_was_written() {
        let f = Finding::new(Check::Terminology, Severity::Error, "“x” is forbidden".into())
            .because(Evidence { concept: Some("osce".into()), ..Evidence::rule("forbidden-form") })
            .at("ab x", 3, 4);
        let json = serde_json::to_string(&f).unwrap();
        assert_eq!(
            json,
            r#"{"check":"terminology","severity":"error","message":"“x” is forbidden","start":3,"end":4,"evidence":{"rule":"forbidden-form","concept":"osce"}}"#
        );
        assert_eq!(serde_json::from_str::<Finding>(&json).unwrap(), f);
        assert!(serde_json::from_str::<Finding>(r#"{"check":"nope","severity":"error","message":""}"#).is_err());
    }
}
