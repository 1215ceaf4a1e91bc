//! A QA finding as an MQM annotation, so a reviewer can accept a finding in one click (and change
//! the preset before saving, when the finding's evidence cannot know better).
//!
//! **Error type.** The finding's evidence rule decides where there is one ([`RULES`]); otherwise
//! its check ([`check_error_type`]):
//!
//! | check | error type | why |
//! | --- | --- | --- |
//! | `empty` | accuracy/omission | the whole segment is missing |
//! | `terminology` | by rule, below; terminology/wrong-term without one | |
//! | `numbers` | accuracy/mistranslation | numbers are compared by value, whatever their format: a finding is a number that differs, is lost or is new (an addition a reviewer re-types) |
//! | `dates` | accuracy/mistranslation | likewise by day, month and year |
//! | `untranslated` | accuracy/untranslated | |
//! | `wrong-language` | accuracy/untranslated | text in a language other than the target's is text not translated into it |
//! | `mixed-script` | linguistic-conventions/spelling | a look-alike letter of another alphabet is a misspelt word |
//! | `quotes` | linguistic-conventions/punctuation | |
//! | `punctuation` | linguistic-conventions/punctuation | |
//! | `whitespace` | linguistic-conventions/punctuation | typographic spacing (MQM 1's typography, folded into punctuation) |
//! | `repeated-word` | linguistic-conventions/grammar | |
//! | `length` | accuracy/omission | the check asks "is something missing or added?": omission is the usual answer; a reviewer switches a longer target to addition |
//! | `urls` | markup | links |
//! | `placeholders` | markup | tags |
//! | `spelling` | linguistic-conventions/spelling | |
//! | `capitalization` | linguistic-conventions/spelling | MQM counts capitals as spelling |
//!
//! Terminology rules ([`RULES`]): a forbidden form, an outdated name or another concept's term is
//! **wrong-term**; a glossary term not found (`missing-term`, `missing-verbatim`,
//! `missing-ambiguous`) is **inconsistent** (the termbase's term is not the one used); the
//! source's own outdated name kept (`outdated-in-source`) is wrong-term. **wrong-inflection** is
//! chosen only when the evidence says so, by the rule `wrong-inflection`: the glossary matcher
//! accepts every inflection of a term, so no QA rule sees a wrong case today, and a forbidden
//! form is a different name (Alma-Ata, Kustanay, Turkmenia), never the right term inflected — a
//! string likeness of found and expected forms would take those for inflections.
//!
//! **Severity.** From the finding's severity, which already weighs how certain its evidence is
//! (the glossary's grades, the workflow's overrides): error → Major, warning → Minor, info →
//! Minor (a note accepted as an error is a small one). Never Neutral, never Critical: whether
//! an error is critical (harmful, misleading, unusable) is the reviewer's call.

use crate::mqm::{Annotation, ErrorType, Severity};
use audarma_core::{Check, Finding, Severity as QaSeverity};

/// One evidence rule a QA check gives, and the error type a finding with it becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RulePreset {
    pub rule: &'static str,
    /// The check whose findings carry the rule.
    pub check: Check,
    pub error_type: ErrorType,
}

const fn rule(rule: &'static str, check: Check, error_type: ErrorType) -> RulePreset {
    RulePreset { rule, check, error_type }
}

/// Every evidence rule a finding can carry (`Evidence.rule`), with its error type. A test reads
/// the workspace's sources and fails when a rule is raised that is not here.
pub const RULES: &[RulePreset] = &[
    // Terminology: `TermCheck::grade` in audarma-glossary.
    rule("forbidden-form", Check::Terminology, ErrorType::WrongTerm),
    rule("outdated-name", Check::Terminology, ErrorType::WrongTerm),
    rule("outdated-in-source", Check::Terminology, ErrorType::WrongTerm),
    rule("other-concept", Check::Terminology, ErrorType::WrongTerm),
    rule("missing-term", Check::Terminology, ErrorType::InconsistentTerm),
    rule("missing-verbatim", Check::Terminology, ErrorType::InconsistentTerm),
    rule("missing-ambiguous", Check::Terminology, ErrorType::InconsistentTerm),
    rule("wrong-inflection", Check::Terminology, ErrorType::WrongInflection),
    // audarma-qa's checks.
    rule("final-mark-lost", Check::Punctuation, ErrorType::Punctuation),
    rule("glossary-capitals", Check::Capitalization, ErrorType::Spelling),
    rule("near-miss", Check::Spelling, ErrorType::Spelling),
    rule("not-in-dictionary", Check::Spelling, ErrorType::Spelling),
];

