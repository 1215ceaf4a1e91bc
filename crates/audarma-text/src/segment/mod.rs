//! Rule-based sentence segmentation for English, Kazakh and Russian.
//!
//! The scanner works on a whitespace-collapsed paragraph (single ASCII spaces), byte by byte:
//! only the bytes that can start a terminator (`.` `?` `!` and the lead bytes of `…`, `．`,
//! `！`, `？`, `。`) leave the fast path. Two cheap pre-passes find protected spans (balanced
//! quotes and brackets, where terminators do not end a sentence) and forced breaks (bullets and
//! numbered or lettered list items in sequence). Decisions look at the token before the
//! terminator (abbreviations, initials, numbers, URLs) and at the token after it (case, digits,
//! quotes, dashes).

mod abbrev;
mod text;

pub use text::{segment_text, segment_text_opts, segment_text_with, LineBreaks};

use crate::normalize::{collapse_whitespace, is_collapsed, is_cyrillic};
use abbrev::Abbr;
use audarma_core::Lang;

/// Longest quotation or parenthesis (in bytes) inside which terminators are ignored. Longer
/// quotes are segmented inside, so that one long quoted speech does not become one segment.
const MAX_PROTECTED: usize = 1200;
/// How far (in bytes) token inspections look; keeps pathological inputs linear.
const WINDOW: usize = 96;

/// How sentences inside a quotation are treated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Quotations {
    /// Sentences inside a quotation are segments of their own, as SRX-based CAT tools cut them:
    /// «Мы готовы. Мы начнём завтра», — сказал он. → «Мы готовы. | Мы начнём завтра», — сказал он.
    /// The last one keeps the closing quote and the attribution after it.
    #[default]
    Split,
    /// A quotation of up to 1,200 bytes is never cut inside (the convention of pySBD and the
    /// Golden Rules suite).
    Whole,
}

/// Options of [`segment_with`] and [`segment_text_opts`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Options {
    pub line_breaks: LineBreaks,
    pub quotations: Quotations,
}

/// Splits ONE paragraph into sentences for `lang`.
///
/// Sentences are trimmed, in order, and nothing is lost:
/// `segment(p, l).join(" ") == collapse_whitespace(p)` always holds. A break is only ever made at
/// whitespace, so a missing space after a period ("visit.The") is never split here; see
/// [`segment_text`] for that. Quotations are cut inside ([`Quotations::Split`]).
pub fn segment(paragraph: &str, lang: Lang) -> Vec<String> {
    segment_with(paragraph, lang, Quotations::Split)
}

/// [`segment`] with an explicit treatment of quotations.
pub fn segment_with(paragraph: &str, lang: Lang, quotations: Quotations) -> Vec<String> {
    if is_collapsed(paragraph) {
        // What `paragraphs` returns: no copy needed.
        return split_collapsed(paragraph, lang, false, quotations).into_iter().map(str::to_owned).collect();
    }
    let s = collapse_whitespace(paragraph);
    split_collapsed(&s, lang, false, quotations).into_iter().map(str::to_owned).collect()
}

