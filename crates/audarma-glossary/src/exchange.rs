//! Glossary exchange with terminology tools and spreadsheets: TBX (TBX-Basic, TBX v3 DCA style), CSV and
//! TSV, and the TOML writer `import` ends with. The formats are described in `glossaries/README.md`.
//!
//! Export then import gives back every concept with every field unchanged (all but `file` and `line`,
//! which point into the imported file). What is normalised on the way: an empty `valid = {}`, an empty
//! `forbidden` or `exclude` list and an empty `note` are the same as none; whitespace around terms,
//! domains, ids and exclusions is dropped (lint forbids it in terms and exclusions anyway).
//!
//! Import reads text the caller has read (this crate writes nothing); its concepts carry the imported
//! file and the line of their entry or row, so [`crate::lint`] reports problems against the source.

mod sheet;
pub use sheet::csv_cell;
mod tbx;

use crate::{Concept, Glossary, Holding, LoadError, Problem};
use audarma_core::Lang;
use std::fmt::{self, Write as _};
use std::path::Path;
use std::str::FromStr;

/// An exchange format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// TBX-Basic (ISO 30042:2019, TBX v3, DCA style): `<conceptEntry>` / `<langSec>` / `<termSec>`.
    Tbx,
    /// Comma-separated values, RFC 4180 quoting.
    Csv,
    /// Tab-separated values, no quoting.
    Tsv,
}

impl Format {
    pub const ALL: [Format; 3] = [Format::Tbx, Format::Csv, Format::Tsv];

