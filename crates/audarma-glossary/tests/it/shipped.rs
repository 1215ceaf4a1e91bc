//! Tidy check: the glossaries shipped in `glossaries/` load, pass lint, and cover the minimum.

use audarma_core::Lang;
use audarma_glossary::{lint, Glossary, Matcher};
use std::path::PathBuf;

fn shipped() -> Glossary {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../glossaries");
    Glossary::load(&[dir]).unwrap_or_else(|e| panic!("shipped glossary does not load:\n{e}"))
}

#[test]
fn shipped_glossaries_are_lint_clean_and_large_enough() {
    let g = shipped();
    let problems: Vec<String> = lint(&g).iter().map(ToString::to_string).collect();
    assert!(problems.is_empty(), "glossary lint problems:\n{}", problems.join("\n"));
    assert!(g.len() >= 150, "only {} concepts", g.len());
    for c in &g.concepts {
        for l in Lang::ALL {
            assert!(c.preferred(l).is_some(), "{} lacks {l}", c.id);
        }
    }
}

#[test]
fn shipped_glossary_finds_the_diplomatic_core() {
    let g = shipped();
    let cases = [
        (Lang::En, "The Head of State addressed the OSCE.", &["head-of-state", "osce"][..]),
        (Lang::Ru, "Глава государства выступил в ОБСЕ.", &["head-of-state", "osce"][..]),
        (Lang::Kk, "Мемлекет басшысы ЕҚЫҰ-ға үндеу жасады.", &["head-of-state", "osce"][..]),
    ];
    for (lang, text, want) in cases {
        let ids: Vec<String> = Matcher::new(&g, lang).find_in(&g, text).into_iter().map(|m| m.id).collect();
        assert_eq!(ids, want, "{lang}: {text}");
    }
}