/// Segments an already collapsed string (single ASCII spaces, trimmed). With `glued`, a period
/// directly followed by a capitalised word ("world.Today") also ends a sentence.
pub(crate) fn split_collapsed(s: &str, lang: Lang, glued: bool, quotations: Quotations) -> Vec<&str> {
    if s.is_empty() {
        return Vec::new();
    }
    let mut sc = Scanner::new(s, lang, glued, quotations);
    sc.run();
    sc.out
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Term {
    Dot,
    Question,
    Exclamation,
    Ellipsis,
}

/// The terminator starting at byte `i`, with its length in bytes.
#[inline]
fn term_at(b: &[u8], i: usize) -> Option<(Term, usize)> {
    let c = *b.get(i)?;
    match c {
        b'.' => Some((Term::Dot, 1)),
        b'?' => Some((Term::Question, 1)),
        b'!' => Some((Term::Exclamation, 1)),
        0xE2 | 0xE3 | 0xEF => {
            let c1 = *b.get(i + 1)?;
            let c2 = *b.get(i + 2)?;
            let t = match (c, c1, c2) {
                (0xE2, 0x80, 0xA6) => Term::Ellipsis,    // …
                (0xE2, 0x80, 0xBC) => Term::Exclamation, // ‼
                (0xE2, 0x81, 0x87) => Term::Question,    // ⁇
                (0xE2, 0x81, 0x88) => Term::Question,    // ⁈
                (0xE2, 0x81, 0x89) => Term::Exclamation, // ⁉
                (0xE3, 0x80, 0x82) => Term::Dot,         // 。
                (0xEF, 0xBC, 0x8E) => Term::Dot,         // ．
                (0xEF, 0xBC, 0x81) => Term::Exclamation, // ！
                (0xEF, 0xBC, 0x9F) => Term::Question,    // ？
                _ => return None,
            };
            Some((t, 3))
        }
        _ => None,
    }
}

fn is_term_char(c: char) -> bool {
    matches!(c, '.' | '?' | '!' | '…' | '‼' | '⁇' | '⁈' | '⁉' | '。' | '．' | '！' | '？')
}

#[inline]
fn char_at(s: &str, i: usize) -> Option<char> {
    s.get(i..).and_then(|t| t.chars().next())
}

#[inline]
fn char_before(s: &str, i: usize) -> Option<char> {
    s.get(..i).and_then(|t| t.chars().next_back())
}

/// Characters that open a quotation or a bracket.
fn is_opener(c: char) -> bool {
    matches!(c, '"' | '\'' | '(' | '[' | '{' | '«' | '“' | '‘' | '„' | '‹' | '¿' | '¡' | '「' | '（')
}

fn is_dash(c: char) -> bool {
    matches!(c, '-' | '–' | '—' | '―' | '‒')
}

fn is_bullet(c: char) -> bool {
    matches!(
        c,
        '•' | '‣'
            | '⁃'
            | '◦'
            | '▪'
            | '▫'
            | '■'
            | '□'
            | '●'
            | '○'
            | '►'
            | '▶'
            | '✓'
            | '✔'
            | '➢'
            | '➤'
    )
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum CloserKind {
    Quote,
    Bracket,
}

/// A closing quote or bracket at byte `i` (as it may follow a terminator), with its length.
fn closer_at(s: &str, i: usize) -> Option<(CloserKind, usize)> {
    let c = char_at(s, i)?;
    let kind = match c {
        ')' | ']' | '}' | '）' => CloserKind::Bracket,
        '»' | '”' | '’' | '›' | '」' | '“' => CloserKind::Quote,
        '"' | '\'' => {
            // ASCII quotes close only when not followed by a letter ("Jr.'s" is not a quote).
            match char_at(s, i + 1) {
                Some(n) if n.is_alphanumeric() => return None,
                _ => CloserKind::Quote,
            }
        }
        _ => return None,
    };
    Some((kind, c.len_utf8()))
}

/// What a terminator cluster is made of.
#[derive(Debug, Default)]
struct Cluster {
    end: usize,
    dots: u32,
    question: bool,
    exclamation: bool,
    ellipsis: bool,
    /// Number of extra " ." (or " !") groups of a spaced ellipsis ". . .".
    spaced: u32,
    quote: bool,
    bracket: bool,
    /// Footnote digits glued to the period ("(1987).1 According").
    footnote: bool,
}

/// What the token after a candidate break looks like.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Next {
    Upper,
    Lower,
    Digit,
    /// Opening quote/bracket, then a capital, digit or nothing special.
    OpenUpper,
    /// Opening quote/bracket, then a lower-case letter.
    OpenLower,
    DashUpper,
    DashLower,
    /// A token of terminators only ("..").
    TermOnly,
    Bullet,
    Other,
}

impl Next {
    /// Whether the next token can start a sentence.
    fn starts(self) -> bool {
        matches!(self, Next::Upper | Next::Digit | Next::OpenUpper | Next::DashUpper | Next::TermOnly | Next::Bullet)
    }

    /// Starts with a capital letter (possibly after an opening quote or a dash).
    fn capital(self) -> bool {
        matches!(self, Next::Upper | Next::OpenUpper | Next::DashUpper)
    }
}

struct Scanner<'a> {
    s: &'a str,
    b: &'a [u8],
    lang: Lang,
    glued: bool,
    quotations: Quotations,
    /// Top-level protected spans `(open, close)`: byte indices of the opening and closing char.
    spans: Vec<(usize, usize)>,
    /// Token starts before which a sentence must break (bullets, list items).
    forced: Vec<usize>,
    fi: usize,
    out: Vec<&'a str>,
    start: usize,
    last_space: Option<usize>,
}

impl<'a> Scanner<'a> {
    fn new(s: &'a str, lang: Lang, glued: bool, quotations: Quotations) -> Self {
        Scanner {
            s,
            b: s.as_bytes(),
            lang,
            glued,
            quotations,
            spans: Vec::new(),
            forced: Vec::new(),
            fi: 0,
            out: Vec::new(),
            start: 0,
            last_space: None,
        }
    }

    fn run(&mut self) {
        self.find_spans();
        self.find_list_items();
        self.forced.sort_unstable();
        self.forced.dedup();
        let n = self.b.len();
        let mut i = 0;
        while i < n {
            let c = self.b[i];
            if c == b' ' {
                self.last_space = Some(i);
                i += 1;
                continue;
            }
            if !matches!(c, b'.' | b'?' | b'!' | 0xE2 | 0xE3 | 0xEF) {
                i += 1;
                continue;
            }
            if term_at(self.b, i).is_none() {
                i += 1;
                continue;
            }
            self.flush_forced(i);
            let next = self.handle(i);
            debug_assert!(next > i);
            i = next.max(i + 1);
        }
        self.flush_forced(usize::MAX);
        if self.start < n {
            self.out.push(&self.s[self.start..]);
        }
    }

    /// Ends the current sentence at `end` (exclusive); the next one starts at `next`.
    fn cut(&mut self, end: usize, next: usize) {
        if end > self.start && next <= self.b.len() {
            self.out.push(&self.s[self.start..end]);
            self.start = next;
        }
    }

