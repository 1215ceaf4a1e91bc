//! The `urls` check: every URL, e-mail address, #hashtag and @handle of the source
//! ([`crate::special::special_spans`]) is in the target unchanged, and the target has no new ones.

use super::Input;
use crate::special::Special;
use crate::{Check, Finding, Severity};

pub(super) fn run(input: &Input<'_>, out: &mut Vec<Finding>) {
    let (seg, src, tgt) = (input.seg, &input.src_special, &input.tgt_special);
    let mut left: Vec<&Special<'_>> = tgt.iter().collect();
    for s in src {
        if let Some(p) = left.iter().position(|t| t.text == s.text) {
            left.remove(p);
            continue;
        }
        let altered = left.iter().position(|t| t.kind == s.kind);
        let f = match altered {
            Some(p) => {
                let t = left.remove(p);
                Finding::new(
                    Check::Urls,
                    Severity::Error,
                    format!("the {} {} of the source is changed to {} in the target", s.kind.name(), s.text, t.text),
                )
                .at(seg.target, t.start, t.end)
            }
            None => Finding::new(
                Check::Urls,
                Severity::Error,
                format!("the {} {} of the source is missing", s.kind.name(), s.text),
            ),
        };
        out.push(f);
    }
    for t in left {
        out.push(
            Finding::new(
                Check::Urls,
                Severity::Warning,
                format!("the {} {} is not in the source", t.kind.name(), t.text),
            )
            .at(seg.target, t.start, t.end),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::test_support::run_pair;
    use crate::Severity;
    use audarma_core::Lang;

    #[test]
    fn urls_addresses_hashtags_and_handles() {
        use Lang::*;
        let f = run_pair(
            "See https://gov.kz/x and write to info@gov.kz.",
            "См. https://gov.kz/y и пишите на info@gov.kz.",
            En,
            Ru,
        );
        assert_eq!(f, [("urls", Severity::Error)]);
        assert_eq!(
            run_pair("Follow #Astana2026 and @akorda_press.", "Следите за #Astana2026 и @akorda_press.", En, Ru),
            []
        );
    }
}
