//! Approved Kazakh text in the Latin alphabet (`kk-Latn`), the glossary first: each glossary term
//! found in the text (by the Kazakh [`Matcher`], inflections included) whose concept gives a
//! `kk-Latn` form for that term is written in that form, and everything else goes through
//! [`audarma_text::latin::to_latin`], letter by letter.
//!
//! An inflected occurrence keeps its ending: the glossary form, then the ending transliterated
//! ("Ердоғанмен" → "Erdoğanmen", "ЮНЕСКО-ның" → "UNESCO-nyñ"). The ending is what follows the
//! term's own letters in the occurrence (case and ё/е folded). Where the stem changed before the
//! ending — a final к, қ or п voiced to г, ғ or б before a vowel ("Тарақ" → "Тарағы") — the
//! form's last letter is voiced the same way (k → g, q → ğ, p → b) if it is that letter. Any other
//! occurrence that does not begin with the term's letters is transliterated letter by letter, so a
//! form is never glued to text it does not stand for. An occurrence in capitals ("ТОҚАЕВ") gives the
//! form in (Turkish) capitals.

use audarma_glossary::{Glossary, Matcher};
use audarma_text::latin::{to_latin, upper};

/// `text` (Kazakh, Cyrillic) in the Latin alphabet, glossary forms first (see the module doc).
/// `matcher` is the glossary's Kazakh matcher.
pub fn kk_latin(glossary: &Glossary, matcher: &Matcher, text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    let mut pos = 0;
    for m in matcher.find(text) {
        if m.forbidden || m.start < pos {
            continue;
        }
        let Some(form) = glossary.concepts.get(m.concept).and_then(|c| c.kk_latn_of(&m.term)) else {
            continue;
        };
        let Some(latin) = occurrence(&m.term, &text[m.start..m.end], form) else {
            continue;
        };
        out.push_str(&to_latin(&text[pos..m.start]));
        out.push_str(&latin);
        pos = m.end;
    }
    out.push_str(&to_latin(&text[pos..]));
    out
}

fn fold(c: char) -> char {
    match c {
        'ё' | 'Ё' => 'е',
        c => c.to_lowercase().next().unwrap_or(c),
    }
}

/// Capitals only: two cased letters or more, none in lower case.
fn in_capitals(s: &str) -> bool {
    !s.chars().any(char::is_lowercase) && s.chars().filter(|c| c.is_uppercase()).count() >= 2
}