    fn flush_forced(&mut self, upto: usize) {
        while self.fi < self.forced.len() && self.forced[self.fi] <= upto {
            let p = self.forced[self.fi];
            self.fi += 1;
            if p > self.start {
                self.cut(p - 1, p);
            }
        }
    }

    /// Whether byte position `p` lies inside a protected span (after its opener, up to and
    /// including its closer).
    fn protected(&self, p: usize) -> bool {
        let k = self.spans.partition_point(|&(open, _)| open < p);
        k > 0 && p <= self.spans[k - 1].1
    }

    // ----- pre-pass 1: quotes and brackets ---------------------------------------------------

    fn find_spans(&mut self) {
        let s = self.s;
        let b = self.b;
        let mut stack: Vec<(char, usize)> = Vec::new();
        let mut spans: Vec<(usize, usize)> = Vec::new();
        let mut i = 0;
        while i < b.len() {
            let c0 = b[i];
            if !matches!(c0, b'"' | b'\'' | b'(' | b')' | b'[' | b']' | 0xC2 | 0xE2) {
                i += 1;
                continue;
            }
            let Some(c) = char_at(s, i) else {
                i += 1;
                continue;
            };
            let len = c.len_utf8();
            let prev = char_before(s, i);
            let next = char_at(s, i + len);
            let after_gap = prev.is_none_or(|p| p == ' ' || is_opener(p) || is_dash(p));
            let has = |stack: &Vec<(char, usize)>, o: char| stack.iter().rev().take(16).any(|&(x, _)| x == o);
            // Which opener this char closes, or whether it opens.
            let mut close: Option<char> = None;
            let mut open = false;
            match c {
                '(' | '[' | '«' | '„' => open = true,
                ')' => close = Some('('),
                ']' => close = Some('['),
                '»' => close = Some('«'),
                '”' => {
                    close = Some(if has(&stack, '“') { '“' } else { '„' });
                }
                '“' => {
                    if has(&stack, '„') {
                        close = Some('„');
                    } else {
                        open = true;
                    }
                }
                '‘' => open = after_gap,
                '’' if !next.is_some_and(char::is_alphanumeric) => close = Some('‘'),
                '"' => {
                    if has(&stack, '"') && prev.is_none_or(|p| p != ' ') {
                        close = Some('"');
                    } else if after_gap && next.is_some_and(|n| n != ' ') {
                        open = true;
                    }
                }
                '\'' => {
                    if has(&stack, '\'') && prev.is_none_or(|p| p != ' ') && !next.is_some_and(char::is_alphanumeric) {
                        close = Some('\'');
                    } else if after_gap && next.is_some_and(char::is_alphanumeric) {
                        open = true;
                    }
                }
                _ => {}
            }
            if let Some(o) = close {
                if let Some(pos) = stack.iter().rev().take(16).position(|&(x, _)| x == o) {
                    let idx = stack.len() - 1 - pos;
                    let (_, open_at) = stack[idx];
                    stack.truncate(idx);
                    let quote = !matches!(o, '(' | '[');
                    if i - open_at <= MAX_PROTECTED && (!quote || self.quotations == Quotations::Whole) {
                        spans.push((open_at, i));
                    }
                    // An interrupted quotation ("… to--\" At this moment") ends a sentence.
                    if matches!(o, '"' | '“' | '„' | '«' | '‘' | '\'') {
                        let before = &s[open_at..i];
                        let end = i + len;
                        if (before.ends_with("--") || before.ends_with('—'))
                            && b.get(end) == Some(&b' ')
                            && char_at(s, end + 1).is_some_and(char::is_uppercase)
                        {
                            self.forced.push(end + 1);
                        }
                    }
                }
            } else if open {
                if stack.len() >= 32 {
                    stack.remove(0);
                }
                stack.push((c, i));
            }
            i += len;
        }
        // Keep only top-level spans, sorted by their opening position.
        spans.sort_unstable();
        let mut merged: Vec<(usize, usize)> = Vec::with_capacity(spans.len());
        for (o, c) in spans {
            match merged.last_mut() {
                Some(last) if o <= last.1 => last.1 = last.1.max(c),
                _ => merged.push((o, c)),
            }
        }
        self.spans = merged;
    }

    // ----- pre-pass 2: bullets and list items -----------------------------------------------

