//! The `untranslated` check: the target is the source as is, or a stretch of four or more
//! ordinary source words is copied into it (an error); in a Cyrillic translation of English, a
//! stretch of three or more English words, names included (a warning).

use super::Input;
use crate::special;
use crate::tokens::{inside, tokens as text_tokens, Kind};
use crate::{Check, Finding, Severity};
use audarma_core::Lang;

pub(super) fn run(input: &Input<'_>, out: &mut Vec<Finding>) {
    let seg = input.seg;
    if seg.source_lang == seg.target_lang {
        return;
    }
    let letters = seg.source.chars().filter(|c| c.is_alphabetic()).count();
    if letters >= 4 && seg.source.trim() == seg.target.trim() {
        out.push(Finding::new(Check::Untranslated, Severity::Error, "the target is the same as the source".into()));
        return;
    }
    let spans = special::spans(&input.src_special);
    let src: Vec<(String, bool)> = text_tokens(seg.source)
        .into_iter()
        .filter(|t| !inside(&spans, t.start))
        .map(|t| {
            let ordinary = t.kind == Kind::Letters
                && t.text.chars().count() >= 2
                && t.text.chars().next().is_some_and(char::is_lowercase);
            (t.text.to_lowercase(), ordinary)
        })
        .collect();
    let tgt = text_tokens(seg.target);
    let tgt_lower: Vec<String> = tgt.iter().map(|t| t.text.to_lowercase()).collect();
    // An English stretch copied into a Cyrillic target is untranslated from three words on
    // ("Ministry of Energy"), names included: official Kazakh and Russian translate them.
    let cross_script = seg.source_lang == Lang::En;
    let mut best: Option<(usize, usize, usize)> = None; // (ordinary words, target start tok, end tok)
    let mut latin_run: Option<(usize, usize, usize)> = None; // (words, target start tok, end tok)
    for i in 0..src.len() {
        for j in 0..tgt.len() {
            let mut k = 0;
            let mut ordinary = 0;
            while i + k < src.len() && j + k < tgt.len() && src[i + k].0 == tgt_lower[j + k] {
                ordinary += usize::from(src[i + k].1);
                k += 1;
            }
            if k > 0 && best.is_none_or(|b| ordinary > b.0) {
                best = Some((ordinary, j, j + k - 1));
            }
            let words = tgt[j..j + k].iter().filter(|t| t.kind == Kind::Letters && t.text.is_ascii()).count();
            if cross_script && words == k && k > 0 && latin_run.is_none_or(|b| words > b.0) {
                latin_run = Some((words, j, j + k - 1));
            }
        }
    }
    let best = best
        .filter(|b| b.0 >= 4)
        .map(|b| (b, Severity::Error))
        .or(latin_run.filter(|r| r.0 >= 3).map(|r| (r, Severity::Warning)));
    if let Some(((n, a, b), severity)) = best {
        let (s, e) = (tgt[a].start, tgt[b].end);
        out.push(
            Finding::new(
                Check::Untranslated,
                severity,
                format!("“{}” is copied from the source untranslated ({n} words)", &seg.target[s..e]),
            )
            .at(seg.target, s, e),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::test_support::{has, run, run_pair};
    use crate::Severity;
    use audarma_core::Lang;

    #[test]
    fn untranslated_stretches() {
        assert_eq!(run("The talks ended.", "The talks ended."), [("untranslated", Severity::Error)]);
        let f = run_pair(
            "The ministry will continue to support small and medium businesses.",
            "Министрлік will continue to support small and medium businesses.",
            Lang::En,
            Lang::Kk,
        );
        assert!(has(&f, "untranslated"), "{f:?}");
    }
}
