//! The `empty` check: the segment has no translation (an empty or blank target). When it fires,
//! no other check runs (see [`crate::check_with`]).

use super::Input;
use crate::{Check, Finding, Severity};

pub(super) fn run(input: &Input<'_>, out: &mut Vec<Finding>) {
    if input.blank() {
        out.push(Finding::new(Check::Empty, Severity::Error, "the segment has no translation yet".into()));
    }
}

#[cfg(test)]
mod tests {
    use crate::test_support::run;
    use crate::Severity;

    #[test]
    fn a_blank_target_is_only_empty() {
        assert_eq!(run("They met.", " "), [("empty", Severity::Error)]);
        assert_eq!(run("They met.", ""), [("empty", Severity::Error)]);
        assert_eq!(run("They met.", "Они встретились."), []);
    }
}
