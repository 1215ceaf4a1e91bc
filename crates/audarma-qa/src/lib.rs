//! Quality checks on one translated segment. No I/O (a [`Speller`] is loaded by the caller).
//!
//! [`check`] takes a source, its target, the language pair and the terminology judgements from
//! [`audarma_glossary::verify`], and returns [`Finding`]s; [`check_with`] does the same with a
//! [`Context`] (length range learned from translation memory, severity overrides, disabled checks,
//! glossary capitalisation, known words, a spelling dictionary). Each finding has a stable check
//! name, a severity, a message for the translator and, where there is one, the span in the target
//! (character offsets).
//!
//! | check | what | default severity |
//! |---|---|---|
//! | `empty` | no translation | error |
//! | `terminology` | glossary term missing / forbidden / outdated | error / error / warning |
//! | `numbers` | a number of the source missing / a new number | error / warning |
//! | `dates` | a date of the source not in the target / a new date | error / warning |
//! | `untranslated` | target = source, or ≥ 4 ordinary source words copied | error |
//! | `wrong-language` | the target is in another language; English stretch in a Cyrillic target | error / warning |
//! | `mixed-script` | look-alike letters | warning (info for the source) |
//! | `quotes` | the other language's quotation marks; unbalanced quotes | warning |
//! | `punctuation` | final ? ! differ; brackets; space before / missing after a mark | warning / info |
//! | `whitespace` | double, leading, trailing spaces; stray no-break spaces | info |
//! | `repeated-word` | the same word twice in a row | warning |
//! | `length` | target/source length out of the expected range | warning |
//! | `urls` | URL, e-mail, #hashtag, @handle of the source missing or altered | error |
//! | `placeholders` | `⟦n⟧`, `{name}`, `%s`, `<tag>` lost or invented | error |
//! | `spelling` | a word the dictionary does not know | warning |
//! | `capitalization` | a glossary title written in lower case | warning |

mod dates;
mod numbers;
mod spell;
mod tokens;

use audarma_core::Lang;
use audarma_glossary::{Grade, TermCheck, TermMatch, TermStatus};
use std::collections::{HashMap, HashSet};
use tokens::{inside, lang_name, tokens as text_tokens, words, Kind};

pub use spell::{press_words, Speller, HUNSPELL_DIR};

pub use audarma_core::{Check, Evidence, Finding, Severity};

/// One segment to check.
pub struct Segment<'a> {
    pub source: &'a str,
    pub target: &'a str,
    pub source_lang: Lang,
    pub target_lang: Lang,
    /// Terminology judgements for this segment.
    pub terms: &'a [TermCheck],
    /// The glossary terms found in the target ([`audarma_glossary::Matcher::find`]): their words
    /// are known to the spelling check in any inflection, and `capitalization` compares their capitals.
    pub found: &'a [TermMatch],
}

/// What the caller knows beyond the segment. `Context::default()` is what [`check`] uses.
#[derive(Debug, Default, Clone)]
pub struct Context<'a> {
    /// Expected target/source length range (in characters) for this language pair, e.g. learned
    /// from translation memory; `None` uses [`default_length_ratio`].
    pub length_ratio: Option<(f64, f64)>,
    /// Severity per check, replacing the default of every finding of that check.
    pub severities: HashMap<Check, Severity>,
    /// Checks not to run.
    pub disabled: HashSet<Check>,
    /// Words the spelling check accepts (glossary terms, a workflow's word list, approved memory);
    /// any case, multi-word entries are split.
    pub known_words: HashSet<String>,
    /// The target language's dictionary; without it `spelling` does not run.
    pub speller: Option<&'a Speller>,
    /// `known_words` split into lower-case words, built on first use (a glossary has
    /// thousands; splitting them for every segment was most of the cost of checking one).
    pub spelling_words: std::sync::OnceLock<HashSet<String>>,
}

/// Runs every check on one segment with the default [`Context`].
pub fn check(seg: &Segment<'_>) -> Vec<Finding> {
    check_with(seg, &Context::default())
}