/// The error type of a finding of `check` that carries no (known) rule.
pub fn check_error_type(check: Check) -> ErrorType {
    match check {
        Check::Empty => ErrorType::Omission,
        Check::Terminology => ErrorType::WrongTerm,
        Check::Numbers | Check::Dates => ErrorType::Mistranslation,
        Check::Untranslated | Check::WrongLanguage => ErrorType::Untranslated,
        Check::MixedScript | Check::Spelling | Check::Capitalization => ErrorType::Spelling,
        Check::Quotes | Check::Punctuation | Check::Whitespace => ErrorType::Punctuation,
        Check::RepeatedWord => ErrorType::Grammar,
        Check::Length => ErrorType::Omission,
        Check::Urls | Check::Placeholders => ErrorType::Markup,
    }
}

/// The error type of a finding of `check` with the evidence rule `rule`: the rule's when
/// [`RULES`] has it for that check, else the check's.
pub fn error_type(check: Check, rule: Option<&str>) -> ErrorType {
    rule.and_then(|r| RULES.iter().find(|p| p.rule == r && p.check == check))
        .map_or_else(|| check_error_type(check), |p| p.error_type)
}

/// The MQM severity a finding of `severity` is accepted at.
pub fn severity(severity: QaSeverity) -> Severity {
    match severity {
        QaSeverity::Error => Severity::Major,
        QaSeverity::Warning | QaSeverity::Info => Severity::Minor,
    }
}

/// The annotation a reviewer gets when accepting `finding`.
pub fn preset(finding: &Finding) -> Annotation {
    let rule = finding.evidence.as_ref().map(|e| e.rule.as_ref());
    Annotation::new(error_type(finding.check, rule), severity(finding.severity))
}

#[cfg(test)]
mod tests {
    use super::*;
    use audarma_core::Evidence;
    use std::collections::BTreeSet;
    use std::path::{Path, PathBuf};

    fn finding(check: Check, severity: QaSeverity, rule: Option<&'static str>) -> Finding {
        let f = Finding::new(check, severity, String::new());
        match rule {
            Some(r) => f.because(Evidence::rule(r)),
            None => f,
        }
    }

    #[test]
    fn terminology_findings_become_wrong_term_inconsistent_or_wrong_inflection() {
        let cases = [
            ("forbidden-form", QaSeverity::Error, ErrorType::WrongTerm, Severity::Major),
            ("outdated-name", QaSeverity::Error, ErrorType::WrongTerm, Severity::Major),
            ("other-concept", QaSeverity::Error, ErrorType::WrongTerm, Severity::Major),
            ("outdated-in-source", QaSeverity::Warning, ErrorType::WrongTerm, Severity::Minor),
            ("missing-term", QaSeverity::Warning, ErrorType::InconsistentTerm, Severity::Minor),
            ("missing-verbatim", QaSeverity::Error, ErrorType::InconsistentTerm, Severity::Major),
            ("missing-ambiguous", QaSeverity::Info, ErrorType::InconsistentTerm, Severity::Minor),
            ("wrong-inflection", QaSeverity::Warning, ErrorType::WrongInflection, Severity::Minor),
        ];
        for (rule, qa, t, s) in cases {
            assert_eq!(preset(&finding(Check::Terminology, qa, Some(rule))), Annotation::new(t, s), "{rule}");
        }
        // Found and expected forms alike do not make a forbidden form an inflection.
        let f = Finding::new(Check::Terminology, QaSeverity::Error, String::new()).because(Evidence {
            found: Some("Туркмения".into()),
            expected: Some("Туркменистан".into()),
            ..Evidence::rule("forbidden-form")
        });
        assert_eq!(preset(&f).error_type, ErrorType::WrongTerm);
        assert_eq!(preset(&finding(Check::Terminology, QaSeverity::Error, None)).error_type, ErrorType::WrongTerm);
    }

