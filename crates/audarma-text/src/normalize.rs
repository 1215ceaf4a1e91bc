//! Unicode normalisation, whitespace handling, paragraphs and script helpers.

use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

/// Characters removed by [`normalize`]: byte order mark / zero-width no-break space,
/// zero-width space, zero-width (non-)joiners, word joiner and soft hyphen.
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{FEFF}' | '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{00AD}')
}

/// Control characters that have no place in a release, an edit or a comment: C0 controls other than
/// tab and line ends, DEL, and the C1 controls. Printed to a terminal they are escape sequences.
pub fn is_stray_control(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{8}' | '\u{B}' | '\u{C}' | '\u{E}'..='\u{1F}' | '\u{7F}'..='\u{9F}')
}

/// The first stray control character of `text` ([`is_stray_control`]), to refuse an edit or a
/// comment with a message that names it.
pub fn stray_control(text: &str) -> Option<char> {
    text.chars().find(|&c| is_stray_control(c))
}

/// Unicode space separators other than the ASCII space (NBSP, narrow NBSP, en/em spaces, …).
fn is_unicode_space(c: char) -> bool {
    matches!(c, '\u{00A0}' | '\u{1680}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}' | '\u{3000}')
}

/// Normalises a text for storage and comparison:
///
/// * Unicode NFC;
/// * CRLF and lone CR become LF; U+2028 (line separator) becomes LF, U+2029 (paragraph
///   separator) a blank line;
/// * the BOM / U+FEFF, zero-width space U+200B, U+200C, U+200D, word joiner U+2060 and the soft
///   hyphen U+00AD are removed, and so are stray control characters ([`is_stray_control`]: escape
///   sequences, bells, C1 controls);
/// * non-breaking and other Unicode spaces (U+00A0, U+202F, U+2000–U+200A, …) become `' '`;
/// * trailing spaces and tabs of every line are removed.
///
/// Line structure (and therefore blank lines between paragraphs) is kept.
pub fn normalize(text: &str) -> String {
    normalize_impl(text, true)
}

/// [`normalize`], optionally keeping the trailing spaces of lines (which `segment_text` reads as a
/// soft-wrap signal).
pub(crate) fn normalize_impl(text: &str, trim_lines: bool) -> String {
    if is_nfc(text) {
        map_str(text, trim_lines)
    } else {
        map_chars(text.nfc(), text.len(), trim_lines)
    }
}

/// Characters that are NFC and start no composition (canonical combining class 0, NFC quick
/// check "yes"): ASCII, Latin-1 and Latin Extended A/B, Cyrillic and its supplement (without the
/// combining marks U+0483–U+0489) and the dashes, quotes and punctuation of U+2010–U+2027 and
/// U+2030–U+205E. A unit test checks them against the Unicode tables.
fn plainly_nfc(c: char) -> bool {
    matches!(c as u32, 0..=0x2FF | 0x400..=0x482 | 0x48A..=0x52F | 0x2010..=0x2027 | 0x2030..=0x205E)
}

/// Whether `text` is NFC: a quick pass over characters that are plainly NFC, and the Unicode
/// quick check for the rest.
fn is_nfc(text: &str) -> bool {
    text.is_ascii() || text.chars().all(plainly_nfc) || is_nfc_quick(text.chars()) == IsNormalized::Yes
}

/// Bytes that can start a character [`map_chars`] changes: CR, LF, and the lead bytes of the
/// invisible characters, Unicode spaces and U+2028/U+2029.
const MAY_CHANGE: [bool; 256] = {
    let mut t = [false; 256];
    let leads: [u8; 7] = [b'\r', b'\n', 0xC2, 0xE1, 0xE2, 0xE3, 0xEF];
    let mut k = 0;
    while k < leads.len() {
        t[leads[k] as usize] = true;
        k += 1;
    }
    // The C0 controls and DEL (C1 controls start with 0xC2, above).
    let mut b = 0;
    while b < 0x20 {
        if b != b'\t' {
            t[b as usize] = true;
        }
        b += 1;
    }
    t[0x7F] = true;
    t
};

