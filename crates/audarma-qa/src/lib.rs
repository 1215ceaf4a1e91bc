//! Quality checks on one translated segment. No I/O.
//!
//! [`check`] takes a source, its target, the language pair and the terminology judgements from
//! [`audarma_glossary::verify`], and returns [`Finding`]s, each with a stable check name
//! (`terminology`, `numbers`, `untranslated`, `empty`, `punctuation`, `whitespace`,
//! `repeated-word`, `mixed-script`), a severity, a message for the translator and, where there is one, the span in
//! the target (character offsets).

use audarma_core::Lang;
use audarma_glossary::{TermCheck, TermStatus};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub check: &'static str,
    pub severity: Severity,
    pub message: String,
    /// Character offsets in the target, where the finding has a place.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end: Option<usize>,
}

impl Finding {
    fn new(check: &'static str, severity: Severity, message: String) -> Self {
        Finding { check, severity, message, start: None, end: None }
    }

    fn at(mut self, text: &str, byte_start: usize, byte_end: usize) -> Self {
        self.start = Some(text[..byte_start].chars().count());
        self.end = Some(text[..byte_end].chars().count());
        self
    }
}

/// One segment to check.
pub struct Segment<'a> {
    pub source: &'a str,
    pub target: &'a str,
    pub source_lang: Lang,
    pub target_lang: Lang,
    /// Terminology judgements for this segment.
    pub terms: &'a [TermCheck],
}

/// Runs every check on one segment.
pub fn check(seg: &Segment<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    if seg.target.trim().is_empty() {
        out.push(Finding::new("empty", Severity::Error, "the segment has no translation yet".into()));
        return out;
    }
    terminology(seg, &mut out);
    numbers(seg, &mut out);
    untranslated(seg, &mut out);
    punctuation(seg, &mut out);
    whitespace(seg.target, &mut out);
    repeated_word(seg.target, &mut out);
    mixed_script(seg, &mut out);
    out
}

