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
//!
//! A term re-inflected because the translator rebuilt the sentence around it says nothing about the
//! suggestion's inflection: the term must keep its place, a word next to it in the suggestion (or a
//! form of that word) next to it in the approved text too.

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

/// The longest case suffix written after a hyphen ("-дағы", "-ның", "-мен").
const SUFFIX_CHARS: usize = 5;

/// Whether two different folded words are forms of one word: the same head before a hyphenated case
/// suffix (an abbreviation's ending added, changed or dropped: "еқыұ-ға", "еқыұ-ның", "еқыұ"), or a
/// shared stem ("премьер-министр", "премьер-министра"). A long part after the hyphen is a word of a
/// compound, not a suffix: "вице-министр" is not "вице-премьер".
fn same_word(a: &str, b: &str, lang: Lang) -> bool {
    if a == b {
        return false;
    }
    let split = |w: &str| {
        w.rsplit_once('-')
            .filter(|(h, t)| !h.is_empty() && t.chars().count() <= SUFFIX_CHARS)
            .map(|(h, _)| h.to_string())
    };
    let heads_meet = match (split(a), split(b)) {
        (Some(x), Some(y)) => x == y,
        (Some(x), None) => x == b,
        (None, Some(y)) => y == a,
        (None, None) => false,
    };
    if heads_meet {
        return true;
    }
    // A compound: the same first part, its last word inflected.
    if let (Some((ha, ta)), Some((hb, tb))) = (a.rsplit_once('-'), b.rsplit_once('-')) {
        if ha == hb && !ha.is_empty() {
            return same_word(ta, tb, lang);
        }
    }
    let (ka, kb) = (morph::text_keys(a, lang), morph::text_keys(b, lang));
    ka.iter().any(|k| k.chars().count() >= 3 && kb.contains(k))
}

/// Whether `a` and `b` are one word or forms of one word (`None`: the edge of the text).
fn same_or_form(a: Option<&str>, b: Option<&str>, lang: Lang) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => a == b || same_word(a, b, lang),
        (None, None) => true,
        _ => false,
    }
}

