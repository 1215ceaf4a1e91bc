//! Fuzzy translation-memory matching, above the [`Store`] trait, so every store finds and ranks alike.
//!
//! The memory keeps a word index of every unit's source ([`index_text`]: case-folded words of three
//! letters or digits or more, each a 64-bit key of its language pair and spelling, and the unit's
//! length). A lookup asks the store how many units hold each word of the text ([`Store::tm_term_counts`]),
//! keeps the rarest ([`choose_terms`]: a few always, more while their postings stay within a budget),
//! takes the units of a plausible length ([`length_window`]) that hold most of them
//! ([`Store::tm_candidates`]), and ranks those by edit distance here ([`rank_fuzzy`]). A unit similar
//! enough to matter shares most of its words with the text, so it holds some of the rare ones; common
//! words, which would make the store read long posting lists, are left out.

use crate::{tm_key, Result, Store, TmMatch};
use audarma_core::Lang;
use rapidfuzz::distance::levenshtein;

/// How many candidates [`fuzzy_matches`] asks the store for before scoring them.
pub const FUZZY_CANDIDATES: u32 = 64;

/// A word must have at least this many letters or digits to make two sentences alike: a text with no
/// such word (`и в`) has no fuzzy matches, whatever the memory holds.
pub const FUZZY_MIN_WORD_CHARS: usize = 3;

/// The rarest words of a text always looked up, however common they are.
pub const TERMS_ALWAYS: usize = 4;
/// At most this many words of a text are looked up.
pub const TERMS_AT_MOST: usize = 10;
/// More words than [`TERMS_ALWAYS`] are looked up only while the units holding them add up to no more.
pub const POSTINGS_BUDGET: i64 = 10_000;

/// A text as the memory index keeps it: the keys of its words (each once, in order of first
/// appearance) and its length in characters once spaces are collapsed ([`tm_key`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexedText {
    pub terms: Vec<i64>,
    pub chars: u32,
}

/// The index entry of a source text of a language pair.
pub fn index_text(source: Lang, target: Lang, text: &str) -> IndexedText {
    let folded = tm_key(text).to_lowercase();
    let mut terms: Vec<i64> = Vec::new();
    for word in folded.split(|c: char| !c.is_alphanumeric()) {
        if word.chars().count() < FUZZY_MIN_WORD_CHARS {
            continue;
        }
        let key = term_key(source, target, word);
        if !terms.contains(&key) {
            terms.push(key);
        }
    }
    IndexedText { terms, chars: u32::try_from(folded.chars().count()).unwrap_or(u32::MAX) }
}

/// A unit in a term's postings: (term, the unit's length, unit).
pub type Posting = (i64, u32, i64);

/// What new units add to the index: their postings (term, length, unit), sorted, and how many of
/// them hold each term, sorted by term (so transactions adding to the same counts take them in order).
pub fn postings(units: &[(i64, IndexedText)]) -> (Vec<Posting>, Vec<(i64, i64)>) {
    let mut postings: Vec<Posting> = Vec::new();
    let mut counts: std::collections::HashMap<i64, i64> = std::collections::HashMap::new();
    for (id, indexed) in units {
        for &term in &indexed.terms {
            postings.push((term, indexed.chars, *id));
            *counts.entry(term).or_default() += 1;
        }
    }
    postings.sort_unstable();
    let mut counts: Vec<(i64, i64)> = counts.into_iter().collect();
    counts.sort_unstable();
    (postings, counts)
}

/// The stored key of a (case-folded) word of a pair's sources: FNV-1a, 64 bits, of `src>tgt:word`.
/// Stored in databases, so it must never change; a test pins it.
pub fn term_key(source: Lang, target: Lang, word: &str) -> i64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in source.code().bytes().chain(*b">").chain(target.code().bytes()).chain(*b":").chain(word.bytes()) {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash as i64
}

/// Which of a text's terms to look candidates up by, given how many units hold each: the rarest
/// first; [`TERMS_ALWAYS`] of them whatever their counts, then more while the postings read stay
/// within [`POSTINGS_BUDGET`], [`TERMS_AT_MOST`] in all. Terms no unit holds find nothing and are skipped.
pub fn choose_terms(counts: &[(i64, i64)]) -> Vec<i64> {
    let mut held: Vec<(i64, i64)> = counts.iter().copied().filter(|&(_, n)| n > 0).collect();
    held.sort_by_key(|&(term, n)| (n, term));
    let mut read = 0;
    let mut chosen = Vec::new();
    for (term, n) in held {
        if chosen.len() >= TERMS_AT_MOST || (chosen.len() >= TERMS_ALWAYS && read + n > POSTINGS_BUDGET) {
            break;
        }
        read += n;
        chosen.push(term);
    }
    chosen
}

