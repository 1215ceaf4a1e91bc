//! Release date lines in English, Kazakh and Russian.

use crate::normalize::collapse_whitespace;
use chrono::NaiveDate;

/// A parsed date line: the date and, when the line names one, the place ("Astana").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateLine {
    pub date: NaiveDate,
    pub place: Option<String>,
}

/// Lines longer than this (in chars) are sentences, not date lines.
const MAX_LINE: usize = 90;
/// At most this many words of place name.
const MAX_PLACE_WORDS: usize = 4;

#[derive(Debug, Clone, Copy)]
struct Tok<'a> {
    text: &'a str,
    start: usize,
    end: usize,
}

impl Tok<'_> {
    /// Lower-cased, without a final period, with the Latin schwa read as Kazakh "ә".
    fn key(&self) -> String {
        self.text.trim_end_matches('.').to_lowercase().replace('ə', "ә")
    }
}

fn tokenize(line: &str) -> Vec<Tok<'_>> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in line.char_indices() {
        let sep = matches!(c, ' ' | ',' | ';' | '|' | '(' | ')');
        match (sep, start) {
            (true, Some(s)) => {
                out.push(Tok { text: &line[s..i], start: s, end: i });
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push(Tok { text: &line[s..], start: s, end: line.len() });
    }
    // dashes standing alone separate ("Astana — 7 June 2023")
    out.retain(|t| !t.text.chars().all(|c| matches!(c, '-' | '–' | '—' | '―' | ':')));
    out
}

fn month(key: &str) -> Option<u32> {
    use crate::months::{EN, KK, RU_GEN};
    const RU_NOM: [&str; 12] = [
        "январь",
        "февраль",
        "март",
        "апрель",
        "май",
        "июнь",
        "июль",
        "август",
        "сентябрь",
        "октябрь",
        "ноябрь",
        "декабрь",
    ];
    let pos = |list: &[&str; 12]| list.iter().position(|m| *m == key);
    let found = pos(&EN).or_else(|| pos(&RU_GEN)).or_else(|| pos(&RU_NOM)).or_else(|| {
        let en_abbr = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
        en_abbr.iter().position(|m| *m == key).or((key == "sept").then_some(8))
    });
    let found = found.or_else(|| {
        // Kazakh months, also with a case ending: "маусымда", "маусымның"
        KK.iter().position(|m| key.strip_prefix(m).is_some_and(|rest| rest.chars().count() <= 4))
    })?;
    u32::try_from(found + 1).ok()
}

fn is_weekday(key: &str) -> bool {
    matches!(
        key,
        "monday"
            | "tuesday"
            | "wednesday"
            | "thursday"
            | "friday"
            | "saturday"
            | "sunday"
            | "mon"
            | "tue"
            | "tues"
            | "wed"
            | "thu"
            | "thurs"
            | "fri"
            | "sat"
            | "sun"
            | "понедельник"
            | "вторник"
            | "среда"
            | "четверг"
            | "пятница"
            | "суббота"
            | "воскресенье"
            | "дүйсенбі"
            | "сейсенбі"
            | "сәрсенбі"
            | "бейсенбі"
            | "жұма"
            | "сенбі"
            | "жексенбі"
    )
}

fn day(tok: &str) -> Option<u32> {
    let t = tok.trim_end_matches('.');
    let digits: String = t.chars().take_while(char::is_ascii_digit).collect();
    let rest = &t[digits.len()..];
    if digits.is_empty() || digits.len() > 2 {
        return None;
    }
    let ok_suffix = matches!(
        rest.to_lowercase().as_str(),
        "" | "st" | "nd" | "rd" | "th" | "-го" | "-е" | "-ші" | "-шы" | "-i" | "-ы"
    );
    if !ok_suffix {
        return None;
    }
    let d: u32 = digits.parse().ok()?;
    (1..=31).contains(&d).then_some(d)
}

/// A year, possibly with a glued year word ("2023г.", "2023ж.").
fn year(tok: &str) -> Option<i32> {
    let t = tok.trim_end_matches('.');
    let digits: String = t.chars().take_while(char::is_ascii_digit).collect();
    let rest = &t[digits.len()..];
    if digits.len() != 4 || !(rest.is_empty() || is_year_word(&rest.to_lowercase())) {
        return None;
    }
    let y: i32 = digits.parse().ok()?;
    (1900..=2100).contains(&y).then_some(y)
}

fn is_year_word(key: &str) -> bool {
    matches!(key, "г" | "года" | "год" | "гг" | "ж" | "жыл" | "жылы" | "жылғы" | "year")
}

fn is_time(tok: &str) -> bool {
    let t = tok.trim_end_matches('.');
    let mut parts = t.split(':');
    let (Some(h), Some(m)) = (parts.next(), parts.next()) else {
        return false;
    };
    let sec_ok = parts.next().is_none_or(|s| s.len() == 2 && s.bytes().all(|b| b.is_ascii_digit()));
    (1..=2).contains(&h.len())
        && h.bytes().all(|b| b.is_ascii_digit())
        && h.parse::<u32>().is_ok_and(|h| h < 24)
        && m.len() == 2
        && m.bytes().all(|b| b.is_ascii_digit())
        && m.parse::<u32>().is_ok_and(|m| m < 60)
        && sec_ok
        && parts.next().is_none()
}

/// Words that may sit next to a time or a place in a date line.
fn is_filler(key: &str) -> bool {
    matches!(key, "at" | "в" | "сағат" | "сағ" | "ч" | "час" | "часов" | "gmt" | "utc" | "ast" | "of" | "on")
        || key.starts_with("gmt+")
        || key.starts_with("utc+")
}

