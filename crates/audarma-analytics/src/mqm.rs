//! The MQM model audarma's review desk annotates with: MQM Core's typology at the depth a press
//! desk needs, audarma's own `wrong-inflection`, the four severities and the MQM 2.0 scoring
//! model (themqm.org, "Scoring Models").
//!
//! Scoring, for annotations over an evaluated text of *EWC* words:
//!
//! - each annotation costs its severity's weight: Neutral 0, Minor 1, Major 5, Critical 25
//!   (every error type weighs 1);
//! - **APT**, the absolute penalty total, is the sum of the costs;
//! - **per 1,000 words** (MQM's normed penalty total) = APT × 1000 / EWC;
//! - **raw score** = 100 × (1 − APT / EWC): 10 minor errors in 1,000 words give 99. It is not
//!   clamped: more penalty points than words give a negative score;
//! - **pass** when the raw score is at least the threshold and there is no Critical error (any
//!   Critical error fails, whatever the score). The threshold is the implementer's (MQM names
//!   none).
//!
//! Zero evaluated words have no score: the per-1,000 figure and the raw score are `None`, and the
//! evaluation does not pass (nothing was shown to be good enough).

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// MQM Core's top-level error types that audarma uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Category {
    Terminology,
    Accuracy,
    LinguisticConventions,
    Style,
    LocaleConventions,
    /// MQM's "Design and markup": tags, placeholders, links.
    Markup,
}

impl Category {
    pub const ALL: &'static [Category] = &[
        Category::Terminology,
        Category::Accuracy,
        Category::LinguisticConventions,
        Category::Style,
        Category::LocaleConventions,
        Category::Markup,
    ];

    /// The stable name (`linguistic-conventions`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Terminology => "terminology",
            Category::Accuracy => "accuracy",
            Category::LinguisticConventions => "linguistic-conventions",
            Category::Style => "style",
            Category::LocaleConventions => "locale-conventions",
            Category::Markup => "markup",
        }
    }
}

/// An error type a reviewer annotates: a subcategory of a [`Category`] (markup has none of its
/// own). Its stable name is `category/subcategory` in kebab-case (`terminology/wrong-inflection`;
/// `markup` alone), the same in `Display`, `FromStr` and serde.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum ErrorType {
    /// A term that is the wrong one for the concept (a forbidden or outdated name, another
    /// concept's term).
    #[serde(rename = "terminology/wrong-term")]
    WrongTerm,
    /// The term the glossary gives is not used (inconsistent with the termbase or with itself).
    #[serde(rename = "terminology/inconsistent")]
    InconsistentTerm,
    /// audarma's own: the right term in the wrong grammatical form (case, number, possessive —
    /// «Бас хатшысына» where «Бас хатшысымен» is meant).
    #[serde(rename = "terminology/wrong-inflection")]
    WrongInflection,
    #[serde(rename = "accuracy/mistranslation")]
    Mistranslation,
    #[serde(rename = "accuracy/omission")]
    Omission,
    #[serde(rename = "accuracy/addition")]
    Addition,
    /// Text left in the source (or another) language.
    #[serde(rename = "accuracy/untranslated")]
    Untranslated,
    #[serde(rename = "linguistic-conventions/grammar")]
    Grammar,
    /// Spelling, capitals and look-alike letters of another alphabet.
    #[serde(rename = "linguistic-conventions/spelling")]
    Spelling,
    /// Punctuation, quotation marks and typographic spacing.
    #[serde(rename = "linguistic-conventions/punctuation")]
    Punctuation,
    #[serde(rename = "style/register")]
    Register,
    #[serde(rename = "style/awkward")]
    Awkward,
    /// A number written against the target locale's conventions (`1,500.5` in Russian).
    #[serde(rename = "locale-conventions/numbers")]
    NumberFormat,
    #[serde(rename = "locale-conventions/dates")]
    DateFormat,
    #[serde(rename = "locale-conventions/addresses")]
    AddressFormat,
    /// Tags, placeholders, URLs and other markup lost, added or broken.
    #[serde(rename = "markup")]
    Markup,
}

