//! The `numbers` check: every number of the source is in the target and the target has no new
//! ones. Numbers are read with the rules of their language to a value ("1,500.5" in English,
//! "1 500,5" and "1500,5" in Russian and Kazakh are all 1500.5), multiplied by a following
//! "thousand/million/billion" word in any of the three languages ("$2.3 billion" ≡
//! "2,3 млрд долларов"), and numbers written in words ("five", "пяти", "бесінші") count.

use super::dates::Date;
use super::Input;
use crate::special::{self, Special};
use crate::tokens::{inside, tokens, Kind};
use crate::{Check, Finding, Segment, Severity};
use audarma_core::Lang;

/// A number read from a text: its value and byte span.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Num {
    pub value: f64,
    /// The multiplier word's value (1 without one).
    pub scale: f64,
    pub start: usize,
    pub end: usize,
}

fn is_space_sep(c: char) -> bool {
    matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\u{2009}')
}

/// The multiplier a word stands for ("млн", "billion", "мың").
fn multiplier(word: &str) -> Option<f64> {
    let w = word.to_lowercase();
    let w = w.split('-').next().unwrap_or_default().trim_end_matches('.');
    let exact = |xs: &[&str]| xs.contains(&w);
    let pre = |xs: &[&str]| xs.iter().any(|p| w.starts_with(p));
    if exact(&["thousand", "thousands", "тыс", "мың"]) || pre(&["тысяч", "мыңда", "мыңға", "мыңнан"])
    {
        Some(1e3)
    } else if exact(&["million", "millions", "mln", "млн", "mn"]) || pre(&["миллион"]) {
        Some(1e6)
    } else if exact(&["billion", "billions", "bn", "bln", "млрд"]) || pre(&["миллиард"]) {
        Some(1e9)
    } else if exact(&["trillion", "trillions", "tn", "трлн"]) || pre(&["триллион"]) {
        Some(1e12)
    } else {
        None
    }
}

/// Digit groups and the separators between them, read as one or more values.
fn interpret(groups: &[&str], seps: &[char], lang: Lang) -> Vec<(f64, usize, usize)> {
    // Split where a space cannot be a thousands separator.
    let mut chunks: Vec<(usize, usize)> = Vec::new();
    let mut from = 0;
    for (k, &s) in seps.iter().enumerate() {
        let next = groups[k + 1];
        let grouped_so_far = seps[from..k].iter().all(|c| is_space_sep(*c));
        let ok = !is_space_sep(s) || (next.len() == 3 && groups[from].len() <= 3 && grouped_so_far);
        if !ok {
            chunks.push((from, k));
            from = k + 1;
        }
    }
    chunks.push((from, groups.len() - 1));
    let mut out = Vec::new();
    for (a, b) in chunks {
        let gs = &groups[a..=b];
        let ss = &seps[a..b];
        let puncts: Vec<(usize, char)> = ss.iter().copied().enumerate().filter(|(_, c)| !is_space_sep(*c)).collect();
        let decimal_at: Option<usize> = match puncts.as_slice() {
            [] => None,
            [(k, c)] => {
                let thousands = *c == ',' && lang == Lang::En && gs[k + 1].len() == 3;
                (!thousands).then_some(*k)
            }
            many => {
                let first = many[0].1;
                if many.iter().all(|(_, c)| *c == first) {
                    if many.iter().all(|(k, _)| gs[k + 1].len() == 3) {
                        None
                    } else {
                        // "1.2.3": not one number; read each group.
                        for (k, g) in gs.iter().enumerate() {
                            out.push((g.parse().unwrap_or(0.0), a + k, a + k));
                        }
                        continue;
                    }
                } else {
                    many.last().map(|(k, _)| *k)
                }
            }
        };
        let mut s = String::new();
        for (k, g) in gs.iter().enumerate() {
            s.push_str(g);
            if decimal_at == Some(k) {
                s.push('.');
            }
        }
        out.push((s.parse().unwrap_or(0.0), a, b));
    }
    out
}

