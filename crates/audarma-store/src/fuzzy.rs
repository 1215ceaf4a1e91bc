//! Fuzzy translation-memory matching, above the [`Store`] trait: a store only finds *candidates*
//! ([`Store::tm_fuzzy_candidates`]: a word index in SQLite, trigram similarity in PostgreSQL), and the
//! one scorer here ranks them, so every store gives the same matches with the same scores.

use crate::{tm_key, Result, Store, TmMatch};
use audarma_core::Lang;

/// How many candidates [`fuzzy_matches`] asks the store for before scoring them.
pub const FUZZY_CANDIDATES: u32 = 20;

/// A word must have at least this many characters to make two sentences alike: a text with no such
/// word (`и в`) has no fuzzy matches, whatever the store would offer.
pub const FUZZY_MIN_WORD_CHARS: usize = 3;

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
    if !tm_key(text).split(' ').any(|w| w.chars().count() >= FUZZY_MIN_WORD_CHARS) {
        return Ok(Vec::new());
    }
    let candidates = store.tm_fuzzy_candidates(source, target, text, FUZZY_CANDIDATES).await?;
    Ok(rank_fuzzy(text, candidates, min_score, limit))
}

/// How alike two sources are, 0–100: the normalised Levenshtein similarity over characters of their
/// [`tm_key`]s (whitespace collapsed), case-folded, rounded. Identical sentences that differ only in
/// case or spacing score 100.
pub fn fuzzy_score(text: &str, source: &str) -> u8 {
    score_folded(&tm_key(text).to_lowercase(), source)
}

fn score_folded(folded: &str, source: &str) -> u8 {
    (strsim::normalized_levenshtein(folded, &tm_key(source).to_lowercase()) * 100.0).round() as u8
}

/// Scores candidate (source, target) units against `text` ([`fuzzy_score`]), keeps those of at least
/// `min_score`, and orders them best first, then by source; candidates of equal score and source keep
/// the store's order. A unit offered twice is kept once. At most `limit` are returned.
pub fn rank_fuzzy(text: &str, candidates: Vec<(String, String)>, min_score: u8, limit: u32) -> Vec<TmMatch> {
    let folded = tm_key(text).to_lowercase();
    let mut out: Vec<TmMatch> = candidates
        .into_iter()
        .map(|(source, target)| TmMatch { score: score_folded(&folded, &source), source, target })
        .filter(|m| m.score >= min_score)
        .collect();
    out.sort_by(|a, b| b.score.cmp(&a.score).then_with(|| a.source.cmp(&b.source)));
    out.dedup_by(|a, b| a.source == b.source && a.target == b.target);
    out.truncate(limit as usize);
    out
}
