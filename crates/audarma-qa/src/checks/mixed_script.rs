//! The `mixed-script` check: look-alike letters of another script or alphabet (Latin "a" in a
//! Cyrillic word, Azerbaijani "ə" for Kazakh "ә"), found by [`audarma_text::lookalikes`].

use super::Input;
use crate::{Check, Finding, Severity};

/// Look-alike letters (Latin "a" in a Cyrillic word, "ə" for "ә"): in the target an error to fix; in
/// the source a note, since the source is kept as published.
pub(super) fn run(input: &Input<'_>, out: &mut Vec<Finding>) {
    let seg = input.seg;
    for l in audarma_text::lookalikes(seg.target) {
        out.push(
            Finding::new(
                Check::MixedScript,
                Severity::Warning,
                format!("“{}” (U+{:04X}) looks like “{}” but is another letter", l.found, l.found as u32, l.expected),
            )
            .at(seg.target, l.start, l.end),
        );
    }
    let in_source = audarma_text::lookalikes(seg.source);
    if let Some(l) = in_source.first() {
        out.push(Finding::new(
            Check::MixedScript,
            Severity::Info,
            format!(
                "the source has {} look-alike letter(s), e.g. “{}” for “{}”: glossary terms there may be missed",
                in_source.len(),
                l.found,
                l.expected
            ),
        ));
    }
}

#[cfg(test)]
mod tests {
    use crate::test_support::run;
    use crate::Severity;

    #[test]
    fn lookalike_letters_are_flagged_in_target_and_source() {
        assert_eq!(run("The talks ended.", "Переговоры зaвершились."), [("mixed-script", Severity::Warning)]);
        assert_eq!(run("Tаlks ended.", "Переговоры завершились."), [("mixed-script", Severity::Info)]);
    }
}
