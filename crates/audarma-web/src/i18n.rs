//! The desk's languages: Fluent messages for en, kk and ru (`locales/*.ftl`, compiled into the binary),
//! the choice of locale (the user's setting, then a cookie, then `Accept-Language`), and numbers and dates
//! formatted the way each language writes them.
//!
//! Numbers and dates are formatted here, not by Fluent: `fluent-bundle`'s NUMBER() ignores the locale.
//! Three fixed locales need only their CLDR group separators and date patterns, so no ICU data is built in.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use std::collections::HashMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Locale {
    En,
    Kk,
    Ru,
}

impl Locale {
    pub const ALL: [Locale; 3] = [Locale::Kk, Locale::Ru, Locale::En];

    pub fn code(self) -> &'static str {
        match self {
            Locale::En => "en",
            Locale::Kk => "kk",
            Locale::Ru => "ru",
        }
    }

    pub fn parse(s: &str) -> Option<Locale> {
        let primary = s.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "en" => Some(Locale::En),
            "kk" => Some(Locale::Kk),
            "ru" => Some(Locale::Ru),
            _ => None,
        }
    }

    /// The language's own name, for the language switch.
    pub fn native_name(self) -> &'static str {
        match self {
            Locale::En => "English",
            Locale::Kk => "Қазақша",
            Locale::Ru => "Русский",
        }
    }

    /// The best of our locales for an `Accept-Language` header (quality values honoured).
    pub fn from_accept_language(header: &str) -> Option<Locale> {
        let mut best: Option<(f32, usize, Locale)> = None;
        for (i, part) in header.split(',').enumerate() {
            let mut it = part.split(';');
            let tag = it.next().unwrap_or("").trim();
            let q =
                it.find_map(|p| p.trim().strip_prefix("q=")).and_then(|q| q.trim().parse::<f32>().ok()).unwrap_or(1.0);
            if q <= 0.0 {
                continue;
            }
            if let Some(loc) = Locale::parse(tag) {
                // Higher quality wins; at equal quality the earlier tag does.
                if best.is_none_or(|(bq, bi, _)| q > bq || (q == bq && i < bi)) {
                    best = Some((q, i, loc));
                }
            }
        }
        best.map(|(_, _, l)| l)
    }

    /// The month as a date in this language writes it: "November" (capitalised from the shared lower-case
    /// list), "ноября" (genitive), "қараша" (nominative).
    fn month(self, m: u32) -> String {
        use audarma_text::months::{EN, KK, RU_GEN};
        let i = (m as usize).saturating_sub(1).min(11);
        match self {
            Locale::En => {
                let mut c = EN[i].chars();
                c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
            }
            Locale::Ru => RU_GEN[i].to_string(),
            Locale::Kk => KK[i].to_string(),
        }
    }

    /// A whole number with the locale's digit grouping: `12,345` (en), `12 345` (kk, ru; no-break space).
    pub fn number(self, n: i64) -> String {
        let sep = match self {
            Locale::En => ',',
            Locale::Kk | Locale::Ru => '\u{a0}',
        };
        let digits = n.unsigned_abs().to_string();
        let mut out = String::new();
        if n < 0 {
            out.push('-');
        }
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push(sep);
            }
            out.push(c);
        }
        out
    }

    /// A number with `digits` decimals, grouped and with the locale's decimal mark: `1,234.5` (en),
    /// `1 234,5` (kk, ru).
    pub fn decimal(self, v: f64, digits: usize) -> String {
        if !v.is_finite() {
            return "—".into();
        }
        let fixed = format!("{:.digits$}", v.abs());
        let (int, frac) = fixed.split_once('.').unwrap_or((&fixed, ""));
        let negative = v < 0.0 && fixed.chars().any(|c| c.is_ascii_digit() && c != '0');
        let whole = self.number(int.parse::<i64>().unwrap_or(0));
        let sign = if negative { "-" } else { "" };
        if frac.is_empty() {
            return format!("{sign}{whole}");
        }
        let mark = if self == Locale::En { '.' } else { ',' };
        format!("{sign}{whole}{mark}{frac}")
    }

    /// A date as CLDR's long format writes it: `28 November 2026`, `28 ноября 2026 г.`, `2026 ж. 28 қараша`.
    pub fn date(self, d: NaiveDate) -> String {
        let (day, month, year) = (d.day(), self.month(d.month()), d.year());
        match self {
            Locale::En => format!("{day} {month} {year}"),
            Locale::Ru => format!("{day} {month} {year}\u{a0}г."),
            Locale::Kk => format!("{year}\u{a0}ж. {day} {month}"),
        }
    }

    /// A moment (shown in UTC, which the page says): the date and `HH:MM`.
    pub fn datetime(self, t: DateTime<Utc>) -> String {
        format!("{}, {}", self.date(t.date_naive()), t.format("%H:%M"))
    }
}