    #[test]
    fn every_check_has_a_preset_in_its_category() {
        use crate::mqm::Category;
        let expected = [
            (Check::Empty, Category::Accuracy),
            (Check::Terminology, Category::Terminology),
            (Check::Numbers, Category::Accuracy),
            (Check::Dates, Category::Accuracy),
            (Check::Untranslated, Category::Accuracy),
            (Check::WrongLanguage, Category::Accuracy),
            (Check::MixedScript, Category::LinguisticConventions),
            (Check::Quotes, Category::LinguisticConventions),
            (Check::Punctuation, Category::LinguisticConventions),
            (Check::Whitespace, Category::LinguisticConventions),
            (Check::RepeatedWord, Category::LinguisticConventions),
            (Check::Length, Category::Accuracy),
            (Check::Urls, Category::Markup),
            (Check::Placeholders, Category::Markup),
            (Check::Spelling, Category::LinguisticConventions),
            (Check::Capitalization, Category::LinguisticConventions),
        ];
        assert_eq!(expected.len(), Check::ALL.len());
        for (check, category) in expected {
            assert_eq!(check_error_type(check).category(), category, "{check}");
        }
        assert_eq!(
            preset(&finding(Check::Whitespace, QaSeverity::Info, None)),
            Annotation::new(ErrorType::Punctuation, Severity::Minor)
        );
        assert_eq!(
            preset(&finding(Check::Placeholders, QaSeverity::Error, None)),
            Annotation::new(ErrorType::Markup, Severity::Major)
        );
    }

    #[test]
    fn a_rule_counts_only_with_its_own_check() {
        assert_eq!(error_type(Check::Spelling, Some("near-miss")), ErrorType::Spelling);
        assert_eq!(error_type(Check::Capitalization, Some("glossary-capitals")), ErrorType::Spelling);
        // A rule of another check, or one this crate does not know, leaves the check's preset.
        assert_eq!(error_type(Check::Numbers, Some("forbidden-form")), ErrorType::Mistranslation);
        assert_eq!(error_type(Check::Terminology, Some("no-such-rule")), ErrorType::WrongTerm);
        let rules: BTreeSet<&str> = RULES.iter().map(|p| p.rule).collect();
        assert_eq!(rules.len(), RULES.len(), "a rule is listed twice");
    }

