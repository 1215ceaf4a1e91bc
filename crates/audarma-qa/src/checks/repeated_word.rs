//! The `repeated-word` check: the same word twice in a row ("они они"), punctuation between the
//! two breaking the row.

use super::Input;
use crate::{Check, Finding, Severity};

pub(super) fn run(input: &Input<'_>, out: &mut Vec<Finding>) {
    let t = input.seg.target;
    let mut prev: Option<(&str, usize)> = None;
    for (start, word) in t.split_word_indices() {
        if let Some((p, pstart)) = prev {
            if p.to_lowercase() == word.to_lowercase() && word.chars().any(char::is_alphabetic) {
                out.push(Finding::new(Check::RepeatedWord, Severity::Warning, format!("“{word}” twice in a row")).at(
                    t,
                    pstart,
                    start + word.len(),
                ));
            }
        }
        prev = Some((word, start));
    }
}

trait WordIndices {
    fn split_word_indices(&self) -> Vec<(usize, &str)>;
}

impl WordIndices for str {
    /// Words (runs of letters and digits) with their byte offsets; punctuation between two words
    /// breaks the "in a row" (so "Astana, Astana" is not a repetition).
    fn split_word_indices(&self) -> Vec<(usize, &str)> {
        let mut out = Vec::new();
        let mut start = None;
        let mut gap_has_punct = false;
        for (i, c) in self.char_indices() {
            if c.is_alphanumeric() || c == '-' && start.is_some() {
                if start.is_none() {
                    if gap_has_punct {
                        out.push((i, ""));
                    }
                    start = Some(i);
                    gap_has_punct = false;
                }
            } else {
                if let Some(s) = start.take() {
                    out.push((s, &self[s..i]));
                }
                if !c.is_whitespace() {
                    gap_has_punct = true;
                }
            }
        }
        if let Some(s) = start {
            out.push((s, &self[s..]));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use crate::check;
    use crate::test_support::{run, segment};
    use audarma_core::Lang;

    #[test]
    fn repeated_word_ignores_words_split_by_punctuation_and_spans_are_chars() {
        assert_eq!(run("Astana.", "Астана, Астана."), []);
        let f = check(&segment("x", "Да да.", Lang::En, Lang::Ru));
        assert_eq!((f[0].start, f[0].end), (Some(0), Some(5)));
    }
}
