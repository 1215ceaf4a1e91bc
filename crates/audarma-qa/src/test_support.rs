//! Helpers shared by the unit tests of the checks.

use crate::{check, Segment, Severity};
use audarma_core::Lang;

/// The checks and severities of the findings on an English → Russian pair.
pub(crate) fn run(source: &str, target: &str) -> Vec<(&'static str, Severity)> {
    run_pair(source, target, Lang::En, Lang::Ru)
}

/// The checks and severities of the findings on a pair, with no terminology.
pub(crate) fn run_pair(source: &str, target: &str, from: Lang, to: Lang) -> Vec<(&'static str, Severity)> {
    check(&segment(source, target, from, to)).into_iter().map(|f| (f.check.as_str(), f.severity)).collect()
}

/// A segment with no terminology judgements and no glossary terms found.
pub(crate) fn segment<'a>(source: &'a str, target: &'a str, from: Lang, to: Lang) -> Segment<'a> {
    Segment { source, target, source_lang: from, target_lang: to, terms: &[], found: &[] }
}

/// Whether `name` reported a warning or an error.
pub(crate) fn has(found: &[(&'static str, Severity)], name: &str) -> bool {
    found.iter().any(|(c, s)| *c == name && *s >= Severity::Warning)
}