impl ErrorType {
    pub const ALL: &'static [ErrorType] = &[
        ErrorType::WrongTerm,
        ErrorType::InconsistentTerm,
        ErrorType::WrongInflection,
        ErrorType::Mistranslation,
        ErrorType::Omission,
        ErrorType::Addition,
        ErrorType::Untranslated,
        ErrorType::Grammar,
        ErrorType::Spelling,
        ErrorType::Punctuation,
        ErrorType::Register,
        ErrorType::Awkward,
        ErrorType::NumberFormat,
        ErrorType::DateFormat,
        ErrorType::AddressFormat,
        ErrorType::Markup,
    ];

    /// The stable name (`terminology/wrong-inflection`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorType::WrongTerm => "terminology/wrong-term",
            ErrorType::InconsistentTerm => "terminology/inconsistent",
            ErrorType::WrongInflection => "terminology/wrong-inflection",
            ErrorType::Mistranslation => "accuracy/mistranslation",
            ErrorType::Omission => "accuracy/omission",
            ErrorType::Addition => "accuracy/addition",
            ErrorType::Untranslated => "accuracy/untranslated",
            ErrorType::Grammar => "linguistic-conventions/grammar",
            ErrorType::Spelling => "linguistic-conventions/spelling",
            ErrorType::Punctuation => "linguistic-conventions/punctuation",
            ErrorType::Register => "style/register",
            ErrorType::Awkward => "style/awkward",
            ErrorType::NumberFormat => "locale-conventions/numbers",
            ErrorType::DateFormat => "locale-conventions/dates",
            ErrorType::AddressFormat => "locale-conventions/addresses",
            ErrorType::Markup => "markup",
        }
    }

    /// The category it belongs to.
    pub fn category(self) -> Category {
        match self {
            ErrorType::WrongTerm | ErrorType::InconsistentTerm | ErrorType::WrongInflection => Category::Terminology,
            ErrorType::Mistranslation | ErrorType::Omission | ErrorType::Addition | ErrorType::Untranslated => {
                Category::Accuracy
            }
            ErrorType::Grammar | ErrorType::Spelling | ErrorType::Punctuation => Category::LinguisticConventions,
            ErrorType::Register | ErrorType::Awkward => Category::Style,
            ErrorType::NumberFormat | ErrorType::DateFormat | ErrorType::AddressFormat => Category::LocaleConventions,
            ErrorType::Markup => Category::Markup,
        }
    }
}

/// MQM severities, each with its penalty weight.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Noted, not an error (a preference): weighs nothing.
    Neutral,
    Minor,
    Major,
    /// Fails the evaluation on its own.
    Critical,
}

impl Severity {
    pub const ALL: &'static [Severity] = &[Severity::Neutral, Severity::Minor, Severity::Major, Severity::Critical];

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Neutral => "neutral",
            Severity::Minor => "minor",
            Severity::Major => "major",
            Severity::Critical => "critical",
        }
    }

    /// The penalty points: 0, 1, 5, 25.
    pub fn weight(self) -> u64 {
        match self {
            Severity::Neutral => 0,
            Severity::Minor => 1,
            Severity::Major => 5,
            Severity::Critical => 25,
        }
    }
}

macro_rules! named {
    ($t:ty, $what:literal) => {
        impl fmt::Display for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $t {
            type Err = ParseError;
            fn from_str(s: &str) -> Result<Self, ParseError> {
                <$t>::ALL.iter().copied().find(|x| x.as_str() == s).ok_or_else(|| ParseError {
                    what: $what,
                    name: s.to_string(),
                    known: <$t>::ALL.iter().map(|x| x.as_str()).collect::<Vec<_>>().join(", "),
                })
            }
        }
    };
}