/// The lengths (in characters, as [`IndexedText::chars`]) a unit can have and still score
/// `min_score` against a text of `chars`: the edit distance is at least the difference in length,
/// and the score is `1 − distance / longer length`.
pub fn length_window(chars: u32, min_score: u8) -> (u32, u32) {
    let keep = f64::from(min_score.min(100)) / 100.0;
    // Half a point of rounding: a score of 74.6 shows as 75.
    let keep = (keep - 0.005).max(0.0);
    let low = (f64::from(chars) * keep).floor() as u32;
    let high = if keep <= 0.0 { u32::MAX } else { (f64::from(chars) / keep).ceil().min(f64::from(u32::MAX)) as u32 };
    (low, high)
}

/// Translation-memory units of a pair whose source resembles `text`, best first, at least `min_score`
/// (0–100) similar, at most `limit`. See [`rank_fuzzy`] for the score and the order.
pub async fn fuzzy_matches(
    store: &dyn Store,
    source: Lang,
    target: Lang,
    text: &str,
    min_score: u8,
    limit: u32,
) -> Result<Vec<TmMatch>> {
    let indexed = index_text(source, target, text);
    if indexed.terms.is_empty() {
        return Ok(Vec::new());
    }
    let counts = store.tm_term_counts(&indexed.terms).await?;
    let chosen = choose_terms(&indexed.terms.iter().copied().zip(counts).collect::<Vec<_>>());
    if chosen.is_empty() {
        return Ok(Vec::new());
    }
    let window = length_window(indexed.chars, min_score);
    let candidates = store.tm_candidates(source, target, &chosen, window, FUZZY_CANDIDATES).await?;
    Ok(rank_fuzzy(text, candidates, min_score, limit))
}

/// How alike two sources are, 0–100: the normalised Levenshtein similarity over characters of their
/// [`tm_key`]s (whitespace collapsed), case-folded, rounded. Identical sentences that differ only in
/// case or spacing score 100.
pub fn fuzzy_score(text: &str, source: &str) -> u8 {
    Scorer::new(text).score(source, 0).unwrap_or(0)
}

/// One text scored against many sources (bit-parallel Levenshtein, stopping early past the distance
/// `min_score` allows).
pub struct Scorer {
    folded: Vec<char>,
    compare: levenshtein::BatchComparator<char>,
}

impl Scorer {
    pub fn new(text: &str) -> Scorer {
        let folded: Vec<char> = tm_key(text).to_lowercase().chars().collect();
        let compare = levenshtein::BatchComparator::new(folded.iter().copied());
        Scorer { folded, compare }
    }

    /// The [`fuzzy_score`] of `source`, or `None` when it is below `min_score`.
    pub fn score(&self, source: &str, min_score: u8) -> Option<u8> {
        let other: Vec<char> = tm_key(source).to_lowercase().chars().collect();
        let longer = self.folded.len().max(other.len());
        if longer == 0 {
            return Some(100).filter(|&s| s >= min_score);
        }
        let score = |distance: usize| (100.0 * (1.0 - distance as f64 / longer as f64)).round() as u8;
        // The largest distance that can still round to min_score; the exact score is checked below.
        let allowed = ((longer as f64) * (100.5 - f64::from(min_score)) / 100.0).ceil() as usize;
        let distance = self.compare.distance_with_args(
            other.iter().copied(),
            &levenshtein::Args::default().score_cutoff(allowed.min(longer)),
        )?;
        Some(score(distance)).filter(|&s| s >= min_score)
    }
}