/// Numbers that are part of a name, not quantities: digits after letters, with or without a hyphen
/// (COVID-19, G20, Astana-2030, ЭКСПО-2017, ТЭЦ-2; the word before must have a capital, so
/// mid-2025 stays a year), and digits before a capital Latin letter (5G; not $5B or 10M, amounts).
/// A translation may render the name without them («коронавирус», «Үлкен жиырмалық»). Digits with a
/// case ending after them (44-бабы, 2025-жылы) stay numbers.
pub(crate) fn in_names(text: &str) -> Vec<(usize, usize)> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut out = Vec::new();
    let mut n = 0;
    while n < chars.len() {
        if !chars[n].1.is_ascii_digit() {
            n += 1;
            continue;
        }
        let start = n;
        while n < chars.len() && chars[n].1.is_ascii_digit() {
            n += 1;
        }
        let (s, e) = (chars[start].0, chars.get(n).map_or(text.len(), |c| c.0));
        let before = start.checked_sub(1).map(|i| chars[i].1);
        let after = chars.get(n).map(|c| c.1);
        let after_letter = chars.get(n + 1).map(|c| c.1);
        // The word the digits are glued to (through one hyphen), which must be written as a name.
        let word_end = if before == Some('-') { start - 1 } else { start };
        let word_start = chars[..word_end].iter().rposition(|c| !c.1.is_alphabetic()).map_or(0, |i| i + 1);
        let word = &chars[word_start..word_end];
        let glued_after_letters = !word.is_empty() && word.iter().any(|c| c.1.is_uppercase());
        let currency = text[..s].trim_end().chars().next_back().is_some_and(|c| matches!(c, '$' | '€' | '£' | '₸'));
        let before_capital = after.is_some_and(|c| c.is_ascii_uppercase() && !matches!(c, 'B' | 'M' | 'T'))
            && !after_letter.is_some_and(char::is_alphabetic)
            && !currency;
        if glued_after_letters || before_capital {
            out.push((s, e));
        }
    }
    out
}

/// Numbers written with digits, outside the excluded spans.
pub(crate) fn digit_numbers(text: &str, lang: Lang, excluded: &[(usize, usize)]) -> Vec<Num> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let toks = tokens(text);
    let mut out: Vec<Num> = Vec::new();
    let mut n = 0;
    while n < chars.len() {
        let (start, c) = chars[n];
        if !c.is_ascii_digit() {
            n += 1;
            continue;
        }
        let mut groups: Vec<(usize, usize)> = Vec::new();
        let mut seps = Vec::new();
        let mut gs = start;
        loop {
            while n < chars.len() && chars[n].1.is_ascii_digit() {
                n += 1;
            }
            let ge = chars.get(n).map_or(text.len(), |x| x.0);
            groups.push((gs, ge));
            let sep = chars.get(n).map(|x| x.1);
            match (sep, chars.get(n + 1)) {
                (Some(s), Some(&(i, d))) if (matches!(s, ',' | '.') || is_space_sep(s)) && d.is_ascii_digit() => {
                    seps.push(s);
                    gs = i;
                    n += 1;
                }
                _ => break,
            }
        }
        let strs: Vec<&str> = groups.iter().map(|&(s, e)| &text[s..e]).collect();
        for (value, a, b) in interpret(&strs, &seps, lang) {
            let (s, e) = (groups[a].0, groups[b].1);
            if inside(excluded, s) {
                continue;
            }
            // A multiplier word right after: "2.3 billion", "2,3 млрд", "5 мың".
            let mut scale = 1.0;
            if let Some(t) = toks.iter().find(|t| t.start >= e) {
                let gap = &text[e..t.start];
                if t.kind == Kind::Letters && gap.chars().all(char::is_whitespace) {
                    if let Some(m) = multiplier(t.text) {
                        scale = m;
                    }
                    // "$300m", "€1.2bn": a glued "m" after a currency sign.
                    let currency = text[..s].chars().next_back().is_some_and(|c| matches!(c, '$' | '€' | '£' | '₸'));
                    if gap.is_empty() && currency && t.text == "m" {
                        scale = 1e6;
                    }
                }
            }
            // "2 млн 300 тыс." is one amount.
            if let Some(prev) = out.last_mut() {
                let joined = text[prev.end..s].split_whitespace().count() == 1
                    && text[prev.end..s].split_whitespace().next().and_then(multiplier) == Some(prev.scale);
                if prev.scale > 1.0 && scale < prev.scale && value * scale < prev.scale && joined {
                    prev.value += value * scale;
                    prev.end = e;
                    prev.scale = scale;
                    continue;
                }
            }
            out.push(Num { value: value * scale, scale, start: s, end: e });
        }
    }
    out
}