    fn find_list_items(&mut self) {
        let s = self.s;
        let b = self.b;
        let n = b.len();
        let mut markers: Vec<(usize, MarkerKind, u32, bool)> = Vec::new();
        let mut p = 0;
        while p < n {
            // p is a token start
            let mut e = p;
            while e < n && b[e] != b' ' && e - p <= 12 {
                e += 1;
            }
            // Only short tokens that start with a bullet or end like a marker can matter.
            let short =
                e < n && b[e] == b' ' && (b[p] >= 0xE2 || matches!(b[e - 1], b'.' | b')')) && s.is_char_boundary(e);
            if short {
                let tok = &s[p..e];
                let first = tok.chars().next().unwrap_or(' ');
                if is_bullet(first) {
                    if p > 0 && !self.protected(p) {
                        self.forced.push(p);
                    }
                } else if let Some(cands) = parse_marker(tok) {
                    let next_cap = char_at(s, e + 1).is_some_and(|c| c.is_uppercase());
                    for (kind, val) in cands.into_iter().flatten() {
                        markers.push((p, kind, val, next_cap));
                    }
                }
            }
            // advance to the next token start
            let mut q = e;
            while q < n && b[q] != b' ' {
                q += 1;
            }
            p = q + 1;
        }
        // A marker is part of a list if the previous marker of its kind has the previous value.
        let mut listy = vec![false; markers.len()];
        let mut last: Vec<(MarkerKind, u32, usize)> = Vec::new();
        for (k, &(_, kind, val, _)) in markers.iter().enumerate() {
            if let Some(slot) = last.iter_mut().find(|(kd, _, _)| *kd == kind) {
                if slot.1 + 1 == val {
                    listy[k] = true;
                    listy[slot.2] = true;
                }
                *slot = (kind, val, k);
            } else {
                last.push((kind, val, k));
            }
        }
        for (k, &(pos, kind, _, next_cap)) in markers.iter().enumerate() {
            if !listy[k] || pos == 0 || self.protected(pos) {
                continue;
            }
            // "• 9. Text": the bullet already starts the item.
            if pos >= 2 && char_before(s, pos - 1).is_some_and(is_bullet) {
                continue;
            }
            // "for 1. above … for 2. above": numbers with a period need a capital after them.
            if kind == MarkerKind::NumDot && !next_cap {
                continue;
            }
            self.forced.push(pos);
        }
    }

    // ----- main decision ---------------------------------------------------------------------

    /// Handles the terminator at `i`; returns where scanning resumes.
    fn handle(&mut self, i: usize) -> usize {
        let n = self.b.len();
        let cl = self.cluster(i);
        let end = cl.end;
        if end >= n {
            return n;
        }
        if self.b[end] != b' ' {
            if self.glued && self.glued_break(i, &cl) {
                self.cut(end, end);
            }
            return end;
        }
        if self.protected(end) {
            return end;
        }
        let q = end + 1;
        let next = self.next_kind(q);
        // "compounds. . . . The practice": the word's period ends the sentence and the spaced
        // ellipsis opens the next one.
        if cl.dots == 1 && cl.spaced >= 3 && char_before(self.s, i).is_some_and(char::is_alphanumeric) && next.starts()
        {
            self.cut(i + 1, i + 2);
            self.last_space = Some(i + 1);
            return i + 2;
        }
        if self.decide(i, &cl, q, next) {
            self.cut(end, q);
        }
        end
    }

    fn cluster(&self, i: usize) -> Cluster {
        let s = self.s;
        let b = self.b;
        let n = b.len();
        let mut cl = Cluster::default();
        let mut j = i;
        let mut terms = 0;
        loop {
            if let Some((t, l)) = term_at(b, j) {
                match t {
                    Term::Dot => cl.dots += 1,
                    Term::Question => cl.question = true,
                    Term::Exclamation => cl.exclamation = true,
                    Term::Ellipsis => cl.ellipsis = true,
                }
                terms += 1;
                j += l;
                continue;
            }
            if terms > 0 {
                if let Some((k, l)) = closer_at(s, j) {
                    match k {
                        CloserKind::Quote => cl.quote = true,
                        CloserKind::Bracket => cl.bracket = true,
                    }
                    j += l;
                    continue;
                }
            }
            break;
        }
        // Citation markers: "martyr.[1] The", ".[17][18] The".
        while j < n && b[j] == b'[' {
            let mut k = j + 1;
            while k < n && k - j <= 4 && b[k].is_ascii_digit() {
                k += 1;
            }
            if k > j + 1 && k < n && b[k] == b']' {
                j = k + 1;
            } else {
                break;
            }
        }
        // Spaced ellipsis ". . ." (or "! ! !").
        let only_dots = cl.dots > 0 && !cl.question && !cl.exclamation && !cl.ellipsis;
        let only_excl = cl.dots == 0 && cl.exclamation && !cl.question && !cl.ellipsis;
        if (only_dots || only_excl) && !cl.quote && !cl.bracket {
            let t = if only_dots { b'.' } else { b'!' };
            while j + 1 < n
                && b[j] == b' '
                && b[j + 1] == t
                && (j + 2 == n || b[j + 2] == b' ' || closer_at(s, j + 2).is_some())
            {
                j += 2;
                cl.spaced += 1;
                while let Some((k, l)) = closer_at(s, j) {
                    match k {
                        CloserKind::Quote => cl.quote = true,
                        CloserKind::Bracket => cl.bracket = true,
                    }
                    j += l;
                }
            }
        }
        // Footnote digits glued to a period after a word or bracket.
        if cl.dots == 1 && terms == 1 && cl.spaced == 0 && !cl.quote && j == i + 1 {
            let mut k = j;
            while k < n && k - j < 3 && b[k].is_ascii_digit() {
                k += 1;
            }
            if k > j && (k == n || b[k] == b' ') && self.footnote_host(i) {
                j = k;
                cl.footnote = true;
            }
        }
        cl.end = j;
        cl
    }

