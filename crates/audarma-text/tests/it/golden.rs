//! Project golden tests: press-release sentences in English, Russian and Kazakh with the exact
//! expected segmentation (`tests/golden/{en,ru,kk}.jsonl`). Each line: `text`, `expected`, and
//! optionally `"mode": "text"` to run through `segment_text` instead of `segment`, or
//! `"mode": "paragraphs"` to run through `paragraphs` and then `segment` on each (what
//! `audarma segment` does).

use audarma_core::Lang;
use audarma_text::{collapse_whitespace, paragraphs, segment, segment_text};
use serde::Deserialize;

#[derive(Deserialize)]
struct Case {
    text: String,
    expected: Vec<String>,
    #[serde(default)]
    mode: Option<String>,
}

/// Checks one case; returns a description of the mismatch, if any.
fn check(text: &str, expected: &[String], lang: Lang, mode: Option<&str>) -> Option<String> {
    let got = if mode == Some("text") {
        segment_text(text, lang)
    } else if mode == Some("paragraphs") {
        let got: Vec<String> = paragraphs(text).iter().flat_map(|p| segment(p, lang)).collect();
        assert_eq!(got.join(" "), collapse_whitespace(text), "lost text: {text:?}");
        got
    } else {
        assert!(mode.is_none(), "unknown mode {mode:?}");
        let got = segment(text, lang);
        assert_eq!(got.join(" "), collapse_whitespace(text), "lost text: {text:?}");
        got
    };
    (got != expected).then(|| format!("text: {text:?}\n  expected: {expected:?}\n  got:      {got:?}"))
}

fn run(lang: Lang) {
    let path = format!("{}/tests/golden/{}.jsonl", env!("CARGO_MANIFEST_DIR"), lang.code());
    let data = std::fs::read_to_string(&path).unwrap();
    let mut n = 0;
    let mut failures = Vec::new();
    for line in data.lines().filter(|l| !l.trim().is_empty()) {
        let case: Case = serde_json::from_str(line).unwrap();
        n += 1;
        if let Some(f) = check(&case.text, &case.expected, lang, case.mode.as_deref()) {
            failures.push(f);
        }
    }
    assert!(n >= 40, "{path}: only {n} cases");
    assert!(
        failures.is_empty(),
        "{} of {n} {} golden cases failed:\n{}",
        failures.len(),
        lang.code(),
        failures.join("\n")
    );
}

#[test]
fn golden_en() {
    run(Lang::En);
}

#[test]
fn golden_ru() {
    run(Lang::Ru);
}

#[test]
fn golden_kk() {
    run(Lang::Kk);
}