named!(Category, "MQM category");
named!(ErrorType, "MQM error type");
named!(Severity, "MQM severity");

/// A name that is not a category, error type or severity; the message lists those there are.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {what} {name:?} (known: {known})")]
pub struct ParseError {
    pub what: &'static str,
    pub name: String,
    pub known: String,
}

/// One error a reviewer marked: its type and severity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Annotation {
    pub error_type: ErrorType,
    pub severity: Severity,
}

impl Annotation {
    pub fn new(error_type: ErrorType, severity: Severity) -> Self {
        Annotation { error_type, severity }
    }
}

/// How many annotations of each severity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SeverityCounts {
    pub neutral: u64,
    pub minor: u64,
    pub major: u64,
    pub critical: u64,
}

/// The MQM score of an evaluated text (see the module documentation for the formulas).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Score {
    /// The evaluated word count (EWC).
    pub words: u64,
    /// The absolute penalty total (APT): the sum of the annotations' weights.
    pub penalty_total: u64,
    /// APT per 1,000 evaluated words; `None` for 0 words.
    pub per_thousand_words: Option<f64>,
    /// 100 × (1 − APT / words), unclamped; `None` for 0 words.
    pub raw_score: Option<f64>,
    /// The pass threshold the score was held to.
    pub threshold: f64,
    pub counts: SeverityCounts,
    /// The raw score is at least the threshold and there is no Critical error (never for 0 words).
    pub pass: bool,
}