    /// Whether the token before the period at `i` may carry a footnote number: it ends with a
    /// bracket, or is a word of three letters or more that is no abbreviation.
    fn footnote_host(&self, i: usize) -> bool {
        match char_before(self.s, i) {
            Some(')' | ']') => true,
            Some(c) if c.is_alphabetic() => {
                let w = &self.s[self.token_start(i)..i];
                w.chars().count() >= 3
                    && w.chars().all(char::is_alphabetic)
                    && lower_small(w, &mut [0u8; 32]).and_then(abbr_class).is_none()
            }
            _ => false,
        }
    }

    fn token_start(&self, i: usize) -> usize {
        let ls = match self.last_space {
            Some(sp) if sp < i => sp + 1,
            _ => 0,
        };
        ls.max(self.start)
    }

    /// The token that ends just before the space at `sp` (exclusive), with its start.
    fn token_before(&self, sp: usize) -> Option<(usize, &'a str)> {
        if sp == 0 || sp <= self.start || sp >= self.b.len() || self.b[sp] != b' ' {
            return None;
        }
        let lo = sp.saturating_sub(WINDOW).max(self.start);
        let st = self.b[lo..sp].iter().rposition(|&c| c == b' ').map_or(lo, |p| lo + p + 1);
        if st < self.start || !self.s.is_char_boundary(st) {
            return None;
        }
        Some((st, &self.s[st..sp]))
    }