    /// The workspace's crates, from this crate's directory.
    fn crates_dir() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
    }

    fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else { return };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                rust_files(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }

    /// The string literal at the start of `s` (after spaces), if there is one of plain characters.
    fn literal_at(s: &str) -> Option<&str> {
        let s = s.trim_start().strip_prefix('"')?;
        let end = s.find('"')?;
        Some(&s[..end]).filter(|l| !l.contains('\\'))
    }

    /// The string literals of `body` written as `"…"` right after one of `openers`.
    fn literals_after(body: &str, openers: &[&str], out: &mut BTreeSet<String>) {
        for opener in openers {
            let mut from = 0;
            while let Some(i) = body[from..].find(opener) {
                let at = from + i + opener.len();
                if let Some(l) = literal_at(&body[at..]) {
                    out.insert(l.to_string());
                }
                from = at;
            }
        }
    }

    /// The text of `src` from `start` to the brace that closes the first block after it.
    fn block_from<'a>(src: &'a str, start: &str) -> &'a str {
        let begin = src.find(start).unwrap_or_else(|| panic!("`{start}` not found: update this test"));
        let open = begin + src[begin..].find('{').expect("a block");
        let mut depth = 0;
        for (i, c) in src[open..].char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        return &src[begin..open + i];
                    }
                }
                _ => {}
            }
        }
        panic!("unbalanced braces after `{start}`")
    }

    /// A place where a rule is given as something other than a string literal, and where this test
    /// reads the rules that can arrive there.
    struct Indirect {
        /// The file (under `crates/`) that sets the rule.
        file: &'static str,
        /// The code that gives the rule (after `Evidence::rule(` or `rule:`).
        code: &'static str,
        /// The file holding the rules' literals, the start of the block holding them, and the text
        /// before each literal in that block; `None` where no rule comes from (the constructor).
        producer: Option<(&'static str, &'static str, &'static str)>,
    }

    const INDIRECT: &[Indirect] = &[
        // `Evidence::rule` itself.
        Indirect { file: "audarma-core/src/finding.rs", code: "Cow::Borrowed(rule)", producer: None },
        // The terminology check passes on `TermCheck::grade`'s rule.
        Indirect {
            file: "audarma-qa/src/checks/terminology.rs",
            code: "rule.into()",
            producer: Some(("audarma-glossary/src/matcher.rs", "pub fn grade(&self)", "=> (")),
        },
        // Spelling: a near miss or a word not in the dictionary.
        Indirect {
            file: "audarma-qa/src/spell.rs",
            code: "rule)",
            producer: Some(("audarma-qa/src/spell.rs", "let (severity, message, rule) = match", "), ")),
        },
    ];

    /// Every evidence rule the workspace's sources raise: `Evidence::rule("…")` and `rule: "…"` in an
    /// `Evidence { … }` literal, plus the rules of the producers in [`INDIRECT`]. A rule given in any
    /// other way fails here until this test learns to read it.
    fn raised_rules() -> BTreeSet<String> {
        let root = crates_dir();
        let mut files = Vec::new();
        let mut crates: Vec<PathBuf> = std::fs::read_dir(&root).unwrap().flatten().map(|e| e.path()).collect();
        crates.sort();
        for krate in crates {
            // This crate's own tests name rules that are not raised anywhere.
            if krate.file_name().is_some_and(|n| n == env!("CARGO_PKG_NAME")) {
                continue;
            }
            rust_files(&krate.join("src"), &mut files);
        }
        assert!(files.len() > 100, "found only {} source files under {}", files.len(), root.display());
        let mut rules = BTreeSet::new();
        let mut indirect_seen = BTreeSet::new();
        for file in files {
            let src = std::fs::read_to_string(&file).unwrap();
            if !src.contains("Evidence") {
                continue;
            }
            let rel = file.strip_prefix(&root).unwrap().to_string_lossy().replace('\\', "/");
            let mut sites: Vec<&str> = Vec::new();
            for (i, _) in src.match_indices("Evidence::rule(") {
                sites.push(&src[i + "Evidence::rule(".len()..]);
            }
            for (i, _) in src.match_indices("Evidence {") {
                // The type's own definition and impls set no rule.
                if ["struct ", "impl ", "for "].iter().any(|k| src[..i].ends_with(k)) {
                    continue;
                }
                let body = block_from(&src[i..], "Evidence {");
                if let Some(r) = body.find("rule:") {
                    sites.push(&src[i + r + "rule:".len()..]);
                }
            }
            for site in sites {
                if let Some(l) = literal_at(site) {
                    rules.insert(l.to_string());
                    continue;
                }
                let code = site.trim_start();
                let Some(known) = INDIRECT.iter().find(|d| d.file == rel && code.starts_with(d.code)) else {
                    let shown: String = code.chars().take_while(|&c| c != '\n').collect();
                    panic!("{rel}: an evidence rule set by `{shown}`: teach this test where its values come from")
                };
                indirect_seen.insert(known.file);
                let Some((producer, block, opener)) = known.producer else { continue };
                let producer = std::fs::read_to_string(root.join(producer)).unwrap();
                let mut found = BTreeSet::new();
                literals_after(block_from(&producer, block), &[opener], &mut found);
                assert!(!found.is_empty(), "{}: no rule read after `{block}`: update this test", known.file);
                rules.extend(found);
            }
        }
        for d in INDIRECT {
            assert!(
                indirect_seen.contains(d.file),
                "{} no longer sets a rule by `{}`: update INDIRECT",
                d.file,
                d.code
            );
        }
        rules
    }

    #[test]
    fn every_rule_raised_in_the_workspace_has_a_preset() {
        let raised = raised_rules();
        // The rules known when this test was written; more may come, none may go unmapped.
        for r in [
            "forbidden-form",
            "outdated-name",
            "outdated-in-source",
            "other-concept",
            "missing-term",
            "missing-verbatim",
            "missing-ambiguous",
            "final-mark-lost",
            "glossary-capitals",
            "near-miss",
            "not-in-dictionary",
        ] {
            assert!(
                raised.contains(r),
                "the scan missed {r} (or it is no longer raised: update this list): {raised:?}"
            );
        }
        let unmapped: Vec<&String> = raised.iter().filter(|r| !RULES.iter().any(|p| p.rule == r.as_str())).collect();
        assert!(unmapped.is_empty(), "evidence rules without an MQM preset (add them to RULES): {unmapped:?}");
    }
}