/// Runs every check not disabled in `ctx` on one segment.
pub fn check_with(seg: &Segment<'_>, ctx: &Context<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    let on = |check: Check| !ctx.disabled.contains(&check);
    if seg.target.trim().is_empty() {
        out.push(Finding::new(Check::Empty, Severity::Error, "the segment has no translation yet".into()));
    } else {
        let src_special = special_spans(seg.source);
        let tgt_special = special_spans(seg.target);
        if on(Check::Terminology) {
            terminology(seg, &mut out);
        }
        let src_dates = dates::find_dates(seg.source);
        let tgt_dates = dates::find_dates(seg.target);
        if on(Check::Numbers) {
            let mut src_excl: Vec<(usize, usize)> = src_special.iter().map(|s| (s.start, s.end)).collect();
            src_excl.extend(src_dates.iter().flat_map(|d| d.parts));
            src_excl.extend(numbers::in_names(seg.source));
            let mut tgt_excl: Vec<(usize, usize)> = tgt_special.iter().map(|s| (s.start, s.end)).collect();
            tgt_excl.extend(tgt_dates.iter().flat_map(|d| d.parts));
            tgt_excl.extend(numbers::in_names(seg.target));
            numbers::check(seg, &src_excl, &tgt_excl, &mut out);
        }
        if on(Check::Dates) {
            dates::check(seg, &src_dates, &tgt_dates, &mut out);
        }
        if on(Check::Untranslated) {
            untranslated(seg, &src_special, &mut out);
        }
        if on(Check::WrongLanguage) {
            wrong_language(seg, &tgt_special, &mut out);
        }
        if on(Check::MixedScript) {
            mixed_script(seg, &mut out);
        }
        if on(Check::Quotes) {
            quotes(seg, &mut out);
        }
        if on(Check::Punctuation) {
            punctuation(seg, &tgt_special, &mut out);
        }
        if on(Check::Whitespace) {
            whitespace(seg.target, &mut out);
        }
        if on(Check::RepeatedWord) {
            repeated_word(seg.target, &mut out);
        }
        if on(Check::Length) {
            length(seg, ctx, &mut out);
        }
        if on(Check::Urls) {
            urls(seg, &src_special, &tgt_special, &mut out);
        }
        if on(Check::Placeholders) {
            placeholders(seg, &mut out);
        }
        if on(Check::Spelling) {
            if let Some(sp) = ctx.speller.filter(|s| s.lang() == seg.target_lang) {
                let known = ctx.spelling_words.get_or_init(|| {
                    let words: HashSet<String> = ctx
                        .known_words
                        .iter()
                        .flat_map(|w| w.split(|c: char| !c.is_alphanumeric() && c != '-'))
                        .filter(|w| !w.is_empty())
                        .map(str::to_lowercase)
                        .collect();
                    // Russian and English words are also known by their stem, so that their
                    // inflected forms are (Kazakh ones through the analyser, see `Speller`).
                    let stems: Vec<String> = match seg.target_lang {
                        Lang::Kk => Vec::new(),
                        l => words.iter().map(|w| audarma_glossary::morph::stem(w, l)).collect(),
                    };
                    words.into_iter().chain(stems).collect()
                });
                let mut skip: Vec<(usize, usize)> = tgt_special.iter().map(|s| (s.start, s.end)).collect();
                skip.extend(placeholder_spans(seg.target).into_iter().map(|(s, e, _)| (s, e)));
                skip.extend(seg.found.iter().filter(|m| !m.forbidden).map(|m| (m.start, m.end)));
                spell::check(seg.source, seg.target, sp, known, &skip, &mut out);
            }
        }
        if on(Check::Capitalization) {
            let speller = ctx.speller.filter(|s| s.lang() == seg.target_lang);
            capitalization(seg.target, seg.found, speller, &mut out);
        }
    }
    out.retain(|f| on(f.check));
    for f in &mut out {
        if let Some(s) = ctx.severities.get(&f.check) {
            f.severity = *s;
        }
    }
    out
}

/// Look-alike letters (Latin "a" in a Cyrillic word, "ə" for "ә"): in the target an error to fix; in
/// the source a note, since the source is kept as published.
fn mixed_script(seg: &Segment<'_>, out: &mut Vec<Finding>) {
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

fn terminology(seg: &Segment<'_>, out: &mut Vec<Finding>) {
    for t in seg.terms {
        let Some((rule, grade)) = t.grade() else { continue };
        let severity = match grade {
            Grade::Error => Severity::Error,
            Grade::Warning => Severity::Warning,
            Grade::Note => Severity::Info,
        };
        let found = t.target.as_deref().unwrap_or_default();
        let expected = t.expected.as_deref().unwrap_or_default();
        let message = match t.status {
            TermStatus::Forbidden => format!("“{found}” is a forbidden form for `{}`: use “{expected}”", t.id),
            TermStatus::Outdated => format!("“{found}” is not the name in use on the release date (`{}`)", t.id),
            TermStatus::Other => format!(
                "“{found}” names `{}`, but the source has “{}” (`{}`): expected “{expected}”",
                t.via.as_deref().unwrap_or_default(),
                t.source,
                t.id
            ),
            _ if t.verbatim => {
                format!("“{}” (`{}`) must appear as “{expected}”; it is not in the target", t.source, t.id)
            }
            _ => format!(
                "“{}” (`{}`) is usually “{expected}”; not found in the target: check the paraphrase",
                t.source, t.id
            ),
        };
        let evidence = Evidence {
            rule: rule.into(),
            concept: Some(t.id.clone()),
            found: t.target.clone(),
            expected: t.expected.clone(),
            via: t.via.clone(),
        };
        let f = Finding::new(Check::Terminology, severity, message).because(evidence);
        out.push(match t.span {
            Some((s, e)) if e <= seg.target.len() => f.at(seg.target, s, e),
            _ => f,
        });
    }
}

/// What kind of literal a [`Special`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SpecialKind {
    Url,
    Email,
    Hashtag,
    Handle,
}