/// Score `annotations` on a text of `words` evaluated words against the pass `threshold`
/// (on the raw score's 0–100 scale).
pub fn score<'a>(annotations: impl IntoIterator<Item = &'a Annotation>, words: u64, threshold: f64) -> Score {
    let mut counts = SeverityCounts::default();
    let mut penalty_total = 0;
    for a in annotations {
        penalty_total += a.severity.weight();
        match a.severity {
            Severity::Neutral => counts.neutral += 1,
            Severity::Minor => counts.minor += 1,
            Severity::Major => counts.major += 1,
            Severity::Critical => counts.critical += 1,
        }
    }
    let (per_thousand_words, raw_score) = if words == 0 {
        (None, None)
    } else {
        let per_word = penalty_total as f64 / words as f64;
        (Some(per_word * 1000.0), Some(100.0 * (1.0 - per_word)))
    };
    let pass = counts.critical == 0 && raw_score.is_some_and(|r| r >= threshold);
    Score { words, penalty_total, per_thousand_words, raw_score, threshold, counts, pass }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_through_display_parse_and_serde() {
        for t in ErrorType::ALL {
            assert_eq!(t.to_string().parse::<ErrorType>().unwrap(), *t);
            assert_eq!(serde_json::to_value(t).unwrap(), t.as_str(), "serde name of {t:?}");
            assert_eq!(serde_json::from_value::<ErrorType>(t.as_str().into()).unwrap(), *t);
            let (category, sub) = t.as_str().split_once('/').unwrap_or((t.as_str(), ""));
            assert_eq!(category, t.category().as_str(), "{t:?}");
            for part in [category, sub] {
                assert!(part.chars().all(|c| c.is_ascii_lowercase() || c == '-'), "not kebab-case: {t}");
            }
        }
        for c in Category::ALL {
            assert_eq!(c.to_string().parse::<Category>().unwrap(), *c);
            assert_eq!(serde_json::to_value(c).unwrap(), c.as_str());
            assert!(ErrorType::ALL.iter().any(|t| t.category() == *c), "{c} has no error type");
        }
        for s in Severity::ALL {
            assert_eq!(s.to_string().parse::<Severity>().unwrap(), *s);
            assert_eq!(serde_json::to_value(s).unwrap(), s.as_str());
        }
        assert_eq!(ErrorType::ALL.len(), 16);
        assert_eq!("terminology/wrong-inflection".parse::<ErrorType>().unwrap(), ErrorType::WrongInflection);
        let e = "terminology/wrong-infection".parse::<ErrorType>().unwrap_err().to_string();
        assert!(e.starts_with("unknown MQM error type \"terminology/wrong-infection\" (known: terminology/wrong-term,"));
        assert!("Major".parse::<Severity>().is_err());
        assert!(serde_json::from_str::<ErrorType>("\"wrong-term\"").is_err());
    }

    #[test]
    fn weights_are_mqm_core() {
        let w: Vec<u64> = Severity::ALL.iter().map(|s| s.weight()).collect();
        assert_eq!(w, [0, 1, 5, 25]);
    }

    #[test]
    fn ten_minor_errors_in_a_thousand_words_score_99() {
        let a = vec![Annotation::new(ErrorType::Spelling, Severity::Minor); 10];
        let s = score(&a, 1000, 95.0);
        assert_eq!((s.penalty_total, s.per_thousand_words, s.raw_score), (10, Some(10.0), Some(99.0)));
        assert_eq!(s.counts, SeverityCounts { minor: 10, ..SeverityCounts::default() });
        assert!(s.pass);
    }

    #[test]
    fn penalties_add_up_by_weight() {
        let a = [
            Annotation::new(ErrorType::WrongTerm, Severity::Major),
            Annotation::new(ErrorType::WrongInflection, Severity::Minor),
            Annotation::new(ErrorType::Awkward, Severity::Neutral),
            Annotation::new(ErrorType::Omission, Severity::Major),
        ];
        let s = score(&a, 200, 95.0);
        assert_eq!(s.penalty_total, 11);
        assert_eq!(s.per_thousand_words, Some(55.0));
        assert_eq!(s.raw_score, Some(94.5));
        assert!(!s.pass, "94.5 is below 95");
        assert!(score(&a, 200, 94.5).pass, "the threshold itself passes");
        assert_eq!(s.counts, SeverityCounts { neutral: 1, minor: 1, major: 2, critical: 0 });
    }

    #[test]
    fn a_critical_error_fails_whatever_the_score() {
        let a = [Annotation::new(ErrorType::Mistranslation, Severity::Critical)];
        let s = score(&a, 100_000, 90.0);
        assert!(s.raw_score.is_some_and(|r| (r - 99.975).abs() < 1e-9), "{s:?}");
        assert!(!s.pass);
        assert!(score(&[], 100_000, 90.0).pass);
    }

    #[test]
    fn zero_words_have_no_score_and_do_not_pass() {
        let s = score(&[], 0, 0.0);
        assert_eq!((s.penalty_total, s.per_thousand_words, s.raw_score, s.pass), (0, None, None, false));
        let a = [Annotation::new(ErrorType::Omission, Severity::Major)];
        let s = score(&a, 0, 0.0);
        assert_eq!((s.penalty_total, s.raw_score, s.pass), (5, None, false));
    }

    #[test]
    fn more_penalty_than_words_goes_below_zero() {
        let a = [Annotation::new(ErrorType::Untranslated, Severity::Major); 3];
        assert_eq!(score(&a, 10, 0.0).raw_score, Some(-50.0));
    }

    #[test]
    fn score_serializes_every_figure() {
        let a = [Annotation::new(ErrorType::WrongInflection, Severity::Minor)];
        let json = serde_json::to_value(score(&a, 50, 95.0)).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "words": 50, "penalty_total": 1, "per_thousand_words": 20.0, "raw_score": 98.0,
                "threshold": 95.0, "counts": {"neutral": 0, "minor": 1, "major": 0, "critical": 0}, "pass": true
            })
        );
        let back: Score = serde_json::from_value(json).unwrap();
        assert_eq!(back, score(&a, 50, 95.0));
        assert_eq!(
            serde_json::to_string(&a[0]).unwrap(),
            r#"{"error_type":"terminology/wrong-inflection","severity":"minor"}"#
        );
    }
}