/// [`map_chars`] for NFC text, copying the runs between the characters it changes.
fn map_str(text: &str, trim_lines: bool) -> String {
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut run = 0;
    let mut i = 0;
    while i < b.len() {
        // Only these bytes can start a character that `map_chars` changes or a line end.
        if !MAY_CHANGE[b[i] as usize] {
            i += 1;
            continue;
        }
        let Some(c) = text[i..].chars().next() else {
            break;
        };
        let len = c.len_utf8();
        let changed = matches!(c, '\r' | '\n' | '\u{2028}' | '\u{2029}')
            || is_invisible(c)
            || is_unicode_space(c)
            || is_stray_control(c);
        if !changed {
            i += len;
            continue;
        }
        out.push_str(&text[run..i]);
        match c {
            '\r' => {
                if b.get(i + 1) == Some(&b'\n') {
                    i += 1;
                }
                push_newline(&mut out, trim_lines);
            }
            '\n' | '\u{2028}' => push_newline(&mut out, trim_lines),
            '\u{2029}' => {
                push_newline(&mut out, trim_lines);
                push_newline(&mut out, trim_lines);
            }
            c if is_unicode_space(c) => out.push(' '),
            _ => {} // invisible: dropped
        }
        i += len;
        run = i;
    }
    out.push_str(&text[run..]);
    if trim_lines {
        trim_line_end(&mut out);
    }
    out
}

fn map_chars(chars: impl Iterator<Item = char>, cap: usize, trim_lines: bool) -> String {
    let mut out = String::with_capacity(cap);
    let mut chars = chars.peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                push_newline(&mut out, trim_lines);
            }
            '\n' | '\u{2028}' => push_newline(&mut out, trim_lines),
            '\u{2029}' => {
                push_newline(&mut out, trim_lines);
                push_newline(&mut out, trim_lines);
            }
            c if is_invisible(c) || is_stray_control(c) => {}
            c if is_unicode_space(c) => out.push(' '),
            c => out.push(c),
        }
    }
    if trim_lines {
        trim_line_end(&mut out);
    }
    out
}

fn trim_line_end(out: &mut String) {
    let kept = out.trim_end_matches([' ', '\t']).len();
    out.truncate(kept);
}

fn push_newline(out: &mut String, trim: bool) {
    if trim {
        trim_line_end(out);
    }
    out.push('\n');
}

/// Collapses every run of whitespace (Unicode `White_Space`, so NBSP and newlines too) to one
/// ASCII space and trims both ends.
pub fn collapse_whitespace(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    push_collapsed(&mut out, s);
    out
}

/// Whether `s` is already what [`collapse_whitespace`] makes of it: no whitespace at either end
/// and nothing but single ASCII spaces between words.
pub(crate) fn is_collapsed(s: &str) -> bool {
    let b = s.as_bytes();
    if b.first() == Some(&b' ') || b.last() == Some(&b' ') {
        return false;
    }
    let mut i = 0;
    while i < b.len() {
        if MAY_START_WHITESPACE[b[i] as usize] {
            match whitespace_len(b, i) {
                0 => {}
                1 if b[i] == b' ' && b.get(i + 1) != Some(&b' ') => {}
                _ => return false,
            }
        }
        i += 1;
    }
    true
}

/// Appends the words of `s` to `out`, one ASCII space between words (and before the first one
/// when `out` is not empty). Stretches already separated by single ASCII spaces are copied whole.
fn push_collapsed(out: &mut String, s: &str) {
    let b = s.as_bytes();
    let n = b.len();
    let mut i = 0;
    while i < n {
        match whitespace_len(b, i) {
            0 => break,
            w => i += w,
        }
    }
    if i == n {
        return;
    }
    if !out.is_empty() {
        out.push(' ');
    }
    let mut run = i;
    while i < n {
        if !MAY_START_WHITESPACE[b[i] as usize] || whitespace_len(b, i) == 0 {
            i += 1;
            continue;
        }
        let start = i;
        while i < n {
            match whitespace_len(b, i) {
                0 => break,
                w => i += w,
            }
        }
        // Whitespace runs between characters, so `start` and `i` are char boundaries.
        if i == n {
            out.push_str(&s[run..start]);
            return;
        }
        if !(i == start + 1 && b[start] == b' ') {
            out.push_str(&s[run..start]);
            out.push(' ');
            run = i;
        }
    }
    out.push_str(&s[run..]);
}