impl SpecialKind {
    fn name(self) -> &'static str {
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
struct Special<'a> {
    kind: SpecialKind,
    start: usize,
    end: usize,
    text: &'a str,
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
fn special_spans(text: &str) -> Vec<Special<'_>> {
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

fn urls(seg: &Segment<'_>, src: &[Special<'_>], tgt: &[Special<'_>], out: &mut Vec<Finding>) {
    let mut left: Vec<&Special<'_>> = tgt.iter().collect();
    for s in src {
        if let Some(p) = left.iter().position(|t| t.text == s.text) {
            left.remove(p);
            continue;
        }
        let altered = left.iter().position(|t| t.kind == s.kind);
        let f = match altered {
            Some(p) => {
                let t = left.remove(p);
                Finding::new(
                    Check::Urls,
                    Severity::Error,
                    format!("the {} {} of the source is changed to {} in the target", s.kind.name(), s.text, t.text),
                )
                .at(seg.target, t.start, t.end)
            }
            None => Finding::new(
                Check::Urls,
                Severity::Error,
                format!("the {} {} of the source is missing", s.kind.name(), s.text),
            ),
        };
        out.push(f);
    }
    for t in left {
        out.push(
            Finding::new(
                Check::Urls,
                Severity::Warning,
                format!("the {} {} is not in the source", t.kind.name(), t.text),
            )
            .at(seg.target, t.start, t.end),
        );
    }
}

/// Placeholders: `⟦n⟧`, `{name}`, `%s`/`%1$s`/`%d`, `<tag>`, `</tag>`, `<tag/>`.
fn placeholder_spans(text: &str) -> Vec<(usize, usize, &str)> {
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

fn placeholders(seg: &Segment<'_>, out: &mut Vec<Finding>) {
    let src = placeholder_spans(seg.source);
    let mut tgt = placeholder_spans(seg.target);
    for (_, _, p) in &src {
        if let Some(k) = tgt.iter().position(|t| t.2 == *p) {
            tgt.remove(k);
        } else {
            out.push(Finding::new(
                Check::Placeholders,
                Severity::Error,
                format!("the placeholder {p} of the source is missing"),
            ));
        }
    }
    for (s, e, p) in tgt {
        out.push(
            Finding::new(Check::Placeholders, Severity::Error, format!("the placeholder {p} is not in the source"))
                .at(seg.target, s, e),
        );
    }
}

fn untranslated(seg: &Segment<'_>, special: &[Special<'_>], out: &mut Vec<Finding>) {
    if seg.source_lang == seg.target_lang {
        return;
    }
    let letters = seg.source.chars().filter(|c| c.is_alphabetic()).count();
    if letters >= 4 && seg.source.trim() == seg.target.trim() {
        out.push(Finding::new(Check::Untranslated, Severity::Error, "the target is the same as the source".into()));
        return;
    }
    let spans: Vec<(usize, usize)> = special.iter().map(|s| (s.start, s.end)).collect();
    let src: Vec<(String, bool)> = text_tokens(seg.source)
        .into_iter()
        .filter(|t| !inside(&spans, t.start))
        .map(|t| {
            let ordinary = t.kind == Kind::Letters
                && t.text.chars().count() >= 2
                && t.text.chars().next().is_some_and(char::is_lowercase);
            (t.text.to_lowercase(), ordinary)
        })
        .collect();
    let tgt = text_tokens(seg.target);
    let tgt_lower: Vec<String> = tgt.iter().map(|t| t.text.to_lowercase()).collect();
    // An English stretch copied into a Cyrillic target is untranslated from three words on
    // ("Ministry of Energy"), names included: official Kazakh and Russian translate them.
    let cross_script = seg.source_lang == Lang::En;
    let mut best: Option<(usize, usize, usize)> = None; // (ordinary words, target start tok, end tok)
    let mut latin_run: Option<(usize, usize, usize)> = None; // (words, target start tok, end tok)
    for i in 0..src.len() {
        for j in 0..tgt.len() {
            let mut k = 0;
            let mut ordinary = 0;
            while i + k < src.len() && j + k < tgt.len() && src[i + k].0 == tgt_lower[j + k] {
                ordinary += usize::from(src[i + k].1);
                k += 1;
            }
            if k > 0 && best.is_none_or(|b| ordinary > b.0) {
                best = Some((ordinary, j, j + k - 1));
            }
            let words = tgt[j..j + k].iter().filter(|t| t.kind == Kind::Letters && t.text.is_ascii()).count();
            if cross_script && words == k && k > 0 && latin_run.is_none_or(|b| words > b.0) {
                latin_run = Some((words, j, j + k - 1));
            }
        }
    }
    let best = best
        .filter(|b| b.0 >= 4)
        .map(|b| (b, Severity::Error))
        .or(latin_run.filter(|r| r.0 >= 3).map(|r| (r, Severity::Warning)));
    if let Some(((n, a, b), severity)) = best {
        let (s, e) = (tgt[a].start, tgt[b].end);
        out.push(
            Finding::new(
                Check::Untranslated,
                severity,
                format!("“{}” is copied from the source untranslated ({n} words)", &seg.target[s..e]),
            )
            .at(seg.target, s, e),
        );
    }
}

/// Kazakh-specific letters in words that do not start with a capital (names do not count).
fn kazakh_letters_in_lower_words(text: &str) -> usize {
    text.split(|c: char| !c.is_alphabetic())
        .filter(|w| w.chars().next().is_some_and(char::is_lowercase))
        .flat_map(str::chars)
        .filter(|c| audarma_text::is_kazakh_letter(*c))
        .count()
}

fn wrong_language(seg: &Segment<'_>, special: &[Special<'_>], out: &mut Vec<Finding>) {
    // URLs, addresses and placeholders say nothing of the language.
    let mut blanks: Vec<(usize, usize)> = special.iter().map(|s| (s.start, s.end)).collect();
    blanks.extend(placeholder_spans(seg.target).into_iter().map(|(s, e, _)| (s, e)));
    let plain: String = seg.target.char_indices().map(|(i, c)| if inside(&blanks, i) { ' ' } else { c }).collect();
    let letters = plain.chars().filter(|c| c.is_alphabetic()).count();
    let want = seg.target_lang;
    if letters >= 20 {
        if let Some(d) = audarma_text::detector().detect(&plain) {
            // Word evidence: Russian function words and endings against Kazakh words. Names are
            // capitalised and count for neither, so a Russian sentence full of Kazakh names
            // («Бауыржан Байбек прибыл в Талдыкорган.») is not Kazakh, and a short Russian
            // sentence given as the Kazakh translation is caught.
            let m = audarma_text::markers(&plain);
            let kk_lower = kazakh_letters_in_lower_words(&plain);
            let plainly_russian = m.ru > 0 && m.kk == 0 && kk_lower == 0;
            let wrong = match (want, d.lang) {
                (w, l) if w == l => false,
                (Lang::Kk, Lang::Ru) => (letters >= 60 && kk_lower <= 1) || plainly_russian,
                (Lang::Ru, Lang::Kk) => !plainly_russian,
                _ => true,
            };
            if wrong {
                out.push(Finding::new(
                    Check::WrongLanguage,
                    Severity::Error,
                    format!("the target should be in {} but reads as {}", lang_name(want), lang_name(d.lang)),
                ));
                return;
            }
        }
    }
    // A stretch of another script left inside the target: three or more lower-case Latin words in
    // a Kazakh or Russian target, or Cyrillic words in an English one.
    let spans: Vec<(usize, usize)> = special.iter().map(|s| (s.start, s.end)).collect();
    let foreign = |w: &str| {
        let lower = w.chars().next().is_some_and(char::is_lowercase);
        let latin = w.chars().all(|c| c.is_ascii_alphabetic() || c == '-' || c == '\'');
        let cyrillic = w.chars().all(|c| tokens::is_cyrillic(c) || c == '-');
        lower && if want == Lang::En { cyrillic } else { latin }
    };
    let ws = words(seg.target);
    let mut run: Vec<(usize, &str)> = Vec::new();
    let report = |run: &[(usize, &str)], out: &mut Vec<Finding>| {
        if run.len() >= 3 {
            let (s, e) = (run[0].0, run[run.len() - 1].0 + run[run.len() - 1].1.len());
            out.push(
                Finding::new(
                    Check::WrongLanguage,
                    Severity::Warning,
                    format!("“{}” is not {}", &seg.target[s..e], lang_name(want)),
                )
                .at(seg.target, s, e),
            );
        }
    };
    for (s, w) in ws {
        if foreign(w) && !inside(&spans, s) {
            run.push((s, w));
        } else {
            report(&run, out);
            run.clear();
        }
    }
    report(&run, out);
}

