//! The `terminology` check: turns the glossary's judgements of the segment
//! ([`audarma_glossary::verify`], passed in [`crate::Segment::terms`]) into findings: a term
//! missing, forbidden, outdated or naming another concept, graded by the glossary's rules.

use super::Input;
use crate::tokens::fits;
use crate::{Check, Evidence, Finding, Severity};
use audarma_glossary::{Grade, TermStatus};

pub(super) fn run(input: &Input<'_>, out: &mut Vec<Finding>) {
    let seg = input.seg;
    for t in seg.terms {
        let Some((rule, grade)) = t.grade() else { continue };
        let severity = match grade {
            Grade::Error => Severity::Error,
            Grade::Warning => Severity::Warning,
            Grade::Note => Severity::Info,
        };
        let found = t.target.as_deref().unwrap_or_default();
        let expected = t.expected.as_deref().unwrap_or_default();
        let message = match t.status {
            TermStatus::Forbidden => format!("“{found}” is a forbidden form for `{}`: use “{expected}”", t.id),
            TermStatus::Outdated => format!("“{found}” is not the name in use on the release date (`{}`)", t.id),
            TermStatus::Other => format!(
                "“{found}” names `{}`, but the source has “{}” (`{}`): expected “{expected}”",
                t.via.as_deref().unwrap_or_default(),
                t.source,
                t.id
            ),
            _ if t.verbatim => {
                format!("“{}” (`{}`) must appear as “{expected}”; it is not in the target", t.source, t.id)
            }
            _ => format!(
                "“{}” (`{}`) is usually “{expected}”; not found in the target: check the paraphrase",
                t.source, t.id
            ),
        };
        let evidence = Evidence {
            rule: rule.into(),
            concept: Some(t.id.clone()),
            found: t.target.clone(),
            expected: t.expected.clone(),
            via: t.via.clone(),
        };
        let f = Finding::new(Check::Terminology, severity, message).because(evidence);
        out.push(match t.span {
            Some((s, e)) if fits(seg.target, s, e) => f.at(seg.target, s, e),
            _ => f,
        });
    }
}

#[cfg(test)]
mod tests {
    use crate::{check, Check, Segment};
    use audarma_core::Lang;
    use audarma_glossary::{TermCheck, TermStatus};

    #[test]
    fn terminology_findings_come_from_verification() {
        let terms = [TermCheck {
            id: "osce".into(),
            status: TermStatus::Missing,
            source: "OSCE".into(),
            target: None,
            span: None,
            ..TermCheck::default()
        }];
        let seg = Segment {
            source: "OSCE met.",
            target: "Организация встретилась.",
            source_lang: Lang::En,
            target_lang: Lang::Ru,
            terms: &terms,
            found: &[],
        };
        assert_eq!(check(&seg)[0].check, Check::Terminology);
    }

    /// A span computed on the text before an edit (inside a letter, reversed, past the end) is not
    /// the target's: the finding stands without one.
    #[test]
    fn a_stale_span_is_dropped() {
        for span in [(1, 3), (4, 2), (0, 500), (0, 22)] {
            let terms = [TermCheck {
                id: "osce".into(),
                status: TermStatus::Forbidden,
                source: "OSCE".into(),
                target: Some("Организация".into()),
                span: Some(span),
                ..TermCheck::default()
            }];
            let seg = Segment {
                source: "OSCE met.",
                target: "Организация встретилась.",
                source_lang: Lang::En,
                target_lang: Lang::Ru,
                terms: &terms,
                found: &[],
            };
            let f = check(&seg);
            assert_eq!(f[0].check, Check::Terminology);
            assert_eq!((f[0].start, f[0].end), if span == (0, 22) { (Some(0), Some(11)) } else { (None, None) });
        }
    }
}
