//! Right term, wrong inflection: whether a translator kept a glossary term and changed only its
//! form.
//!
//! The matcher accepts every inflection of a term, so a suggestion that names the right concept in
//! the wrong case ("Мемлекет басшысына" where the sentence needs "Мемлекет басшысының") raises no
//! terminology finding. The post-edit shows it: the suggestion's form is gone from the approved
//! text, and in its place stands another form of the same words — words that share a stem by the
//! matcher's own morphology ([`crate::morph::text_keys`]), or the same abbreviation with another
//! hyphenated case suffix ("ЕҚЫҰ-ға" → "ЕҚЫҰ-ның"). A term the translator replaced by another word,
//! or removed, is not an inflection fix.

use crate::{fold, morph, normalize::FoldedText};
use audarma_core::Lang;

/// A word of a folded text: letters and digits, inner hyphens and apostrophes kept ("еқыұ-ға",
/// "премьер-министр"), with its byte range in the folded text.
fn tokens(folded: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    let chars: Vec<(usize, char)> = folded.char_indices().collect();
    for (k, &(i, c)) in chars.iter().enumerate() {
        let joiner =
            matches!(c, '-' | '\'') && start.is_some() && chars.get(k + 1).is_some_and(|&(_, n)| n.is_alphanumeric());
        if c.is_alphanumeric() || joiner {
            start.get_or_insert(i);
        } else if let Some(s) = start.take() {
            out.push((s, i));
        }
    }
    if let Some(s) = start {
        out.push((s, folded.len()));
    }
    out
}

/// Whether two different folded words are forms of one word: the same head before a hyphenated
/// suffix (an abbreviation's case ending added, changed or dropped), or a shared stem.
fn same_word(a: &str, b: &str, lang: Lang) -> bool {
    if a == b {
        return false;
    }
    let head = |w: &str| w.rsplit_once('-').map(|(h, _)| h.to_string());
    let (ha, hb) = (head(a), head(b));
    let heads_meet = match (&ha, &hb) {
        (Some(x), Some(y)) => x == y,
        (Some(x), None) => x == b,
        (None, Some(y)) => y == a,
        (None, None) => false,
    };
    // "премьер-министр" and "премьер-министру": the same head, a tail that inflects.
    if heads_meet {
        return true;
    }
    let (ka, kb) = (morph::text_keys(a, lang), morph::text_keys(b, lang));
    ka.iter().any(|k| k.chars().count() >= 3 && kb.contains(k))
}

/// The form `approved` gives a term that `suggestion_form` (the form the matcher found in the
/// suggestion) held, when the translator re-inflected it: `None` when the suggestion's form is still
/// in the approved text, when a word of it has no other form there, or when nothing changed.
pub fn reinflected(suggestion_form: &str, approved: &str, lang: Lang) -> Option<String> {
    let form = fold(suggestion_form);
    let form_words: Vec<&str> = tokens(&form).into_iter().map(|(s, e)| &form[s..e]).collect();
    if form_words.is_empty() {
        return None;
    }
    let text = FoldedText::new(approved);
    let spans = tokens(&text.folded);
    let words: Vec<&str> = spans.iter().map(|&(s, e)| &text.folded[s..e]).collect();
    let n = form_words.len();
    if words.windows(n).any(|w| w == form_words.as_slice()) {
        return None;
    }
    // Each word of the form, at a run of the approved text: the word itself or another form of it.
    // The run with the most words kept is the term's place.
    let mut best: Option<(usize, usize)> = None;
    for at in 0..words.len().saturating_sub(n - 1) {
        let run = &words[at..at + n];
        let fits = form_words.iter().zip(run).all(|(f, w)| f == w || same_word(f, w, lang));
        if fits {
            let kept = form_words.iter().zip(run).filter(|(f, w)| f == w).count();
            if best.is_none_or(|(_, k)| kept > k) {
                best = Some((at, kept));
            }
        }
    }
    let (at, _) = best?;
    let (s, _) = text.original_range(spans[at].0, spans[at].1);
    let (_, e) = text.original_range(spans[at + n - 1].0, spans[at + n - 1].1);
    Some(approved[s..e].to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use Lang::{En, Kk, Ru};

    #[test]
    fn a_kazakh_term_in_another_case_is_reinflected() {
        // Dative in the suggestion, genitive needed by the sentence.
        assert_eq!(
            reinflected("Мемлекет басшысына", "Мемлекет басшысының сапары аяқталды.", Kk).as_deref(),
            Some("Мемлекет басшысының")
        );
        // The possessive dropped: the term kept its words, the form changed.
        assert_eq!(
            reinflected("министрлігіне", "Сыртқы істер министрлігі хабарлады.", Kk).as_deref(),
            Some("министрлігі")
        );
    }

    #[test]
    fn an_abbreviation_with_another_hyphenated_suffix_is_reinflected() {
        assert_eq!(reinflected("ЕҚЫҰ-ға", "ЕҚЫҰ-ның төрағасы", Kk).as_deref(), Some("ЕҚЫҰ-ның"));
        assert_eq!(reinflected("ШЫҰ-ның", "ШЫҰ саммиті", Kk).as_deref(), Some("ШЫҰ"));
        assert_eq!(reinflected("ШЫҰ", "ШЫҰ-ға мүше елдер", Kk).as_deref(), Some("ШЫҰ-ға"));
    }

    #[test]
    fn russian_terms_agree_after_the_fix() {
        assert_eq!(
            reinflected("Генеральный секретарь", "Президент вручил награду Генеральному секретарю.", Ru).as_deref(),
            Some("Генеральному секретарю")
        );
        assert_eq!(
            reinflected("Главы государства", "Главе государства доложили", Ru).as_deref(),
            Some("Главе государства")
        );
        assert_eq!(
            reinflected("Премьер-Министр", "по поручению Премьер-Министра", Ru).as_deref(),
            Some("Премьер-Министра")
        );
    }

    #[test]
    fn the_form_kept_another_word_or_a_removed_term_is_no_inflection_fix() {
        assert_eq!(reinflected("Мемлекет басшысы", "Мемлекет басшысы қабылдады.", Kk), None, "kept");
        assert_eq!(reinflected("ёлка", "Ёлка", Ru), None, "only case and ё differ");
        // Another word: a term fix (or a rewrite), not an inflection.
        assert_eq!(reinflected("Глава государства", "Президент страны", Ru), None);
        assert_eq!(reinflected("Мемлекет басшысы", "Президент қабылдады.", Kk), None);
        // The term's words apart, no longer a run.
        assert_eq!(reinflected("state visit", "the visit of the state", En), None);
        // A derived word is another word: әкім (governor) is not әкімдік (governor's office).
        assert_eq!(reinflected("әкімі", "облыс әкімдігі", Kk), None);
    }

    #[test]
    fn english_plurals_count_too() {
        assert_eq!(
            reinflected("foreign minister", "the foreign ministers met", En).as_deref(),
            Some("foreign ministers")
        );
    }
}
