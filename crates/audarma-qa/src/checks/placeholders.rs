//! The `placeholders` check: every placeholder of the source (`⟦n⟧`, `{name}`, `%s`, `<tag>`,
//! see [`crate::special::placeholder_spans`]) is in the target, and the target invents none.

use super::Input;
use crate::{Check, Finding, Severity};

pub(super) fn run(input: &Input<'_>, out: &mut Vec<Finding>) {
    let seg = input.seg;
    let src = &input.src_placeholders;
    let mut tgt = input.tgt_placeholders.clone();
    for (_, _, p) in src {
        if let Some(k) = tgt.iter().position(|t| t.2 == *p) {
            tgt.remove(k);
        } else {
            out.push(Finding::new(
                Check::Placeholders,
                Severity::Error,
                format!("the placeholder {p} of the source is missing"),
            ));
        }
    }
    for (s, e, p) in tgt {
        out.push(
            Finding::new(Check::Placeholders, Severity::Error, format!("the placeholder {p} is not in the source"))
                .at(seg.target, s, e),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::test_support::{has, run_pair};
    use audarma_core::Lang;

    #[test]
    fn placeholders_lost_or_invented() {
        use Lang::*;
        assert!(has(&run_pair("Dear {name}, see ⟦1⟧.", "Уважаемый, см. ⟦1⟧.", En, Ru), "placeholders"));
        assert!(
            !has(&run_pair("See ⟦1⟧.", "⟦ru⟧ См. ⟦1⟧.", En, Ru), "placeholders"),
            "a pseudo marker is not a placeholder"
        );
        assert!(has(&run_pair("See <b>this</b>.", "См. <b>это.", En, Ru), "placeholders"));
        assert!(has(&run_pair("Hello %s.", "Привет %s %d.", En, Ru), "placeholders"));
    }
}