const EN_WORDS: &[(&str, f64)] = &[
    ("one", 1.0),
    ("two", 2.0),
    ("three", 3.0),
    ("four", 4.0),
    ("five", 5.0),
    ("six", 6.0),
    ("seven", 7.0),
    ("eight", 8.0),
    ("nine", 9.0),
    ("ten", 10.0),
    ("eleven", 11.0),
    ("twelve", 12.0),
    ("thirteen", 13.0),
    ("fourteen", 14.0),
    ("fifteen", 15.0),
    ("sixteen", 16.0),
    ("seventeen", 17.0),
    ("eighteen", 18.0),
    ("nineteen", 19.0),
    ("twenty", 20.0),
    ("thirty", 30.0),
    ("forty", 40.0),
    ("fifty", 50.0),
    ("sixty", 60.0),
    ("seventy", 70.0),
    ("eighty", 80.0),
    ("ninety", 90.0),
    ("hundred", 100.0),
    ("first", 1.0),
    ("second", 2.0),
    ("third", 3.0),
    ("fourth", 4.0),
    ("fifth", 5.0),
    ("sixth", 6.0),
    ("seventh", 7.0),
    ("eighth", 8.0),
    ("ninth", 9.0),
    ("tenth", 10.0),
    ("eleventh", 11.0),
    ("twelfth", 12.0),
    ("twentieth", 20.0),
    ("hundredth", 100.0),
    ("dozen", 12.0),
    ("half", 0.5),
    ("once", 1.0),
    ("twice", 2.0),
];

/// Russian stems (longest match wins; at most four letters of ending).
const RU_STEMS: &[(&str, f64)] = &[
    ("один", 1.0),
    ("одна", 1.0),
    ("одно", 1.0),
    ("одной", 1.0),
    ("одного", 1.0),
    ("одному", 1.0),
    ("одним", 1.0),
    ("перв", 1.0),
    ("два", 2.0),
    ("две", 2.0),
    ("двух", 2.0),
    ("двум", 2.0),
    ("двумя", 2.0),
    ("втор", 2.0),
    ("три", 3.0),
    ("трех", 3.0),
    ("трёх", 3.0),
    ("трем", 3.0),
    ("трём", 3.0),
    ("тремя", 3.0),
    ("трет", 3.0),
    ("четыр", 4.0),
    ("четвер", 4.0),
    ("пят", 5.0),
    ("шест", 6.0),
    ("сем", 7.0),
    ("седьм", 7.0),
    ("восем", 8.0),
    ("восьм", 8.0),
    ("девят", 9.0),
    ("десят", 10.0),
    ("одиннадцат", 11.0),
    ("двенадцат", 12.0),
    ("тринадцат", 13.0),
    ("четырнадцат", 14.0),
    ("пятнадцат", 15.0),
    ("шестнадцат", 16.0),
    ("семнадцат", 17.0),
    ("восемнадцат", 18.0),
    ("девятнадцат", 19.0),
    ("двадцат", 20.0),
    ("тридцат", 30.0),
    ("сорок", 40.0),
    ("пятьдесят", 50.0),
    ("пятидесят", 50.0),
    ("шестьдесят", 60.0),
    ("шестидесят", 60.0),
    ("семьдесят", 70.0),
    ("семидесят", 70.0),
    ("восемьдесят", 80.0),
    ("восьмидесят", 80.0),
    ("девяност", 90.0),
    ("сто", 100.0),
    ("ста", 100.0),
    ("сотн", 100.0),
    ("двест", 200.0),
    ("двухсот", 200.0),
    ("трист", 300.0),
    ("трехсот", 300.0),
    ("пятьсот", 500.0),
    ("пол", 0.5),
    ("полтор", 1.5),
    ("полутор", 1.5),
    ("дважды", 2.0),
    ("трижды", 3.0),
];