fn quote_marks(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "“…” or \"…\"",
        Lang::Kk | Lang::Ru => "«…»",
    }
}

fn quotes(seg: &Segment<'_>, out: &mut Vec<Finding>) {
    let t = seg.target;
    let lang = seg.target_lang;
    let wrong: &[char] = match lang {
        Lang::En => &['«', '»'],
        // „…“ only nests inside «…»: as the outer quotes it is the German style.
        Lang::Kk | Lang::Ru if t.contains('„') && !t.contains('«') => &['„', '"', '”'],
        Lang::Kk | Lang::Ru if t.contains('„') => &['"', '”'],
        Lang::Kk | Lang::Ru => &['"', '“', '”'],
    };
    if let Some(i) = t.find(wrong) {
        let c = t[i..].chars().next().unwrap_or('"');
        let close = match c {
            '«' => '»',
            '“' => '”',
            '„' => '“',
            c => c,
        };
        let end =
            t[i + c.len_utf8()..].find(close).map_or(i + c.len_utf8(), |k| i + c.len_utf8() + k + close.len_utf8());
        let shown = if end > i + c.len_utf8() { format!("{c}…{close}") } else { c.to_string() };
        out.push(
            Finding::new(
                Check::Quotes,
                Severity::Warning,
                format!("{} expected in {}, found {shown}", quote_marks(lang), lang_name(lang)),
            )
            .at(t, i, end),
        );
    }
    // Russian nests „…“ inside «…»; English pairs “…”.
    let unbalanced = |s: &str| {
        let n = |c: char| s.chars().filter(|x| *x == c).count();
        let curly = if n('„') == 0 { n('“') != n('”') } else { (n('„') + n('“') + n('”')) % 2 == 1 };
        n('«') != n('»') || n('"') % 2 == 1 || curly
    };
    if unbalanced(t) && !unbalanced(seg.source) {
        out.push(Finding::new(
            Check::Quotes,
            Severity::Warning,
            "a quotation mark is not closed (or not opened)".into(),
        ));
    }
}

/// Default target/source length ranges (characters) per pair, set from the clean pairs of
/// `tests/pairs.jsonl`: Russian runs longer than English; Kazakh, agglutinative, is often shorter
/// than both (one suffixed word for a Russian or English phrase); a date written with digits on one
/// side and in words on the other moves a short segment by 0.3. Wide on purpose: the check should
/// catch a lost or doubled sentence, not style. Callers with translation memory should pass the
/// pair's observed range as [`Context::length_ratio`].
pub fn default_length_ratio(from: Lang, to: Lang) -> (f64, f64) {
    match (from, to) {
        (Lang::En, Lang::Ru) => (0.75, 1.7),
        (Lang::En, Lang::Kk) => (0.65, 1.75),
        (Lang::Ru, Lang::Kk) => (0.7, 1.45),
        (Lang::Kk, Lang::Ru) => (0.75, 1.55),
        (Lang::Ru | Lang::Kk, Lang::En) => (0.55, 1.5),
        _ => (0.6, 1.6),
    }
}

fn length(seg: &Segment<'_>, ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let s = seg.source.trim().chars().count();
    if s < 40 {
        return;
    }
    let t = seg.target.trim().chars().count();
    let (lo, hi) = ctx.length_ratio.unwrap_or_else(|| default_length_ratio(seg.source_lang, seg.target_lang));
    let r = t as f64 / s as f64;
    // Eight characters of slack, which matters only for short segments (a date in digits vs words).
    let (tf, sf) = (t as f64, s as f64);
    if tf + 8.0 < lo * sf || tf - 8.0 > hi * sf {
        let how = if r < lo { "shorter" } else { "longer" };
        out.push(Finding::new(
            Check::Length,
            Severity::Warning,
            format!(
                "the target is much {how} than the source ({t} vs {s} characters, ratio {r:.2}, expected {lo:.2}–{hi:.2}): is something missing or added?"
            ),
        ));
    }
}

