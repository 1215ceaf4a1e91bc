//! Literal spans a translation keeps verbatim, found once per text and shared by the checks:
//! URLs, e-mail addresses, #hashtags and @handles ([`special_spans`], judged by `urls` and left
//! out by `numbers`, `untranslated`, `wrong-language`, `punctuation` and `spelling`), and
//! placeholders ([`placeholder_spans`], judged by `placeholders` and left out by
//! `wrong-language`, `punctuation` and `spelling`). Spans are byte offsets.

/// What kind of literal a [`Special`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SpecialKind {
    Url,
    Email,
    Hashtag,
    Handle,
}

impl SpecialKind {
    pub(crate) fn name(self) -> &'static str {
        match self {
            SpecialKind::Url => "URL",
            SpecialKind::Email => "e-mail address",
            SpecialKind::Hashtag => "hashtag",
            SpecialKind::Handle => "handle",
        }
    }
}

/// A URL, e-mail address, hashtag or handle: kept verbatim by a translation.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Special<'a> {
    pub kind: SpecialKind,
    pub start: usize,
    pub end: usize,
    pub text: &'a str,
}

/// The byte spans of `specials`, for [`crate::tokens::inside`].
pub(crate) fn spans(specials: &[Special<'_>]) -> Vec<(usize, usize)> {
    specials.iter().map(|s| (s.start, s.end)).collect()
}

fn url_char(c: char) -> bool {
    !c.is_whitespace() && !matches!(c, '«' | '»' | '"' | '“' | '”' | '<' | '>' | '⟦' | '⟧')
}

fn trim_trailing(text: &str, start: usize, mut end: usize) -> usize {
    while end > start {
        let c = text[..end].chars().next_back().unwrap_or(' ');
        let unbalanced_paren = c == ')' && !text[start..end].contains('(');
        if matches!(c, '.' | ',' | ';' | ':' | '!' | '?' | '…' | '\'' | '’') || unbalanced_paren {
            end -= c.len_utf8();
        } else {
            break;
        }
    }
    end
}

/// The end of the run of `keep` characters from `s`, trailing punctuation left out.
fn run_end(text: &str, s: usize, keep: &dyn Fn(char) -> bool) -> usize {
    let e = text[s..].char_indices().find(|&(_, c)| !keep(c)).map_or(text.len(), |(k, _)| s + k);
    trim_trailing(text, s, e)
}

/// URLs, e-mail addresses, #hashtags and @handles, in order.
pub(crate) fn special_spans(text: &str) -> Vec<Special<'_>> {
    let mut out: Vec<Special<'_>> = Vec::new();
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let boundary = |n: usize| n == 0 || !chars[n - 1].1.is_alphanumeric();
    let mut n = 0;
    while n < chars.len() {
        let (i, c) = chars[n];
        let rest = &text[i..];
        let lower_rest = rest.get(..8).unwrap_or(rest).to_ascii_lowercase();
        if boundary(n)
            && (lower_rest.starts_with("http://")
                || lower_rest.starts_with("https://")
                || lower_rest.starts_with("www."))
        {
            let e = run_end(text, i, &url_char);
            out.push(Special { kind: SpecialKind::Url, start: i, end: e, text: &text[i..e] });
            n = chars.partition_point(|x| x.0 < e);
            continue;
        }
        if c == '@' {
            let email_part = |c: char| c.is_alphanumeric() || matches!(c, '.' | '_' | '%' | '+' | '-');
            let before = text[..i].char_indices().rev().take_while(|&(_, c)| email_part(c)).last().map(|(k, _)| k);
            let after_end =
                text[i + 1..].char_indices().find(|&(_, c)| !email_part(c)).map_or(text.len(), |(k, _)| i + 1 + k);
            let after_end = trim_trailing(text, i + 1, after_end);
            if let Some(s) = before.filter(|_| text[i + 1..after_end].contains('.')) {
                out.retain(|sp| sp.end <= s);
                out.push(Special { kind: SpecialKind::Email, start: s, end: after_end, text: &text[s..after_end] });
                n = chars.partition_point(|x| x.0 < after_end);
                continue;
            }
            if boundary(n) && chars.get(n + 1).is_some_and(|x| x.1.is_alphanumeric() || x.1 == '_') {
                let e = run_end(text, i + 1, &|c: char| c.is_alphanumeric() || c == '_' || c == '.');
                out.push(Special { kind: SpecialKind::Handle, start: i, end: e, text: &text[i..e] });
                n = chars.partition_point(|x| x.0 < e);
                continue;
            }
        }
        if c == '#' && boundary(n) && chars.get(n + 1).is_some_and(|x| x.1.is_alphabetic()) {
            let e = run_end(text, i + 1, &|c: char| c.is_alphanumeric() || c == '_');
            out.push(Special { kind: SpecialKind::Hashtag, start: i, end: e, text: &text[i..e] });
            n = chars.partition_point(|x| x.0 < e);
            continue;
        }
        n += 1;
    }
    out
}