/// Kazakh stems (suffixes follow: "бесінші", "екіге", "онға").
const KK_STEMS: &[(&str, f64)] = &[
    ("бір", 1.0),
    ("екі", 2.0),
    ("үш", 3.0),
    ("төрт", 4.0),
    ("бес", 5.0),
    ("алты", 6.0),
    ("алтын", 6.0),
    ("жеті", 7.0),
    ("сегіз", 8.0),
    ("тоғыз", 9.0),
    ("он", 10.0),
    ("жиырма", 20.0),
    ("отыз", 30.0),
    ("қырық", 40.0),
    ("елу", 50.0),
    ("алпыс", 60.0),
    ("жетпіс", 70.0),
    ("сексен", 80.0),
    ("тоқсан", 90.0),
    ("жүз", 100.0),
    ("жарты", 0.5),
];

/// Russian first parts of compounds ("двухлетний", "десятилетие", "пятикратно"), any ending.
const RU_COMPOUND: &[(&str, f64)] = &[
    ("вдвое", 2.0),
    ("втрое", 3.0),
    ("вчетверо", 4.0),
    ("впятеро", 5.0),
    ("вдесятеро", 10.0),
    ("двух", 2.0),
    ("двукрат", 2.0),
    ("трех", 3.0),
    ("трёх", 3.0),
    ("трехкрат", 3.0),
    ("четырех", 4.0),
    ("четырёх", 4.0),
    ("пяти", 5.0),
    ("шести", 6.0),
    ("восьми", 8.0),
    ("девяти", 9.0),
    ("десяти", 10.0),
    ("двадцати", 20.0),
    ("тридцати", 30.0),
    ("сорока", 40.0),
    ("пятидесяти", 50.0),
    ("столет", 100.0),
    ("тысячелет", 1000.0),
];

const EN_MULTIPLES: &[(&str, f64)] = &[
    ("double", 2.0),
    ("doubled", 2.0),
    ("doubling", 2.0),
    ("twofold", 2.0),
    ("triple", 3.0),
    ("tripled", 3.0),
    ("threefold", 3.0),
    ("fourfold", 4.0),
    ("fivefold", 5.0),
    ("tenfold", 10.0),
    ("decade", 10.0),
    ("decades", 10.0),
    ("century", 100.0),
];

/// A Roman numeral ("XXI век", "I квартал", "II полугодие").
fn roman(word: &str) -> Option<f64> {
    if word.is_empty() || word.len() > 7 || !word.chars().all(|c| matches!(c, 'I' | 'V' | 'X' | 'L' | 'C')) {
        return None;
    }
    let val = |c: char| match c {
        'I' => 1,
        'V' => 5,
        'X' => 10,
        'L' => 50,
        _ => 100,
    };
    let cs: Vec<u32> = word.chars().map(val).collect();
    let mut total = 0i64;
    for (k, v) in cs.iter().enumerate() {
        if cs.get(k + 1).is_some_and(|n| n > v) {
            total -= i64::from(*v);
        } else {
            total += i64::from(*v);
        }
    }
    (total > 0).then_some(total as f64)
}