/// A glossary term found in the target but written without the capitals the glossary gives it
/// ("глава государства" for "Глава государства"). Only terms the matcher found, word for word.
fn capitalization(target: &str, found: &[TermMatch], speller: Option<&Speller>, out: &mut Vec<Finding>) {
    for m in found.iter().filter(|m| !m.forbidden && m.end <= target.len()) {
        let text_words = words(&target[m.start..m.end]);
        let term_words = words(&m.term);
        if text_words.len() != term_words.len() {
            continue;
        }
        let upper = |w: &str| w.chars().next().is_some_and(char::is_uppercase);
        let lower = |w: &str| w.chars().next().is_some_and(char::is_lowercase);
        if term_words.iter().zip(&text_words).any(|((_, t), (_, x))| upper(t) && lower(x)) {
            // A name's capitals are required; other terms are capitalised by convention only. A
            // one-word name whose lower-case form the dictionary knows is more likely that common
            // word («семей», families, not Семей): a note.
            let common = text_words.len() == 1 && speller.is_some_and(|s| s.knows(text_words[0].1));
            let severity = if m.proper && !common { Severity::Warning } else { Severity::Info };
            out.push(
                Finding::new(
                    Check::Capitalization,
                    severity,
                    format!("“{}” should be capitalised as in the glossary: “{}”", m.text, m.term),
                )
                .at(target, m.start, m.end)
                .because(Evidence {
                    concept: Some(m.id.clone()).filter(|i| !i.is_empty()),
                    found: Some(m.text.clone()),
                    expected: Some(m.term.to_string()),
                    ..Evidence::rule("glossary-capitals")
                }),
            );
        }
    }
}

fn final_mark(s: &str) -> Option<char> {
    let c = s.trim_end().trim_end_matches(['»', '"', '”', ')', '’']).chars().next_back()?;
    matches!(c, '.' | '?' | '!' | '…' | ':' | ';').then_some(c)
}

fn punctuation(seg: &Segment<'_>, special: &[Special<'_>], out: &mut Vec<Finding>) {
    let (s, t) = (final_mark(seg.source), final_mark(seg.target));
    if s == Some('.') && t.is_none() {
        out.push(
            Finding::new(
                Check::Punctuation,
                Severity::Warning,
                "the source ends with a full stop; the target has no final punctuation".into(),
            )
            .because(Evidence { expected: Some(".".into()), ..Evidence::rule("final-mark-lost") }),
        );
    } else if s != t && (matches!(s, Some('?' | '!')) || matches!(t, Some('?' | '!'))) {
        let shown = |m: Option<char>| m.map(String::from).unwrap_or_else(|| "none".into());
        out.push(Finding::new(
            Check::Punctuation,
            Severity::Warning,
            format!("the sentence ends with {} in the source but {} in the target", shown(s), shown(t)),
        ));
    }
    for (open, close) in [('(', ')'), ('[', ']')] {
        let balance = |x: &str| {
            x.chars().filter(|c| *c == open).count() as isize - x.chars().filter(|c| *c == close).count() as isize
        };
        if balance(seg.target) != balance(seg.source) && balance(seg.target) != 0 {
            out.push(Finding::new(
                Check::Punctuation,
                Severity::Warning,
                format!("unbalanced brackets: “{open}” and “{close}” do not pair up"),
            ));
        }
    }
    for (i, _) in seg.target.match_indices([' ']) {
        if let Some(next) = seg.target[i + 1..].chars().next() {
            if matches!(next, ',' | '.' | ';' | ':' | '!' | '?') && !seg.target[i + 1..].starts_with("...") {
                out.push(Finding::new(Check::Punctuation, Severity::Info, format!("space before “{next}”")).at(
                    seg.target,
                    i,
                    i + 1 + next.len_utf8(),
                ));
            }
        }
    }
    // A missing space after a mark: "ended.The", "Astana,Almaty". Initials ("Қ.Тоқаев"),
    // abbreviations ("т.б.", "e.g."), URLs and numbers are left alone.
    let spans: Vec<(usize, usize)> = special.iter().map(|s| (s.start, s.end)).collect();
    let spans_ph: Vec<(usize, usize)> = placeholder_spans(seg.target).into_iter().map(|(s, e, _)| (s, e)).collect();
    let chars: Vec<(usize, char)> = seg.target.char_indices().collect();
    for n in 1..chars.len().saturating_sub(1) {
        let (i, c) = chars[n];
        let next = chars[n + 1].1;
        if !matches!(c, '.' | ',' | ';' | ':' | '!' | '?')
            || !next.is_alphabetic()
            || inside(&spans, i)
            || inside(&spans_ph, i)
        {
            continue;
        }
        let word_before: String =
            chars[..n].iter().rev().take_while(|(_, c)| c.is_alphabetic()).map(|(_, c)| *c).collect();
        let prev_word_len = word_before.chars().count();
        let flagged = if c == '.' {
            next.is_uppercase() && prev_word_len >= 2 && word_before.chars().rev().skip(1).all(char::is_lowercase)
        } else {
            prev_word_len >= 1 || chars[n - 1].1.is_ascii_digit() && c != ':'
        };
        if flagged {
            out.push(Finding::new(Check::Punctuation, Severity::Warning, format!("no space after “{c}”")).at(
                seg.target,
                i,
                i + c.len_utf8() + next.len_utf8(),
            ));
        }
    }
}

