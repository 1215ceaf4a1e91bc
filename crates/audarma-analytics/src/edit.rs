//! Post-editing effort: how far the approved text is from the suggestion the translator started
//! from (machine translation or memory).
//!
//! - **Tokens** ([`tokens`]): whitespace separates and is dropped; a *word* is a maximal run of
//!   letters, digits and combining marks (Unicode `Alphabetic`/`Numeric`, so Cyrillic with
//!   ә ғ қ ң ө ұ ү һ і and any other script), kept whole across a hyphen or an apostrophe between
//!   two such characters (`ШЫҰ-ның`, `COVID-19`, `don't`, `Қазақстан’ның`) and across a `.` or `,`
//!   between two digits (`1,500.5`, `12.03.2026`); every other character (punctuation, quotation
//!   marks, symbols) is a token of its own (`«`, `…`, `"`, `%`). Case is kept: a capital the
//!   translator fixed is an edit.
//! - **Word edits**: Levenshtein distance over those tokens (insertions, deletions and
//!   substitutions of whole tokens, each costing one).
//! - **HTER** (`word edits / tokens of the approved text`): TER with the approved text as the
//!   reference, **without shifts** — a moved phrase costs its deletions and insertions, where TER
//!   would count one shift, so this rate is at least the TER of the pair (and equals it when no
//!   shift would help). An empty approved text gives 0 when the suggestion was empty too and 1
//!   otherwise (sacrebleu's convention for an empty reference). The rate may exceed 1.
//! - **Character distance**: Levenshtein distance over characters (Unicode scalar values,
//!   whitespace included), normalised by the longer text's length (0 = same, 1 = nothing shared);
//!   two empty texts are 0 apart.

use serde::{Deserialize, Serialize};

/// What post-editing one segment took.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PostEdit {
    /// Tokens (words and punctuation marks) of the suggestion.
    pub suggestion_tokens: usize,
    /// Tokens of the approved text: HTER's denominator.
    pub approved_tokens: usize,
    /// Token-level Levenshtein distance.
    pub word_edits: usize,
    /// `word_edits / approved_tokens` (see the module documentation for 0 tokens).
    pub hter: f64,
    /// Character-level Levenshtein distance.
    pub char_edits: usize,
    /// `char_edits` over the longer text's length in characters, 0–1.
    pub char_distance: f64,
}

/// The effort between `suggestion` and `approved`.
pub fn post_edit(suggestion: &str, approved: &str) -> PostEdit {
    let s = tokens(suggestion);
    let a = tokens(approved);
    let word_edits = levenshtein(&s, &a);
    let sc: Vec<char> = suggestion.chars().collect();
    let ac: Vec<char> = approved.chars().collect();
    let char_edits = levenshtein(&sc, &ac);
    let longer = sc.len().max(ac.len());
    PostEdit {
        suggestion_tokens: s.len(),
        approved_tokens: a.len(),
        word_edits,
        hter: rate(word_edits, a.len()),
        char_edits,
        char_distance: if longer == 0 { 0.0 } else { char_edits as f64 / longer as f64 },
    }
}

/// HTER of several segments: all their word edits over all their approved tokens (as a corpus
/// TER sums before dividing), not the mean of their rates.
pub fn corpus_hter<'a>(edits: impl IntoIterator<Item = &'a PostEdit>) -> f64 {
    let (e, t) = edits.into_iter().fold((0, 0), |(e, t), p| (e + p.word_edits, t + p.approved_tokens));
    rate(e, t)
}

fn rate(edits: usize, reference: usize) -> f64 {
    match (edits, reference) {
        (_, r) if r > 0 => edits as f64 / r as f64,
        (0, _) => 0.0,
        _ => 1.0,
    }
}

/// The tokens of `text`, in order (see the module documentation).
pub fn tokens(text: &str) -> Vec<&str> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let (start, c) = chars[i];
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        if !is_word_char(c) {
            out.push(&text[start..start + c.len_utf8()]);
            i += 1;
            continue;
        }
        let mut j = i + 1;
        while j < chars.len() {
            let c = chars[j].1;
            if is_word_char(c) {
                j += 1;
                continue;
            }
            let prev = chars[j - 1].1;
            let next = chars.get(j + 1).map(|&(_, n)| n);
            let joins = match next {
                Some(next) if is_word_char(next) => {
                    matches!(c, '-' | '\u{2010}' | '\u{2011}' | '\'' | '\u{2019}' | '\u{2bc}')
                        || (matches!(c, '.' | ',') && prev.is_numeric() && next.is_numeric())
                }
                _ => false,
            };
            if !joins {
                break;
            }
            j += 2;
        }
        let end = chars.get(j).map_or(text.len(), |&(b, _)| b);
        out.push(&text[start..end]);
        i = j;
    }
    out
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || is_combining_mark(c)
}

/// The combining diacritical blocks (a decomposed й is и + U+0306).
fn is_combining_mark(c: char) -> bool {
    matches!(c, '\u{300}'..='\u{36f}' | '\u{483}'..='\u{489}' | '\u{1ab0}'..='\u{1aff}' | '\u{1dc0}'..='\u{1dff}' | '\u{20d0}'..='\u{20ff}' | '\u{fe20}'..='\u{fe2f}')
}

