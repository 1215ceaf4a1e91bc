//! The `dates` check: day, month and year of each date of the source agree with a date of the
//! target, whatever the order and the language ("12 March 2026", "March 12, 2026", "12.03.2026",
//! "2026-03-12", "12 марта 2026 года", "2026 жылғы 12 наурыз").

use super::Input;
use crate::tokens::{tokens, Kind, Token};
use crate::{Check, Finding, Severity};

/// A date found in a text; fields the text does not give are `None`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Date {
    pub day: Option<u32>,
    pub month: Option<u32>,
    pub year: Option<u32>,
    /// Byte span.
    pub start: usize,
    pub end: usize,
    /// The spans of its own tokens (day, month, year), which the numbers check leaves out: a date's
    /// span may hold other numbers ("2026 жылғы 3-5 маусым").
    pub parts: [(usize, usize); 3],
}

use audarma_text::months::{EN, KK};

const EN_SHORT: [&str; 12] = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
/// Russian stems and the endings they take.
const RU_SOFT: [(&str, u32); 9] = [
    ("январ", 1),
    ("феврал", 2),
    ("апрел", 4),
    ("июн", 6),
    ("июл", 7),
    ("сентябр", 9),
    ("октябр", 10),
    ("ноябр", 11),
    ("декабр", 12),
];
const RU_SOFT_END: [&str; 6] = ["ь", "я", "е", "ю", "ем", "ём"];
const RU_HARD_END: [&str; 5] = ["", "а", "е", "у", "ом"];

/// The month a word names, in any of the three languages and their case forms. English month
/// names count only capitalised ("may" is a verb).
pub(crate) fn month_of(word: &str) -> Option<u32> {
    let lower = word.to_lowercase();
    let capital = word.chars().next().is_some_and(char::is_uppercase);
    if capital {
        if let Some(i) = EN.iter().position(|m| *m == lower) {
            return Some(i as u32 + 1);
        }
        if let Some(i) = EN_SHORT.iter().position(|m| *m == lower.trim_end_matches('.')) {
            if lower != "may" || word == "May" {
                return Some(i as u32 + 1);
            }
        }
    }
    for (stem, m) in RU_SOFT {
        if let Some(rest) = lower.strip_prefix(stem) {
            if RU_SOFT_END.contains(&rest) {
                return Some(m);
            }
        }
    }
    for (stem, m) in [("март", 3), ("август", 8)] {
        if let Some(rest) = lower.strip_prefix(stem) {
            if RU_HARD_END.contains(&rest) {
                return Some(m);
            }
        }
    }
    if ["май", "мая", "мае", "маю", "маем"].contains(&lower.as_str()) {
        return Some(5);
    }
    for (i, stem) in KK.iter().enumerate() {
        if let Some(rest) = lower.strip_prefix(stem) {
            // Case and possessive endings: "наурызда", "қаңтардың", "мамырдағы".
            if rest.chars().count() <= 5 {
                return Some(i as u32 + 1);
            }
        }
    }
    None
}

fn gap<'a>(text: &'a str, a: &Token<'_>, b: &Token<'_>) -> &'a str {
    &text[a.end..b.start]
}

fn num(t: &Token<'_>) -> Option<u32> {
    (t.kind == Kind::Digits).then(|| t.text.parse().ok()).flatten()
}

fn is_year(t: &Token<'_>) -> Option<u32> {
    num(t).filter(|y| t.text.len() == 4 && (1900..=2100).contains(y))
}

fn is_day(t: &Token<'_>) -> Option<u32> {
    num(t).filter(|d| t.text.len() <= 2 && (1..=31).contains(d))
}

fn blank(s: &str) -> bool {
    s.chars().all(|c| c.is_whitespace() || c == '-')
}

