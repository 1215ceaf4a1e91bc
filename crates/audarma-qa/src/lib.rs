//! Quality checks on one translated segment. No I/O (a [`Speller`] is loaded by the caller).
//!
//! [`check`] takes a source, its target, the language pair and the terminology judgements from
//! [`audarma_glossary::verify`], and returns [`Finding`]s; [`check_with`] does the same with a
//! [`Context`] (length range learned from translation memory, severity overrides, disabled checks,
//! glossary capitalisation, known words, a spelling dictionary). Each finding has a stable check
//! name, a severity, a message for the translator and, where there is one, the span in the target
//! (character offsets).
//!
//! | check | what | default severity |
//! |---|---|---|
//! | `empty` | no translation | error |
//! | `terminology` | glossary term missing / forbidden / outdated | error / error / warning |
//! | `numbers` | a number of the source missing / a new number | error / warning |
//! | `dates` | a date of the source not in the target / a new date | error / warning |
//! | `untranslated` | target = source, or ≥ 4 ordinary source words copied | error |
//! | `wrong-language` | the target is in another language; English stretch in a Cyrillic target | error / warning |
//! | `mixed-script` | look-alike letters | warning (info for the source) |
//! | `quotes` | the other language's quotation marks; unbalanced quotes | warning |
//! | `punctuation` | final ? ! differ; brackets; space before / missing after a mark | warning / info |
//! | `whitespace` | double, leading, trailing spaces; stray no-break spaces | info |
//! | `repeated-word` | the same word twice in a row | warning |
//! | `length` | target/source length out of the expected range | warning |
//! | `urls` | URL, e-mail, #hashtag, @handle of the source missing or altered | error |
//! | `placeholders` | `⟦n⟧`, `{name}`, `%s`, `<tag>` lost or invented | error |
//! | `spelling` | a word the dictionary does not know | warning |
//! | `capitalization` | a glossary title written in lower case | warning |
//!
//! One file holds one job: `checks/mod.rs` maps each [`Check`] to its function (one exhaustive
//! `match`) and computes once what several checks share; `checks/<name>.rs` is one check;
//! `special.rs` finds URLs, e-mail addresses, hashtags, handles and placeholders; `spell.rs` is
//! the dictionary (the one file here that reads files); `tokens.rs` splits text into words.

mod checks;
mod special;
mod spell;
#[cfg(test)]
mod test_support;
mod tokens;

use audarma_core::Lang;
use audarma_glossary::{TermCheck, TermMatch};
use std::collections::{HashMap, HashSet};

pub use checks::default_length_ratio;
pub use spell::{press_words, Speller, HUNSPELL_DIR};

pub use audarma_core::{Check, Evidence, Finding, Severity};

/// One segment to check.
pub struct Segment<'a> {
    pub source: &'a str,
    pub target: &'a str,
    pub source_lang: Lang,
    pub target_lang: Lang,
    /// Terminology judgements for this segment.
    pub terms: &'a [TermCheck],
    /// The glossary terms found in the target ([`audarma_glossary::Matcher::find`]): their words
    /// are known to the spelling check in any inflection, and `capitalization` compares their capitals.
    pub found: &'a [TermMatch],
}

/// What the caller knows beyond the segment. `Context::default()` is what [`check`] uses.
#[derive(Debug, Default, Clone)]
pub struct Context<'a> {
    /// Expected target/source length range (in characters) for this language pair, e.g. learned
    /// from translation memory; `None` uses [`default_length_ratio`].
    pub length_ratio: Option<(f64, f64)>,
    /// Severity per check, replacing the default of every finding of that check.
    pub severities: HashMap<Check, Severity>,
    /// Checks not to run.
    pub disabled: HashSet<Check>,
    /// Words the spelling check accepts (glossary terms, a workflow's word list, approved memory);
    /// any case, multi-word entries are split.
    pub known_words: HashSet<String>,
    /// The target language's dictionary; without it `spelling` does not run.
    pub speller: Option<&'a Speller>,
    /// `known_words` split into lower-case words, built on first use (a glossary has
    /// thousands; splitting them for every segment was most of the cost of checking one).
    pub spelling_words: std::sync::OnceLock<HashSet<String>>,
}

/// Runs every check on one segment with the default [`Context`].
pub fn check(seg: &Segment<'_>) -> Vec<Finding> {
    check_with(seg, &Context::default())
}

/// Runs every check not disabled in `ctx` on one segment, in the order of [`Check::ALL`]; the
/// severities of `ctx` replace the checks' own.
pub fn check_with(seg: &Segment<'_>, ctx: &Context<'_>) -> Vec<Finding> {
    let on = |check: Check| !ctx.disabled.contains(&check);
    let input = checks::Input::new(seg, ctx);
    let mut out = Vec::new();
    for &check in Check::ALL {
        // A segment with no translation gets `empty` alone: there is nothing else to judge.
        if on(check) && (check == Check::Empty || !input.blank()) {
            checks::run(check, &input, &mut out);
        }
    }
    out.retain(|f| on(f.check));
    for f in &mut out {
        if let Some(s) = ctx.severities.get(&f.check) {
            f.severity = *s;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{run, segment};

    #[test]
    fn a_correct_translation_is_clean() {
        assert_eq!(run("Trade grew by 1,500.5 million in 2025.", "Товарооборот вырос на 1 500,5 млн в 2025 году."), []);
        assert_eq!(run("Is it ready?", "Готово ли это?"), []);
    }

    #[test]
    fn finds_each_kind_of_problem() {
        assert_eq!(
            run("Trade grew by 15%.", "Товарооборот вырос на 16%."),
            [("numbers", Severity::Error), ("numbers", Severity::Warning)]
        );
        assert_eq!(run("Is it ready?", "Готово."), [("punctuation", Severity::Warning)]);
        assert_eq!(run("The talks ended.", "The talks ended."), [("untranslated", Severity::Error)]);
        assert_eq!(
            run("The talks ended.", "Переговоры  завершились ."),
            [("punctuation", Severity::Info), ("whitespace", Severity::Info)]
        );
        assert_eq!(run("They met.", "Они они встретились."), [("repeated-word", Severity::Warning)]);
        assert_eq!(run("They met.", " "), [("empty", Severity::Error)]);
    }

    #[test]
    fn severities_and_disabling() {
        let mut ctx = Context::default();
        ctx.severities.insert(Check::RepeatedWord, Severity::Error);
        let seg = segment("They met.", "Они они встретились.", Lang::En, Lang::Ru);
        assert_eq!(check_with(&seg, &ctx)[0].severity, Severity::Error);
        ctx.disabled.insert(Check::RepeatedWord);
        assert!(check_with(&seg, &ctx).is_empty());
        let blank = segment("They met.", " ", Lang::En, Lang::Ru);
        ctx.disabled.insert(Check::Empty);
        assert!(check_with(&blank, &ctx).is_empty(), "a blank target gets no other finding");
    }
}