/// Scores candidate (source, target) units against `text` ([`fuzzy_score`]), keeps those of at least
/// `min_score`, and orders them best first, then by source; candidates of equal score and source keep
/// the store's order. A unit offered twice is kept once. At most `limit` are returned.
pub fn rank_fuzzy(text: &str, candidates: Vec<(String, String)>, min_score: u8, limit: u32) -> Vec<TmMatch> {
    let scorer = Scorer::new(text);
    let mut out: Vec<TmMatch> = candidates
        .into_iter()
        .filter_map(|(source, target)| Some(TmMatch { score: scorer.score(&source, min_score)?, source, target }))
        .collect();
    out.sort_by(|a, b| b.score.cmp(&a.score).then_with(|| a.source.cmp(&b.source)));
    out.dedup_by(|a, b| a.source == b.source && a.target == b.target);
    out.truncate(limit as usize);
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn term_keys_never_change_and_differ_by_pair() {
        // Stored in every database: a change here would orphan their indexes.
        assert_eq!(term_key(Lang::En, Lang::Kk, "president"), term_key(Lang::En, Lang::Kk, "president"));
        // FNV-1a 64 of "en>kk:president", computed apart from this code.
        assert_eq!(term_key(Lang::En, Lang::Kk, "president"), 8_861_366_737_816_728_160);
        assert_ne!(term_key(Lang::En, Lang::Kk, "president"), term_key(Lang::En, Lang::Ru, "president"));
    }

    #[test]
    fn words_are_folded_split_at_anything_not_a_letter_and_kept_once() {
        let a = index_text(Lang::Kk, Lang::Ru, "ШЫҰ-ның  саммиті, ШЫҰ саммиті 2025 ж.");
        let b = index_text(Lang::Kk, Lang::Ru, "шыұ ның саммиті 2025");
        assert_eq!(a.terms, b.terms);
        assert_eq!(a.terms.len(), 4, "шыұ, ның, саммиті, 2025; «ж» is too short");
        assert_eq!(a.chars, "шыұ-ның саммиті, шыұ саммиті 2025 ж.".chars().count() as u32);
        assert!(index_text(Lang::Ru, Lang::En, "и в").terms.is_empty());
    }

    #[test]
    fn the_rarest_terms_are_chosen_within_the_budget() {
        let counts = [(1, 90_000), (2, 5), (3, 0), (4, 70), (5, 30_000), (6, 12), (7, 20_000)];
        // 2, 6, 4 and 7 always (4 of them), then 5 would read 50,087 postings: over the budget.
        assert_eq!(choose_terms(&counts), [2, 6, 4, 7]);
        let few = [(1, 90_000), (2, 80_000)];
        assert_eq!(choose_terms(&few), [2, 1], "common words are still looked up when there is nothing else");
        let many: Vec<(i64, i64)> = (0..20).map(|t| (t, 1)).collect();
        assert_eq!(choose_terms(&many).len(), TERMS_AT_MOST);
    }

    #[test]
    fn the_length_window_holds_every_length_that_can_reach_the_score() {
        assert_eq!(length_window(100, 75), (74, 135));
        assert_eq!(length_window(100, 0), (0, u32::MAX));
        assert_eq!(length_window(100, 100), (99, 101));
        // Exhaustively: every pair of lengths outside the window scores below.
        for a in 1..60u32 {
            let (low, high) = length_window(a, 75);
            for b in 1..120u32 {
                let best = 100.0 * (1.0 - f64::from(a.abs_diff(b)) / f64::from(a.max(b)));
                if best.round() >= 75.0 {
                    assert!(low <= b && b <= high, "{a} {b}");
                }
            }
        }
    }

    #[test]
    fn the_bounded_scorer_agrees_with_the_plain_definition() {
        let texts = ["Стороны обсудили вопросы торговли.", "Стороны обсудили вопросы транзита.", "abc", "", "Abc  d"];
        for a in texts {
            for b in texts {
                let plain = {
                    let (x, y) = (tm_key(a).to_lowercase(), tm_key(b).to_lowercase());
                    let longer = x.chars().count().max(y.chars().count());
                    if longer == 0 {
                        100
                    } else {
                        let d = levenshtein::distance(x.chars(), y.chars());
                        (100.0 * (1.0 - d as f64 / longer as f64)).round() as u8
                    }
                };
                assert_eq!(fuzzy_score(a, b), plain, "{a:?} {b:?}");
                for min in [0, 50, plain, plain.saturating_add(1)] {
                    assert_eq!(Scorer::new(a).score(b, min), Some(plain).filter(|&s| s >= min), "{a:?} {b:?} {min}");
                }
            }
        }
    }
}