/// Placeholders: `⟦n⟧`, `{name}`, `%s`/`%1$s`/`%d`, `<tag>`, `</tag>`, `<tag/>`.
pub(crate) fn placeholder_spans(text: &str) -> Vec<(usize, usize, &str)> {
    let mut out = Vec::new();
    let b = text.as_bytes();
    let mut i = 0;
    while i < text.len() {
        let rest = &text[i..];
        let found = if rest.starts_with('⟦') {
            // `⟦1⟧` is a placeholder; `⟦ru⟧` marks a pseudo-translation and is not.
            let open = '⟦'.len_utf8();
            rest.find('⟧')
                .filter(|&k| k > open && rest[open..k].bytes().all(|c| c.is_ascii_digit()))
                .map(|k| k + '⟧'.len_utf8())
        } else if rest.starts_with('{') {
            rest.find('}')
                .filter(|&k| {
                    k > 1 && rest[1..k].chars().all(|c| c.is_alphanumeric() || c == '_' || c == '.' || c == ':')
                })
                .map(|k| k + 1)
        } else if rest.starts_with('%') && (i == 0 || !b[i - 1].is_ascii_digit()) {
            let tail = &rest[1..];
            let digits = tail.bytes().take_while(u8::is_ascii_digit).count();
            let tail2 = if digits > 0 && tail[digits..].starts_with('$') { &tail[digits + 1..] } else { tail };
            let skip = rest.len() - tail2.len();
            match tail2.chars().next() {
                Some('s' | 'd' | 'i' | 'f' | 'u') if !tail2[1..].starts_with(|c: char| c.is_alphabetic()) => {
                    Some(skip + 1)
                }
                _ => None,
            }
        } else if let Some(inner) = rest.strip_prefix('<') {
            let body = inner.strip_prefix('/').unwrap_or(inner);
            if body.starts_with(|c: char| c.is_ascii_alphabetic()) {
                rest.find('>').filter(|&k| k < 200 && !rest[1..k].contains('<')).map(|k| k + 1)
            } else {
                None
            }
        } else {
            None
        };
        match found {
            Some(len) => {
                out.push((i, i + len, &text[i..i + len]));
                i += len;
            }
            None => i += rest.chars().next().map_or(1, char::len_utf8),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(SpecialKind, &str)> {
        special_spans(text).into_iter().map(|s| (s.kind, s.text)).collect()
    }

    #[test]
    fn urls_addresses_hashtags_and_handles_without_trailing_punctuation() {
        use SpecialKind::*;
        assert_eq!(
            kinds("See https://gov.kz/x, write to info@gov.kz. Follow #Astana2026 and @akorda_press!"),
            [(Url, "https://gov.kz/x"), (Email, "info@gov.kz"), (Hashtag, "#Astana2026"), (Handle, "@akorda_press")]
        );
        assert_eq!(kinds("(www.akorda.kz)"), [(Url, "www.akorda.kz")]);
        assert_eq!(kinds("№5 and 5#, a@b"), []);
    }

    #[test]
    fn placeholders_of_every_form() {
        let found: Vec<&str> =
            placeholder_spans("⟦1⟧ {name} %s %1$d <b>x</b> ⟦ru⟧ 5% {}").into_iter().map(|p| p.2).collect();
        assert_eq!(found, ["⟦1⟧", "{name}", "%s", "%1$d", "<b>", "</b>"]);
    }
}