/// Levenshtein distance (unit costs) between two sequences, in O(len) memory; the common prefix
/// and suffix, which cost nothing, are set aside first.
pub fn levenshtein<T: PartialEq>(a: &[T], b: &[T]) -> usize {
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let (a, b) = (&a[prefix..], &b[prefix..]);
    let suffix = a.iter().rev().zip(b.iter().rev()).take_while(|(x, y)| x == y).count();
    let (a, b) = (&a[..a.len() - suffix], &b[..b.len() - suffix]);
    let (a, b) = if a.len() < b.len() { (b, a) } else { (a, b) };
    if b.is_empty() {
        return a.len();
    }
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, x) in a.iter().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, y) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = if x == y { diagonal } else { 1 + diagonal.min(above).min(row[j]) };
            diagonal = above;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_words_and_single_marks() {
        assert_eq!(tokens("«Бас хатшысымен» кездесті."), ["«", "Бас", "хатшысымен", "»", "кездесті", "."]);
        assert_eq!(
            tokens("ШЫҰ-ның 2,3 млрд, 12.03.2026 — don't"),
            ["ШЫҰ-ның", "2,3", "млрд", ",", "12.03.2026", "—", "don't"]
        );
        // A hyphen or full stop that does not stand between two word characters is a token.
        assert_eq!(tokens("Астана- қ.Алматы..."), ["Астана", "-", "қ", ".", "Алматы", ".", ".", "."]);
        assert_eq!(tokens("5,a 1.5%"), ["5", ",", "a", "1.5", "%"]);
        // Decomposed й (и + combining breve) stays one word.
        assert_eq!(tokens("Бейжің и\u{306}ә"), ["Бейжің", "и\u{306}ә"]);
        assert_eq!(tokens(" \t\u{a0}"), Vec::<&str>::new());
        assert_eq!(tokens("ӘҒҚҢӨҰҮҺІ әғқңөұүһі"), ["ӘҒҚҢӨҰҮҺІ", "әғқңөұүһі"]);
    }

    #[test]
    fn levenshtein_counts_unit_edits() {
        let d = |a: &str, b: &str| levenshtein(&a.chars().collect::<Vec<_>>(), &b.chars().collect::<Vec<_>>());
        assert_eq!(d("kitten", "sitting"), 3);
        assert_eq!(d("", "abc"), 3);
        assert_eq!(d("abc", ""), 3);
        assert_eq!(d("flaw", "lawn"), 2);
        assert_eq!(d("хатшысына", "хатшысымен"), 3);
        assert_eq!(d("same", "same"), 0);
        assert_eq!(d("abcXdef", "abcdef"), 1);
    }

    #[test]
    fn post_edit_of_one_inflection() {
        // One token substituted out of five: «хатшысына» → «хатшысымен».
        let p = post_edit("Президент Бас хатшысына жолықты.", "Президент Бас хатшысымен жолықты.");
        assert_eq!((p.suggestion_tokens, p.approved_tokens, p.word_edits), (5, 5, 1));
        assert_eq!(p.hter, 0.2);
        assert_eq!(p.char_edits, 3);
        assert_eq!(p.char_distance, 3.0 / 33.0);
    }

    #[test]
    fn post_edit_counts_a_move_as_edits_of_each_token() {
        // TER shifts «Президент Тоқаев» in one edit: sacrebleu 2.6.0,
        // `TER().sentence_score("Президент Тоқаев Астанада делегацияны қабылдады",
        // ["Астанада делегацияны Президент Тоқаев қабылдады"]).score` is 20.0. Without shifts the
        // move costs four edits of five tokens.
        let p = post_edit(
            "Президент Тоқаев Астанада делегацияны қабылдады",
            "Астанада делегацияны Президент Тоқаев қабылдады",
        );
        assert_eq!((p.approved_tokens, p.word_edits), (5, 4));
        assert_eq!(p.hter, 0.8);
    }

    #[test]
    fn empty_texts() {
        let p = post_edit("", "");
        assert_eq!((p.word_edits, p.hter, p.char_distance), (0, 0.0, 0.0));
        let p = post_edit("Астана", "");
        assert_eq!((p.word_edits, p.hter, p.char_distance), (1, 1.0, 1.0));
        let p = post_edit("", "Астана қаласы.");
        assert_eq!((p.word_edits, p.hter, p.char_edits, p.char_distance), (3, 1.0, 14, 1.0));
        let p = post_edit("a b c d", "a");
        assert_eq!(p.hter, 3.0);
    }

    #[test]
    fn case_and_punctuation_are_edits() {
        let p = post_edit("министр иностранных дел", "Министр иностранных дел.");
        assert_eq!((p.word_edits, p.approved_tokens), (2, 4));
        assert_eq!(p.char_edits, 2);
    }

    #[test]
    fn corpus_hter_sums_before_dividing() {
        let a = post_edit("a b", "a c"); // 1 / 2
        let b = post_edit("a b c d e f g h", "a b c d e f g h"); // 0 / 8
        assert_eq!(corpus_hter([&a, &b]), 0.1);
        assert_eq!(corpus_hter([]), 0.0);
        let json = serde_json::to_value(a).unwrap();
        assert_eq!(json["hter"], 0.5);
        assert_eq!(json["word_edits"], 1);
    }
}
