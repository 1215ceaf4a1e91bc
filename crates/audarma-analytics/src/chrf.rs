//! chrF++ (Popović 2017) exactly as sacrebleu 2.x computes it with `CHRF(word_order=2)`, its
//! defaults otherwise:
//!
//! - **character n-grams** of order 1 to 6 over the text with every whitespace character removed
//!   (sacrebleu joins `line.split()`: Python's `str.split`, whose whitespace is [`is_py_space`] —
//!   which, unlike Rust's, includes the separators U+001C–U+001F);
//! - **word n-grams** of order 1 and 2 over sacrebleu's tokens: the text split at whitespace, then
//!   of each word longer than one character an ASCII punctuation mark at its end split off, or
//!   else one at its start (`"Astana,"` → `Astana` `,`; `"(ҚР)"` → `(ҚР` `)`; «…» are not ASCII
//!   and stay attached);
//! - case kept, no other normalisation;
//! - per order the hypothesis, reference and matching n-gram counts (a match is the smaller of
//!   the two counts of an n-gram; an order the reference has no n-gram of counts no hypothesis
//!   n-grams either);
//! - the score: precision and recall averaged over the orders where both the hypothesis and the
//!   reference have n-grams (sacrebleu's "effective order", not the ε smoothing of chrF++.py),
//!   then F-β with β = 2, × 100. No order counted gives 0.
//!
//! A corpus score sums the per-segment counts first and scores the sums, as sacrebleu's
//! `corpus_score` does ([`ChrfStats`] adds up). One reference per segment.

use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::hash::Hash;
use std::ops::{Add, AddAssign};

/// Character n-gram orders (sacrebleu's `CHAR_ORDER`).
pub const CHAR_ORDER: usize = 6;
/// Word n-gram orders: 2 makes chrF into chrF++.
pub const WORD_ORDER: usize = 2;
/// Recall weighs β² = 4 times precision.
pub const BETA: u32 = 2;

/// Orders in all: character orders first, then word orders.
pub const ORDERS: usize = CHAR_ORDER + WORD_ORDER;

/// The n-gram counts of one or more segments: per order (character orders 1–6, then word orders
/// 1–2) the hypothesis n-grams, the reference n-grams and the matches. Summing the stats of
/// segments and scoring the sum is sacrebleu's corpus chrF++.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ChrfStats {
    /// `[hypothesis, reference, matching]` n-gram counts per order.
    pub orders: [[u64; 3]; ORDERS],
}

impl ChrfStats {
    /// chrF++ of these counts, 0–100.
    pub fn score(&self) -> f64 {
        // sacrebleu's `CHRF._compute_f_score` without ε smoothing, in its order of operations so
        // that the float results agree to the last bits.
        let factor = f64::from(BETA * BETA);
        let (mut avg_prec, mut avg_rec, mut effective) = (0.0_f64, 0.0_f64, 0_u32);
        for &[hyp, reference, matching] in &self.orders {
            if hyp > 0 && reference > 0 {
                avg_prec += matching as f64 / hyp as f64;
                avg_rec += matching as f64 / reference as f64;
                effective += 1;
            }
        }
        if effective == 0 {
            return 0.0;
        }
        avg_prec /= f64::from(effective);
        avg_rec /= f64::from(effective);
        if avg_prec + avg_rec == 0.0 {
            return 0.0;
        }
        let mut score = (1.0 + factor) * avg_prec * avg_rec;
        score /= factor * avg_prec + avg_rec;
        100.0 * score
    }
}

impl Add for ChrfStats {
    type Output = ChrfStats;
    fn add(mut self, other: ChrfStats) -> ChrfStats {
        self += other;
        self
    }
}

impl AddAssign for ChrfStats {
    fn add_assign(&mut self, other: ChrfStats) {
        for (mine, theirs) in self.orders.iter_mut().zip(other.orders) {
            for (m, t) in mine.iter_mut().zip(theirs) {
                *m += t;
            }
        }
    }
}