    /// The token starting at `q` (up to the next space, within the window).
    fn token_at(&self, q: usize) -> &'a str {
        let n = self.b.len();
        let hi = (q + WINDOW).min(n);
        let mut e = q;
        while e < hi && self.b[e] != b' ' {
            e += 1;
        }
        while e > q && !self.s.is_char_boundary(e) {
            e -= 1;
        }
        &self.s[q..e]
    }

    fn next_kind(&self, q: usize) -> Next {
        let tok = self.token_at(q);
        if !tok.is_empty() && tok.chars().all(is_term_char) {
            return Next::TermOnly;
        }
        let mut chars = tok.chars().peekable();
        let Some(&first) = chars.peek() else {
            return Next::Other;
        };
        if is_bullet(first) {
            return Next::Bullet;
        }
        if is_dash(first) {
            while chars.peek().is_some_and(|&c| is_dash(c)) {
                chars.next();
            }
            let c = match chars.next() {
                Some(c) => Some(c),
                // the dash stands alone: look at the following word
                None => {
                    let after = q + tok.len() + 1;
                    if after < self.b.len() {
                        self.token_at(after).chars().find(|&c| !is_opener(c) && !is_dash(c))
                    } else {
                        None
                    }
                }
            };
            return match c {
                Some(c) if c.is_lowercase() => Next::DashLower,
                Some(c) if c.is_alphanumeric() => Next::DashUpper,
                _ => Next::Other,
            };
        }
        let mut opened = false;
        while chars.peek().is_some_and(|&c| is_opener(c)) {
            opened = true;
            chars.next();
        }
        match chars.next() {
            Some(c) if c.is_lowercase() => {
                if opened {
                    Next::OpenLower
                } else {
                    Next::Lower
                }
            }
            Some(c) if c.is_alphabetic() => {
                if opened {
                    Next::OpenUpper
                } else {
                    Next::Upper
                }
            }
            Some(c) if c.is_ascii_digit() => {
                if opened {
                    Next::OpenUpper
                } else {
                    Next::Digit
                }
            }
            _ if opened => Next::OpenUpper,
            _ => Next::Other,
        }
    }

    /// The next word with opening quotes and trailing punctuation stripped.
    fn next_word(&self, q: usize) -> &'a str {
        self.token_at(q).trim_start_matches(is_opener).trim_end_matches(|c: char| !c.is_alphanumeric())
    }

    fn decide(&self, i: usize, cl: &Cluster, q: usize, next: Next) -> bool {
        // A parenthesis that closes the paragraph right after a quotation is its citation or
        // comment: "'… the house!' (Which was very likely true.)"
        if cl.quote && self.b.get(q) == Some(&b'(') && self.closes_paragraph(q) {
            return false;
        }
        let starts = next.starts();
        if cl.question || cl.exclamation {
            if cl.exclamation && !cl.question && cl.dots == 0 && !cl.ellipsis {
                let w = &self.s[self.token_start(i)..i];
                if abbrev::exclamation_word(w.trim_start_matches(is_opener)) {
                    return false;
                }
            }
            if starts {
                return true;
            }
            // Kazakh and Russian: "кім? не?" — a question mark ends a sentence even before a
            // lower-case word (but not before a dash: "бар? — деді").
            return next == Next::Lower && cl.question && !cl.quote && !cl.bracket && self.lang != Lang::En;
        }
        if cl.spaced > 0 {
            return cl.dots + cl.spaced >= 4 && starts;
        }
        if cl.ellipsis || cl.dots >= 2 || cl.footnote {
            return starts;
        }
        self.decide_period(i, q, next)
    }

    fn decide_period(&self, i: usize, q: usize, next: Next) -> bool {
        let starts = next.starts();
        if !starts {
            // Nothing below turns a lower-case continuation into a break.
            return false;
        }
        if self.dateline(i, q) {
            return false;
        }
        let tok_start = self.token_start(i);
        let raw = &self.s[tok_start..i];
        let core = raw.trim_start_matches(|c: char| is_opener(c) || is_bullet(c) || is_dash(c));
        if core.is_empty() {
            return starts;
        }
        if is_url_like(raw) {
            return starts;
        }
        let core_start = i - core.len();
        let first = core.chars().next().unwrap_or(' ');
        let single = core.chars().nth(1).is_none();
        // Spaced abbreviations: "т. д.", "т. б.", "т. с. с.", "и т. п."
        if single && first.is_lowercase() {
            if let Some(c) = self.spaced_abbreviation(core_start, core) {
                return self.apply(c, tok_start, q, next);
            }
        }
        let mut buf = [0u8; 32];
        if let Some(c) = lower_small(core, &mut buf).and_then(abbr_class) {
            return self.apply(c, tok_start, q, next);
        }
        // A list number at the start of a sentence: "1. Text", "• 9. Text".
        if self.at_sentence_start(tok_start) && is_marker_body(core) {
            return false;
        }
        if !first.is_alphabetic() || core.chars().any(|c| c.is_ascii_digit()) {
            return starts;
        }
        let cyr = core.chars().any(is_cyrillic);
        if core.contains('.') {
            let parts: Vec<&str> =
                core.split('.').map(|p| p.trim_start_matches('-')).filter(|p| !p.is_empty()).collect();
            if !parts.iter().all(|p| p.chars().count() <= 4 && p.chars().all(char::is_alphabetic)) {
                return starts;
            }
            if cyr {
                // Cyrillic initials ("А.Б.", "Қ.-Ж.") and unknown dotted abbreviations
                // ("э.ғ.д.") do not end sentences.
                return false;
            }
            return self.apply(Abbr::Starters, tok_start, q, next);
        }
        if single {
            if first.is_uppercase() {
                // Initials ("J. Smith", "А. Б. Сериков") — but "you and I. Did you…" ends.
                if first == 'I' {
                    return self
                        .token_before(tok_start.wrapping_sub(1))
                        .is_some_and(|(_, w)| w.chars().next().is_some_and(char::is_lowercase));
                }
                return false;
            }
            // A lone lower-case letter: "v.", "т." — only the Russian pronoun "я" ends.
            return first == 'я';
        }
        starts
    }

    /// An agency dateline opening the sentence: "ASTANA. KAZINFORM – …", «АСТАНА. ҚазАқпарат – …»,
    /// "ALMATY. Kazinform - …". The place (one or two words in capitals, or any capitalised place
    /// before a known agency name) is followed by its period, then one or two capitalised words
    /// and a dash: the dateline belongs to the sentence after it.
    fn dateline(&self, i: usize, q: usize) -> bool {
        let head = &self.s[self.start..i];
        if head.is_empty() || head.len() > 48 {
            return false;
        }
        let place_ok = |w: &str| {
            w.chars().all(|c| c.is_alphabetic() || c == '-')
                && w.chars().next().is_some_and(char::is_uppercase)
                && w.chars().filter(|c| c.is_alphabetic()).count() >= 2
        };
        let words: Vec<&str> = head.split(' ').collect();
        if words.len() > 2 || !words.iter().all(|w| place_ok(w)) {
            return false;
        }
        let capitals = words.iter().all(|w| !w.chars().any(char::is_lowercase));
        let mut p = q;
        let mut agency = false;
        for k in 0..3 {
            if p >= self.b.len() {
                return false;
            }
            let tok = self.token_at(p);
            if !tok.is_empty() && tok.chars().all(is_dash) {
                return k > 0 && (capitals || agency) && p + tok.len() < self.b.len();
            }
            if k == 2 || !place_ok(tok.trim_matches(|c| c == '/' || c == '(' || c == ')')) {
                return false;
            }
            let mut buf = [0u8; 32];
            agency |= lower_small(tok, &mut buf).is_some_and(abbrev::news_agency);
            p += tok.len() + 1;
        }
        false
    }

    /// Applies an abbreviation class to the break candidate after it.
    fn apply(&self, class: Abbr, tok_start: usize, q: usize, next: Next) -> bool {
        match class {
            Abbr::Never => false,
            Abbr::NumPrefix | Abbr::AnyUpper => next.capital(),
            Abbr::Starters => next.capital() && abbrev::english_starter(self.next_word(q)),
            Abbr::Unit => next.capital() && !is_acronym(self.next_word(q)),
            Abbr::AfterAnd => {
                next.capital()
                    && self.token_before(tok_start.wrapping_sub(1)).is_some_and(|(_, w)| w == "и" || w == "И")
            }
            Abbr::Year => self.year_rule(tok_start, next),
        }
    }

    /// "г." / "ж." / "в." after a year (or century) may end a sentence before a capital —
    /// unless the sentence so far is only a date adverbial: "В 2023 г. Президент …",
    /// "2023 ж. Президент …", "7 июня 2023 г. Глава государства …".
    fn year_rule(&self, tok_start: usize, next: Next) -> bool {
        if !next.capital() {
            return false;
        }
        let Some((pp_start, pp)) = self.token_before(tok_start.wrapping_sub(1)) else {
            return false;
        };
        let pp = pp.trim_end_matches(',');
        let numeric = pp.chars().any(|c| c.is_ascii_digit())
            || (!pp.is_empty() && pp.chars().all(|c| matches!(c, 'I' | 'V' | 'X' | 'L' | 'C')));
        if !numeric {
            return false;
        }
        if pp_start <= self.start {
            return false;
        }
        let before = &self.s[self.start..pp_start];
        let words: Vec<&str> = before.split(' ').filter(|w| !w.is_empty()).collect();
        let adverbial = words.len() <= 4
            && words.iter().all(|w| {
                let w = w.trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase();
                w.is_empty() || w.chars().all(|c| c.is_ascii_digit()) || abbrev::date_adverbial_word(&w)
            });
        !adverbial
    }

    /// "т. д.", "т. с. с.", "кв. м." written with spaces: the single letter at `core_start` and
    /// the short dotted parts before it.
    fn spaced_abbreviation(&self, core_start: usize, core: &str) -> Option<Abbr> {
        let mut key = core.to_lowercase();
        let mut pos = core_start;
        for _ in 0..2 {
            let (st, w) = self.token_before(pos.checked_sub(1)?)?;
            let w = w.strip_suffix('.')?;
            if w.chars().count() > 3 || !w.chars().all(char::is_lowercase) {
                return None;
            }
            key = format!("{w}.{key}");
            if let Some(c) = abbrev::cyrillic(&key) {
                return Some(c);
            }
            pos = st;
        }
        None
    }

    /// Whether the protected span opening at `q` runs to the end of the text (give or take
    /// final punctuation).
    fn closes_paragraph(&self, q: usize) -> bool {
        let k = self.spans.partition_point(|&(open, _)| open < q);
        match self.spans.get(k) {
            Some(&(open, close)) if open == q => {
                self.s[close..].chars().skip(1).all(|c| is_term_char(c) || c == ')' || c == '"' || c == '\'')
            }
            _ => false,
        }
    }

    fn at_sentence_start(&self, tok_start: usize) -> bool {
        if tok_start == self.start {
            return true;
        }
        // after a lone bullet: "• 9. Text"
        self.s
            .get(self.start..tok_start.saturating_sub(1))
            .is_some_and(|pre| !pre.is_empty() && pre.chars().all(is_bullet))
    }

    /// A period directly followed by a capitalised word: "world.Today", "жағдайы.XVIII".
    fn glued_break(&self, i: usize, cl: &Cluster) -> bool {
        if cl.dots != 1 || cl.question || cl.exclamation || cl.ellipsis || cl.quote {
            return false;
        }
        let term_len = term_at(self.b, i).map_or(1, |(_, l)| l);
        if cl.bracket || cl.spaced > 0 || cl.footnote || cl.end != i + term_len {
            return false;
        }
        let end = cl.end;
        let mut after = self.s[end..].chars();
        let (Some(c1), Some(c2)) = (after.next(), after.next()) else {
            return false;
        };
        if !c1.is_uppercase() || !c2.is_alphabetic() {
            return false;
        }
        let tok_start = self.token_start(i);
        if i - tok_start > WINDOW || tok_start == i {
            return false;
        }
        let prev = &self.s[tok_start..i];
        if prev.chars().count() < 2
            || prev.contains(['.', '@', '/', ':'])
            || !prev.chars().next_back().is_some_and(|c| c.is_lowercase() || c.is_ascii_digit())
        {
            return false;
        }
        let whole = &self.s[tok_start..end + self.token_at(end).len()];
        !is_url_like(whole) && !self.protected(end)
    }
}

