use audarma_core::Lang;
use chrono::NaiveDate;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

/// A problem in a glossary file, printed as `file:line: message`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Problem {
    pub file: PathBuf,
    pub line: usize,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.file.display(), self.line, self.message)
    }
}

/// Loading failed: the problems, each naming its file and line.
#[derive(Debug, thiserror::Error)]
#[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
pub struct LoadError(pub Vec<Problem>);

/// A date range a term is valid in (either end open). `until` is exclusive: the day the new name took over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Validity {
    pub from: Option<NaiveDate>,
    pub until: Option<NaiveDate>,
}

impl Validity {
    pub fn contains(&self, date: NaiveDate) -> bool {
        self.from.is_none_or(|f| date >= f) && self.until.is_none_or(|u| date < u)
    }
}

/// A title a person holds (`holds = [{ id = "head-of-state", from = "2019-03-20" }]`): in a translation
/// the title may stand for the person and the person for the title, on dates in the range.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Holding {
    /// The title's concept id.
    pub id: String,
    pub from: Option<NaiveDate>,
    /// Exclusive, as in [`Validity`].
    pub until: Option<NaiveDate>,
}

impl Holding {
    pub fn valid_on(&self, date: Option<NaiveDate>) -> bool {
        date.is_none_or(|d| Validity { from: self.from, until: self.until }.contains(d))
    }
}

/// One concept: the same thing named in en, kk and ru.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Concept {
    pub id: String,
    /// Terms per language, the preferred first.
    pub terms: BTreeMap<Lang, Vec<String>>,
    pub forbidden: BTreeMap<Lang, Vec<String>>,
    pub note: Option<String>,
    pub domain: Vec<String>,
    /// `None`: acronyms are case-sensitive, other terms not.
    pub case_sensitive: Option<bool>,
    pub dnt: bool,
    pub valid: Option<Validity>,
    /// Lint checks switched off for this concept (`"script"`), for official forms that break the rule.
    pub lint_allow: Vec<String>,
    /// The concept must appear in a translation as one of its terms (names of organisations, laws,
    /// treaties): missing is an error, not a warning.
    pub verbatim: bool,
    /// The terms also have another, common sense: findings about the concept are at most warnings,
    /// and a missing term is only a note.
    pub ambiguous: bool,
    /// Concepts a translation may name instead of this one, and this one instead of them
    /// (President ~ Head of State). Symmetric.
    pub alternatives: Vec<String>,
    /// Titles this person holds, by date. Symmetric: the title may stand for the person.
    pub holds: Vec<Holding>,
    /// Text that contains a term but does not name the concept, per language, case folded
    /// ("heads of state", "в области"): Russian forms are exact words, each form listed; Kazakh and
    /// English ones are word starts ("мемлекет басшылар" covers "мемлекет басшыларымен").
    pub exclude: BTreeMap<Lang, Vec<String>>,
    /// The Kazakh terms in the Latin alphabet (`kk-Latn = [...]`), one per `kk` term in the same
    /// order, for names that are not transliterated letter by letter; empty when not given.
    pub kk_latn: Vec<String>,
    pub file: PathBuf,
    pub line: usize,
}

impl Concept {
    pub fn terms(&self, lang: Lang) -> &[String] {
        self.terms.get(&lang).map(Vec::as_slice).unwrap_or(&[])
    }

    pub fn preferred(&self, lang: Lang) -> Option<&str> {
        self.terms(lang).first().map(String::as_str)
    }

    pub fn forbidden(&self, lang: Lang) -> &[String] {
        self.forbidden.get(&lang).map(Vec::as_slice).unwrap_or(&[])
    }

    /// The `kk-Latn` form given for the Kazakh term `kk` (one of [`Concept::terms`] in Kazakh).
    pub fn kk_latn_of(&self, kk: &str) -> Option<&str> {
        let i = self.terms(Lang::Kk).iter().position(|t| t == kk)?;
        self.kk_latn.get(i).map(String::as_str)
    }

    pub fn excluded(&self, lang: Lang) -> &[String] {
        self.exclude.get(&lang).map(Vec::as_slice).unwrap_or(&[])
    }