impl std::iter::Sum for ChrfStats {
    fn sum<I: Iterator<Item = ChrfStats>>(iter: I) -> ChrfStats {
        iter.fold(ChrfStats::default(), Add::add)
    }
}

/// Sentence-level chrF++ of `hypothesis` against `reference`, 0–100 (sacrebleu's
/// `CHRF(word_order=2).sentence_score(hypothesis, [reference]).score`).
pub fn chrf_pp(hypothesis: &str, reference: &str) -> f64 {
    chrf_stats(hypothesis, reference).score()
}

/// Corpus-level chrF++ of (hypothesis, reference) pairs: the counts of every pair summed, then
/// scored (sacrebleu's `corpus_score(hypotheses, [references])`). No pairs give 0.
pub fn corpus_chrf_pp<H: AsRef<str>, R: AsRef<str>>(pairs: impl IntoIterator<Item = (H, R)>) -> f64 {
    pairs.into_iter().map(|(h, r)| chrf_stats(h.as_ref(), r.as_ref())).sum::<ChrfStats>().score()
}

/// The n-gram counts of one segment, to be summed with others or scored.
pub fn chrf_stats(hypothesis: &str, reference: &str) -> ChrfStats {
    let mut stats = ChrfStats::default();
    let hyp_chars: Vec<char> = hypothesis.chars().filter(|&c| !is_py_space(c)).collect();
    let ref_chars: Vec<char> = reference.chars().filter(|&c| !is_py_space(c)).collect();
    for n in 1..=CHAR_ORDER {
        stats.orders[n - 1] = match_counts(&hyp_chars, &ref_chars, n);
    }
    let hyp_words = words(hypothesis);
    let ref_words = words(reference);
    for n in 1..=WORD_ORDER {
        stats.orders[CHAR_ORDER + n - 1] = match_counts(&hyp_words, &ref_words, n);
    }
    stats
}

/// `[hypothesis, reference, matching]` n-grams of order `n` (sacrebleu's `_get_match_statistics`).
fn match_counts<T: Eq + Hash>(hyp: &[T], reference: &[T], n: usize) -> [u64; 3] {
    let hyp_grams = ngrams(hyp, n);
    let ref_grams = ngrams(reference, n);
    let ref_total: u64 = ref_grams.values().sum();
    if ref_grams.is_empty() {
        // sacrebleu: "don't count hits if no reference exists for that n-gram".
        return [0, ref_total, 0];
    }
    let mut hyp_total = 0;
    let mut matching = 0;
    for (gram, &count) in &hyp_grams {
        hyp_total += count;
        if let Some(&r) = ref_grams.get(gram) {
            matching += count.min(r);
        }
    }
    [hyp_total, ref_total, matching]
}

fn ngrams<T: Eq + Hash>(items: &[T], n: usize) -> HashMap<&[T], u64> {
    let mut grams = HashMap::new();
    if items.len() >= n {
        for w in items.windows(n) {
            *grams.entry(w).or_insert(0) += 1;
        }
    }
    grams
}

/// sacrebleu's chrF word tokens (`CHRF._remove_punctuation`).
fn words(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for w in text.split(is_py_space).filter(|w| !w.is_empty()) {
        let mut chars = w.chars();
        let (Some(first), Some(last)) = (chars.next(), chars.next_back()) else {
            // One character (`chars.next_back()` is `None` after the only one was taken).
            out.push(w);
            continue;
        };
        if is_ascii_punct(last) {
            out.push(&w[..w.len() - last.len_utf8()]);
            out.push(&w[w.len() - last.len_utf8()..]);
        } else if is_ascii_punct(first) {
            out.push(&w[..first.len_utf8()]);
            out.push(&w[first.len_utf8()..]);
        } else {
            out.push(w);
        }
    }
    out
}

/// Python's `string.punctuation`, which sacrebleu splits off words.
fn is_ascii_punct(c: char) -> bool {
    c.is_ascii_punctuation()
}