fn whitespace(t: &str, out: &mut Vec<Finding>) {
    if t.starts_with(char::is_whitespace) || t.ends_with(char::is_whitespace) {
        out.push(Finding::new(Check::Whitespace, Severity::Info, "leading or trailing space".into()));
    }
    if let Some(i) = t.find("  ") {
        out.push(Finding::new(Check::Whitespace, Severity::Info, "double space".into()).at(t, i, i + 2));
    }
    // No-break spaces belong inside numbers and between a number and its unit, percent or
    // multiplier ("1 500", "20 %", "5 млн"), and before a dash.
    let chars: Vec<(usize, char)> = t.char_indices().collect();
    for (n, &(i, c)) in chars.iter().enumerate() {
        if !matches!(c, '\u{a0}' | '\u{202f}' | '\u{2007}') {
            continue;
        }
        let prev = n.checked_sub(1).map(|k| chars[k].1);
        let next = chars.get(n + 1).map(|x| x.1);
        let fine = prev.is_some_and(|p| p.is_ascii_digit())
            || next.is_some_and(|x| x.is_ascii_digit() || matches!(x, '—' | '–' | '%'))
            || matches!(prev, Some('№' | '§'));
        if !fine {
            out.push(
                Finding::new(Check::Whitespace, Severity::Info, "a no-break space outside a number or unit".into()).at(
                    t,
                    i,
                    i + c.len_utf8(),
                ),
            );
        }
    }
}

