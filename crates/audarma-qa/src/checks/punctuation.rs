//! The `punctuation` check: the final mark of the sentence (a lost full stop, a question or
//! exclamation that differs), brackets that do not pair up, a space before a mark and a missing
//! space after one.

use super::Input;
use crate::special;
use crate::tokens::inside;
use crate::{Check, Evidence, Finding, Severity};

fn final_mark(s: &str) -> Option<char> {
    let c = s.trim_end().trim_end_matches(['»', '"', '”', ')', '’']).chars().next_back()?;
    matches!(c, '.' | '?' | '!' | '…' | ':' | ';').then_some(c)
}

pub(super) fn run(input: &Input<'_>, out: &mut Vec<Finding>) {
    let seg = input.seg;
    let (s, t) = (final_mark(seg.source), final_mark(seg.target));
    if s == Some('.') && t.is_none() {
        out.push(
            Finding::new(
                Check::Punctuation,
                Severity::Warning,
                "the source ends with a full stop; the target has no final punctuation".into(),
            )
            .because(Evidence { expected: Some(".".into()), ..Evidence::rule("final-mark-lost") }),
        );
    } else if s != t && (matches!(s, Some('?' | '!')) || matches!(t, Some('?' | '!'))) {
        let shown = |m: Option<char>| m.map(String::from).unwrap_or_else(|| "none".into());
        out.push(Finding::new(
            Check::Punctuation,
            Severity::Warning,
            format!("the sentence ends with {} in the source but {} in the target", shown(s), shown(t)),
        ));
    }
    for (open, close) in [('(', ')'), ('[', ']')] {
        let balance = |x: &str| {
            x.chars().filter(|c| *c == open).count() as isize - x.chars().filter(|c| *c == close).count() as isize
        };
        if balance(seg.target) != balance(seg.source) && balance(seg.target) != 0 {
            out.push(Finding::new(
                Check::Punctuation,
                Severity::Warning,
                format!("unbalanced brackets: “{open}” and “{close}” do not pair up"),
            ));
        }
    }
    for (i, _) in seg.target.match_indices([' ']) {
        if let Some(next) = seg.target[i + 1..].chars().next() {
            if matches!(next, ',' | '.' | ';' | ':' | '!' | '?') && !seg.target[i + 1..].starts_with("...") {
                out.push(Finding::new(Check::Punctuation, Severity::Info, format!("space before “{next}”")).at(
                    seg.target,
                    i,
                    i + 1 + next.len_utf8(),
                ));
            }
        }
    }
    // A missing space after a mark: "ended.The", "Astana,Almaty". Initials ("Қ.Тоқаев"),
    // abbreviations ("т.б.", "e.g."), URLs and numbers are left alone.
    let spans = special::spans(&input.tgt_special);
    let spans_ph: Vec<(usize, usize)> = input.tgt_placeholders.iter().map(|&(s, e, _)| (s, e)).collect();
    let chars: Vec<(usize, char)> = seg.target.char_indices().collect();
    for n in 1..chars.len().saturating_sub(1) {
        let (i, c) = chars[n];
        let next = chars[n + 1].1;
        if !matches!(c, '.' | ',' | ';' | ':' | '!' | '?')
            || !next.is_alphabetic()
            || inside(&spans, i)
            || inside(&spans_ph, i)
        {
            continue;
        }
        let word_before: String =
            chars[..n].iter().rev().take_while(|(_, c)| c.is_alphabetic()).map(|(_, c)| *c).collect();
        let prev_word_len = word_before.chars().count();
        let flagged = if c == '.' {
            next.is_uppercase() && prev_word_len >= 2 && word_before.chars().rev().skip(1).all(char::is_lowercase)
        } else {
            prev_word_len >= 1 || chars[n - 1].1.is_ascii_digit() && c != ':'
        };
        if flagged {
            out.push(Finding::new(Check::Punctuation, Severity::Warning, format!("no space after “{c}”")).at(
                seg.target,
                i,
                i + c.len_utf8() + next.len_utf8(),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::test_support::{has, run, run_pair};
    use crate::Severity;
    use audarma_core::Lang;

    #[test]
    fn final_marks_brackets_and_spaces_around_marks() {
        use Lang::*;
        assert_eq!(run("Is it ready?", "Готово."), [("punctuation", Severity::Warning)]);
        assert!(has(&run_pair("It (the plan) works.", "План (программа работает.", En, Ru), "punctuation"));
        assert!(has(&run_pair("It ended. Then.", "Завершилось.Затем.", En, Ru), "punctuation"));
        assert_eq!(run_pair("K. Tokayev met.", "Қ.Тоқаев кездесті.", En, Kk), []);
    }
}
