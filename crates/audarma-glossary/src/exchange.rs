//! Glossary exchange with terminology tools and spreadsheets: TBX (TBX-Basic, TBX v3 DCA style), CSV and
//! TSV, and the TOML writer `import` ends with. The formats are described in `glossaries/README.md`.
//!
//! Export then import gives back every concept with every field unchanged (all but `file` and `line`,
//! which point into the imported file). What is normalised on the way: an empty `valid = {}`, an empty
//! `forbidden` list and an empty `note` are the same as none; whitespace around terms and domains is
//! dropped (lint forbids it in terms anyway).
//!
//! Import reads text the caller has read (this crate writes nothing); its concepts carry the imported
//! file and the line of their entry or row, so [`crate::lint`] reports problems against the source.

mod sheet;
mod tbx;

use crate::{Concept, Glossary, LoadError, Problem};
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
    type Err = String;

    fn from_str(s: &str) -> Result<Format, String> {
        Format::ALL
            .into_iter()
            .find(|f| f.name().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| format!("unknown format {s:?} (expected tbx, csv or tsv)"))
    }
}

/// The columns of a CSV or TSV glossary, in the order export writes them.
pub const COLUMNS: [&str; 14] = [
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
            verbatim: false,
            ambiguous: false,
            alternatives: Vec::new(),
            holds: Vec::new(),
            exclude: Default::default(),
            file: file.to_path_buf(),
            line,
        })
    }
}

fn parse_bool(s: &str) -> Result<bool, String> {
    match s.trim() {
        t if t.eq_ignore_ascii_case("true") => Ok(true),
        t if t.eq_ignore_ascii_case("false") => Ok(false),
        t => Err(format!("{t:?} is not true or false")),
    }
}

fn parse_date(s: &str) -> Result<chrono::NaiveDate, String> {
    chrono::NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|_| format!("{:?} is not a date (YYYY-MM-DD)", s.trim()))
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
    fn formats_parse_by_name() {
        assert_eq!("TBX".parse::<Format>().unwrap(), Format::Tbx);
        assert!("xlsx".parse::<Format>().unwrap_err().contains("tbx, csv or tsv"));
    }
}