fn word_value(word: &str, lang: Lang) -> Option<f64> {
    if let Some(v) = roman(word) {
        return Some(v);
    }
    let w = word.to_lowercase();
    if let Some(m) = multiplier(&w) {
        return Some(m);
    }
    match lang {
        Lang::En => EN_WORDS.iter().chain(EN_MULTIPLES).find(|(x, _)| *x == w).map(|(_, v)| *v),
        Lang::Ru | Lang::Kk => {
            let (table, max_rest) = if lang == Lang::Ru { (RU_STEMS, 4) } else { (KK_STEMS, 6) };
            let compounds = if lang == Lang::Ru { RU_COMPOUND } else { &[] };
            let stem =
                table.iter().filter(|(s, _)| w.starts_with(s) && w.chars().count() - s.chars().count() <= max_rest);
            // The longest stem wins: "двухсот" is 200, "двухлетний" 2.
            stem.chain(compounds.iter().filter(|(s, _)| w.starts_with(s))).max_by_key(|(s, _)| s.len()).map(|(_, v)| *v)
        }
    }
}

/// Values of numbers written in words ("twenty-five", "двадцати пяти", "он бес мың").
pub(crate) fn word_numbers(text: &str, lang: Lang) -> Vec<f64> {
    let toks = tokens(text);
    let mut out = Vec::new();
    let (mut total, mut current, mut any) = (0.0f64, 0.0f64, false);
    let mut prev_end: Option<usize> = None;
    for t in toks.iter().filter(|t| t.kind == Kind::Letters) {
        let joined = prev_end.is_some_and(|e| text[e..t.start].chars().all(|c| c.is_whitespace() || c == '-'));
        if !joined && any {
            out.push(total + current);
            (total, current, any) = (0.0, 0.0, false);
        }
        match word_value(t.text, lang) {
            Some(v) => {
                let base = if current == 0.0 { 1.0 } else { current };
                if v == 100.0 {
                    current = base * 100.0;
                } else if v >= 1000.0 {
                    total += base * v;
                    current = 0.0;
                } else {
                    current += v;
                }
                any = true;
                out.push(v);
                prev_end = Some(t.end);
            }
            None => {
                if any {
                    out.push(total + current);
                }
                (total, current, any) = (0.0, 0.0, false);
                prev_end = None;
            }
        }
    }
    if any {
        out.push(total + current);
    }
    out
}

