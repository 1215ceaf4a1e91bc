//! The Kazakh Latin golden set (`tests/latin_golden.tsv`: Cyrillic ⇥ Latin, our own words and
//! phrases; a line starting with `# ` is a comment) and what it must cover.

use audarma_text::latin::{latin_of, lower, to_latin, upper};

const GOLDEN: &str = include_str!("../latin_golden.tsv");

fn cases() -> Vec<(usize, &'static str, &'static str)> {
    GOLDEN
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.is_empty() && !l.starts_with("# "))
        .map(|(i, l)| {
            let (cyr, lat) =
                l.split_once('\t').unwrap_or_else(|| panic!("latin_golden.tsv:{}: no tab in {l:?}", i + 1));
            (i + 1, cyr, lat)
        })
        .collect()
}

#[test]
fn every_golden_line_transliterates_as_written() {
    let cases = cases();
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|&(line, cyr, lat)| {
            let got = to_latin(cyr);
            (got != lat).then(|| format!("latin_golden.tsv:{line}: {cyr:?} gave {got:?}, expected {lat:?}"))
        })
        .collect();
    assert!(failures.is_empty(), "{} of {} lines differ:\n{}", failures.len(), cases.len(), failures.join("\n"));
}

#[test]
fn the_golden_set_is_large_and_covers_every_letter_in_both_cases() {
    let cases = cases();
    assert!(cases.len() >= 200, "only {} cases", cases.len());
    let cyrillic: String = cases.iter().map(|c| c.1).collect();
    let missing: Vec<String> = "аәбвгғдеёжзийіккқлмнңоөпрстуұүфхһцчшщъыьэюя"
        .chars()
        .flat_map(|c| [c, c.to_uppercase().next().unwrap()])
        .filter(|c| !cyrillic.contains(*c))
        .map(String::from)
        .collect();
    assert!(missing.is_empty(), "letters missing from the golden set: {missing:?}");
    // Capitals only, title case and Latin kept as it is are all there.
    for needle in ["ЕҚЫҰ\tEQYŪ", "ҚР\tQR", "Ясауи\tİasaui", "COVID-19 пандемиясы\tCOVID-19 pandemiiasy"]
    {
        assert!(GOLDEN.lines().any(|l| l == needle), "{needle:?}");
    }
}

#[test]
fn no_latin_output_holds_a_cyrillic_letter_or_a_letter_outside_the_alphabet() {
    let alphabet = "aäbdefgğhiıjklmnñoöpqrsştuūüvyz";
    for (line, cyr, _) in cases() {
        for c in to_latin(cyr).chars() {
            let cyrillic_in = cyr.chars().any(|k| k == c);
            if c.is_alphabetic() && !cyrillic_in {
                let low = lower(&c.to_string());
                assert!(alphabet.contains(low.as_str()), "latin_golden.tsv:{line}: {c:?} from {cyr:?}");
            }
            assert!(!('\u{400}'..='\u{4ff}').contains(&c), "latin_golden.tsv:{line}: Cyrillic {c:?} left");
        }
    }
}

#[test]
fn capitals_are_the_turkish_capitals_of_the_lower_case() {
    // A word in capitals gives the Turkish capitals of the word in lower case: never an I for i.
    for (line, cyr, _) in cases() {
        let caps: String = cyr.chars().flat_map(char::to_uppercase).collect();
        let low: String = cyr.chars().flat_map(char::to_lowercase).collect();
        // Words of one letter are title case, not capitals; Latin letters keep their own case.
        if cyr.split(|c: char| !c.is_alphabetic()).any(|w| w.chars().count() == 1) || cyr.is_ascii() {
            continue;
        }
        if cyr.chars().any(|c| c.is_ascii_alphabetic()) {
            continue;
        }
        assert_eq!(to_latin(&caps), upper(&to_latin(&low)), "latin_golden.tsv:{line}: {cyr:?}");
    }
    assert_eq!(upper("i"), "İ");
    assert_eq!(upper("ı"), "I");
    assert_eq!("i".to_uppercase(), "I", "Rust's own casing, which is not Turkish");
}

#[test]
fn every_cyrillic_letter_has_a_latin_form() {
    for c in "аәбвгғдеёжзийікқлмнңоөпрстуұүфхһцчшщъыьэюя".chars() {
        assert!(latin_of(c).is_some(), "{c}");
    }
    assert_eq!(latin_of('q'), None);
}

mod props {
    use audarma_text::latin::{latin_of, to_latin};
    use proptest::prelude::*;

    fn is_table_letter(c: char) -> bool {
        latin_of(c).is_some() || c.to_lowercase().next().is_some_and(|l| l != c && latin_of(l).is_some())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        /// No letter of the table is left, and what is not a letter (digits, spaces, punctuation) is kept, in order.
        #[test]
        fn only_table_letters_change(s in "[аәбвгғдеёжзийікқлмнңоөпрстуұүфхһцчшщъыьэюяАӘБЁЖИЙІҚҢӨҰҮЦЧЩЪЬЭЮЯa-zA-Z0-9 .,«»\\-–іİı\\n]{0,40}") {
            let out = to_latin(&s);
            prop_assert!(!out.chars().any(is_table_letter), "{:?} → {:?}", s, out);
            let gaps = |t: &str| t.chars().filter(|c| !c.is_alphabetic()).collect::<String>();
            prop_assert_eq!(gaps(&s), gaps(&out));
        }

        /// Lower case in, lower case out: casing only ever comes from the Cyrillic capitals.
        #[test]
        fn lower_case_stays_lower_case(s in "[аәбвгғдеёжзийікқлмнңоөпрстуұүфхһцчшщъыьэюя ]{0,40}") {
            let out = to_latin(&s);
            prop_assert!(!out.chars().any(char::is_uppercase), "{:?} → {:?}", s, out);
        }
    }
}
