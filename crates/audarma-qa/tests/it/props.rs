//! Property tests: whatever text arrives as source and target, and however a reviewer edits a
//! target on the desk, checking it never panics and every finding's span lies inside the target
//! (character offsets).

use audarma_core::Lang;
use audarma_glossary::{verify, Glossary, Matcher, TermCheck, TermMatch};
use audarma_qa::{check, check_with, Context, Finding, Segment, Speller};
use proptest::prelude::*;
use proptest::sample::Index;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::OnceLock;

/// Cases per property: a quick run by default (CI); `AUDARMA_FUZZ_CASES` asks for more (`just fuzz`).
fn fuzz_cases(default: u32) -> u32 {
    std::env::var("AUDARMA_FUZZ_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

const LANGS: [Lang; 3] = [Lang::En, Lang::Kk, Lang::Ru];

/// Pieces of press text and of what breaks naive code: three scripts, digits in every locale,
/// dates, quotes of every kind, no-break spaces, combining marks, emoji, placeholders, URLs.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z]{1,8}",
        "[а-яёА-ЯЁәғқңөұүһіӘҒҚҢӨҰҮҺІ]{1,8}",
        "[0-9]{1,6}",
        "[ .,;:!?…()\\[\\]«»“”„\"'’%#@/{}<>$№§–—-]{1,3}",
        "[ \u{a0}\u{202f}\u{2007}\t\n]{1,3}",
        // Combining marks: after a letter, after a space, at the start.
        "[\u{300}-\u{36f}\u{306}\u{308}]{1,2}",
        "[\u{1f600}-\u{1f64f}\u{1f1e6}-\u{1f1ff}]",
        Just("👩\u{200d}💻".to_string()),
        Just("\u{feff}\u{200b}".to_string()),
        "⟦[0-9]{0,2}⟧",
        Just("⟦ru⟧".to_string()),
        Just("⟦".to_string()),
        Just("⟧".to_string()),
        "\\{[a-z_.:]{0,6}\\}",
        "%[0-9]?\\$?[sdifu]",
        "</?[a-z]{1,4}/?>",
        "(https?://|www\\.)[a-z.]{1,10}(/[a-zа-я0-9?=&]{0,8})?",
        "[a-z]{1,5}@[a-z]{1,5}\\.(kz|ru)",
        "#[a-zA-Zа-я0-9_]{1,8}",
        "@[a-z_.]{1,8}",
        "[0-9]{1,3}([ ,.\u{a0}][0-9]{3}){0,2}([.,][0-9]{1,2})?",
        "[0-9]{1,2}\\.[0-9]{1,2}\\.[0-9]{2,4}",
        "[0-9]{4}-[0-9]{2}-[0-9]{2}",
        Just("12 марта 2026 года".to_string()),
        Just("2026 жылғы 12 наурыз".to_string()),
        Just("March 12, 2026".to_string()),
        Just("2,3 млрд".to_string()),
        Just("$2.3 billion".to_string()),
        Just("COVID-19".to_string()),
        Just("Глава государства".to_string()),
        Just("глава государства".to_string()),
        Just("Мемлекет басшысы".to_string()),
        Just("Head of State".to_string()),
        Just("ОБСЕ".to_string()),
        Just("ЕҚЫҰ-ның".to_string()),
        any::<char>().prop_map(String::from),
    ]
}

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(piece(), 0..24).prop_map(|v| v.concat())
}

/// The shipped glossary and a matcher per language, loaded once.
fn glossary() -> &'static (Glossary, HashMap<Lang, Matcher>) {
    static G: OnceLock<(Glossary, HashMap<Lang, Matcher>)> = OnceLock::new();
    G.get_or_init(|| {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../glossaries");
        let g = Glossary::load(&[dir]).unwrap_or_else(|e| panic!("shipped glossary does not load:\n{e}"));
        let m = LANGS.into_iter().map(|l| (l, Matcher::new(&g, l))).collect();
        (g, m)
    })
}

/// The Hunspell dictionaries that are installed, loaded once.
fn speller(lang: Lang) -> Option<&'static Speller> {
    static S: OnceLock<HashMap<Lang, Speller>> = OnceLock::new();
    S.get_or_init(|| LANGS.into_iter().filter_map(|l| Some((l, Speller::load(l)?))).collect()).get(&lang)
}

/// What the pipeline passes for a segment: the terminology judgements and the glossary terms
/// found in the target.
fn terms(source: &str, target: &str, from: Lang, to: Lang) -> (Vec<TermCheck>, Vec<TermMatch>) {
    let (g, m) = glossary();
    let checks = verify(g, &m[&from].find(source), &m[&to], target, None);
    (checks, m[&to].find_in(g, target))
}

fn assert_in_range(findings: &[Finding], target: &str) {
    let len = target.chars().count();
    for f in findings {
        assert_eq!(f.start.is_some(), f.end.is_some(), "{f:?}");
        if let (Some(s), Some(e)) = (f.start, f.end) {
            assert!(s <= e && e <= len, "span {s}..{e} outside a target of {len} characters: {f:?}\n{target:?}");
        }
    }
}

/// Checks a segment as the pipeline does (terms, glossary matches, a speller when installed) and
/// as a bare [`check`].
fn check_all_ways(source: &str, target: &str, from: Lang, to: Lang, terms_of: (&[TermCheck], &[TermMatch])) {
    let seg = Segment { source, target, source_lang: from, target_lang: to, terms: terms_of.0, found: terms_of.1 };
    assert_in_range(&check(&seg), target);
    let ctx = Context { speller: speller(to), ..Context::default() };
    assert_in_range(&check_with(&seg, &ctx), target);
}

/// An edit as the desk makes one: at a character offset, delete some characters and insert a text.
fn edit(text: &str, at: Index, delete: usize, insert: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let at = at.index(chars.len() + 1);
    let end = (at + delete).min(chars.len());
    chars[..at].iter().chain(insert.chars().collect::<Vec<_>>().iter()).chain(&chars[end..]).collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: fuzz_cases(300), ..ProptestConfig::default() })]

    #[test]
    fn any_source_and_target(source in text(), target in text(), a in 0..3usize, b in 0..3usize) {
        let (from, to) = (LANGS[a], LANGS[b]);
        let (checks, found) = terms(&source, &target, from, to);
        check_all_ways(&source, &target, from, to, (&checks, &found));
        check_all_ways(&source, &target, from, to, (&[], &[]));
    }

    #[test]
    fn an_edited_target(
        source in text(),
        target in text(),
        at in any::<Index>(),
        delete in 0..6usize,
        insert in text(),
        a in 0..3usize,
        b in 0..3usize,
    ) {
        let (from, to) = (LANGS[a], LANGS[b]);
        let before = terms(&source, &target, from, to);
        let edited = edit(&target, at, delete, &insert);
        // As the desk does: judged afresh after the edit.
        let (checks, found) = terms(&source, &edited, from, to);
        check_all_ways(&source, &edited, from, to, (&checks, &found));
        // With the judgements of the text before the edit, whose byte spans no longer fit.
        check_all_ways(&source, &edited, from, to, (&before.0, &before.1));
    }
}