fn same(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

/// Left out of a text's numbers: its URLs and the like, the parts of its dates (the `dates` check
/// judges those), and numbers in names ("COVID-19", "ЭКСПО-2017").
fn excluded(text: &str, special: &[Special<'_>], dates: &[Date]) -> Vec<(usize, usize)> {
    let mut excl = special::spans(special);
    excl.extend(dates.iter().flat_map(|d| d.parts));
    excl.extend(in_names(text));
    excl
}

pub(super) fn run(input: &Input<'_>, out: &mut Vec<Finding>) {
    let seg = input.seg;
    let src_excl = excluded(seg.source, &input.src_special, &input.src_dates);
    let tgt_excl = excluded(seg.target, &input.tgt_special, &input.tgt_dates);
    compare(seg, &src_excl, &tgt_excl, out);
}

/// The numbers of the source against those of the target, each side less its `excl` spans.
fn compare(seg: &Segment<'_>, src_excl: &[(usize, usize)], tgt_excl: &[(usize, usize)], out: &mut Vec<Finding>) {
    let src = digit_numbers(seg.source, seg.source_lang, src_excl);
    let mut tgt = digit_numbers(seg.target, seg.target_lang, tgt_excl);
    let mut tgt_words: Option<Vec<f64>> = None;
    for n in &src {
        if let Some(p) = tgt.iter().position(|m| same(m.value, n.value)) {
            tgt.remove(p);
            continue;
        }
        let words = tgt_words.get_or_insert_with(|| word_numbers(seg.target, seg.target_lang));
        if let Some(p) = words.iter().position(|v| same(*v, n.value)) {
            words.remove(p);
            continue;
        }
        let shown = &seg.source[n.start..n.end];
        out.push(Finding::new(Check::Numbers, Severity::Error, format!("the number {shown} of the source is missing")));
    }
    if tgt.is_empty() {
        return;
    }
    let mut src_words = word_numbers(seg.source, seg.source_lang);
    for m in tgt {
        if let Some(p) = src_words.iter().position(|v| same(*v, m.value)) {
            src_words.remove(p);
            continue;
        }
        let shown = &seg.target[m.start..m.end];
        out.push(
            Finding::new(Check::Numbers, Severity::Warning, format!("the number {shown} is not in the source"))
                .at(seg.target, m.start, m.end),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check;
    use crate::test_support::{has, run_pair, segment};

    fn values(s: &str, lang: Lang) -> Vec<f64> {
        digit_numbers(s, lang, &[]).into_iter().map(|n| n.value).collect()
    }

    #[test]
    fn locale_formats_read_to_one_value() {
        assert_eq!(values("1,500.5", Lang::En), [1500.5]);
        assert_eq!(values("1 500,5", Lang::Ru), [1500.5]);
        assert_eq!(values("1\u{a0}500,5", Lang::Kk), [1500.5]);
        assert_eq!(values("1\u{202f}500,5", Lang::Kk), [1500.5]);
        assert_eq!(values("1500,5", Lang::Ru), [1500.5]);
        assert_eq!(values("1,500", Lang::Ru), [1.5]);
        assert_eq!(values("1,500,000", Lang::En), [1_500_000.0]);
        assert_eq!(values("$2.3 billion", Lang::En), [2.3e9]);
        assert_eq!(values("2,3 млрд долларов", Lang::Ru), [2.3e9]);
        assert_eq!(values("20%-ға, 2024-жылы, 5-ші", Lang::Kk), [20.0, 2024.0, 5.0]);
        assert_eq!(values("2026–2030", Lang::Ru), [2026.0, 2030.0]);
        assert_eq!(values("в 2025 году 15 проектов", Lang::Ru), [2025.0, 15.0]);
        assert_eq!(values("in 2025 500 firms", Lang::En), [2025.0, 500.0]);
        assert_eq!(values("2 млн 300 тыс. человек", Lang::Ru), [2.3e6]);
        assert_eq!(values("€300m and US$1.2bn", Lang::En), [3e8, 1.2e9]);
        assert_eq!(values("1,5 млн-ға", Lang::Kk), [1.5e6]);
    }

    #[test]
    fn numbers_in_names_are_not_quantities() {
        let t = "COVID-19, G20, 5G, Astana-2030, ТЭЦ-2; but 44-бабы, 2025-жылы, 15 млн, 4K, mid-2025, $5B, 10M.";
        let names: Vec<&str> = in_names(t).into_iter().map(|(s, e)| &t[s..e]).collect();
        assert_eq!(names, ["19", "20", "5", "2030", "2", "4"]);
    }

    #[test]
    fn numbers_in_words() {
        assert!(word_numbers("twenty-five regions", Lang::En).contains(&25.0));
        assert!(word_numbers("в пяти регионах", Lang::Ru).contains(&5.0));
        assert!(word_numbers("он бес өңірде", Lang::Kk).contains(&15.0));
        assert!(word_numbers("бесінші рет", Lang::Kk).contains(&5.0));
        assert!(word_numbers("three million", Lang::En).contains(&3e6));
        assert!(word_numbers("жарты миллион", Lang::Kk).contains(&5e5));
        assert!(word_numbers("полтора миллиона", Lang::Ru).contains(&1.5e6));
        assert!(word_numbers("десятилетний план", Lang::Ru).contains(&10.0));
        assert!(word_numbers("увеличился вдвое", Lang::Ru).contains(&2.0));
        assert!(word_numbers("в XXI веке", Lang::Ru).contains(&21.0));
        assert!(word_numbers("exports doubled", Lang::En).contains(&2.0));
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
        let seg = segment("Trade grew by 1 500,5 тонн.", "Товарооборот вырос.", Ru, Ru);
        assert_eq!(check(&seg)[0].message, "the number 1 500,5 of the source is missing");
    }
}