/// Bytes that can start a Unicode `White_Space` character (ASCII whitespace and the lead bytes of
/// U+0085, U+00A0, U+1680, U+2000–U+200A, U+2028, U+2029, U+202F, U+205F, U+3000).
const MAY_START_WHITESPACE: [bool; 256] = {
    let mut t = [false; 256];
    let leads: [u8; 10] = [b' ', b'\t', b'\n', b'\r', 0x0B, 0x0C, 0xC2, 0xE1, 0xE2, 0xE3];
    let mut k = 0;
    while k < leads.len() {
        t[leads[k] as usize] = true;
        k += 1;
    }
    t
};

/// The byte length of the Unicode `White_Space` character starting at `i`, or 0.
#[inline(always)]
fn whitespace_len(b: &[u8], i: usize) -> usize {
    match b[i] {
        0x21..=0x7F | 0xC3..=0xE0 => 0,
        b' ' | b'\t' | b'\n' | b'\r' | 0x0B | 0x0C => 1,
        0xC2 => match b.get(i + 1) {
            Some(0x85 | 0xA0) => 2,
            _ => 0,
        },
        0xE1 => match (b.get(i + 1), b.get(i + 2)) {
            (Some(0x9A), Some(0x80)) => 3,
            _ => 0,
        },
        0xE2 => match (b.get(i + 1), b.get(i + 2)) {
            (Some(0x80), Some(0x80..=0x8A | 0xA8 | 0xA9 | 0xAF)) => 3,
            (Some(0x81), Some(0x9F)) => 3,
            _ => 0,
        },
        0xE3 => match (b.get(i + 1), b.get(i + 2)) {
            (Some(0x80), Some(0x80)) => 3,
            _ => 0,
        },
        _ => 0,
    }
}

/// Splits `text` into lines on LF, CRLF or a lone CR.
pub(crate) fn lines(text: &str) -> impl Iterator<Item = &str> {
    text.split('\n').flat_map(|l| {
        let l = l.strip_suffix('\r').unwrap_or(l);
        l.split('\r')
    })
}

/// Splits a text into paragraphs: blocks separated by one or more blank (whitespace-only) lines.
/// The lines inside a block are joined with a space (a hard-wrapped paragraph), except where a
/// single line break ends a line that stands alone (see [`line_stands_alone`]: a headline, a
/// caption such as «Фото: Акорда», a date line or a rubric before the text): that line is a
/// paragraph of its own. Every paragraph is whitespace-collapsed and non-empty.
pub fn paragraphs(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut block: Vec<&str> = Vec::new();
    for line in lines(text) {
        let line = line.trim();
        if line.is_empty() {
            push_block(&mut block, &mut out);
        } else {
            block.push(line);
        }
    }
    push_block(&mut block, &mut out);
    out
}