    /// Whether a translation may name `other` for this concept on `date`: one lists the other among
    /// its `alternatives`, or one holds the other as a title on that date (any date when `None`).
    pub fn may_stand_for(&self, other: &Concept, date: Option<NaiveDate>) -> bool {
        self.alternatives.contains(&other.id)
            || other.alternatives.contains(&self.id)
            || self.holds.iter().any(|h| h.id == other.id && h.valid_on(date))
            || other.holds.iter().any(|h| h.id == self.id && h.valid_on(date))
    }

    pub fn valid_on(&self, date: Option<NaiveDate>) -> bool {
        match (self.valid, date) {
            (Some(v), Some(d)) => v.contains(d),
            _ => true,
        }
    }

    /// Whether `term` is matched with its case kept.
    pub fn is_case_sensitive(&self, term: &str) -> bool {
        self.case_sensitive.unwrap_or_else(|| crate::is_acronym(term))
    }
}

#[derive(Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    fn into_vec(self) -> Vec<String> {
        match self {
            OneOrMany::One(s) => vec![s],
            OneOrMany::Many(v) => v,
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConcept {
    id: Option<String>,
    en: Option<OneOrMany>,
    kk: Option<OneOrMany>,
    ru: Option<OneOrMany>,
    #[serde(default)]
    forbidden: BTreeMap<String, Vec<String>>,
    note: Option<String>,
    #[serde(default)]
    domain: Vec<String>,
    case_sensitive: Option<bool>,
    #[serde(default)]
    dnt: bool,
    valid: Option<Validity>,
    #[serde(default)]
    lint_allow: Vec<String>,
    #[serde(default)]
    verbatim: bool,
    #[serde(default)]
    ambiguous: bool,
    #[serde(default)]
    alternatives: Vec<String>,
    #[serde(default)]
    holds: Vec<Holding>,
    #[serde(default)]
    exclude: BTreeMap<String, Vec<String>>,
    #[serde(rename = "kk-Latn")]
    kk_latn: Option<OneOrMany>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    concept: Vec<toml::Spanned<RawConcept>>,
}

/// The concepts of one or more glossary files.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Glossary {
    pub concepts: Vec<Concept>,
}

fn line_of(text: &str, byte: usize) -> usize {
    text.as_bytes()[..byte.min(text.len())].iter().filter(|b| **b == b'\n').count() + 1
}

/// Line numbers by binary search over the line starts: a file of thousands of concepts is not
/// rescanned from its start for each one.
struct Lines(Vec<usize>);

impl Lines {
    fn new(text: &str) -> Self {
        Lines(text.bytes().enumerate().filter(|(_, b)| *b == b'\n').map(|(i, _)| i).collect())
    }

    fn line(&self, byte: usize) -> usize {
        self.0.partition_point(|&nl| nl < byte) + 1
    }
}

/// The `.toml` files a path names: the file itself, or every `.toml` below a directory, sorted.
pub fn glossary_files(path: &Path) -> std::io::Result<Vec<PathBuf>> {
    if !path.is_dir() {
        return Ok(vec![path.to_path_buf()]);
    }
    let mut out = Vec::new();
    let mut stack = vec![path.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir)? {
            let p = entry?.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|e| e == "toml") {
                out.push(p);
            }
        }
    }
    out.sort();
    Ok(out)
}

impl Glossary {
    /// Loads every glossary file under `paths`, failing with every problem found if any file is
    /// unreadable or malformed. Semantic problems (duplicates, scripts) are [`crate::lint`]'s.
    pub fn load(paths: &[PathBuf]) -> Result<Glossary, LoadError> {
        let (g, problems) = Glossary::load_lenient(paths);
        if problems.is_empty() {
            Ok(g)
        } else {
            Err(LoadError(problems))
        }
    }