const SOURCES: [(Locale, &str); 3] = [
    (Locale::En, include_str!("../locales/en.ftl")),
    (Locale::Kk, include_str!("../locales/kk.ftl")),
    (Locale::Ru, include_str!("../locales/ru.ftl")),
];

/// The built-in messages do not compile (a broken `.ftl` file shipped in the binary).
#[derive(Debug, thiserror::Error)]
pub enum I18nError {
    /// A syntax error: the first one is named.
    #[error("locales/{}.ftl: {:?}", .locale.code(), .first)]
    Syntax {
        locale: Locale,
        #[source]
        first: Option<fluent_syntax::parser::ParserError>,
    },
    #[error("locale {}: {:?}", .locale.code(), .source)]
    LanguageId {
        locale: Locale,
        #[source]
        source: unic_langid::LanguageIdentifierError,
    },
    /// Messages the bundle refuses (an id defined twice).
    #[error("locales/{}.ftl: {:?}", .locale.code(), .errors)]
    Bundle { locale: Locale, errors: Vec<fluent_bundle::FluentError> },
}

/// The compiled Fluent bundles, one per locale.
pub struct I18n {
    bundles: HashMap<Locale, FluentBundle<FluentResource>>,
}

impl I18n {
    /// Compiles the built-in messages; an error names the file and the first broken message.
    pub fn new() -> Result<I18n, I18nError> {
        I18n::compile(&SOURCES)
    }

    fn compile(sources: &[(Locale, &str)]) -> Result<I18n, I18nError> {
        let mut bundles = HashMap::new();
        for &(loc, text) in sources {
            let res = FluentResource::try_new(text.to_string())
                .map_err(|(_, errs)| I18nError::Syntax { locale: loc, first: errs.into_iter().next() })?;
            let langid = loc.code().parse().map_err(|source| I18nError::LanguageId { locale: loc, source })?;
            let mut bundle = FluentBundle::new_concurrent(vec![langid]);
            // The output is HTML: Unicode isolation marks would show up in attributes and copy-paste.
            bundle.set_use_isolating(false);
            bundle.add_resource(res).map_err(|errors| I18nError::Bundle { locale: loc, errors })?;
            bundles.insert(loc, bundle);
        }
        Ok(I18n { bundles })
    }

    /// The message `key` in `loc`; falls back to English, then to the key itself (never panics).
    pub fn message(&self, loc: Locale, key: &str, args: Option<&FluentArgs>) -> String {
        for l in [loc, Locale::En] {
            let Some(bundle) = self.bundles.get(&l) else { continue };
            if let Some(pattern) = bundle.get_message(key).and_then(|m| m.value()) {
                let mut errors = Vec::new();
                let out = bundle.format_pattern(pattern, args, &mut errors);
                if errors.is_empty() {
                    return out.into_owned();
                }
                tracing::warn!(key, locale = l.code(), ?errors, "message did not format");
            }
        }
        key.to_string()
    }

    /// The message `key` with a `count` argument for plural selection and `n`, the count formatted
    /// for the locale.
    pub fn count(&self, loc: Locale, key: &str, count: i64) -> String {
        let mut args = FluentArgs::new();
        args.set("count", FluentValue::from(count));
        args.set("n", FluentValue::from(loc.number(count)));
        self.message(loc, key, Some(&args))
    }

