//! The `capitalization` check: a glossary term found in the target ([`crate::Segment::found`])
//! written without the capitals the glossary gives it.

use super::Input;
use crate::tokens::{fits, words};
use crate::{Check, Evidence, Finding, Severity};

/// "глава государства" for "Глава государства": only terms the matcher found, word for word.
pub(super) fn run(input: &Input<'_>, out: &mut Vec<Finding>) {
    let (target, found) = (input.seg.target, input.seg.found);
    let speller = input.ctx.speller.filter(|s| s.lang() == input.seg.target_lang);
    for m in found.iter().filter(|m| !m.forbidden && fits(target, m.start, m.end)) {
        let text_words = words(&target[m.start..m.end]);
        let term_words = words(&m.term);
        if text_words.len() != term_words.len() {
            continue;
        }
        let upper = |w: &str| w.chars().next().is_some_and(char::is_uppercase);
        let lower = |w: &str| w.chars().next().is_some_and(char::is_lowercase);
        if term_words.iter().zip(&text_words).any(|((_, t), (_, x))| upper(t) && lower(x)) {
            // A name's capitals are required; other terms are capitalised by convention only. A
            // one-word name whose lower-case form the dictionary knows is more likely that common
            // word («семей», families, not Семей): a note.
            let common = text_words.len() == 1 && speller.is_some_and(|s| s.knows(text_words[0].1));
            let severity = if m.proper && !common { Severity::Warning } else { Severity::Info };
            out.push(
                Finding::new(
                    Check::Capitalization,
                    severity,
                    format!("“{}” should be capitalised as in the glossary: “{}”", m.text, m.term),
                )
                .at(target, m.start, m.end)
                .because(Evidence {
                    concept: Some(m.id.clone()).filter(|i| !i.is_empty()),
                    found: Some(m.text.clone()),
                    expected: Some(m.term.to_string()),
                    ..Evidence::rule("glossary-capitals")
                }),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::{check_with, Check, Context, Segment};
    use audarma_core::Lang;

    #[test]
    fn lower_case_glossary_titles() {
        use Lang::*;
        let mut g = audarma_glossary::Glossary::default();
        let mut problems = Vec::new();
        g.parse_file(
            std::path::Path::new("g.toml"),
            "[[concept]]\nid = \"hos\"\nen = \"Head of State\"\nkk = \"Мемлекет басшысы\"\nru = \"Глава государства\"\n\
             [[concept]]\nid = \"rabat\"\nen = \"Rabat\"\nkk = \"Рабат\"\nru = \"Рабат\"\n",
            &mut problems,
        );
        assert!(problems.is_empty(), "{problems:?}");
        let m = audarma_glossary::Matcher::new(&g, Ru);
        let target = "Главой государства была проведена встреча, затем глава государства уехал на работу в Казахстанскую Рабат-службу.";
        let found = m.find_in(&g, target);
        let seg = Segment {
            source: "The Head of State met the deputies.",
            target,
            source_lang: En,
            target_lang: Ru,
            terms: &[],
            found: &found,
        };
        let f: Vec<_> =
            check_with(&seg, &Context::default()).into_iter().filter(|f| f.check == Check::Capitalization).collect();
        assert_eq!(f.len(), 1, "only the lower-case term the matcher found, not «работу»: {f:?}");
        assert_eq!(f[0].evidence.as_ref().map(|e| e.rule.as_ref()), Some("glossary-capitals"));
    }

    /// Found by the property test of an edited target: the matches of the text before the edit,
    /// whose byte spans now fall inside a letter, are left out instead of panicking.
    #[test]
    fn stale_spans_from_before_an_edit_are_left_out() {
        let target = "ОБСЕ#A#aAГлHead of State👩\u{200d}💻ава государстваCOVID-19:ЕҚЫҰ-ның";
        let stale = |start: usize, end: usize| audarma_glossary::TermMatch {
            concept: 0,
            id: "head-of-state".into(),
            text: "Глава государства".into(),
            start,
            end,
            forbidden: false,
            term: "Глава государства".into(),
            proper: true,
        };
        for found in [[stale(20, 55)], [stale(55, 20)], [stale(20, 500)], [stale(17, 21)]] {
            let seg = Segment {
                source: "The Head of State met.",
                target,
                source_lang: Lang::En,
                target_lang: Lang::Ru,
                terms: &[],
                found: &found,
            };
            let f = check_with(&seg, &Context::default());
            assert!(f.iter().all(|f| f.check != Check::Capitalization), "{f:?}");
        }
    }
}
