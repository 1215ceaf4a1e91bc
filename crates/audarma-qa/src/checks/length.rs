//! The `length` check: the target's length in characters against the source's is within the
//! expected range for the pair ([`crate::Context::length_ratio`] or [`default_length_ratio`]).

use super::Input;
use crate::{Check, Finding, Severity};
use audarma_core::Lang;

/// Default target/source length ranges (characters) per pair, set from the clean pairs of
/// `tests/pairs.jsonl`: Russian runs longer than English; Kazakh, agglutinative, is often shorter
/// than both (one suffixed word for a Russian or English phrase); a date written with digits on one
/// side and in words on the other moves a short segment by 0.3. Wide on purpose: the check should
/// catch a lost or doubled sentence, not style. Callers with translation memory should pass the
/// pair's observed range as [`crate::Context::length_ratio`].
pub fn default_length_ratio(from: Lang, to: Lang) -> (f64, f64) {
    match (from, to) {
        (Lang::En, Lang::Ru) => (0.75, 1.7),
        (Lang::En, Lang::Kk) => (0.65, 1.75),
        (Lang::Ru, Lang::Kk) => (0.7, 1.45),
        (Lang::Kk, Lang::Ru) => (0.75, 1.55),
        (Lang::Ru | Lang::Kk, Lang::En) => (0.55, 1.5),
        _ => (0.6, 1.6),
    }
}

pub(super) fn run(input: &Input<'_>, out: &mut Vec<Finding>) {
    let (seg, ctx) = (input.seg, input.ctx);
    let s = seg.source.trim().chars().count();
    if s < 40 {
        return;
    }
    let t = seg.target.trim().chars().count();
    let (lo, hi) = ctx.length_ratio.unwrap_or_else(|| default_length_ratio(seg.source_lang, seg.target_lang));
    let r = t as f64 / s as f64;
    // Eight characters of slack, which matters only for short segments (a date in digits vs words).
    let (tf, sf) = (t as f64, s as f64);
    if tf + 8.0 < lo * sf || tf - 8.0 > hi * sf {
        let how = if r < lo { "shorter" } else { "longer" };
        out.push(Finding::new(
            Check::Length,
            Severity::Warning,
            format!(
                "the target is much {how} than the source ({t} vs {s} characters, ratio {r:.2}, expected {lo:.2}–{hi:.2}): is something missing or added?"
            ),
        ));
    }
}

#[cfg(test)]
mod tests {
    use crate::test_support::{has, run_pair, segment};
    use crate::{check_with, Check, Context};
    use audarma_core::Lang;

    #[test]
    fn length_against_the_default_and_the_given_range() {
        use Lang::*;
        let src = "The President held a meeting with the heads of regions on investment.";
        assert!(has(&run_pair(src, "Президент провел встречу.", En, Ru), "length"));
        let ctx = Context { length_ratio: Some((0.1, 5.0)), ..Context::default() };
        let seg = segment(src, "Президент провел встречу.", En, Ru);
        assert!(check_with(&seg, &ctx).iter().all(|f| f.check != Check::Length));
    }
}