    /// Message ids per locale, for the test that every language has every message.
    pub fn ids(text: &str) -> Vec<String> {
        let res = match FluentResource::try_new(text.to_string()) {
            Ok(r) => r,
            Err((r, _)) => r,
        };
        res.entries()
            .filter_map(|e| match e {
                fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_string()),
                _ => None,
            })
            .collect()
    }

    pub fn sources() -> &'static [(Locale, &'static str)] {
        &SOURCES
    }
}

/// What a template needs to speak the user's language.
#[derive(Clone, Copy)]
pub struct Tr<'a> {
    pub i18n: &'a I18n,
    pub loc: Locale,
}

impl Tr<'_> {
    pub fn t(&self, key: &str) -> String {
        self.i18n.message(self.loc, key, None)
    }

    pub fn n(&self, key: &str, count: &i64) -> String {
        self.i18n.count(self.loc, key, *count)
    }

    /// A message with one string argument `arg`.
    pub fn with(&self, key: &str, name: &str, value: &str) -> String {
        let mut args = FluentArgs::new();
        args.set(name.to_string(), FluentValue::from(value.to_string()));
        self.i18n.message(self.loc, key, Some(&args))
    }

    /// A message with several string arguments.
    pub fn args(&self, key: &str, args: &[(&str, String)]) -> String {
        let mut a = FluentArgs::new();
        for (k, v) in args {
            a.set(k.to_string(), FluentValue::from(v.clone()));
        }
        self.i18n.message(self.loc, key, Some(&a))
    }

    /// A number with `digits` decimals as the locale writes it.
    pub fn dec(&self, v: &f64, digits: &usize) -> String {
        self.loc.decimal(*v, *digits)
    }

    pub fn num(&self, n: &i64) -> String {
        self.loc.number(*n)
    }

    pub fn date(&self, d: &NaiveDate) -> String {
        self.loc.date(*d)
    }

    pub fn when(&self, t: &DateTime<Utc>) -> String {
        self.loc.datetime(*t)
    }

    pub fn code(&self) -> &'static str {
        self.loc.code()
    }

    pub fn is(&self, code: &str) -> bool {
        self.loc.code() == code
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_message_exists_in_every_language() {
        let en: std::collections::BTreeSet<String> = I18n::ids(SOURCES[0].1).into_iter().collect();
        assert!(en.len() > 50, "en.ftl has only {} messages", en.len());
        for (loc, text) in &SOURCES[1..] {
            let other: std::collections::BTreeSet<String> = I18n::ids(text).into_iter().collect();
            let missing: Vec<_> = en.difference(&other).collect();
            let extra: Vec<_> = other.difference(&en).collect();
            assert!(missing.is_empty(), "locales/{}.ftl lacks {missing:?}", loc.code());
            assert!(extra.is_empty(), "locales/{}.ftl has messages en.ftl lacks: {extra:?}", loc.code());
        }
    }

    #[test]
    fn every_file_parses_and_every_message_formats() {
        let i18n = I18n::new().unwrap();
        for (loc, text) in SOURCES {
            for id in I18n::ids(text) {
                let bundle = &i18n.bundles[&loc];
                let msg = bundle.get_message(&id).unwrap();
                let Some(p) = msg.value() else { continue };
                let mut args = FluentArgs::new();
                for (k, v) in [
                    ("count", "3"),
                    ("n", "3"),
                    ("page", "1 / 2"),
                    ("name", "aigerim"),
                    ("word", "Ақорда"),
                    ("state", "in review"),
                    ("title", "Визит"),
                    ("pair", "ru → kk"),
                    ("date", "8 December 2026"),
                    ("job", "7"),
                ] {
                    args.set(k, FluentValue::from(v));
                }
                // The MQM panel's and the reports page's arguments.
                for k in [
                    "threshold",
                    "value",
                    "score",
                    "points",
                    "critical",
                    "backend",
                    "month",
                    "segments",
                    "pair",
                    "range",
                    "jobs",
                    "term",
                ] {
                    args.set(k, FluentValue::from("x"));
                }
                args.set("count", FluentValue::from(3));
                let mut errors = Vec::new();
                bundle.format_pattern(p, Some(&args), &mut errors);
                assert!(errors.is_empty(), "{}: {id}: {errors:?}", loc.code());
            }
        }
    }

    #[test]
    fn broken_messages_are_named_with_their_cause() {
        let Err(e) = I18n::compile(&[(Locale::Kk, "ok = fine\nbroken = {")]) else { panic!("a syntax error compiled") };
        assert!(matches!(e, I18nError::Syntax { locale: Locale::Kk, first: Some(_) }), "{e:?}");
        assert!(e.to_string().starts_with("locales/kk.ftl: Some(ParserError {"), "{e}");
        assert!(std::error::Error::source(&e).is_some(), "the parser's error is kept");
        let Err(e) = I18n::compile(&[(Locale::Ru, "twice = a\ntwice = b\n")]) else { panic!("a duplicate compiled") };
        let I18nError::Bundle { locale: Locale::Ru, errors } = &e else { panic!("{e:?}") };
        assert_eq!(errors.len(), 1, "{e}");
        assert!(e.to_string().starts_with("locales/ru.ftl: [Overriding {"), "{e}");
    }

    #[test]
    fn plurals_follow_each_language() {
        let i18n = I18n::new().unwrap();
        assert_eq!(i18n.count(Locale::En, "jobs-count", 1), "1 job");
        assert_eq!(i18n.count(Locale::En, "jobs-count", 1200), "1,200 jobs");
        assert_eq!(i18n.count(Locale::Ru, "jobs-count", 1), "1 задание");
        assert_eq!(i18n.count(Locale::Ru, "jobs-count", 3), "3 задания");
        assert_eq!(i18n.count(Locale::Ru, "jobs-count", 5), "5 заданий");
        assert_eq!(i18n.count(Locale::Ru, "jobs-count", 21), "21 задание");
        assert_eq!(i18n.count(Locale::Ru, "jobs-count", 12_345), "12\u{a0}345 заданий");
        assert_eq!(i18n.count(Locale::Kk, "jobs-count", 5), "5 тапсырма");
    }

    #[test]
    fn locale_comes_from_accept_language_by_quality() {
        assert_eq!(Locale::from_accept_language("kk-KZ,ru;q=0.8,en;q=0.5"), Some(Locale::Kk));
        assert_eq!(Locale::from_accept_language("de-DE, ru;q=0.4, en;q=0.9"), Some(Locale::En));
        assert_eq!(Locale::from_accept_language("ru-RU"), Some(Locale::Ru));
        assert_eq!(Locale::from_accept_language("fr, de"), None);
        assert_eq!(Locale::from_accept_language("en;q=0, kk;q=0.1"), Some(Locale::Kk));
    }

    #[test]
    fn numbers_and_dates_are_written_as_each_language_writes_them() {
        let d = NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
        assert_eq!(Locale::En.date(d), "28 November 2026");
        assert_eq!(Locale::Ru.date(d), "28 ноября 2026\u{a0}г.");
        assert_eq!(Locale::Kk.date(d), "2026\u{a0}ж. 28 қараша");
        assert_eq!(Locale::En.number(100_000), "100,000");
        assert_eq!(Locale::Ru.number(100_000), "100\u{a0}000");
        assert_eq!(Locale::Kk.number(-1234), "-1\u{a0}234");
        assert_eq!(Locale::En.number(999), "999");
        assert_eq!(Locale::En.decimal(1234.56, 1), "1,234.6");
        assert_eq!(Locale::Ru.decimal(1234.56, 2), "1\u{a0}234,56");
        assert_eq!(Locale::Kk.decimal(-0.25, 3), "-0,250");
        assert_eq!(Locale::En.decimal(-0.01, 1), "0.0", "no minus sign on a zero");
        assert_eq!(Locale::En.decimal(97.0, 0), "97");
        assert_eq!(Locale::Ru.decimal(f64::NAN, 1), "—");
    }
}