fn push_block(block: &mut Vec<&str>, out: &mut Vec<String>) {
    if block.len() == 1 {
        let mut one = String::with_capacity(block[0].len());
        push_collapsed(&mut one, block[0]);
        if !one.is_empty() {
            out.push(one);
        }
        block.clear();
        return;
    }
    if block.is_empty() {
        return;
    }
    // A hard-wrapped block has lines filled up to its width: at least two lines before the last
    // come within 80 % of the longest, or it is two lines and the second ends a sentence. Only
    // then is the width evidence of a wrap; headlines and captions above a paragraph are not.
    let lens: Vec<usize> = block.iter().map(|l| l.chars().count()).collect();
    let longest = lens.iter().copied().max().unwrap_or(0);
    let full = lens[..lens.len() - 1].iter().filter(|&&n| n * 5 >= longest * 4).count();
    let ends_sentence = block.last().and_then(|l| l.chars().next_back()).is_some_and(|c| !c.is_alphanumeric());
    let wrapped = full >= 2 || (block.len() == 2 && ends_sentence);
    let width = if wrapped { longest } else { 0 };
    let mut current = String::new();
    for (k, line) in block.iter().enumerate() {
        push_collapsed(&mut current, line);
        if let Some(next) = block.get(k + 1) {
            // A last line that ends without punctuation is no wrapped sentence's tail but a line of
            // its own (a caption under a headline): no width to judge a wrap by.
            let last_bare = k + 2 == block.len() && next.chars().next_back().is_some_and(char::is_alphanumeric);
            let width = if last_bare { 0 } else { width };
            if line_stands_alone(line, next, width) && !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    block.clear();
}

/// Whether a single line break after `line` (both trimmed) ends it, in a block whose longest line
/// has `width` characters. It does when the next line starts like a sentence or an item (a capital
/// letter or a digit, possibly after an opening quote, a dash or a bullet), `line` does not end in
/// the middle of something (a comma, an opening quote or bracket, a hyphen or dash, `&`, `+`, `/`),
/// and the break is not a hard wrap. A hard wrap is recognised the way a greedy wrapper makes one:
/// the next line's first word would not have fitted on `line` within `width`, and `width` looks
/// like a wrapping width (40–120 characters; pass 0 when there is none).
pub fn line_stands_alone(line: &str, next: &str, width: usize) -> bool {
    let Some(last) = line.chars().next_back() else {
        return false;
    };
    if matches!(last, ',' | '(' | '[' | '«' | '“' | '„' | '‘' | '&' | '+' | '/' | '-' | '–' | '—' | '‒' | '=')
    {
        return false;
    }
    let mut chars = next.chars().skip_while(|c| {
        matches!(c, '«' | '“' | '„' | '"' | '\'' | '‘' | '(' | '[' | '-' | '–' | '—' | '•' | '▪' | '●' | '*' | ' ')
    });
    if !chars.next().is_some_and(|c| c.is_uppercase() || c.is_ascii_digit()) {
        return false;
    }
    if (40..=120).contains(&width) {
        let first_word = next.split_whitespace().next().map_or(0, |w| w.chars().count());
        if line.chars().count() + 1 + first_word > width {
            return false; // a hard wrap: the next word did not fit
        }
    }
    true
}

/// The letters that Kazakh Cyrillic has and Russian has not: ә ғ қ ң ө ұ ү һ і, either case.
pub fn is_kazakh_letter(c: char) -> bool {
    matches!(
        c,
        'ә' | 'ғ'
            | 'қ'
            | 'ң'
            | 'ө'
            | 'ұ'
            | 'ү'
            | 'һ'
            | 'і'
            | 'Ә'
            | 'Ғ'
            | 'Қ'
            | 'Ң'
            | 'Ө'
            | 'Ұ'
            | 'Ү'
            | 'Һ'
            | 'І'
    )
}

/// Whether `s` contains any Kazakh-specific letter (ә ғ қ ң ө ұ ү һ і, either case).
pub fn has_kazakh_letters(s: &str) -> bool {
    s.chars().any(is_kazakh_letter)
}

/// Whether `c` is a Cyrillic letter (basic block and the Kazakh/Russian supplement range).
pub fn is_cyrillic(c: char) -> bool {
    matches!(c, '\u{0400}'..='\u{04FF}' | '\u{0500}'..='\u{052F}')
}

#[cfg(test)]
mod tests {
    #[test]
    fn stray_controls_are_dropped_and_named() {
        let hostile = "Talks\u{1b}[2J\u{7}in Astana\u{9b}31m\tend";
        assert_eq!(normalize(hostile), "Talks[2Jin Astana31m\tend");
        assert_eq!(
            normalize(&format!("{hostile}\u{301}e")),
            "Talks[2Jin Astana31m\tend\u{301}e".nfc().collect::<String>()
        );
        assert_eq!(stray_control(hostile), Some('\u{1b}'));
        assert_eq!(stray_control("line\nnext\ttab"), None);
    }

    use super::*;

    #[test]
    fn normalize_basics() {
        assert_eq!(normalize("\u{FEFF}a\u{200B}b\r\nc \u{00A0}\rd\u{00A0}e  "), "ab\nc\nd e");
        // NFC: е + combining breve → й
        assert_eq!(normalize("и\u{0306}"), "й");
        assert_eq!(normalize("x\u{2029}y"), "x\n\ny");
        assert_eq!(normalize("a \t\n\nb"), "a\n\nb");
    }

    #[test]
    fn collapse_matches_split_whitespace() {
        let all_ws: String = (0u32..0x3001).filter_map(char::from_u32).filter(|c| c.is_whitespace()).collect();
        let t = format!("a{all_ws}б{all_ws}ә\u{200B}x{all_ws}");
        let want = t.split_whitespace().collect::<Vec<_>>().join(" ");
        assert_eq!(collapse_whitespace(&t), want);
        for c in all_ws.chars() {
            let t = format!("{c}x{c}{c}y{c}");
            assert_eq!(collapse_whitespace(&t), "x y", "U+{:04X}", c as u32);
        }
    }

    #[test]
    fn the_fast_path_agrees_with_the_char_by_char_one() {
        for t in [
            "Текст.\nЕщё",
            "a \nb",
            "a\t",
            "a\r\nb\rc",
            "a\u{00A0}b",
            "a\u{00AD}b",
            "a\u{2028}b\u{2029}",
            "a\u{200B}b",
            "\u{FEFF}a",
            "a\u{3000}b",
            "a\u{1680}b",
            "и\u{0306}",
            "ok — «да» …",
            "x\u{2000}y\u{202F}z \t\n",
            "Ω\u{2126}",
        ] {
            let slow = map_chars(t.nfc(), t.len(), true);
            assert_eq!(normalize(t), slow, "{t:?}");
            assert_eq!(normalize_impl(t, false), map_chars(t.nfc(), t.len(), false), "{t:?}");
        }
    }

    #[test]
    fn plainly_nfc_characters_are_nfc_starters() {
        for c in (0u32..0x3000).filter_map(char::from_u32).filter(|&c| plainly_nfc(c)) {
            assert_eq!(unicode_normalization::char::canonical_combining_class(c), 0, "U+{:04X}", c as u32);
            assert_eq!(is_nfc_quick(std::iter::once(c)), IsNormalized::Yes, "U+{:04X}", c as u32);
            // and nothing composes with a following character from the plain set either
            let s: String = [c, 'a', 'б', '\u{2014}'].iter().collect();
            assert_eq!(s.nfc().collect::<String>(), s, "U+{:04X}", c as u32);
        }
    }

    #[test]
    fn collapsed_is_what_collapse_makes() {
        for t in ["a b", " a", "a ", "a  b", "a\tb", "a\u{00A0}b", "a\u{3000}b", "", "абв где", "a\nb", "a \u{2009}b"]
        {
            assert_eq!(is_collapsed(t), collapse_whitespace(t) == t, "{t:?}");
        }
    }

    #[test]
    fn collapse() {
        assert_eq!(collapse_whitespace("  a \n\t b\u{00A0}c  "), "a b c");
        assert_eq!(collapse_whitespace(" \n "), "");
    }

    #[test]
    fn paragraphs_split_on_blank_lines() {
        let t = "First line\nwrapped here.\n\n \nSecond  para.\r\n\r\nThird";
        assert_eq!(paragraphs(t), vec!["First line wrapped here.", "Second para.", "Third"]);
        assert!(paragraphs("\n \n").is_empty());
    }

    #[test]
    fn a_line_standing_alone_is_its_own_paragraph() {
        assert_eq!(
            paragraphs("Фото: Акорда\nГлава государства провел совещание.\nТекст продолжается."),
            vec!["Фото: Акорда", "Глава государства провел совещание.", "Текст продолжается."]
        );
        // Hard-wrapped at 60: lines end where the next word did not fit, even before a capital.
        let wrapped = "The Head of State held a meeting with the Prime Minister of\nKazakhstan and members of the Government in the Akorda on\nMonday.";
        assert_eq!(paragraphs(wrapped).len(), 1, "{:?}", paragraphs(wrapped));
        // A line ending with a comma or a dash goes on.
        assert_eq!(paragraphs("АСТАНА. КАЗИНФОРМ –\nГлава государства прибыл.").len(), 1);
        assert_eq!(paragraphs("Участники: министры,\nАкимы областей.").len(), 1);
    }

    #[test]
    fn kazakh_letters() {
        assert!(has_kazakh_letters("Қазақстан"));
        assert!(has_kazakh_letters("білім"));
        assert!(!has_kazakh_letters("Казахстан"));
        assert!(!has_kazakh_letters("Kazakhstan"));
    }
}