/// The form `approved` gives a term that `suggestion_form` (the form the matcher found in
/// `suggestion`) held, when the translator re-inflected it in place: `None` when the suggestion's
/// form is still in the approved text, when a word of it has no other form there, when the words
/// around it changed (a sentence rebuilt), or when nothing changed.
pub fn reinflected(suggestion: &str, suggestion_form: &str, approved: &str, lang: Lang) -> Option<String> {
    let form = fold(suggestion_form);
    let form_words: Vec<&str> = tokens(&form).into_iter().map(|(s, e)| &form[s..e]).collect();
    if form_words.is_empty() {
        return None;
    }
    let n = form_words.len();
    // The term's neighbours in the suggestion.
    let before = fold(suggestion);
    let before_words: Vec<&str> = tokens(&before).into_iter().map(|(s, e)| &before[s..e]).collect();
    let place = before_words.windows(n).position(|w| w == form_words.as_slice())?;
    let (prev, next) = (place.checked_sub(1).map(|i| before_words[i]), before_words.get(place + n).copied());
    let text = FoldedText::new(approved);
    let spans = tokens(&text.folded);
    let words: Vec<&str> = spans.iter().map(|&(s, e)| &text.folded[s..e]).collect();
    if words.windows(n).any(|w| w == form_words.as_slice()) {
        return None;
    }
    // The same words written with a space for the hyphen ("АҚШ пен" for "АҚШ-пен") are the form kept.
    let split = |ws: &[&str]| -> Vec<String> { ws.iter().flat_map(|w| w.split('-')).map(str::to_string).collect() };
    let (form_parts, parts) = (split(&form_words), split(&words));
    if form.contains('-') && parts.windows(form_parts.len()).any(|w| w == form_parts.as_slice()) {
        return None;
    }
    // Each word of the form, at a run of the approved text: the word itself or another form of it,
    // beside a neighbour it had. The run with the most words kept is the term's place.
    let mut best: Option<(usize, usize)> = None;
    for at in 0..words.len().saturating_sub(n - 1) {
        let run = &words[at..at + n];
        let fits = form_words.iter().zip(run).all(|(f, w)| f == w || same_word(f, w, lang));
        let (p, x) = (at.checked_sub(1).map(|i| words[i]), words.get(at + n).copied());
        let in_place = same_or_form(prev, p, lang) || same_or_form(next, x, lang);
        if fits && in_place {
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

    fn kk(suggestion: &str, form: &str, approved: &str) -> Option<String> {
        reinflected(suggestion, form, approved, Kk)
    }

    fn ru(suggestion: &str, form: &str, approved: &str) -> Option<String> {
        reinflected(suggestion, form, approved, Ru)
    }

    #[test]
    fn a_kazakh_term_in_another_case_is_reinflected() {
        // Dative in the suggestion, genitive needed by the sentence.
        let got =
            kk("Мемлекет басшысына сапары аяқталды.", "Мемлекет басшысына", "Мемлекет басшысының сапары аяқталды.");
        assert_eq!(got.as_deref(), Some("Мемлекет басшысының"));
        // The case ending dropped: the term kept its words, the form changed.
        let got = kk("Сыртқы істер министрлігіне хабарлады.", "министрлігіне", "Сыртқы істер министрлігі хабарлады.");
        assert_eq!(got.as_deref(), Some("министрлігі"));
    }

    #[test]
    fn an_abbreviation_with_another_hyphenated_suffix_is_reinflected() {
        assert_eq!(kk("ЕҚЫҰ-ға төрағасы", "ЕҚЫҰ-ға", "ЕҚЫҰ-ның төрағасы").as_deref(), Some("ЕҚЫҰ-ның"));
        assert_eq!(kk("ШЫҰ-ның саммиті", "ШЫҰ-ның", "ШЫҰ саммиті").as_deref(), Some("ШЫҰ"));
        assert_eq!(kk("ШЫҰ мүше елдер", "ШЫҰ", "ШЫҰ-ға мүше елдер").as_deref(), Some("ШЫҰ-ға"));
    }

    #[test]
    fn russian_terms_agree_after_the_fix() {
        let got = ru(
            "Президент вручил награду Генеральный секретарь.",
            "Генеральный секретарь",
            "Президент вручил награду Генеральному секретарю.",
        );
        assert_eq!(got.as_deref(), Some("Генеральному секретарю"));
        let got = ru("Главы государства доложили", "Главы государства", "Главе государства доложили");
        assert_eq!(got.as_deref(), Some("Главе государства"));
        let got = ru("по поручению Премьер-Министр", "Премьер-Министр", "по поручению Премьер-Министра");
        assert_eq!(got.as_deref(), Some("Премьер-Министра"));
        // A neighbour that agrees with the term changes with it: still in place.
        let got = ru(
            "встреча с новый Генеральный секретарь",
            "Генеральный секретарь",
            "встреча с новым Генеральным секретарем",
        );
        assert_eq!(got.as_deref(), Some("Генеральным секретарем"));
    }

    #[test]
    fn the_form_kept_another_word_or_a_removed_term_is_no_inflection_fix() {
        assert_eq!(kk("Мемлекет басшысы қабылдады.", "Мемлекет басшысы", "Мемлекет басшысы қабылдады."), None, "kept");
        assert_eq!(ru("ёлка", "ёлка", "Ёлка"), None, "only case and ё differ");
        // Another word: a term fix (or a rewrite), not an inflection.
        assert_eq!(ru("Глава государства заявил", "Глава государства", "Президент страны заявил"), None);
        assert_eq!(kk("Мемлекет басшысы қабылдады.", "Мемлекет басшысы", "Президент қабылдады."), None);
        // The term's words apart, no longer a run.
        assert_eq!(reinflected("a state visit", "state visit", "the visit of the state", En), None);
        // A derived word is another word: әкім (governor) is not әкімдік (governor's office).
        assert_eq!(kk("облыс әкімі", "әкімі", "облыс әкімдігі"), None);
        // A form the suggestion does not hold: nothing to compare.
        assert_eq!(kk("Президент қабылдады.", "Мемлекет басшысы", "Мемлекет басшысының қабылдауы"), None);
    }

    #[test]
    fn a_term_re_inflected_in_a_rebuilt_sentence_is_not_the_suggestions_error() {
        // The translator rebuilt the sentence: the term's case follows the new syntax and nothing
        // around it stayed. No evidence that the suggestion inflected it wrong.
        let got = kk(
            "Мемлекет басшысы делегацияны қабылдады.",
            "Мемлекет басшысы",
            "Делегация Мемлекет басшысының қабылдауында болды.",
        );
        assert_eq!(got, None);
        // The same change with a neighbour kept is a fix in place.
        let got = kk(
            "Делегация Мемлекет басшысы қабылдауында болды.",
            "Мемлекет басшысы",
            "Делегация Мемлекет басшысының қабылдауында болды.",
        );
        assert_eq!(got.as_deref(), Some("Мемлекет басшысының"));
    }

    #[test]
    fn official_usage_a_title_before_a_name_and_a_plural() {
        // Before a name the title stays in the nominative and the name takes the case: a genitive
        // put on the title too is fixed on the title.
        let got = kk(
            "Мемлекет басшысының Қасым-Жомарт Тоқаевтың сапары",
            "Мемлекет басшысының",
            "Мемлекет басшысы Қасым-Жомарт Тоқаевтың сапары",
        );
        assert_eq!(got.as_deref(), Some("Мемлекет басшысы"));
        // The name declined, the title kept: nothing to count.
        let got = ru(
            "встреча с Главой государства Касым-Жомарт Токаев",
            "Главой государства",
            "встреча с Главой государства Касым-Жомартом Токаевым",
        );
        assert_eq!(got, None);
        // A plural is an inflection of the term.
        let got = kk("Форумға мемлекет басшысы қатысты", "мемлекет басшысы", "Форумға мемлекет басшылары қатысты");
        assert_eq!(got.as_deref(), Some("мемлекет басшылары"));
    }

    #[test]
    fn official_usage_traps_are_no_inflection_fix() {
        // The ministry is not the minister: министрлігі is another word than министрі.
        let got = kk("Сыртқы істер министрі мәлімдеді", "Сыртқы істер министрі", "Сыртқы істер министрлігі мәлімдеді");
        assert_eq!(got, None);
        // A suffix written after a space instead of a hyphen is the same form.
        assert_eq!(kk("АҚШ-пен келіссөздер", "АҚШ-пен", "АҚШ пен келіссөздер"), None);
        // Russian abbreviations do not decline: a kept МИД is kept, however its neighbours change.
        assert_eq!(ru("с главой МИД Казахстана", "МИД", "с главой МИД Республики Казахстан"), None);
    }

    #[test]
    fn a_compound_with_another_second_word_is_another_word() {
        assert_eq!(ru("поручил вице-министру", "вице-министру", "поручил вице-премьеру"), None);
        assert_eq!(ru("заявил премьер-министр", "премьер-министр", "заявил премьер"), None);
    }

    #[test]
    fn english_plurals_count_too() {
        let got = reinflected("the foreign minister met", "foreign minister", "the foreign ministers met", En);
        assert_eq!(got.as_deref(), Some("foreign ministers"));
    }
}