    pub fn name(self) -> &'static str {
        match self {
            Format::Tbx => "tbx",
            Format::Csv => "csv",
            Format::Tsv => "tsv",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Format {
    type Err = UnknownFormat;

    fn from_str(s: &str) -> Result<Format, UnknownFormat> {
        Format::ALL
            .into_iter()
            .find(|f| f.name().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| UnknownFormat(s.to_string()))
    }
}

/// A format name that is not `tbx`, `csv` or `tsv` (as given).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown format {0:?} (expected tbx, csv or tsv)")]
pub struct UnknownFormat(pub String);

/// A cell or element value the importers cannot read; its message goes into the [`Problem`] that
/// names the file, line and column or element.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub(crate) enum ValueError {
    #[error("{0:?} is not true or false")]
    NotBool(String),
    #[error("{text:?} is not a date (YYYY-MM-DD)")]
    NotDate {
        text: String,
        #[source]
        source: chrono::ParseError,
    },
    #[error("{0:?} is not a holding (a concept id, then from..until: YYYY-MM-DD dates, either left out)")]
    NotHolding(String),
    /// A backslash before something other than `\` or `|` in a list cell.
    #[error("`\\{0}` is not an escape (write `\\|` for a bar, `\\\\` for a backslash)")]
    NotAnEscape(char),
    #[error("ends with a lone `\\` (write `\\\\` for a backslash)")]
    LoneBackslash,
    #[error("an empty value between ` | ` separators")]
    EmptyItem,
    /// An XML character or entity reference that does not resolve (TBX text).
    #[error("{0}")]
    Reference(#[source] quick_xml::escape::EscapeError),
}

/// The columns of a CSV or TSV glossary, in the order export writes them.
pub const COLUMNS: [&str; 22] = [
    "id",
    "en",
    "kk",
    "ru",
    "forbidden_en",
    "forbidden_kk",
    "forbidden_ru",
    "note",
    "domain",
    "case_sensitive",
    "dnt",
    "valid_from",
    "valid_until",
    "lint_allow",
    "verbatim",
    "ambiguous",
    "alternatives",
    "holds",
    "exclude_en",
    "exclude_kk",
    "exclude_ru",
    "kk_latn",
];

/// Writes a glossary in `format`. Fails, naming the concept, on a value the format cannot carry (a tab
/// or line break in TSV, a control character in TBX).
pub fn export(g: &Glossary, format: Format) -> Result<String, LoadError> {
    match format {
        Format::Tbx => tbx::export(g),
        Format::Csv => Ok(sheet::export_csv(g)),
        Format::Tsv => sheet::export_tsv(g),
    }
}

/// Reads a glossary in `format` from `text`, the content of `file` (named in problems). Every problem
/// found is returned, each as `file:line: message` naming the element or column. The result is not
/// linted: run [`crate::lint`] on it.
pub fn import(file: &Path, text: &str, format: Format) -> Result<Glossary, LoadError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let (concepts, problems) = match format {
        Format::Tbx => tbx::import(file, text),
        Format::Csv => sheet::import(file, text, b','),
        Format::Tsv => sheet::import(file, text, b'\t'),
    };
    if problems.is_empty() {
        Ok(Glossary { concepts })
    } else {
        Err(LoadError(problems))
    }
}

fn problem(file: &Path, line: usize, message: impl Into<String>) -> Problem {
    Problem { file: file.to_path_buf(), line, message: message.into() }
}

/// Writes concepts as a glossary TOML file in the `glossaries/` format: one `[[concept]]` table each,
/// a single term as a string, several as an array.
pub fn to_toml(g: &Glossary, header: &str) -> String {
    let mut out = String::new();
    for line in header.lines() {
        let _ = writeln!(out, "# {line}");
    }
    for c in &g.concepts {
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str("[[concept]]\n");
        let _ = writeln!(out, "id = {}", toml_str(&c.id));
        for lang in Lang::ALL {
            let terms = c.terms(lang);
            let value = if terms.len() == 1 { toml_str(&terms[0]) } else { toml_array(terms) };
            let _ = writeln!(out, "{} = {value}", lang.code());
        }
        let forbidden: Vec<String> = Lang::ALL
            .into_iter()
            .filter(|l| !c.forbidden(*l).is_empty())
            .map(|l| format!("{} = {}", l.code(), toml_array(c.forbidden(l))))
            .collect();
        if !forbidden.is_empty() {
            let _ = writeln!(out, "forbidden = {{ {} }}", forbidden.join(", "));
        }
        if let Some(note) = c.note.as_deref().filter(|n| !n.is_empty()) {
            let _ = writeln!(out, "note = {}", toml_str(note));
        }
        if !c.domain.is_empty() {
            let _ = writeln!(out, "domain = {}", toml_array(&c.domain));
        }
        if let Some(cs) = c.case_sensitive {
            let _ = writeln!(out, "case_sensitive = {cs}");
        }
        if c.dnt {
            out.push_str("dnt = true\n");
        }
        if let Some(v) = c.valid.filter(|v| v.from.is_some() || v.until.is_some()) {
            let ends: Vec<String> = [("from", v.from), ("until", v.until)]
                .into_iter()
                .filter_map(|(k, d)| d.map(|d| format!("{k} = \"{d}\"")))
                .collect();
            let _ = writeln!(out, "valid = {{ {} }}", ends.join(", "));
        }
        if !c.lint_allow.is_empty() {
            let _ = writeln!(out, "lint_allow = {}", toml_array(&c.lint_allow));
        }
        if c.verbatim {
            out.push_str("verbatim = true\n");
        }
        if c.ambiguous {
            out.push_str("ambiguous = true\n");
        }
        if !c.alternatives.is_empty() {
            let _ = writeln!(out, "alternatives = {}", toml_array(&c.alternatives));
        }
        if !c.holds.is_empty() {
            let holds: Vec<String> = c
                .holds
                .iter()
                .map(|h| {
                    let mut parts = vec![format!("id = {}", toml_str(&h.id))];
                    parts.extend(
                        [("from", h.from), ("until", h.until)]
                            .into_iter()
                            .filter_map(|(k, d)| d.map(|d| format!("{k} = \"{d}\""))),
                    );
                    format!("{{ {} }}", parts.join(", "))
                })
                .collect();
            let _ = writeln!(out, "holds = [{}]", holds.join(", "));
        }
        let exclude: Vec<String> = Lang::ALL
            .into_iter()
            .filter(|l| !c.excluded(*l).is_empty())
            .map(|l| format!("{} = {}", l.code(), toml_array(c.excluded(l))))
            .collect();
        if !exclude.is_empty() {
            let _ = writeln!(out, "exclude = {{ {} }}", exclude.join(", "));
        }
        if !c.kk_latn.is_empty() {
            let value = if c.kk_latn.len() == 1 { toml_str(&c.kk_latn[0]) } else { toml_array(&c.kk_latn) };
            let _ = writeln!(out, "kk-Latn = {value}");
        }
    }
    out
}

/// A TOML basic string.
fn toml_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for ch in s.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn toml_array(items: &[String]) -> String {
    format!("[{}]", items.iter().map(|s| toml_str(s)).collect::<Vec<_>>().join(", "))
}

/// The parts of a concept both importers collect, checked and turned into a [`Concept`].
#[derive(Default)]
struct Draft {
    id: String,
    /// Per language: (term, marked preferred), in file order.
    terms: Vec<(Lang, String, bool)>,
    forbidden: Vec<(Lang, String)>,
    note: Option<String>,
    domain: Vec<String>,
    case_sensitive: Option<bool>,
    dnt: bool,
    valid: crate::Validity,
    lint_allow: Vec<String>,
    verbatim: bool,
    ambiguous: bool,
    alternatives: Vec<String>,
    holds: Vec<Holding>,
    exclude: Vec<(Lang, String)>,
    /// The `kk-Latn` forms, in order.
    kk_latn: Vec<String>,
}

impl Draft {
    /// The concept, or the problems that it lacks a language (`missing` says so for one language).
    fn finish(self, file: &Path, line: usize, missing: impl Fn(Lang) -> String) -> Result<Concept, Vec<Problem>> {
        let mut terms = std::collections::BTreeMap::new();
        let mut problems = Vec::new();
        for lang in Lang::ALL {
            let mut list: Vec<(String, bool)> =
                self.terms.iter().filter(|(l, _, _)| *l == lang).map(|(_, t, p)| (t.clone(), *p)).collect();
            if list.is_empty() {
                problems.push(problem(file, line, missing(lang)));
                continue;
            }
            // The preferred term goes first; the others keep their order.
            if let Some(i) = list.iter().position(|(_, p)| *p) {
                let preferred = list.remove(i);
                list.insert(0, preferred);
            }
            terms.insert(lang, list.into_iter().map(|(t, _)| t).collect::<Vec<_>>());
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        let mut forbidden = std::collections::BTreeMap::<Lang, Vec<String>>::new();
        for (lang, t) in self.forbidden {
            forbidden.entry(lang).or_default().push(t);
        }
        let mut exclude = std::collections::BTreeMap::<Lang, Vec<String>>::new();
        for (lang, t) in self.exclude {
            exclude.entry(lang).or_default().push(t);
        }
        let valid = (self.valid.from.is_some() || self.valid.until.is_some()).then_some(self.valid);
        Ok(Concept {
            id: self.id,
            terms,
            forbidden,
            note: self.note.filter(|n| !n.is_empty()),
            domain: self.domain,
            case_sensitive: self.case_sensitive,
            dnt: self.dnt,
            valid,
            lint_allow: self.lint_allow,
            verbatim: self.verbatim,
            ambiguous: self.ambiguous,
            alternatives: self.alternatives,
            holds: self.holds,
            exclude,
            kk_latn: self.kk_latn,
            file: file.to_path_buf(),
            line,
        })
    }
}

fn parse_bool(s: &str) -> Result<bool, ValueError> {
    match s.trim() {
        t if t.eq_ignore_ascii_case("true") => Ok(true),
        t if t.eq_ignore_ascii_case("false") => Ok(false),
        t => Err(ValueError::NotBool(t.to_string())),
    }
}

fn parse_date(s: &str) -> Result<chrono::NaiveDate, ValueError> {
    chrono::NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|source| ValueError::NotDate { text: s.trim().to_string(), source })
}

/// A holding as text: the title's id, then `from..until` with either date left out
/// (`head-of-state 2019-03-20..`, `premier 2022-01-11..2024-02-06`, `x ..2020-01-01`); just the id
/// when neither date is known.
fn format_holding(h: &Holding) -> String {
    let date = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    if h.from.is_none() && h.until.is_none() {
        h.id.clone()
    } else {
        format!("{} {}..{}", h.id, date(h.from), date(h.until))
    }
}

/// Reads what [`format_holding`] writes.
fn parse_holding(s: &str) -> Result<Holding, ValueError> {
    let what = || ValueError::NotHolding(s.trim().to_string());
    let mut parts = s.split_whitespace();
    let id = parts.next().ok_or_else(what)?.to_string();
    let (from, until) = match (parts.next(), parts.next()) {
        (None, _) => (None, None),
        (Some(range), None) => {
            let (from, until) = range.split_once("..").ok_or_else(what)?;
            let date = |d: &str| if d.is_empty() { Ok(None) } else { parse_date(d).map(Some) };
            (date(from)?, date(until)?)
        }
        (Some(_), Some(_)) => return Err(what()),
    };
    if id.contains("..") {
        return Err(what());
    }
    Ok(Holding { id, from, until })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn toml_strings_escape_what_toml_needs() {
        assert_eq!(toml_str(r#"a "b" \ c"#), r#""a \"b\" \\ c""#);
        assert_eq!(toml_str("a\nb\tc\u{1}"), r#""a\nb\tc\u0001""#);
        assert_eq!(toml_str("Қазақстан"), "\"Қазақстан\"");
    }

    #[test]
    fn holdings_read_back_as_written() {
        let d = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
        for (h, text) in [
            (Holding { id: "head-of-state".into(), from: d("2019-03-20"), until: None }, "head-of-state 2019-03-20.."),
            (
                Holding { id: "prime-minister".into(), from: d("2022-01-11"), until: d("2024-02-06") },
                "prime-minister 2022-01-11..2024-02-06",
            ),
            (Holding { id: "x".into(), from: None, until: d("2020-01-01") }, "x ..2020-01-01"),
            (Holding { id: "y".into(), from: None, until: None }, "y"),
        ] {
            assert_eq!(format_holding(&h), text);
            assert_eq!(parse_holding(&format!(" {text} ")).unwrap(), h);
        }
        assert_eq!(parse_holding("z ..").unwrap(), Holding { id: "z".into(), from: None, until: None });
        for bad in ["", "x 2019-03-20", "x 2019-02-30..", "x 2019..2020 y", "2019-01-01..2020-01-01"] {
            assert!(parse_holding(bad).is_err(), "{bad:?}");
        }
        let e = parse_holding("x 2019-02-30..").unwrap_err();
        assert!(matches!(&e, ValueError::NotDate { text, .. } if text == "2019-02-30"), "{e:?}");
        assert!(std::error::Error::source(&e).is_some(), "chrono's error is kept");
        assert_eq!(e.to_string(), "\"2019-02-30\" is not a date (YYYY-MM-DD)");
        assert_eq!(parse_holding("x y z"), Err(ValueError::NotHolding("x y z".into())));
        assert_eq!(
            parse_holding("x y z").unwrap_err().to_string(),
            "\"x y z\" is not a holding (a concept id, then from..until: YYYY-MM-DD dates, either left out)"
        );
        assert_eq!(parse_bool(" maybe ").unwrap_err().to_string(), "\"maybe\" is not true or false");
    }

    #[test]
    fn formats_parse_by_name() {
        assert_eq!("TBX".parse::<Format>().unwrap(), Format::Tbx);
        assert_eq!("xlsx".parse::<Format>(), Err(UnknownFormat("xlsx".into())));
        assert_eq!(
            "xlsx".parse::<Format>().unwrap_err().to_string(),
            "unknown format \"xlsx\" (expected tbx, csv or tsv)"
        );
    }
}
