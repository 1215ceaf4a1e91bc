//! Property tests: segmentation loses nothing and never panics.

use audarma_core::Lang;
use audarma_text::{collapse_whitespace, detector, normalize, paragraphs, parse_date_line, segment, segment_text};
use proptest::prelude::*;

/// Cases per property: a quick run by default (CI); `AUDARMA_FUZZ_CASES` asks for more (`just fuzz`).
fn fuzz_cases(default: u32) -> u32 {
    std::env::var("AUDARMA_FUZZ_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// Strings biased towards what the segmenter looks at: Latin/Cyrillic/Kazakh letters of both
/// cases, digits, terminators, quotes, brackets, dashes, bullets and all kinds of whitespace.
fn texty() -> impl Strategy<Value = String> {
    let atoms = prop::sample::select(vec![
        "a", "B", "z", "I", "Mr", "U.S.", "e.g.", "etc", "Inc", "а", "Б", "я", "г", "ж", "т", "д", "б", "с", "млн",
        "долл", "США", "Ә", "Қ", "ө", "і", "ң", "Ж.-Б", "1", "2", "23", "2023", "3.2", "1,5", ".", "..", "...", "…",
        "?", "!", "?!", ",", ";", ":", "«", "»", "“", "”", "\"", "'", "’", "(", ")", "[", "]", "—", "–", "-", "•", "⁃",
        "№", "$", "%", "@", "/", "www.", ".kz", "http://", "．", "！", "。", " ", " ", " ", "  ", "\n", "\n\n", "\t",
        "\u{00A0}", "\u{200B}", "\u{FEFF}", "\r\n", "1)", "(a)", "b.", "ii)",
    ]);
    prop::collection::vec(atoms, 0..40).prop_map(|v| v.concat())
}

fn any_lang() -> impl Strategy<Value = Lang> {
    prop::sample::select(vec![Lang::En, Lang::Kk, Lang::Ru])
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(fuzz_cases(2000)))]

    #[test]
    fn nothing_lost_texty(p in texty(), lang in any_lang()) {
        let got = segment(&p, lang);
        prop_assert_eq!(got.join(" "), collapse_whitespace(&p));
        for s in &got {
            prop_assert!(!s.is_empty());
            prop_assert_eq!(s.trim(), s.as_str());
        }
    }

    #[test]
    fn nothing_lost_arbitrary(p in any::<String>(), lang in any_lang()) {
        let got = segment(&p, lang);
        prop_assert_eq!(got.join(" "), collapse_whitespace(&p));
    }

    #[test]
    fn nothing_lost_unicode(p in "[a-zA-Zа-яА-ЯәғқңөұүһіӘҒҚҢӨҰҮҺІ0-9 .,!?…«»“”\"'()\\[\\]—–\\-•\n]{0,80}", lang in any_lang()) {
        let got = segment(&p, lang);
        prop_assert_eq!(got.join(" "), collapse_whitespace(&p));
    }

    #[test]
    fn whole_text_keeps_words(p in texty(), lang in any_lang()) {
        // segment_text may split without whitespace, but never drops or adds a character
        // other than whitespace.
        let got = segment_text(&p, lang);
        let squeeze = |s: &str| -> String {
            normalize(s).chars().filter(|c| !c.is_whitespace()).collect()
        };
        prop_assert_eq!(squeeze(&got.concat()), squeeze(&p));
    }

    #[test]
    fn no_panics_elsewhere(p in any::<String>()) {
        let _ = normalize(&p);
        let _ = paragraphs(&p);
        let _ = parse_date_line(&p);
        let _ = segment_text(&p, Lang::Kk);
    }

    #[test]
    fn no_panics_date_texty(p in texty()) {
        let _ = parse_date_line(&p);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(fuzz_cases(200)))]

    #[test]
    fn detector_confidence_in_range(p in any::<String>()) {
        if let Some(d) = detector().detect(&p) {
            prop_assert!((0.0..=1.0).contains(&d.confidence));
        }
    }
}
