//! The `pseudo` backend: deterministic, offline, and obviously not a translation.
//!
//! Output: `⟦ru⟧ ` followed by the source with glossary terms replaced by their target terms and every
//! other word transliterated into the target script. Numbers, punctuation and spacing are kept, so
//! QA checks on numbers and terms behave as on a real translation.

use crate::{MtError, MtOutput, MtRequest, Translator};
use async_trait::async_trait;
use audarma_core::{Lang, SuggestionOrigin};

pub struct PseudoTranslator;

fn latin_to_cyrillic(c: char) -> &'static str {
    match c.to_ascii_lowercase() {
        'a' => "а",
        'b' => "б",
        'c' => "к",
        'd' => "д",
        'e' => "е",
        'f' => "ф",
        'g' => "г",
        'h' => "х",
        'i' => "и",
        'j' => "дж",
        'k' => "к",
        'l' => "л",
        'm' => "м",
        'n' => "н",
        'o' => "о",
        'p' => "п",
        'q' => "қ",
        'r' => "р",
        's' => "с",
        't' => "т",
        'u' => "у",
        'v' => "в",
        'w' => "у",
        'x' => "кс",
        'y' => "й",
        'z' => "з",
        _ => "",
    }
}

fn cyrillic_to_latin(c: char) -> Option<&'static str> {
    let lower: String = c.to_lowercase().collect();
    Some(match lower.as_str() {
        "а" | "ә" => "a",
        "б" => "b",
        "в" => "v",
        "г" | "ғ" => "g",
        "д" => "d",
        "е" | "ё" | "э" => "e",
        "ж" => "zh",
        "з" => "z",
        "и" | "й" | "і" => "i",
        "к" => "k",
        "қ" => "q",
        "л" => "l",
        "м" => "m",
        "н" | "ң" => "n",
        "о" | "ө" => "o",
        "п" => "p",
        "р" => "r",
        "с" => "s",
        "т" => "t",
        "у" | "ұ" | "ү" => "u",
        "ф" => "f",
        "х" | "һ" => "h",
        "ц" => "ts",
        "ч" => "ch",
        "ш" => "sh",
        "щ" => "shch",
        "ъ" | "ь" => "",
        "ы" => "y",
        "ю" => "yu",
        "я" => "ya",
        _ => return None,
    })
}

fn capitalise_like(piece: &str, original: char) -> String {
    if original.is_uppercase() {
        let mut cs = piece.chars();
        match cs.next() {
            Some(f) => f.to_uppercase().chain(cs).collect(),
            None => String::new(),
        }
    } else {
        piece.to_string()
    }
}

/// Transliterates `text` into the target's script, leaving what is already in it alone.
fn transliterate(text: &str, target: Lang) -> String {
    let mut out = String::with_capacity(text.len() * 2);
    for c in text.chars() {
        if target.is_cyrillic() && c.is_ascii_alphabetic() {
            out.push_str(&capitalise_like(latin_to_cyrillic(c), c));
        } else if !target.is_cyrillic() {
            match cyrillic_to_latin(c) {
                Some(p) => out.push_str(&capitalise_like(p, c)),
                None => out.push(c),
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Pseudo-translates one segment: terms first (longest source forms first), then transliteration.
pub fn pseudo_translate(text: &str, target: Lang, terms: &[crate::TermHint]) -> String {
    let mut spans: Vec<(usize, usize, String)> = Vec::new();
    let mut hints: Vec<&crate::TermHint> = terms.iter().collect();
    hints.sort_by_key(|h| std::cmp::Reverse(h.source.len()));
    for h in hints {
        let mut from = 0;
        while let Some(pos) = text[from..].find(h.source.as_str()) {
            let (s, e) = (from + pos, from + pos + h.source.len());
            // A term opening a sentence keeps its capital: "Әкім" → "Аким", not "аким".
            let capital = h.source.chars().next().is_some_and(char::is_uppercase);
            let target = if capital { capitalise_like(&h.target, 'A') } else { h.target.clone() };
            if spans.iter().all(|(a, b, _)| e <= *a || s >= *b) {
                spans.push((s, e, target));
            }
            from = e;
        }
    }
    spans.sort();
    let mut out = format!("⟦{}⟧ ", target.code());
    let mut at = 0;
    for (s, e, t) in spans {
        out.push_str(&transliterate(&text[at..s], target));
        out.push_str(&t);
        at = e;
    }
    out.push_str(&transliterate(&text[at..], target));
    out
}

#[async_trait]
impl Translator for PseudoTranslator {
    fn name(&self) -> &str {
        "pseudo"
    }

    fn cacheable(&self) -> bool {
        false
    }

    async fn translate(&self, request: &MtRequest) -> Result<Vec<MtOutput>, MtError> {
        Ok(request
            .segments
            .iter()
            .map(|s| MtOutput {
                idx: s.idx,
                text: Some(pseudo_translate(&s.text, request.target, &s.terms)),
                origin: SuggestionOrigin::Pseudo,
                error: None,
                backend: None,
                model: None,
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::TermHint;

    fn hint(source: &str, target: &str) -> TermHint {
        TermHint { id: "x".into(), source: source.into(), target: target.into(), accepted: vec![], dnt: false }
    }

    #[test]
    fn terms_take_their_target_form_and_the_rest_is_transliterated() {
        let out = pseudo_translate(
            "The Head of State met OSCE on 12 March.",
            Lang::Ru,
            &[hint("Head of State", "Глава государства"), hint("OSCE", "ОБСЕ")],
        );
        assert_eq!(out, "⟦ru⟧ Тхе Глава государства мет ОБСЕ он 12 Маркх.");
    }

    #[test]
    fn into_english_it_romanises_kazakh_letters() {
        assert_eq!(pseudo_translate("Мемлекет басшысы Ақордада.", Lang::En, &[]), "⟦en⟧ Memleket basshysy Aqordada.");
    }

    #[test]
    fn a_capitalised_source_term_keeps_its_capital() {
        assert_eq!(pseudo_translate("Әкім баяндады.", Lang::Ru, &[hint("Әкім", "аким")]), "⟦ru⟧ Аким баяндады.");
    }

    #[test]
    fn is_deterministic() {
        let a = pseudo_translate("Стороны обсудили 5 вопросов.", Lang::Kk, &[]);
        assert_eq!(a, pseudo_translate("Стороны обсудили 5 вопросов.", Lang::Kk, &[]));
        assert_eq!(a, "⟦kk⟧ Стороны обсудили 5 вопросов.");
    }
}