/// Dates in a text, in order.
pub(crate) fn find_dates(text: &str) -> Vec<Date> {
    let toks = tokens(text);
    let mut out: Vec<Date> = Vec::new();
    let mut used_until = 0usize;
    let mut i = 0;
    while i < toks.len() {
        let t = &toks[i];
        if t.start < used_until {
            i += 1;
            continue;
        }
        // Numeric: dd.mm.yyyy (en: mm/dd/yyyy) and ISO yyyy-mm-dd.
        if t.kind == Kind::Digits && i + 2 < toks.len() {
            let (a, b, c) = (&toks[i], &toks[i + 1], &toks[i + 2]);
            let (g1, g2) = (gap(text, a, b), gap(text, b, c));
            if g1 == g2 && matches!(g1, "." | "/") && a.text.len() <= 2 && b.text.len() <= 2 && is_year(c).is_some() {
                let (x, y) = (num(a).unwrap_or(0), num(b).unwrap_or(0));
                let (d, m) = if g1 == "/" && y <= 31 && x <= 12 && y > 12 { (y, x) } else { (x, y) };
                if (1..=31).contains(&d) && (1..=12).contains(&m) {
                    out.push(numeric_date(d, m, is_year(c), a.start, c.end));
                    used_until = c.end;
                    i += 3;
                    continue;
                }
            }
            if g1 == "-" && g2 == "-" && is_year(a).is_some() && b.text.len() == 2 && c.text.len() == 2 {
                let (m, d) = (num(b).unwrap_or(0), num(c).unwrap_or(0));
                if (1..=31).contains(&d) && (1..=12).contains(&m) {
                    out.push(numeric_date(d, m, is_year(a), a.start, c.end));
                    used_until = c.end;
                    i += 3;
                    continue;
                }
            }
        }
        // The first month of a range ("January–June 2026", "қаңтар-маусымда") is not a date of its own.
        let range_start = i + 1 < toks.len()
            && matches!(gap(text, t, &toks[i + 1]).trim(), "-" | "–" | "—")
            && month_of(toks[i + 1].text).is_some();
        if t.kind == Kind::Letters && !range_start {
            if let Some(month) = month_of(t.text) {
                let mut d = Date {
                    day: None,
                    month: Some(month),
                    year: None,
                    start: t.start,
                    end: t.end,
                    parts: [(t.start, t.end); 3],
                };
                let mut first = i;
                let mut last = i;
                if i > 0 && toks[i - 1].start >= used_until && blank(gap(text, &toks[i - 1], t)) {
                    if let Some(day) = is_day(&toks[i - 1]) {
                        d.day = Some(day);
                        d.parts[0] = (toks[i - 1].start, toks[i - 1].end);
                        first = i - 1;
                    }
                }
                // Month before day: English ("March 12") and the Kazakh genitive («желтоқсанның
                // 16-сы»); «ақпанда 1 млн тонна» is not a date.
                let day_after = t.text.chars().all(|c| c.is_ascii_alphabetic())
                    || t.text.ends_with("ның")
                    || t.text.ends_with("нің");
                if day_after && d.day.is_none() && i + 1 < toks.len() && blank(gap(text, t, &toks[i + 1])) {
                    if let Some(day) = is_day(&toks[i + 1]) {
                        d.day = Some(day);
                        d.parts[0] = (toks[i + 1].start, toks[i + 1].end);
                        last = i + 1;
                    }
                }
                if last + 1 < toks.len() {
                    let g = gap(text, &toks[last], &toks[last + 1]);
                    if g.chars().all(|c| c.is_whitespace() || c == ',') {
                        if let Some(y) = is_year(&toks[last + 1]) {
                            d.year = Some(y);
                            d.parts[2] = (toks[last + 1].start, toks[last + 1].end);
                            last += 1;
                        }
                    }
                }
                // "2026 жылғы 12 наурыз", "2026 жылғы 3-5 маусым", "2026 ж. 12 наурыз".
                if d.year.is_none() {
                    for k in 1..=3 {
                        if first < k + 1 {
                            break;
                        }
                        let w = toks[first - k].text.to_lowercase();
                        let yt = &toks[first - k - 1];
                        if ["жылғы", "жылдың", "жылы", "ж"].contains(&w.as_str()) && yt.start >= used_until
                        {
                            if let Some(y) = is_year(yt) {
                                d.year = Some(y);
                                d.parts[2] = (yt.start, yt.end);
                                first -= k + 1;
                            }
                            break;
                        }
                        if toks[first - k].kind != Kind::Digits && month_of(toks[first - k].text).is_none() {
                            break;
                        }
                    }
                }
                if d.day.is_some() || d.year.is_some() {
                    d.start = toks[first].start;
                    d.end = toks[last].end;
                    used_until = d.end;
                    out.push(d);
                    i = last + 1;
                    continue;
                }
            }
        }
        i += 1;
    }
    out
}