/// One occurrence of `term` written with `form`, or `None` when its letters do not begin with the
/// term's (a stem change other than the voicing of a final к, қ or п).
fn occurrence(term: &str, occ: &str, form: &str) -> Option<String> {
    let term: Vec<char> = term.chars().collect();
    let (last, stem) = term.split_last()?;
    let mut chars = occ.char_indices();
    for t in stem {
        let (_, o) = chars.next()?;
        if fold(*t) != fold(o) {
            return None;
        }
    }
    let (i, o) = chars.next()?;
    let mut written = form.to_string();
    if fold(o) != fold(*last) {
        let voiced = match (fold(*last), fold(o)) {
            ('к', 'г') => ('k', 'g'),
            ('қ', 'ғ') => ('q', 'ğ'),
            ('п', 'б') => ('p', 'b'),
            _ => return None,
        };
        let end = written.pop()?;
        if end.to_lowercase().next() != Some(voiced.0) {
            return None;
        }
        written.push(if end.is_uppercase() { voiced.1.to_uppercase().next().unwrap_or(voiced.1) } else { voiced.1 });
    }
    let ending = &occ[i + o.len_utf8()..];
    if in_capitals(occ) {
        let low: String = ending.chars().flat_map(char::to_lowercase).collect();
        Some(format!("{}{}", upper(&written), upper(&to_latin(&low))))
    } else {
        Some(format!("{written}{}", to_latin(ending)))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use audarma_core::Lang;
    use std::path::Path;

    fn glossary() -> Glossary {
        let mut g = Glossary::default();
        let mut p = Vec::new();
        g.parse_file(
            Path::new("g.toml"),
            r#"
[[concept]]
id = "erdogan"
en = ["Recep Tayyip Erdoğan", "Erdoğan"]
kk = ["Режеп Тайып Ердоған", "Ердоған"]
ru = ["Реджеп Тайип Эрдоган", "Эрдоган"]
kk-Latn = ["Recep Tayyip Erdoğan", "Erdoğan"]

[[concept]]
id = "unesco"
en = "UNESCO"
kk = "ЮНЕСКО"
ru = "ЮНЕСКО"
kk-Latn = "UNESCO"

[[concept]]
id = "tarak"
en = "Tarak"
kk = "Тарақ"
ru = "Тарак"
kk-Latn = "Tarack"

[[concept]]
id = "dereq"
en = "Dereq"
kk = "Дерек"
ru = "Дерек"
kk-Latn = "Derek"

[[concept]]
id = "astana"
en = "Astana"
kk = "Астана"
ru = "Астана"
"#,
            &mut p,
        );
        assert!(p.is_empty(), "{p:?}");
        g
    }

    fn latin(text: &str) -> String {
        let g = glossary();
        let m = Matcher::new(&g, Lang::Kk);
        kk_latin(&g, &m, text)
    }

    #[test]
    fn glossary_forms_replace_transliteration() {
        assert_eq!(latin("Режеп Тайып Ердоған Астанаға келді."), "Recep Tayyip Erdoğan Astanağa keldı.");
        assert_eq!(latin("ЮНЕСКО"), "UNESCO");
        // Without a glossary form, letter by letter.
        assert_eq!(audarma_text::latin::to_latin("ЮНЕСКО"), "İUNESKO");
    }

    #[test]
    fn an_inflected_name_keeps_its_ending_in_latin() {
        assert_eq!(latin("Президент Ердоғанмен кездесті."), "Prezident Erdoğanmen kezdestı.");
        assert_eq!(latin("Ердоғанның сапары"), "Erdoğannyñ sapary");
        assert_eq!(latin("ЮНЕСКО-ның мұра тізімі"), "UNESCO-nyñ mūra tızımı");
        assert_eq!(latin("ЮНЕСКО-ға"), "UNESCO-ğa");
    }

    #[test]
    fn a_voiced_final_consonant_voices_the_form() {
        // Тарақ + ы → Тарағы: the form's last q becomes ğ; a form not ending in that letter is not
        // glued to the ending: the occurrence is transliterated letter by letter.
        assert_eq!(occurrence("Дерек", "Дерегі", "Derek").as_deref(), Some("Deregı"));
        assert_eq!(occurrence("Тарақ", "Тарағы", "Tarack"), None);
        assert_eq!(occurrence("Тарақ", "Тарағы", "Taraq").as_deref(), Some("Tarağy"));
        assert_eq!(occurrence("Дерек", "Дерут", "Derek"), None);
    }

    #[test]
    fn capitals_give_the_form_in_turkish_capitals() {
        assert_eq!(latin("РЕЖЕП ТАЙЫП ЕРДОҒАН"), "RECEP TAYYİP ERDOĞAN");
        assert_eq!(latin("ЕРДОҒАНМЕН"), "ERDOĞANMEN");
    }

    #[test]
    fn names_from_the_shipped_glossary() {
        let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../glossaries");
        let g = Glossary::load(&[dir]).unwrap();
        let m = Matcher::new(&g, Lang::Kk);
        let cases = [
            (
                "Мемлекет басшысы Қасым-Жомарт Тоқаев Режеп Тайып Ердоғанмен телефон арқылы сөйлесті.",
                "Memleket basşysy Qasym-Jomart Toqaev Recep Tayyip Erdoğanmen telefon arqyly söilestı.",
            ),
            ("Тоқаевтың ЮНЕСКО-ға жолдауы", "Toqaevtyñ UNESCO-ğa joldauy"),
            ("Антониу Гутерриш БҰҰ Бас хатшысы", "António Guterres BŪŪ Bas hatşysy"),
            ("БҰҰ Балалар қорының өкілі", "BŪŪ Balalar qorynyñ ökılı"),
            ("ЮНИСЕФ", "UNICEF"),
        ];
        for (kk, want) in cases {
            assert_eq!(kk_latin(&g, &m, kk), want, "{kk}");
        }
    }
}