/// Lower-cases a short word into `buf` without allocating; `None` if it does not fit (no
/// abbreviation is that long).
fn lower_small<'b>(w: &str, buf: &'b mut [u8; 32]) -> Option<&'b str> {
    let mut len = 0;
    for c in w.chars().flat_map(char::to_lowercase) {
        let l = c.len_utf8();
        if len + l > buf.len() {
            return None;
        }
        c.encode_utf8(&mut buf[len..len + l]);
        len += l;
    }
    std::str::from_utf8(&buf[..len]).ok()
}

fn abbr_class(lower: &str) -> Option<Abbr> {
    if lower.chars().any(is_cyrillic) {
        abbrev::cyrillic(lower)
    } else {
        abbrev::latin(lower)
    }
}

fn is_acronym(w: &str) -> bool {
    w.chars().filter(|c| c.is_alphabetic()).count() >= 2 && w.chars().all(|c| !c.is_lowercase())
}

/// URLs, e-mail addresses and domain names ("gov.kz", "www.akorda.kz/ru").
fn is_url_like(tok: &str) -> bool {
    if tok.contains("://") || tok.contains('@') || tok.starts_with("www.") {
        return true;
    }
    let t = tok.trim_start_matches(is_opener);
    let mut parts = t.rsplit('.');
    let (Some(tld), Some(host)) = (parts.next(), parts.next()) else {
        return false;
    };
    let tld = tld.split('/').next().unwrap_or("");
    host.chars().count() >= 2
        && matches!(
            tld.to_ascii_lowercase().as_str(),
            "kz" | "ru"
                | "com"
                | "org"
                | "net"
                | "gov"
                | "edu"
                | "int"
                | "info"
                | "uz"
                | "kg"
                | "by"
                | "ua"
                | "eu"
                | "uk"
                | "de"
                | "fr"
                | "cn"
                | "io"
                | "қаз"
                | "рф"
        )
}

