//! Just enough Rust lexing for the source rules: comments and string literals are masked (replaced by
//! spaces, so byte offsets and line numbers stay), string literals are collected, and the bodies of
//! `#[cfg(test)] mod … { … }` are found so that test code is exempt.

/// A string literal: its text (without quotes or escapes resolved) and the byte offset where it starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Literal {
    pub text: String,
    pub at: usize,
}

/// A source file with comments and literals masked.
#[derive(Debug)]
pub struct Lexed {
    /// The source with every comment and every string or char literal replaced by spaces (newlines kept).
    pub code: String,
    pub literals: Vec<Literal>,
    /// Byte ranges of `#[cfg(test)]` modules.
    pub test_ranges: Vec<std::ops::Range<usize>>,
}

impl Lexed {
    /// Whether byte offset `at` is inside a `#[cfg(test)]` module.
    pub fn in_test(&self, at: usize) -> bool {
        self.test_ranges.iter().any(|r| r.contains(&at))
    }
}

/// The 1-based line of byte offset `at` in `src`.
pub fn line_of(src: &str, at: usize) -> usize {
    src.as_bytes()[..at.min(src.len())].iter().filter(|&&b| b == b'\n').count() + 1
}

pub fn lex(src: &str) -> Lexed {
    let b = src.as_bytes();
    let mut code = b.to_vec();
    let mut literals = Vec::new();
    let mut i = 0;
    let blank = |code: &mut Vec<u8>, from: usize, to: usize| {
        for c in &mut code[from..to] {
            if *c != b'\n' {
                *c = b' ';
            }
        }
    };
    while i < b.len() {
        match b[i] {
            b'/' if b.get(i + 1) == Some(&b'/') => {
                let end = src[i..].find('\n').map_or(b.len(), |n| i + n);
                blank(&mut code, i, end);
                i = end;
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                let mut depth = 0usize;
                let mut j = i;
                while j < b.len() {
                    if b[j] == b'/' && b.get(j + 1) == Some(&b'*') {
                        depth += 1;
                        j += 2;
                    } else if b[j] == b'*' && b.get(j + 1) == Some(&b'/') {
                        depth -= 1;
                        j += 2;
                        if depth == 0 {
                            break;
                        }
                    } else {
                        j += 1;
                    }
                }
                blank(&mut code, i, j.min(b.len()));
                i = j;
            }
            b'r' | b'b' | b'c' if starts_raw(b, i).is_some() => {
                let (open, hashes) = starts_raw(b, i).unwrap_or((i, 0));
                let close: Vec<u8> = std::iter::once(b'"').chain(std::iter::repeat_n(b'#', hashes)).collect();
                let body = open + 1;
                let end = find(b, body, &close).unwrap_or(b.len());
                literals.push(Literal { text: src[body..end].to_string(), at: i });
                let stop = (end + close.len()).min(b.len());
                blank(&mut code, i, stop);
                i = stop;
            }
            b'"' => {
                let mut j = i + 1;
                while j < b.len() && b[j] != b'"' {
                    j += if b[j] == b'\\' { 2 } else { 1 };
                }
                let end = j.min(b.len());
                literals.push(Literal { text: src[i + 1..end].to_string(), at: i });
                let stop = (end + 1).min(b.len());
                blank(&mut code, i, stop);
                i = stop;
            }
            b'\'' => {
                // A char literal ('x', '\n', '\u{..}') or a lifetime ('a): a lifetime has no closing quote
                // right after its first character.
                let rest = &src[i + 1..];
                let mut chars = rest.char_indices();
                let close = match chars.next() {
                    Some((_, '\\')) => rest.find('\'').map(|n| i + 1 + n),
                    Some((_, _)) => chars.next().filter(|&(_, c)| c == '\'').map(|(n, _)| i + 1 + n),
                    None => None,
                };
                match close {
                    Some(end) => {
                        blank(&mut code, i, end + 1);
                        i = end + 1;
                    }
                    None => i += 1,
                }
            }
            _ => i += 1,
        }
    }
    let code = String::from_utf8(code).unwrap_or_default();
    let test_ranges = test_modules(&code);
    Lexed { code, literals, test_ranges }
}

/// `r"`, `r#"`, `br"`, `cr#"` …: the offset of the opening quote and the number of hashes.
fn starts_raw(b: &[u8], i: usize) -> Option<(usize, usize)> {
    if i > 0 && (b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_') {
        return None;
    }
    let mut j = i;
    if b[j] == b'b' || b[j] == b'c' {
        j += 1;
    }
    if b.get(j) != Some(&b'r') {
        return None;
    }
    j += 1;
    let mut hashes = 0;
    while b.get(j) == Some(&b'#') {
        hashes += 1;
        j += 1;
    }
    (b.get(j) == Some(&b'"')).then_some((j, hashes))
}

fn find(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    hay.get(from..)?.windows(needle.len()).position(|w| w == needle).map(|n| from + n)
}

/// The brace-delimited bodies of modules marked `#[cfg(test)]` (in masked code, so braces are real).
fn test_modules(code: &str) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(n) = code[from..].find("#[cfg(test)]") {
        let start = from + n;
        let after = &code[start + "#[cfg(test)]".len()..];
        let trimmed = after.trim_start();
        let is_mod =
            trimmed.starts_with("mod ") || trimmed.starts_with("pub mod ") || trimmed.starts_with("pub(crate) mod ");
        let open = is_mod.then(|| code[start..].find('{').map(|o| start + o)).flatten();
        let semicolon = code[start..].find(';').map(|s| start + s);
        match open {
            Some(o) if semicolon.is_none_or(|s| s > o) => {
                let mut depth = 0usize;
                let mut end = code.len();
                for (k, c) in code[o..].char_indices() {
                    match c {
                        '{' => depth += 1,
                        '}' => {
                            depth -= 1;
                            if depth == 0 {
                                end = o + k + 1;
                                break;
                            }
                        }
                        _ => {}
                    }
                }
                out.push(start..end);
                from = end;
            }
            _ => from = start + 1,
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_comments_and_strings_and_finds_test_modules() {
        let src = "// std::fs in a comment\nfn a<'x>(c: char) -> &'x str { let _ = '\"'; let s = r#\"</p> \"quoted\"\"#; \"std::net\" }\n#[cfg(test)]\nmod tests { fn t() { let _ = \"</div>\"; } }\nfn b() {}\n";
        let l = lex(src);
        assert!(!l.code.contains("std::fs"));
        assert!(!l.code.contains("std::net"));
        assert!(l.code.contains("fn b()"));
        let texts: Vec<&str> = l.literals.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(texts, ["</p> \"quoted\"", "std::net", "</div>"]);
        assert!(!l.in_test(l.literals[0].at));
        assert!(l.in_test(l.literals[2].at));
        assert_eq!(line_of(src, l.literals[2].at), 4);
    }
}