    /// Loads what can be loaded and returns the problems beside it (for the linter).
    pub fn load_lenient(paths: &[PathBuf]) -> (Glossary, Vec<Problem>) {
        let mut g = Glossary::default();
        let mut problems = Vec::new();
        for path in paths {
            let files = match glossary_files(path) {
                Ok(f) => f,
                Err(e) => {
                    problems.push(Problem { file: path.clone(), line: 0, message: format!("cannot read: {e}") });
                    continue;
                }
            };
            if files.is_empty() {
                problems.push(Problem { file: path.clone(), line: 0, message: "no .toml glossary files here".into() });
            }
            for file in files {
                match std::fs::read_to_string(&file) {
                    Ok(text) => g.parse_file(&file, &text, &mut problems),
                    Err(e) => problems.push(Problem { file, line: 0, message: format!("cannot read: {e}") }),
                }
            }
        }
        (g, problems)
    }

    /// Parses one file's text, appending its concepts and problems.
    pub fn parse_file(&mut self, file: &Path, text: &str, problems: &mut Vec<Problem>) {
        let raw: RawFile = match toml::from_str(text) {
            Ok(r) => r,
            Err(e) => {
                let line = e.span().map(|s| line_of(text, s.start)).unwrap_or(1);
                let message = e.message().trim().replace('\n', " ");
                // The parser has no words for some input (a lone carriage return): say what it is.
                let message = if message.is_empty() { "not a valid TOML document".to_string() } else { message };
                problems.push(Problem { file: file.to_path_buf(), line, message });
                return;
            }
        };
        let lines = Lines::new(text);
        for spanned in raw.concept {
            let line = lines.line(spanned.span().start);
            let r = spanned.into_inner();
            let mut problem = |message: String| problems.push(Problem { file: file.to_path_buf(), line, message });
            let Some(id) = r.id else {
                problem("concept has no `id`".into());
                continue;
            };
            let mut terms = BTreeMap::new();
            for (lang, t) in [(Lang::En, r.en), (Lang::Kk, r.kk), (Lang::Ru, r.ru)] {
                match t.map(OneOrMany::into_vec) {
                    Some(v) if !v.is_empty() => {
                        terms.insert(lang, v);
                    }
                    Some(_) => problem(format!("concept `{id}`: `{lang}` is an empty list")),
                    None => problem(format!("concept `{id}` has no `{lang}` term")),
                }
            }
            let kk_latn = match r.kk_latn.map(OneOrMany::into_vec) {
                Some(v) if v.is_empty() => {
                    problem(format!("concept `{id}`: `kk-Latn` is an empty list"));
                    v
                }
                v => v.unwrap_or_default(),
            };
            let mut by_lang = |field: &str, table: BTreeMap<String, Vec<String>>| {
                let mut out = BTreeMap::new();
                for (code, list) in table {
                    match code.parse::<Lang>() {
                        Ok(lang) => {
                            out.insert(lang, list);
                        }
                        Err(_) => problem(format!("concept `{id}`: `{field}.{code}` is not a language (en, kk or ru)")),
                    }
                }
                out
            };
            let forbidden = by_lang("forbidden", r.forbidden);
            let exclude = by_lang("exclude", r.exclude);
            self.concepts.push(Concept {
                id,
                terms,
                forbidden,
                note: r.note,
                domain: r.domain,
                case_sensitive: r.case_sensitive,
                dnt: r.dnt,
                valid: r.valid,
                lint_allow: r.lint_allow,
                verbatim: r.verbatim,
                ambiguous: r.ambiguous,
                alternatives: r.alternatives,
                holds: r.holds,
                exclude,
                kk_latn,
                file: file.to_path_buf(),
                line,
            });
        }
    }

    pub fn get(&self, id: &str) -> Option<&Concept> {
        self.concepts.iter().find(|c| c.id == id)
    }

    pub fn len(&self) -> usize {
        self.concepts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.concepts.is_empty()
    }

