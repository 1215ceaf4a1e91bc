//! The `spelling` check: the glue between a segment and [`crate::spell`] (the dictionary and the
//! word-by-word judgement live there). Runs only when the context has a [`crate::Speller`] for
//! the target language; the context's known words (split into lower-case words and, for Russian
//! and English, their stems, once per context) are accepted; URLs, placeholders and the glossary
//! terms found in the target are skipped.

use super::Input;
use crate::special;
use crate::{spell, Finding};
use audarma_core::Lang;
use std::collections::HashSet;

pub(super) fn run(input: &Input<'_>, out: &mut Vec<Finding>) {
    let (seg, ctx) = (input.seg, input.ctx);
    let Some(sp) = ctx.speller.filter(|s| s.lang() == seg.target_lang) else { return };
    let known = ctx.spelling_words.get_or_init(|| {
        let words: HashSet<String> = ctx
            .known_words
            .iter()
            .flat_map(|w| w.split(|c: char| !c.is_alphanumeric() && c != '-'))
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect();
        // Russian and English words are also known by their stem, so that their
        // inflected forms are (Kazakh ones through the analyser, see `Speller`).
        let stems: Vec<String> = match seg.target_lang {
            Lang::Kk => Vec::new(),
            l => words.iter().map(|w| audarma_glossary::morph::stem(w, l)).collect(),
        };
        words.into_iter().chain(stems).collect()
    });
    let mut skip = special::spans(&input.tgt_special);
    skip.extend(input.tgt_placeholders.iter().map(|&(s, e, _)| (s, e)));
    skip.extend(seg.found.iter().filter(|m| !m.forbidden).map(|m| (m.start, m.end)));
    spell::check(seg.source, seg.target, sp, known, &skip, out);
}

#[cfg(test)]
mod tests {
    use crate::test_support::segment;
    use crate::{check_with, Check, Context, Speller, HUNSPELL_DIR};
    use audarma_core::Lang;

    #[test]
    fn spelling_with_hunspell_dictionaries() {
        let Some(ru) = Speller::load(Lang::Ru) else {
            eprintln!("SKIP spelling test: no ru_RU dictionary in {HUNSPELL_DIR} (apt-get install hunspell-ru)");
            return;
        };
        let ctx = Context { speller: Some(&ru), ..Context::default() };
        let seg = segment(
            "The ministry met Tokayev.",
            "Министерство встретилось с Токаевым, ЕАЭС и првительством.",
            Lang::En,
            Lang::Ru,
        );
        let f: Vec<_> = check_with(&seg, &ctx).into_iter().filter(|f| f.check == Check::Spelling).collect();
        assert_eq!(f.len(), 1, "{f:?}");
        assert!(f[0].message.contains("првительством"));
        if let Some(kk) = Speller::load(Lang::Kk) {
            assert!(kk.knows("мемлекет"));
            let ctx = Context { speller: Some(&kk), ..Context::default() };
            let seg = segment("x", "ЕҚЫҰ-ның өкілдері келді.", Lang::En, Lang::Kk);
            let f: Vec<_> = check_with(&seg, &ctx).into_iter().filter(|f| f.check == Check::Spelling).collect();
            assert!(f.is_empty(), "{f:?}");
        }
    }
}