fn repeated_word(t: &str, out: &mut Vec<Finding>) {
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
    use super::*;

    fn run(source: &str, target: &str) -> Vec<(&'static str, Severity)> {
        let seg = Segment { source, target, source_lang: Lang::En, target_lang: Lang::Ru, terms: &[], found: &[] };
        check(&seg).into_iter().map(|f| (f.check.as_str(), f.severity)).collect()
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
        let seg = Segment {
            source: "x",
            target: "Да да.",
            source_lang: Lang::En,
            target_lang: Lang::Ru,
            terms: &[],
            found: &[],
        };
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
            ..TermCheck::default()
        }];
        let seg = Segment {
            source: "OSCE met.",
            target: "Организация встретилась.",
            source_lang: Lang::En,
            target_lang: Lang::Ru,
            terms: &terms,
            found: &[],
        };
        assert_eq!(check(&seg)[0].check, Check::Terminology);
    }

    fn run_pair(source: &str, target: &str, from: Lang, to: Lang) -> Vec<(&'static str, Severity)> {
        let seg = Segment { source, target, source_lang: from, target_lang: to, terms: &[], found: &[] };
        check(&seg).into_iter().map(|f| (f.check.as_str(), f.severity)).collect()
    }

    fn has(found: &[(&'static str, Severity)], name: &str) -> bool {
        found.iter().any(|(c, s)| *c == name && *s >= Severity::Warning)
    }

    #[test]
    fn numbers_across_locales_words_and_multipliers() {
        use Lang::*;
        assert_eq!(run_pair("Exports reached $2.3 billion.", "Экспорт достиг 2,3 млрд долларов.", En, Ru), []);
        assert_eq!(run_pair("Экспорт достиг 2,3 млрд долларов.", "Экспорт 2,3 млрд долларға жетті.", Ru, Kk), []);
        assert_eq!(run_pair("Five regions took part.", "В мероприятии участвовали пять регионов.", En, Ru), []);
        assert_eq!(run_pair("5 regions took part.", "Іс-шараға бес өңір қатысты.", En, Kk), []);
        assert_eq!(run_pair("Growth was 20%.", "Өсім 20%-ға жетті.", En, Kk), []);
        assert_eq!(run_pair("The 5th forum opened.", "Открылся 5-й форум.", En, Ru), []);
        assert_eq!(run_pair("The 2026–2030 plan.", "План на 2026-2030 гг.", En, Ru), []);
        let f = run_pair("Trade reached 1,500 tonnes.", "Товарооборот достиг 1,500 тонн.", En, Ru);
        assert!(has(&f, "numbers"), "{f:?}");
        let seg = Segment {
            source: "Trade grew by 1 500,5 тонн.",
            target: "Товарооборот вырос.",
            source_lang: Ru,
            target_lang: Ru,
            terms: &[],
            found: &[],
        };
        assert_eq!(check(&seg)[0].message, "the number 1 500,5 of the source is missing");
    }

    #[test]
    fn reordered_dates_agree_and_wrong_ones_do_not() {
        use Lang::*;
        assert_eq!(run_pair("On 12 March 2026 the forum opened.", "2026 жылғы 12 наурызда форум ашылды.", En, Kk), []);
        assert_eq!(run_pair("On March 12, 2026 the forum opened.", "12.03.2026 открылся форум.", En, Ru), []);
        let f = run_pair("On 12 March 2026 the forum opened.", "13 марта 2026 года открылся форум.", En, Ru);
        assert_eq!(f, [("dates", Severity::Error)]);
    }

    #[test]
    fn untranslated_stretches_and_wrong_language() {
        use Lang::*;
        let f = run_pair(
            "The ministry will continue to support small and medium businesses.",
            "Министрлік will continue to support small and medium businesses.",
            En,
            Kk,
        );
        assert!(has(&f, "untranslated"), "{f:?}");
        let f = run_pair(
            "Министрлік шағын және орта бизнесті қолдауды жалғастырады.",
            "Министерство продолжит поддерживать малый и средний бизнес в регионах страны.",
            Ru,
            Kk,
        );
        assert!(has(&f, "wrong-language"), "{f:?}");
        // Short Russian given as Kazakh: Russian words ("и", "-ый") and no Kazakh one.
        let f = run_pair(
            "The ministry will support business.",
            "Министерство продолжит поддерживать малый и средний бизнес.",
            En,
            Kk,
        );
        assert!(has(&f, "wrong-language"), "short: {f:?}");
    }

    /// Runs one pair and tells whether `wrong-language` reported an error.
    fn wrong_language_error(source: &str, target: &str, source_lang: Lang, target_lang: Lang) -> bool {
        let seg = Segment { source, target, source_lang, target_lang, terms: &[], found: &[] };
        check(&seg).iter().any(|f| f.check == Check::WrongLanguage && f.severity == Severity::Error)
    }

    #[test]
    fn russian_given_as_kazakh_is_an_error() {
        use Lang::*;
        for (src, tgt) in [
            ("Бауыржан Байбек Талдықорғанға келді.", "Бауыржан Байбек прибыл в Талдыкорган."),
            ("Президент кездесу өткізді.", "Президент провел встречу."),
            ("Үкімет отырысы өтті.", "Состоялось заседание Правительства."),
            ("Министр Ақтөбе облысына барды.", "Министр посетил Актюбинскую область."),
            ("Тараптар ынтымақтастықты талқылады.", "Стороны обсудили сотрудничество."),
            ("Ерлан Қарин Нұрлан Ноғаевпен кездесті.", "Ерлан Карин встретился с Нурланом Ногаевым."),
            ("Сенат заңды мақұлдады.", "Сенат одобрил закон о бюджете."),
            ("Әкім фермерлермен кездесті.", "Аким области встретился с фермерами."),
            ("Форум Астанада өтеді.", "Форум пройдет в Астане в октябре."),
            ("Қасым-Жомарт Тоқаев Жарлыққа қол қойды.", "Касым-Жомарт Токаев подписал Указ."),
        ] {
            assert!(wrong_language_error(src, tgt, Kk, Kk), "Russian as Kazakh not caught: {tgt}");
            assert!(wrong_language_error("The text.", tgt, En, Kk), "Russian as Kazakh not caught: {tgt}");
            assert!(!wrong_language_error(src, tgt, Kk, Ru), "Russian flagged as not Russian: {tgt}");
        }
    }

    #[test]
    fn kazakh_given_as_russian_is_an_error() {
        use Lang::*;
        for tgt in [
            "Мемлекет басшысы Вашингтонға ресми сапармен келді.",
            "Тараптар сауда мен энергетика мәселелерін талқылады.",
            "Премьер-Министр Олжас Бектенов үкімет отырысын өткізді.",
            "Сенат республикалық бюджет туралы заңды мақұлдады.",
            "Әкім облыстағы фермерлермен кездесті.",
            "Мемлекет басшысы Ақордада елшіні қабылдады.",
        ] {
            assert!(wrong_language_error("The text.", tgt, En, Ru), "Kazakh as Russian not caught: {tgt}");
            assert!(!wrong_language_error("The text.", tgt, En, Kk), "Kazakh flagged as not Kazakh: {tgt}");
        }
    }

    #[test]
    fn names_and_quoted_titles_do_not_flip_the_language() {
        use Lang::*;
        // Russian full of Kazakh names stays Russian.
        for tgt in [
            "Бауыржан Байбек прибыл в Талдыкорган.",
            "Дархан Сатыбалды посетил Туркестан.",
            "Серик Жумангарин и Алихан Смаилов обсудили развитие Шымкента.",
            "Женис Касымбек осмотрел дороги Кокшетау.",
            "Нурлан Ногаев встретился с жителями Атырау.",
            "Асылжан Мамытбеков наградил Айгерим Жумадилову.",
            "Маулен Ашимбаев открыл сессию Сената.",
            "Программа «Ауыл – ел бесігі» продлена до 2027 года.",
            "Қасым-Жомарт Тоқаев провел встречу с Ерланом Қариным.",
        ] {
            assert!(!wrong_language_error("Text.", tgt, En, Ru), "Russian with names flagged: {tgt}");
        }
        // Kazakh with Russian names and quoted Russian titles stays Kazakh.
        for tgt in [
            "Владимир Путин Астанаға келді.",
            "Сергей Лавров Қазақстанның Сыртқы істер министрімен кездесті.",
            "Мемлекет басшысы «Российская газета» басылымына сұхбат берді.",
            "Премьер-Министр Михаил Мишустинмен телефон арқылы сөйлесті.",
            "Ол «Известия» газетіне берген сұхбатында экономика туралы айтты.",
            "Келіссөздерге Дмитрий Медведев пен Алексей Оверчук қатысты.",
        ] {
            assert!(!wrong_language_error("Text.", tgt, En, Kk), "Kazakh with Russian names flagged: {tgt}");
        }
    }

    #[test]
    fn quotes_brackets_and_spaces() {
        use Lang::*;
        let seg = Segment {
            source: "The “Nurly Zhol” programme.",
            target: "Программа “Нұрлы жол”.",
            source_lang: En,
            target_lang: Ru,
            terms: &[],
            found: &[],
        };
        let f = check(&seg);
        assert_eq!(f[0].check, Check::Quotes);
        assert_eq!(f[0].message, "«…» expected in Russian, found “…”");
        assert!(has(&run_pair("The «Nurly Zhol» programme.", "The «Nurly Zhol» programme", Ru, En), "quotes"));
        assert!(has(&run_pair("It (the plan) works.", "План (программа работает.", En, Ru), "punctuation"));
        assert!(has(&run_pair("It ended. Then.", "Завершилось.Затем.", En, Ru), "punctuation"));
        assert_eq!(run_pair("K. Tokayev met.", "Қ.Тоқаев кездесті.", En, Kk), []);
        assert_eq!(run_pair("Up 20 %.", "Рост на 20\u{a0}% и 1\u{a0}500.", En, Ru).len(), 1); // numbers only
        let f = run_pair("They met.", "Они\u{a0}встретились.", En, Ru);
        assert_eq!(f, [("whitespace", Severity::Info)]);
    }

    #[test]
    fn length_urls_and_placeholders() {
        use Lang::*;
        let src = "The President held a meeting with the heads of regions on investment.";
        assert!(has(&run_pair(src, "Президент провел встречу.", En, Ru), "length"));
        let ctx = Context { length_ratio: Some((0.1, 5.0)), ..Context::default() };
        let seg = Segment {
            source: src,
            target: "Президент провел встречу.",
            source_lang: En,
            target_lang: Ru,
            terms: &[],
            found: &[],
        };
        assert!(check_with(&seg, &ctx).iter().all(|f| f.check != Check::Length));
        let f = run_pair(
            "See https://gov.kz/x and write to info@gov.kz.",
            "См. https://gov.kz/y и пишите на info@gov.kz.",
            En,
            Ru,
        );
        assert_eq!(f, [("urls", Severity::Error)]);
        assert_eq!(
            run_pair("Follow #Astana2026 and @akorda_press.", "Следите за #Astana2026 и @akorda_press.", En, Ru),
            []
        );
        assert!(has(&run_pair("Dear {name}, see ⟦1⟧.", "Уважаемый, см. ⟦1⟧.", En, Ru), "placeholders"));
        assert!(
            !has(&run_pair("See ⟦1⟧.", "⟦ru⟧ См. ⟦1⟧.", En, Ru), "placeholders"),
            "a pseudo marker is not a placeholder"
        );
        assert!(has(&run_pair("See <b>this</b>.", "См. <b>это.", En, Ru), "placeholders"));
        assert!(has(&run_pair("Hello %s.", "Привет %s %d.", En, Ru), "placeholders"));
    }

    #[test]
    fn capitalization_severities_and_disabling() {
        use Lang::*;
        let mut g = audarma_glossary::Glossary::default();
        let mut problems = Vec::new();
        g.parse_file(
            std::path::Path::new("g.toml"),
            "[[concept]]\nid = \"hos\"\nen = \"Head of State\"\nkk = \"Мемлекет басшысы\"\nru = \"Глава государства\"\n\
             [[concept]]\nid = \"rabat\"\nen = \"Rabat\"\nkk = \"Рабат\"\nru = \"Рабат\"\n",
            &mut problems,
        );
        assert!(problems.is_empty(), "{problems:?}");
        let m = audarma_glossary::Matcher::new(&g, Ru);
        let target = "Главой государства была проведена встреча, затем глава государства уехал на работу в Казахстанскую Рабат-службу.";
        let found = m.find_in(&g, target);
        let seg = Segment {
            source: "The Head of State met the deputies.",
            target,
            source_lang: En,
            target_lang: Ru,
            terms: &[],
            found: &found,
        };
        let f: Vec<_> =
            check_with(&seg, &Context::default()).into_iter().filter(|f| f.check == Check::Capitalization).collect();
        assert_eq!(f.len(), 1, "only the lower-case term the matcher found, not «работу»: {f:?}");
        assert_eq!(f[0].evidence.as_ref().map(|e| e.rule.as_ref()), Some("glossary-capitals"));
        let mut ctx = Context::default();
        ctx.severities.insert(Check::RepeatedWord, Severity::Error);
        let seg = Segment {
            source: "They met.",
            target: "Они они встретились.",
            source_lang: En,
            target_lang: Ru,
            terms: &[],
            found: &[],
        };
        assert_eq!(check_with(&seg, &ctx)[0].severity, Severity::Error);
        ctx.disabled.insert(Check::RepeatedWord);
        assert!(check_with(&seg, &ctx).is_empty());
    }

    #[test]
    fn spelling_with_hunspell_dictionaries() {
        let Some(ru) = Speller::load(Lang::Ru) else {
            eprintln!("SKIP spelling test: no ru_RU dictionary in {HUNSPELL_DIR} (apt-get install hunspell-ru)");
            return;
        };
        let ctx = Context { speller: Some(&ru), ..Context::default() };
        let seg = Segment {
            source: "The ministry met Tokayev.",
            target: "Министерство встретилось с Токаевым, ЕАЭС и првительством.",
            source_lang: Lang::En,
            target_lang: Lang::Ru,
            terms: &[],
            found: &[],
        };
        let f: Vec<_> = check_with(&seg, &ctx).into_iter().filter(|f| f.check == Check::Spelling).collect();
        assert_eq!(f.len(), 1, "{f:?}");
        assert!(f[0].message.contains("првительством"));
        if let Some(kk) = Speller::load(Lang::Kk) {
            assert!(kk.knows("мемлекет"));
            let ctx = Context { speller: Some(&kk), ..Context::default() };
            let seg = Segment {
                source: "x",
                target: "ЕҚЫҰ-ның өкілдері келді.",
                source_lang: Lang::En,
                target_lang: Lang::Kk,
                terms: &[],
                found: &[],
            };
            let f: Vec<_> = check_with(&seg, &ctx).into_iter().filter(|f| f.check == Check::Spelling).collect();
            assert!(f.is_empty(), "{f:?}");
        }
    }
}