/// Python's `str.isspace` (what `str.split()` splits at): Unicode `White_Space` plus the
/// information separators U+001C–U+001F, which Python counts as whitespace and Rust does not.
pub fn is_py_space(c: char) -> bool {
    matches!(
        c,
        '\t' | '\n'
            | '\u{0b}'
            | '\u{0c}'
            | '\r'
            | '\u{1c}'..='\u{1f}'
            | ' '
            | '\u{85}'
            | '\u{a0}'
            | '\u{1680}'
            | '\u{2000}'..='\u{200a}'
            | '\u{2028}'
            | '\u{2029}'
            | '\u{202f}'
            | '\u{205f}'
            | '\u{3000}'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reference values from sacrebleu 2.6.0 (`pip install sacrebleu`), each printed by
    ///
    /// ```sh
    /// python3 -c 'import sys; from sacrebleu.metrics import CHRF; h, r = sys.argv[1:]; print(repr(CHRF(word_order=2).sentence_score(h, [r]).score))' HYPOTHESIS REFERENCE
    /// ```
    ///
    /// with the hypothesis and reference of the row as the two arguments (`\u{a0}` and the like
    /// passed as the characters themselves, e.g. with bash's `$'…'`). Rows: (name, hypothesis,
    /// reference, score).
    const SACREBLEU: &[(&str, &str, &str, f64)] = &[
        (
            "en-paraphrase",
            "The President met the Secretary-General of the United Nations in Astana.",
            "The President met with the UN Secretary-General in Astana.",
            68.95701009934136,
        ),
        (
            "en-identical",
            "Kazakhstan and Uzbekistan signed a roadmap on water resources.",
            "Kazakhstan and Uzbekistan signed a roadmap on water resources.",
            100.0,
        ),
        ("en-empty-hypothesis", "", "The Head of State received the delegation.", 0.0),
        ("empty-both", "", "", 0.0),
        ("empty-reference", "The Head of State received the delegation.", "", 0.0),
        ("en-no-overlap", "xyz", "abc", 0.0),
        (
            "ru-paraphrase",
            "Глава государства провёл встречу с министром иностранных дел Турции.",
            "Глава государства встретился с министром иностранных дел Турции.",
            80.65483436245437,
        ),
        (
            "ru-case",
            "министр иностранных дел Республики Казахстан",
            "Министр иностранных дел Республики Казахстан",
            92.37083689386321,
        ),
        (
            "ru-word-order",
            "Президент Токаев принял делегацию Всемирного банка.",
            "Делегацию Всемирного банка принял Президент Токаев.",
            77.83324822795585,
        ),
        (
            "ru-quotes",
            "Компания \"Самрук-Қазына\" объявила итоги.",
            "Компания «Самрук-Қазына» объявила итоги.",
            75.02411880214306,
        ),
        (
            "en-punctuation",
            "Astana 12 March 2026 the talks ended",
            "Astana, 12 March 2026: the talks ended.",
            71.27683741784962,
        ),
        ("kk-inflection", "Бас хатшысына", "Бас хатшысымен", 61.260938426090185),
        (
            "kk-inflection-sentence",
            "Мемлекет басшысы БҰҰ Бас хатшысына хат жолдады.",
            "Мемлекет басшысы БҰҰ Бас хатшысымен кездесті.",
            66.67779383600214,
        ),
        (
            "kk-letters",
            "Әкім өңірдегі ғылыми орталықтың құрылысы үшін Үкіметке ұсыныс жіберді, һәм іс басталды.",
            "Өңір әкімі ғылыми орталықтың құрылысы туралы Үкіметке ұсыныс жолдады, һәм жұмыс басталды.",
            59.42195572500798,
        ),
        (
            "kk-parentheses",
            "Қазақстан Республикасы (ҚР) Парламенті",
            "Қазақстан Республикасының Парламенті",
            68.86585838273167,
        ),
        (
            "kk-whitespace",
            "Астана  қаласы\u{a0}әкімдігі\tжәне\u{2009}Алматы",
            "Астана қаласы әкімдігі және Алматы",
            100.0,
        ),
        ("kk-short", "Иә", "Иә, әрине.", 23.704520396912898),
        ("en-repeated", "the the the the", "the cat sat on the mat", 15.834611128820105),
        ("py-whitespace-x1f", "Астана\u{1f}қаласы", "Астана қаласы", 100.0),
    ];

    #[test]
    fn sentence_scores_agree_with_sacrebleu() {
        for &(name, hyp, reference, expected) in SACREBLEU {
            let got = chrf_pp(hyp, reference);
            assert!((got - expected).abs() < 1e-9, "{name}: ours {got}, sacrebleu {expected}");
        }
    }

    /// ```sh
    /// python3 -c 'import sys; from sacrebleu.metrics import CHRF; a = sys.argv[1:]; print(repr(CHRF(word_order=2).corpus_score(a[0::2], [a[1::2]]).score))' H1 R1 H2 R2 …
    /// ```
    /// with the rows named, in order, as hypothesis–reference argument pairs (sacrebleu 2.6.0).
    #[test]
    fn corpus_scores_agree_with_sacrebleu() {
        let cases: &[(&[&str], f64)] = &[
            (
                &["en-paraphrase", "ru-paraphrase", "kk-inflection-sentence", "kk-letters", "en-empty-hypothesis"],
                60.212057013798756,
            ),
            (&["en-repeated", "kk-short", "empty-both"], 13.635846044880404),
        ];
        for &(names, expected) in cases {
            let pairs: Vec<(&str, &str)> = names
                .iter()
                .map(|n| SACREBLEU.iter().find(|row| row.0 == *n).map(|row| (row.1, row.2)).expect(n))
                .collect();
            let got = corpus_chrf_pp(pairs.iter().copied());
            assert!((got - expected).abs() < 1e-9, "{names:?}: ours {got}, sacrebleu {expected}");
            // The corpus score is not the mean of the sentence scores.
            let mean = pairs.iter().map(|(h, r)| chrf_pp(h, r)).sum::<f64>() / pairs.len() as f64;
            assert!((got - mean).abs() > 0.1, "{names:?}: {got} vs mean {mean}");
        }
        assert_eq!(corpus_chrf_pp(std::iter::empty::<(&str, &str)>()), 0.0);
    }

    #[test]
    fn tokens_and_counts_are_sacrebleus() {
        assert_eq!(
            words("Astana, (ҚР) «Самрук-Қазына» a ... \"x\""),
            ["Astana", ",", "(ҚР", ")", "«Самрук-Қазына»", "a", "..", ".", "\"x", "\""]
        );
        let s = chrf_stats("the the the the", "the cat sat on the mat");
        // Word unigrams: four "the" in the hypothesis, two in the reference: two match.
        assert_eq!(s.orders[CHAR_ORDER], [4, 6, 2]);
        // Word bigrams: three "the the", none in the reference.
        assert_eq!(s.orders[CHAR_ORDER + 1], [3, 5, 0]);
        // No reference n-grams of an order: its hypothesis n-grams are not counted.
        assert_eq!(chrf_stats("abcdef", "abc").orders[3], [0, 0, 0]);
        let sum: ChrfStats = [s, s].into_iter().sum();
        assert_eq!(sum.orders[CHAR_ORDER], [8, 12, 4]);
        assert_eq!(sum.score(), s.score());
    }

    #[test]
    fn stats_serialize_as_counts() {
        let s = chrf_stats("ab", "ab");
        let json = serde_json::to_string(&s).unwrap();
        assert!(json.starts_with(r#"{"orders":[[2,2,2],[1,1,1],[0,0,0]"#), "{json}");
        assert_eq!(serde_json::from_str::<ChrfStats>(&json).unwrap(), s);
    }
}