    /// A hash of the glossary's content: the "glossary version" caches and reports are keyed by.
    pub fn version(&self) -> String {
        use sha2::{Digest, Sha256};
        let mut h = Sha256::new();
        for c in &self.concepts {
            h.update(
                serde_json::to_vec(&(&c.id, &c.terms, &c.forbidden, c.case_sensitive, c.dnt, c.valid))
                    .unwrap_or_default(),
            );
            h.update(
                serde_json::to_vec(&(c.verbatim, c.ambiguous, &c.alternatives, &c.holds, &c.exclude))
                    .unwrap_or_default(),
            );
        }
        hex::encode(&h.finalize()[..8])
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn parse(text: &str) -> (Glossary, Vec<Problem>) {
        let mut g = Glossary::default();
        let mut p = Vec::new();
        g.parse_file(Path::new("g.toml"), text, &mut p);
        (g, p)
    }

    #[test]
    fn reads_strings_arrays_and_options() {
        let (g, p) = parse(
            r#"
[[concept]]
id = "osce"
en = ["OSCE", "Organization for Security and Co-operation in Europe"]
kk = "ЕҚЫҰ"
ru = "ОБСЕ"
forbidden = { en = ["O.S.C.E."] }
valid = { from = "1995-01-01" }
"#,
        );
        assert!(p.is_empty(), "{p:?}");
        let c = &g.concepts[0];
        assert_eq!(c.line, 2);
        assert_eq!(c.preferred(Lang::Kk), Some("ЕҚЫҰ"));
        assert_eq!(c.terms(Lang::En).len(), 2);
        assert_eq!(c.forbidden(Lang::En), ["O.S.C.E."]);
        assert!(!c.valid_on(NaiveDate::from_ymd_opt(1990, 1, 1)));
    }

    #[test]
    fn names_file_line_and_field_of_a_mistake() {
        let (_, p) = parse(
            "[[concept]]\nid = \"a\"\nen = \"A\"\nkk = \"Ә\"\nru = \"А\"\n\n[[concept]]\nid = \"b\"\nenn = \"B\"\n",
        );
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].line, 9, "{}", p[0]);
        assert!(p[0].message.contains("unknown field `enn`"), "{}", p[0]);
        let (_, p) = parse("[[concept]]\nid = \"b\"\nen = \"B\"\nkk = \"Б\"\n");
        assert_eq!(p[0].to_string(), "g.toml:1: concept `b` has no `ru` term");
    }

    /// Found by the property test: the TOML parser reports a lone carriage return with an empty
    /// message, which left a problem saying nothing.
    #[test]
    fn every_parse_error_says_something() {
        for text in ["\r", "[[concept]]\r", "x"] {
            let (_, p) = parse(text);
            assert_eq!(p.len(), 1, "{text:?}: {p:?}");
            assert!(!p[0].message.trim().is_empty(), "{text:?}: {}", p[0]);
        }
        assert_eq!(parse("\r").1[0].to_string(), "g.toml:1: not a valid TOML document");
    }

    #[test]
    fn reads_kk_latn_forms_beside_the_kazakh_terms() {
        let (g, p) = parse(
            "[[concept]]\nid = \"t\"\nen = \"Tokayev\"\nkk = [\"Қасым-Жомарт Тоқаев\", \"Тоқаев\"]\n\
             ru = \"Токаев\"\nkk-Latn = [\"Qasym-Jomart Toqaev\", \"Toqaev\"]\n",
        );
        assert!(p.is_empty(), "{p:?}");
        let c = &g.concepts[0];
        assert_eq!(c.kk_latn_of("Тоқаев"), Some("Toqaev"));
        assert_eq!(c.kk_latn_of("Қасым-Жомарт Тоқаев"), Some("Qasym-Jomart Toqaev"));
        assert_eq!(c.kk_latn_of("Токаев"), None);
        let (_, p) = parse("[[concept]]\nid = \"t\"\nen = \"T\"\nkk = \"Т\"\nru = \"Т\"\nkk-Latn = []\n");
        assert_eq!(p[0].to_string(), "g.toml:1: concept `t`: `kk-Latn` is an empty list");
        let (_, p) = parse("[[concept]]\nid = \"t\"\nen = \"T\"\nkk = \"Т\"\nru = \"Т\"\nkk_latn = \"T\"\n");
        assert!(p[0].message.contains("unknown field `kk_latn`"), "{}", p[0]);
    }

    #[test]
    fn validity_end_is_exclusive() {
        let v = Validity { from: NaiveDate::from_ymd_opt(2019, 3, 23), until: NaiveDate::from_ymd_opt(2022, 9, 17) };
        assert!(v.contains(NaiveDate::from_ymd_opt(2019, 3, 23).unwrap()));
        assert!(!v.contains(NaiveDate::from_ymd_opt(2022, 9, 17).unwrap()));
    }
}