/// "1", "12", "a", "iv": what a numbered item at the start of a sentence looks like.
fn is_marker_body(core: &str) -> bool {
    let n = core.chars().count();
    (n <= 3 && core.chars().all(|c| c.is_ascii_digit()))
        || (n <= 4 && core.chars().all(|c| matches!(c, 'i' | 'v' | 'x')))
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum MarkerKind {
    NumDot,
    NumParen,
    LatinDot,
    LatinParen,
    UpperParen,
    RomanParen,
    RomanDot,
    CyrRuParen,
    CyrKkParen,
}

/// Parses a list-item marker token ("1.", "2)", "(3)", "1.)", "a.", "b)", "(c)", "(iv)", "а)",
/// optionally after a glued bullet) into up to two interpretations (kind, value).
fn parse_marker(tok: &str) -> Option<[Option<(MarkerKind, u32)>; 2]> {
    let tok = tok.trim_start_matches(is_bullet);
    let (inner, paren_open) = match tok.strip_prefix('(') {
        Some(t) => (t, true),
        None => (tok, false),
    };
    let (body, dot) = if let Some(b) = inner.strip_suffix(".)") {
        (b, true)
    } else if let Some(b) = inner.strip_suffix(')') {
        (b, false)
    } else if let Some(b) = inner.strip_suffix('.') {
        if paren_open {
            return None;
        }
        (b, true)
    } else {
        return None;
    };
    if body.is_empty() {
        return None;
    }
    let n = body.chars().count();
    let mut out = [None, None];
    if n <= 3 && body.bytes().all(|c| c.is_ascii_digit()) {
        let v: u32 = body.parse().ok()?;
        out[0] = Some((if dot { MarkerKind::NumDot } else { MarkerKind::NumParen }, v));
        return Some(out);
    }
    if n == 1 {
        let c = body.chars().next()?;
        if c.is_ascii_lowercase() {
            let kind = if dot { MarkerKind::LatinDot } else { MarkerKind::LatinParen };
            out[0] = Some((kind, u32::from(c as u8 - b'a') + 1));
        } else if c.is_ascii_uppercase() && !dot {
            out[0] = Some((MarkerKind::UpperParen, u32::from(c as u8 - b'A') + 1));
        } else if is_cyrillic(c) && c.is_lowercase() && !dot {
            out[0] = position_in(RU_LETTERS, c).map(|v| (MarkerKind::CyrRuParen, v));
            out[1] = position_in(KK_LETTERS, c).map(|v| (MarkerKind::CyrKkParen, v));
            return (out[0].is_some() || out[1].is_some()).then_some(out);
        }
    }
    if let Some(v) = roman_value(body) {
        let kind = if dot { MarkerKind::RomanDot } else { MarkerKind::RomanParen };
        out[1] = Some((kind, v));
    }
    if out[0].is_none() && out[1].is_none() {
        return None;
    }
    Some(out)
}

/// Letters used for Russian lists, in order (ё й ъ ы ь are skipped).
const RU_LETTERS: &str = "абвгдежзиклмнопрстуфхцчшщэюя";
/// The Kazakh alphabet, in order.
const KK_LETTERS: &str = "аәбвгғдеёжзийкқлмнңоөпрстуұүфхһцчшщъыіьэюя";

fn position_in(alphabet: &str, c: char) -> Option<u32> {
    alphabet.chars().position(|x| x == c).and_then(|p| u32::try_from(p + 1).ok())
}

fn roman_value(s: &str) -> Option<u32> {
    if s.is_empty() || s.len() > 5 {
        return None;
    }
    const ROMANS: [&str; 20] = [
        "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii", "xiii", "xiv", "xv", "xvi", "xvii",
        "xviii", "xix", "xx",
    ];
    let lower = s.to_ascii_lowercase();
    if s != lower && s != s.to_ascii_uppercase() {
        return None;
    }
    ROMANS.iter().position(|r| *r == lower).and_then(|p| u32::try_from(p + 1).ok())
}