/// A word that can be part of a place name: capitalised ("Astana", "Nur-Sultan", "Қызылорда"),
/// or a place abbreviation ("г.", "қ.", "қаласы").
fn is_place_word(tok: &str) -> bool {
    let key = tok.trim_end_matches('.').to_lowercase();
    if matches!(key.as_str(), "г" | "қ" | "қаласы" | "city" | "город" | "облысы") {
        return true;
    }
    let mut chars = tok.chars();
    chars.next().is_some_and(char::is_uppercase)
        && tok.chars().all(|c| c.is_alphabetic() || matches!(c, '-' | '.' | '\'' | '’'))
}

/// Tries the date patterns at token `k`; returns the date and the number of tokens used.
fn date_at(toks: &[Tok<'_>], k: usize) -> Option<(NaiveDate, usize)> {
    let t = |i: usize| toks.get(k + i).map(|t| t.text);
    let key = |i: usize| toks.get(k + i).map(Tok::key);
    let ymd = |y: i32, m: u32, d: u32| NaiveDate::from_ymd_opt(y, m, d);
    let first = t(0)?;
    // ISO 2023-06-07 (possibly with "T14:30")
    {
        let iso = first.split('T').next().unwrap_or(first);
        let p: Vec<&str> = iso.split('-').collect();
        if p.len() == 3 && p[0].len() == 4 && p[1].len() == 2 && p[2].len() == 2 {
            if let (Ok(y), Ok(m), Ok(d)) = (p[0].parse(), p[1].parse(), p[2].parse()) {
                return ymd(y, m, d).map(|date| (date, 1));
            }
        }
    }
    // 07.06.2023
    {
        let p: Vec<&str> = first.trim_end_matches('.').split('.').collect();
        if p.len() == 3 && (1..=2).contains(&p[0].len()) && (1..=2).contains(&p[1].len()) && p[2].len() == 4 {
            if let (Ok(d), Ok(m), Ok(y)) = (p[0].parse(), p[1].parse(), p[2].parse()) {
                return ymd(y, m, d).map(|date| (date, 1));
            }
        }
    }
    // 7 June 2023 / 7 июня 2023 / 7 маусым 2023 / 7th of June 2023
    if let Some(d) = day(first) {
        let mut i = 1;
        if key(i).as_deref() == Some("of") {
            i += 1;
        }
        if let (Some(m), Some(y)) = (key(i).and_then(|k| month(&k)), t(i + 1).and_then(year)) {
            return ymd(y, m, d).map(|date| (date, i + 2));
        }
    }
    // June 7, 2023 / June 7th 2023
    if let Some(m) = key(0).and_then(|k| month(&k)) {
        if let (Some(d), Some(y)) = (t(1).and_then(day), t(2).and_then(year)) {
            return ymd(y, m, d).map(|date| (date, 3));
        }
    }
    // 2023 жылғы 7 маусым / 2023 ж. 7 маусым / 2023 жылы 7 маусымда
    if let Some(y) = year(first) {
        let mut i = 1;
        if key(1).is_some_and(|k| matches!(k.as_str(), "жылғы" | "ж" | "жылы")) {
            i += 1;
        }
        if let (Some(d), Some(m)) = (t(i).and_then(day), key(i + 1).and_then(|k| month(&k))) {
            return ymd(y, m, d).map(|date| (date, i + 2));
        }
    }
    None
}

/// Parses a release date line in English, Kazakh or Russian: "June 7, 2023", "7 June 2023",
/// "7 июня 2023 года", "07.06.2023", "2023 жылғы 7 маусым", "7 маусым 2023 ж.", "2023-06-07",
/// optionally with a time ("14:30"), a weekday ("Wednesday, June 7, 2023") and a place
/// ("Astana, 7 June 2023"). Returns `None` for anything that is not essentially just a date:
/// a date inside a sentence is not a date line.
pub fn parse_date_line(line: &str) -> Option<DateLine> {
    let line = collapse_whitespace(line);
    if line.is_empty() || line.chars().count() > MAX_LINE {
        return None;
    }
    let toks = tokenize(&line);
    let (k, date, used) = (0..toks.len()).find_map(|k| date_at(&toks, k).map(|(d, u)| (k, d, u)))?;
    let mut place_range: Option<(usize, usize)> = None;
    let mut place_words = 0;
    let mut note_place = |t: &Tok<'_>, range: &mut Option<(usize, usize)>| {
        place_words += 1;
        *range = Some(match *range {
            Some((s, _)) => (s, t.end),
            None => (t.start, t.end),
        });
    };
    // before the date: weekday and/or place
    let mut before_place = None;
    for t in &toks[..k] {
        let key = t.key();
        if is_weekday(&key) || is_filler(&key) {
            continue;
        }
        if !is_place_word(t.text) {
            return None;
        }
        note_place(t, &mut before_place);
    }
    // after the date: year word, time, fillers, or a place
    let mut after_place = None;
    for t in &toks[k + used..] {
        let key = t.key();
        if is_year_word(&key) || is_time(t.text) || is_filler(&key) || is_weekday(&key) {
            continue;
        }
        if !is_place_word(t.text) {
            return None;
        }
        note_place(t, &mut after_place);
    }
    if place_words > MAX_PLACE_WORDS || (before_place.is_some() && after_place.is_some()) {
        return None;
    }
    place_range = place_range.or(before_place).or(after_place);
    let place = place_range
        .map(|(s, e)| line[s..e].trim_matches(|c: char| matches!(c, ',' | ' ' | '-' | '–' | '—' | ';')).to_owned());
    Some(DateLine { date, place })
}
