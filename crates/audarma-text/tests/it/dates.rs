//! Release date lines in English, Russian and Kazakh.

use audarma_text::{parse_date_line, DateLine};
use chrono::NaiveDate;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn date(line: &str) -> Option<NaiveDate> {
    parse_date_line(line).map(|l| l.date)
}

fn place(line: &str) -> Option<String> {
    parse_date_line(line).and_then(|l| l.place)
}

#[test]
fn english_forms() {
    assert_eq!(date("June 7, 2023"), Some(d(2023, 6, 7)));
    assert_eq!(date("7 June 2023"), Some(d(2023, 6, 7)));
    assert_eq!(date("June 7th, 2023"), Some(d(2023, 6, 7)));
    assert_eq!(date("7th of June 2023"), Some(d(2023, 6, 7)));
    assert_eq!(date("Jun. 7, 2023"), Some(d(2023, 6, 7)));
    assert_eq!(date("Sept 30, 2022"), Some(d(2022, 9, 30)));
    assert_eq!(date("Wednesday, June 7, 2023"), Some(d(2023, 6, 7)));
    assert_eq!(date("June 7, 2023 14:30"), Some(d(2023, 6, 7)));
    assert_eq!(date("7 June 2023, 14:30"), Some(d(2023, 6, 7)));
    assert_eq!(date("  7\u{00A0}June\u{00A0}2023  "), Some(d(2023, 6, 7)));
    assert_eq!(
        parse_date_line("Astana, 7 June 2023"),
        Some(DateLine { date: d(2023, 6, 7), place: Some("Astana".into()) })
    );
    assert_eq!(place("ASTANA, June 7, 2023 —"), Some("ASTANA".into()));
    assert_eq!(place("Nur-Sultan, Kazakhstan, June 7, 2023"), Some("Nur-Sultan, Kazakhstan".into()));
    assert_eq!(place("June 7, 2023"), None);
}

#[test]
fn russian_forms() {
    assert_eq!(date("7 июня 2023 года"), Some(d(2023, 6, 7)));
    assert_eq!(date("7 июня 2023 г."), Some(d(2023, 6, 7)));
    assert_eq!(date("7 июня 2023"), Some(d(2023, 6, 7)));
    assert_eq!(date("1 января 2024 года, 09:00"), Some(d(2024, 1, 1)));
    assert_eq!(date("среда, 7 июня 2023 года"), Some(d(2023, 6, 7)));
    assert_eq!(date("07.06.2023"), Some(d(2023, 6, 7)));
    assert_eq!(date("07.06.2023 14:30"), Some(d(2023, 6, 7)));
    assert_eq!(date("31 декабря 2023 г., 18:45"), Some(d(2023, 12, 31)));
    assert_eq!(place("Астана, 7 июня 2023 года"), Some("Астана".into()));
    assert_eq!(place("г. Астана, 7 июня 2023 года"), Some("г. Астана".into()));
    assert_eq!(place("7 июня 2023 года, Алматы"), Some("Алматы".into()));
}

#[test]
fn kazakh_forms() {
    assert_eq!(date("2023 жылғы 7 маусым"), Some(d(2023, 6, 7)));
    assert_eq!(date("2023 жылғы 7 маусымда"), Some(d(2023, 6, 7)));
    assert_eq!(date("7 маусым 2023 ж."), Some(d(2023, 6, 7)));
    assert_eq!(date("7 маусым 2023 жыл"), Some(d(2023, 6, 7)));
    assert_eq!(date("2023 ж. 7 маусым"), Some(d(2023, 6, 7)));
    assert_eq!(date("2023 жылғы 1 қаңтар, 10:00"), Some(d(2023, 1, 1)));
    assert_eq!(date("23 сəуір 2010 жыл"), Some(d(2010, 4, 23)));
    assert_eq!(date("сәрсенбі, 7 маусым 2023 ж."), Some(d(2023, 6, 7)));
    assert_eq!(date("12 желтоқсан 2022 ж."), Some(d(2022, 12, 12)));
    assert_eq!(place("Астана, 2023 жылғы 7 маусым"), Some("Астана".into()));
    assert_eq!(place("Астана қ., 2023 жылғы 7 маусым"), Some("Астана қ.".into()));
}

#[test]
fn iso_and_numeric() {
    assert_eq!(date("2023-06-07"), Some(d(2023, 6, 7)));
    assert_eq!(date("2023-06-07 14:30"), Some(d(2023, 6, 7)));
    assert_eq!(date("2023-06-07T14:30"), Some(d(2023, 6, 7)));
    assert_eq!(date("7.6.2023"), Some(d(2023, 6, 7)));
}

#[test]
fn not_date_lines() {
    for line in [
        "",
        "June 2023",
        "7 June",
        "2023",
        "14:30",
        "Page 07.06",
        "31.02.2023",
        "2023-02-30",
        "32 May 2023",
        "The President arrived in Astana on 7 June 2023.",
        "Президент прибыл в Астану 7 июня 2023 года с рабочим визитом.",
        "Мемлекет басшысы 2023 жылғы 7 маусымда Астанаға келді.",
        "On June 7, 2023 the forum opened",
        "Decree No. 7 of 7 June 2023 on the budget",
        "Astana hosted the forum, June 7, 2023",
        "Article 5. June 7, 2023",
    ] {
        assert_eq!(parse_date_line(line), None, "{line:?}");
    }
}
