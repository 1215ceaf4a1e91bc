//! The `whitespace` check: leading, trailing and double spaces, and no-break spaces outside a
//! number or unit.

use super::Input;
use crate::{Check, Finding, Severity};

pub(super) fn run(input: &Input<'_>, out: &mut Vec<Finding>) {
    let t = input.seg.target;
    if t.starts_with(char::is_whitespace) || t.ends_with(char::is_whitespace) {
        out.push(Finding::new(Check::Whitespace, Severity::Info, "leading or trailing space".into()));
    }
    if let Some(i) = t.find("  ") {
        out.push(Finding::new(Check::Whitespace, Severity::Info, "double space".into()).at(t, i, i + 2));
    }
    // No-break spaces belong inside numbers and between a number and its unit, percent or
    // multiplier ("1 500", "20 %", "5 млн"), and before a dash.
    let chars: Vec<(usize, char)> = t.char_indices().collect();
    for (n, &(i, c)) in chars.iter().enumerate() {
        if !matches!(c, '\u{a0}' | '\u{202f}' | '\u{2007}') {
            continue;
        }
        let prev = n.checked_sub(1).map(|k| chars[k].1);
        let next = chars.get(n + 1).map(|x| x.1);
        let fine = prev.is_some_and(|p| p.is_ascii_digit())
            || next.is_some_and(|x| x.is_ascii_digit() || matches!(x, '—' | '–' | '%'))
            || matches!(prev, Some('№' | '§'));
        if !fine {
            out.push(
                Finding::new(Check::Whitespace, Severity::Info, "a no-break space outside a number or unit".into()).at(
                    t,
                    i,
                    i + c.len_utf8(),
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::test_support::run_pair;
    use crate::Severity;
    use audarma_core::Lang;

    #[test]
    fn no_break_spaces_belong_in_numbers() {
        use Lang::*;
        assert_eq!(run_pair("Up 20 %.", "Рост на 20\u{a0}% и 1\u{a0}500.", En, Ru).len(), 1); // numbers only
        let f = run_pair("They met.", "Они\u{a0}встретились.", En, Ru);
        assert_eq!(f, [("whitespace", Severity::Info)]);
    }
}
