//! Whole-text segmentation: line breaks, blank lines, then [`super::segment`]'s rules.

use super::{split_collapsed, Options, Quotations};
use crate::normalize::{lines, normalize_impl};
use audarma_core::Lang;

/// How [`segment_text_with`] treats a single line break inside a block of lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LineBreaks {
    /// A line break ends a sentence, except a soft wrap: the line ends with a space and the next
    /// one starts with a lower-case letter or "(". A line that starts with a lone terminator
    /// (". Next") is glued to the previous line.
    #[default]
    Hard,
    /// Text extracted from PDF: every line break before a lower-case letter is a wrap too.
    Pdf,
}

/// Segments a whole text: blank lines separate paragraphs, a line break ends a sentence (see
/// [`LineBreaks::Hard`]), and inside each block the rules of [`super::segment`] apply — plus one
/// more: a period directly followed by a capitalised word ("world.Today") ends a sentence, so
/// `segment_text` may split where there is no whitespace. Sentences are trimmed; whitespace inside
/// a line is kept as written, and a soft-wrapped line break becomes one space.
pub fn segment_text(text: &str, lang: Lang) -> Vec<String> {
    segment_text_with(text, lang, LineBreaks::Hard)
}

/// [`segment_text`] with an explicit line-break policy.
pub fn segment_text_with(text: &str, lang: Lang, mode: LineBreaks) -> Vec<String> {
    segment_text_opts(text, lang, Options { line_breaks: mode, quotations: Quotations::Split })
}

/// [`segment_text`] with explicit options (line breaks, quotations).
pub fn segment_text_opts(text: &str, lang: Lang, opts: Options) -> Vec<String> {
    let mode = opts.line_breaks;
    let q = opts.quotations;
    let text = normalize_impl(text, false);
    let mut out = Vec::new();
    let mut unit = String::new();
    let mut prev_ends_space = false;
    for raw in lines(&text) {
        let line = raw.trim();
        if line.is_empty() {
            flush(&mut unit, lang, q, &mut out);
            prev_ends_space = false;
            continue;
        }
        if !unit.is_empty() {
            let first = line.chars().next().unwrap_or(' ');
            if starts_with_lone_terminator(line) {
                // "pricing\n. Pricing info" → "pricing. Pricing info"
            } else if (first.is_lowercase() && (prev_ends_space || mode == LineBreaks::Pdf))
                || (first == '(' && prev_ends_space)
            {
                unit.push(' ');
            } else {
                flush(&mut unit, lang, q, &mut out);
            }
        }
        unit.push_str(line);
        prev_ends_space = raw.ends_with(char::is_whitespace);
    }
    flush(&mut unit, lang, q, &mut out);
    out
}

fn starts_with_lone_terminator(line: &str) -> bool {
    let mut chars = line.chars();
    matches!(chars.next(), Some('.' | '?' | '!')) && chars.next().is_none_or(|c| c == ' ')
}

/// Segments one block (its lines already joined) and appends the sentences, each taken from the
/// block itself so that whitespace inside a sentence is kept as written.
fn flush(unit: &mut String, lang: Lang, q: Quotations, out: &mut Vec<String>) {
    if unit.is_empty() {
        return;
    }
    // The collapsed copy and, for every word, (start in collapsed, start in unit).
    let mut collapsed = String::with_capacity(unit.len());
    let mut words: Vec<(usize, usize)> = Vec::new();
    let base = unit.as_ptr() as usize;
    for word in unit.split_whitespace() {
        if !collapsed.is_empty() {
            collapsed.push(' ');
        }
        words.push((collapsed.len(), word.as_ptr() as usize - base));
        collapsed.push_str(word);
    }
    let to_unit = |p: usize| -> usize {
        let k = words.partition_point(|&(c, _)| c <= p);
        match k.checked_sub(1).and_then(|k| words.get(k)) {
            Some(&(c, u)) => u + (p - c),
            None => 0,
        }
    };
    let cbase = collapsed.as_ptr() as usize;
    for sentence in split_collapsed(&collapsed, lang, true, q) {
        let start = sentence.as_ptr() as usize - cbase;
        let end = start + sentence.len();
        let (us, ue) = (to_unit(start), to_unit(end));
        match unit.get(us..ue) {
            Some(t) if !t.trim().is_empty() => out.push(t.trim().to_owned()),
            _ => out.push(sentence.to_owned()),
        }
    }
    unit.clear();
}