fn covers(s: &Date, t: &Date) -> bool {
    let ok = |a: Option<u32>, b: Option<u32>| a.is_none() || a == b;
    ok(s.day, t.day) && ok(s.month, t.month) && ok(s.year, t.year)
}

pub(super) fn run(input: &Input<'_>, out: &mut Vec<Finding>) {
    let (seg, src, tgt) = (input.seg, &input.src_dates, &input.tgt_dates);
    let mut left: Vec<&Date> = tgt.iter().collect();
    let mut missing = Vec::new();
    for s in src {
        if let Some(p) = left.iter().position(|t| covers(s, t)) {
            left.remove(p);
        } else {
            missing.push(s);
        }
    }
    for s in &missing {
        let shown = &seg.source[s.start..s.end];
        let f = match left.first() {
            Some(t) => Finding::new(
                Check::Dates,
                Severity::Error,
                format!("the date {shown} of the source is not in the target (found {})", &seg.target[t.start..t.end]),
            )
            .at(seg.target, t.start, t.end),
            None => Finding::new(Check::Dates, Severity::Error, format!("the date {shown} of the source is missing")),
        };
        if !left.is_empty() {
            left.remove(0);
        }
        out.push(f);
    }
    for t in left {
        out.push(
            Finding::new(
                Check::Dates,
                Severity::Warning,
                format!("the date {} is not in the source", &seg.target[t.start..t.end]),
            )
            .at(seg.target, t.start, t.end),
        );
    }
}

/// A date written in digits only (`12.03.2026`, `2026-03-12`): one span for all its parts.
fn numeric_date(day: u32, month: u32, year: Option<u32>, start: usize, end: usize) -> Date {
    Date { day: Some(day), month: Some(month), year, start, end, parts: [(start, end); 3] }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::run_pair;
    use crate::Severity;
    use audarma_core::Lang;

    fn one(s: &str) -> (Option<u32>, Option<u32>, Option<u32>) {
        let d = find_dates(s);
        assert_eq!(d.len(), 1, "{s}: {d:?}");
        (d[0].day, d[0].month, d[0].year)
    }

    #[test]
    fn dates_in_every_form() {
        let full = (Some(12), Some(3), Some(2026));
        for s in [
            "on 12 March 2026 in Astana",
            "on March 12, 2026,",
            "12.03.2026",
            "2026-03-12",
            "12 марта 2026 года",
            "2026 жылғы 12 наурызда",
            "2026 ж. 12 наурыз",
            "12 наурыз 2026 жыл",
        ] {
            assert_eq!(one(s), full, "{s}");
        }
        assert_eq!(one("в январе 2025 года"), (None, Some(1), Some(2025)));
        assert_eq!(one("2025 жылғы қаңтарда"), (None, Some(1), Some(2025)));
        assert!(find_dates("Наурыз мейрамы").is_empty());
        assert_eq!(one("2026 жылғы 3-5 маусым аралығында"), (Some(5), Some(6), Some(2026)));
        assert_eq!(one("2026 жылғы қаңтар-маусымда"), (None, Some(6), Some(2026)));
        assert_eq!(one("in January–June 2026"), (None, Some(6), Some(2026)));
        assert_eq!(one("в январе–июне 2026 года"), (None, Some(6), Some(2026)));
        assert!(find_dates("we may meet").is_empty());
    }

    #[test]
    fn reordered_dates_agree_and_wrong_ones_do_not() {
        use Lang::*;
        assert_eq!(run_pair("On 12 March 2026 the forum opened.", "2026 жылғы 12 наурызда форум ашылды.", En, Kk), []);
        assert_eq!(run_pair("On March 12, 2026 the forum opened.", "12.03.2026 открылся форум.", En, Ru), []);
        let f = run_pair("On 12 March 2026 the forum opened.", "13 марта 2026 года открылся форум.", En, Ru);
        assert_eq!(f, [("dates", Severity::Error)]);
    }
}
