//! Small text helpers shared by the checks: tokens with byte offsets.

/// What a token is made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Digits,
    Letters,
}

/// A run of letters or a run of ASCII digits, with its byte span.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Token<'a> {
    pub kind: Kind,
    pub start: usize,
    pub end: usize,
    pub text: &'a str,
}

/// Runs of letters and runs of digits (a digit next to a letter starts a new token).
pub(crate) fn tokens(text: &str) -> Vec<Token<'_>> {
    let mut out = Vec::new();
    let mut cur: Option<(Kind, usize)> = None;
    for (i, c) in text.char_indices() {
        let k = if c.is_ascii_digit() {
            Some(Kind::Digits)
        } else if c.is_alphabetic() {
            Some(Kind::Letters)
        } else {
            None
        };
        match (cur, k) {
            (Some((ck, _)), Some(nk)) if ck == nk => {}
            (Some((ck, s)), _) => {
                out.push(Token { kind: ck, start: s, end: i, text: &text[s..i] });
                cur = k.map(|k| (k, i));
            }
            (None, _) => cur = k.map(|k| (k, i)),
        }
    }
    if let Some((k, s)) = cur {
        out.push(Token { kind: k, start: s, end: text.len(), text: &text[s..] });
    }
    out
}

/// Whether `start..end` is a byte span of `text` that can be sliced: in order, inside it, on
/// character boundaries. Spans the caller computed on another version of the text (a target
/// edited since it was verified) may not be.
pub(crate) fn fits(text: &str, start: usize, end: usize) -> bool {
    start <= end && text.is_char_boundary(start) && text.is_char_boundary(end)
}

/// Whether a byte position falls inside one of the spans.
pub(crate) fn inside(spans: &[(usize, usize)], pos: usize) -> bool {
    spans.iter().any(|&(s, e)| pos >= s && pos < e)
}

/// Words: runs of letters, digits, and inner hyphens or apostrophes ("ЕҚЫҰ-ның", "well-known").
pub(crate) fn words(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    for (n, &(i, c)) in chars.iter().enumerate() {
        let inner = matches!(c, '-' | '\'' | '’')
            && start.is_some()
            && chars.get(n + 1).is_some_and(|&(_, d)| d.is_alphanumeric());
        if c.is_alphanumeric() || inner {
            if start.is_none() {
                start = Some(i);
            }
        } else if let Some(s) = start.take() {
            out.push((s, &text[s..i]));
        }
    }
    if let Some(s) = start {
        out.push((s, &text[s..]));
    }
    out
}

pub(crate) fn lang_name(l: audarma_core::Lang) -> &'static str {
    match l {
        audarma_core::Lang::En => "English",
        audarma_core::Lang::Kk => "Kazakh",
        audarma_core::Lang::Ru => "Russian",
    }
}

/// Cyrillic letters, Kazakh ones included.
pub(crate) fn is_cyrillic(c: char) -> bool {
    matches!(c, '\u{0400}'..='\u{052F}')
}