/// Look-alike letters (Latin "a" in a Cyrillic word, "ə" for "ә"): in the target an error to fix; in
/// the source a note, since the source is kept as published.
fn mixed_script(seg: &Segment<'_>, out: &mut Vec<Finding>) {
    for l in audarma_text::lookalikes(seg.target) {
        out.push(
            Finding::new(
                "mixed-script",
                Severity::Warning,
                format!("“{}” (U+{:04X}) looks like “{}” but is another letter", l.found, l.found as u32, l.expected),
            )
            .at(seg.target, l.start, l.end),
        );
    }
    let in_source = audarma_text::lookalikes(seg.source);
    if let Some(l) = in_source.first() {
        out.push(Finding::new(
            "mixed-script",
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

fn terminology(seg: &Segment<'_>, out: &mut Vec<Finding>) {
    for t in seg.terms {
        let f = match t.status {
            TermStatus::Ok => continue,
            TermStatus::Missing => Finding::new(
                "terminology",
                Severity::Error,
                format!("“{}” must be translated with the glossary term for `{}`", t.source, t.id),
            ),
            TermStatus::Forbidden => Finding::new(
                "terminology",
                Severity::Error,
                format!("“{}” is a forbidden term for `{}`", t.target.as_deref().unwrap_or_default(), t.id),
            ),
            TermStatus::Outdated => Finding::new(
                "terminology",
                Severity::Warning,
                format!("“{}” is not the name in use on the release date (`{}`)", t.source, t.id),
            ),
        };
        out.push(match t.span {
            Some((s, e)) if e <= seg.target.len() => f.at(seg.target, s, e),
            _ => f,
        });
    }
}

/// Numbers as digit strings, separators inside a number dropped: "1,500.5", "1 500,5" → "15005".
fn number_tokens(text: &str) -> Vec<(String, usize, usize)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i].is_ascii_digit() {
            let start = i;
            let mut digits = String::new();
            while i < b.len() {
                if b[i].is_ascii_digit() {
                    digits.push(b[i] as char);
                    i += 1;
                } else if matches!(b[i], b',' | b'.' | b' ') && b.get(i + 1).is_some_and(u8::is_ascii_digit) {
                    i += 1;
                } else if text[i..].starts_with('\u{a0}') && b.get(i + 2).is_some_and(u8::is_ascii_digit) {
                    i += 2;
                } else {
                    break;
                }
            }
            out.push((digits, start, i));
        } else {
            i += 1;
        }
    }
    out
}

fn numbers(seg: &Segment<'_>, out: &mut Vec<Finding>) {
    let src = number_tokens(seg.source);
    let mut tgt = number_tokens(seg.target);
    for (n, s, e) in &src {
        if let Some(pos) = tgt.iter().position(|(m, _, _)| m == n) {
            tgt.remove(pos);
        } else {
            let shown = &seg.source[*s..*e];
            out.push(Finding::new("numbers", Severity::Error, format!("the number {shown} of the source is missing")));
        }
    }
    for (_, s, e) in tgt {
        let shown = &seg.target[s..e];
        out.push(
            Finding::new("numbers", Severity::Warning, format!("the number {shown} is not in the source"))
                .at(seg.target, s, e),
        );
    }
}

fn untranslated(seg: &Segment<'_>, out: &mut Vec<Finding>) {
    let letters = seg.source.chars().filter(|c| c.is_alphabetic()).count();
    if letters >= 4 && seg.source.trim() == seg.target.trim() && seg.source_lang != seg.target_lang {
        out.push(Finding::new("untranslated", Severity::Error, "the target is the same as the source".into()));
    }
}

fn final_mark(s: &str) -> Option<char> {
    let c = s.trim_end().trim_end_matches(['»', '"', '”', ')', '’']).chars().next_back()?;
    matches!(c, '.' | '?' | '!' | '…' | ':' | ';').then_some(c)
}

fn punctuation(seg: &Segment<'_>, out: &mut Vec<Finding>) {
    let (s, t) = (final_mark(seg.source), final_mark(seg.target));
    if s != t && (matches!(s, Some('?' | '!')) || matches!(t, Some('?' | '!'))) {
        let shown = |m: Option<char>| m.map(String::from).unwrap_or_else(|| "none".into());
        out.push(Finding::new(
            "punctuation",
            Severity::Warning,
            format!("the sentence ends with {} in the source but {} in the target", shown(s), shown(t)),
        ));
    }
    for (i, _) in seg.target.match_indices([' ']) {
        if let Some(next) = seg.target[i + 1..].chars().next() {
            if matches!(next, ',' | '.' | ';' | ':' | '!' | '?') && !seg.target[i + 1..].starts_with("...") {
                out.push(Finding::new("punctuation", Severity::Info, format!("space before “{next}”")).at(
                    seg.target,
                    i,
                    i + 1 + next.len_utf8(),
                ));
            }
        }
    }
}

fn whitespace(t: &str, out: &mut Vec<Finding>) {
    if t.starts_with(char::is_whitespace) || t.ends_with(char::is_whitespace) {
        out.push(Finding::new("whitespace", Severity::Info, "leading or trailing space".into()));
    }
    if let Some(i) = t.find("  ") {
        out.push(Finding::new("whitespace", Severity::Info, "double space".into()).at(t, i, i + 2));
    }
}

fn repeated_word(t: &str, out: &mut Vec<Finding>) {
    let mut prev: Option<(&str, usize)> = None;
    for (start, word) in t.split_word_indices() {
        if let Some((p, pstart)) = prev {
            if p.to_lowercase() == word.to_lowercase() && word.chars().any(char::is_alphabetic) {
                out.push(Finding::new("repeated-word", Severity::Warning, format!("“{word}” twice in a row")).at(
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
    use super::*;

    fn run(source: &str, target: &str) -> Vec<(&'static str, Severity)> {
        let seg = Segment { source, target, source_lang: Lang::En, target_lang: Lang::Ru, terms: &[] };
        check(&seg).into_iter().map(|f| (f.check, f.severity)).collect()
    }

    #[test]
    fn a_correct_translation_is_clean() {
        assert_eq!(run("Trade grew by 1,500.5 million in 2025.", "Товарооборот вырос на 1 500,5 млн в 2025 году."), []);
        assert_eq!(run("Is it ready?", "Готово ли это?"), []);
    }

    #[test]
    fn finds_each_kind_of_problem() {
        assert_eq!(
            run("Trade grew by 15%.", "Товарооборот вырос на 16%."),
            [("numbers", Severity::Error), ("numbers", Severity::Warning)]
        );
        assert_eq!(run("Is it ready?", "Готово."), [("punctuation", Severity::Warning)]);
        assert_eq!(run("The talks ended.", "The talks ended."), [("untranslated", Severity::Error)]);
        assert_eq!(
            run("The talks ended.", "Переговоры  завершились ."),
            [("punctuation", Severity::Info), ("whitespace", Severity::Info)]
        );
        assert_eq!(run("They met.", "Они они встретились."), [("repeated-word", Severity::Warning)]);
        assert_eq!(run("They met.", " "), [("empty", Severity::Error)]);
    }

    #[test]
    fn lookalike_letters_are_flagged_in_target_and_source() {
        assert_eq!(run("The talks ended.", "Переговоры зaвершились."), [("mixed-script", Severity::Warning)]);
        assert_eq!(run("Tаlks ended.", "Переговоры завершились."), [("mixed-script", Severity::Info)]);
    }

    #[test]
    fn repeated_word_ignores_words_split_by_punctuation_and_spans_are_chars() {
        assert_eq!(run("Astana.", "Астана, Астана."), []);
        let seg =
            Segment { source: "x", target: "Да да.", source_lang: Lang::En, target_lang: Lang::Ru, terms: &[] };
        let f = check(&seg);
        assert_eq!((f[0].start, f[0].end), (Some(0), Some(5)));
    }

    #[test]
    fn terminology_findings_come_from_verification() {
        let terms = [TermCheck {
            id: "osce".into(),
            status: TermStatus::Missing,
            source: "OSCE".into(),
            target: None,
            span: None,
        }];
        let seg = Segment {
            source: "OSCE met.",
            target: "Организация встретилась.",
            source_lang: Lang::En,
            target_lang: Lang::Ru,
            terms: &terms,
        };
        assert_eq!(check(&seg)[0].check, "terminology");
    }
}
