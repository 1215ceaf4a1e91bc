//! The glossary linter: what a maintainer must fix before a glossary can be trusted.

use crate::{fold, normalize::is_cyrillic, Concept, Glossary, Matcher, Problem};
use audarma_core::Lang;
use std::collections::{HashMap, HashSet};

const KAZAKH_ONLY: &[char] =
    &['ә', 'ғ', 'қ', 'ң', 'ө', 'ұ', 'ү', 'һ', 'і', 'Ә', 'Ғ', 'Қ', 'Ң', 'Ө', 'Ұ', 'Ү', 'Һ', 'І'];

fn is_kebab(id: &str) -> bool {
    !id.is_empty()
        && id
            .split('-')
            .all(|part| !part.is_empty() && part.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit()))
}

/// Every problem in a loaded glossary, in file and line order.
pub fn lint(g: &Glossary) -> Vec<Problem> {
    let mut out = Vec::new();
    let mut ids: HashMap<&str, usize> = HashMap::new();
    // (lang, folded term) → concept index, to find one term naming two concepts.
    let mut owners: HashMap<(Lang, String), usize> = HashMap::new();
    for (i, c) in g.concepts.iter().enumerate() {
        let mut problem = |message: String| out.push(Problem { file: c.file.clone(), line: c.line, message });
        if !is_kebab(&c.id) {
            problem(format!("id `{}` is not kebab-case (lower-case ascii letters and digits joined by `-`)", c.id));
        }
        if let Some(&first) = ids.get(c.id.as_str()) {
            let f = &g.concepts[first];
            problem(format!("duplicate id `{}` (first at {}:{})", c.id, f.file.display(), f.line));
        } else {
            ids.insert(&c.id, i);
        }
        if let Some(v) = c.valid {
            if let (Some(from), Some(until)) = (v.from, v.until) {
                if until <= from {
                    problem(format!("concept `{}`: `valid` ends ({until}) before it starts ({from})", c.id));
                }
            }
        }
        relations(g, c, &mut problem);
        kk_latn(c, &mut problem);
        for lang in Lang::ALL {
            for (kind, list) in [("term", c.terms(lang)), ("forbidden term", c.forbidden(lang))] {
                for t in list {
                    if t.trim().is_empty() {
                        problem(format!("concept `{}`: empty {lang} {kind}", c.id));
                        continue;
                    }
                    if t.trim() != t || t.contains("  ") || t.contains(['\t', '\n', '\u{a0}']) {
                        problem(format!("concept `{}`: stray whitespace in {lang} {kind} {t:?}", c.id));
                    }
                    let script_checked = !c.dnt && !c.lint_allow.iter().any(|a| a == "script");
                    // A form kept as written in English ("G20") is not a wrong script.
                    let kept_form = lang != Lang::En && c.terms(Lang::En).iter().any(|e| e == t);
                    if script_checked && !kept_form {
                        match lang {
                            Lang::En if t.chars().any(is_cyrillic) => {
                                problem(format!("concept `{}`: Cyrillic letters in en {kind} {t:?}", c.id))
                            }
                            Lang::Kk | Lang::Ru if t.chars().any(|ch| ch.is_ascii_alphabetic()) => {
                                problem(format!("concept `{}`: Latin letters in {lang} {kind} {t:?}", c.id))
                            }
                            _ => {}
                        }
                    }
                    if script_checked && lang == Lang::Ru && t.contains(KAZAKH_ONLY) {
                        problem(format!("concept `{}`: Kazakh-only letters in ru {kind} {t:?}", c.id));
                    }
                }
            }
            for f in c.forbidden(lang) {
                if c.terms(lang).iter().any(|t| fold(t) == fold(f)) {
                    problem(format!("concept `{}`: {lang} term {f:?} is both allowed and forbidden", c.id));
                }
            }
            for t in c.terms(lang) {
                let key = (lang, fold(t.trim()));
                match owners.get(&key) {
                    Some(&other) if other != i => {
                        let o = &g.concepts[other];
                        problem(format!(
                            "{lang} term {t:?} of `{}` also names `{}` ({}:{}): one term, two concepts",
                            c.id,
                            o.id,
                            o.file.display(),
                            o.line
                        ));
                    }
                    Some(_) => problem(format!("concept `{}`: {lang} term {t:?} is listed twice", c.id)),
                    None => {
                        owners.insert(key, i);
                    }
                }
            }
        }
    }
    out.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
    out
}

/// The problems of `kk-Latn`: one Latin form per Kazakh term, in the Latin alphabet, no stray spaces.
fn kk_latn(c: &Concept, problem: &mut impl FnMut(String)) {
    let id = &c.id;
    if c.kk_latn.is_empty() {
        return;
    }
    let kk = c.terms(Lang::Kk).len();
    if c.kk_latn.len() != kk {
        problem(format!(
            "concept `{id}`: `kk-Latn` has {} form(s) for {kk} kk term(s): give one Latin form per kk term, in the same order",
            c.kk_latn.len()
        ));
    }
    let mut seen = HashSet::new();
    for t in &c.kk_latn {
        if t.trim().is_empty() {
            problem(format!("concept `{id}`: empty kk-Latn form"));
            continue;
        }
        if t.trim() != t || t.contains("  ") || t.contains(['\t', '\n', '\u{a0}']) {
            problem(format!("concept `{id}`: stray whitespace in kk-Latn form {t:?}"));
        }
        if t.chars().any(is_cyrillic) {
            problem(format!("concept `{id}`: Cyrillic letters in kk-Latn form {t:?}"));
        }
        if !seen.insert(t) {
            problem(format!("concept `{id}`: kk-Latn form {t:?} is listed twice"));
        }
    }
}

/// The problems of `verbatim`, `ambiguous`, `alternatives`, `holds` and `exclude`.
fn relations(g: &Glossary, c: &Concept, problem: &mut impl FnMut(String)) {
    let id = &c.id;
    if c.verbatim && c.ambiguous {
        problem(format!("concept `{id}` is both `verbatim` (missing is an error) and `ambiguous` (missing is a note)"));
    }
    let holds: Vec<&str> = c.holds.iter().map(|h| h.id.as_str()).collect();
    for (field, list) in [("alternatives", c.alternatives.iter().map(String::as_str).collect()), ("holds", holds)] {
        let mut seen = HashSet::new();
        for other in list {
            if other == id {
                problem(format!("concept `{id}`: `{field}` names the concept itself"));
            } else if g.get(other).is_none() {
                problem(format!("concept `{id}`: `{field}` names `{other}`, which is no concept"));
            }
            if !seen.insert(other) {
                problem(format!("concept `{id}`: `{other}` is listed twice in `{field}`"));
            }
        }
    }
    for h in &c.holds {
        if let (Some(from), Some(until)) = (h.from, h.until) {
            if until <= from {
                problem(format!("concept `{id}`: holding `{}` ends ({until}) before it starts ({from})", h.id));
            }
        }
    }
    if c.exclude.values().all(Vec::is_empty) {
        return;
    }
    if c.dnt {
        problem(format!("concept `{id}` is `dnt` (matched by its exact words) but has `exclude`"));
        return;
    }
    // The concept alone, without its exclusions and with case folded as exclusions are: an exclusion
    // must be text the concept's terms are found in.
    let alone =
        Glossary { concepts: vec![Concept { exclude: Default::default(), case_sensitive: Some(false), ..c.clone() }] };
    for (&lang, forms) in &c.exclude {
        let mut matcher = None;
        let mut seen = HashSet::new();
        for x in forms {
            if x.trim().is_empty() {
                problem(format!("concept `{id}`: empty {lang} exclusion"));
                continue;
            }
            if x.trim() != x || x.contains("  ") || x.contains(['\t', '\n', '\u{a0}']) {
                problem(format!("concept `{id}`: stray whitespace in {lang} exclusion {x:?}"));
            }
            if !seen.insert(fold(x.trim())) {
                problem(format!("concept `{id}`: {lang} exclusion {x:?} is listed twice"));
                continue;
            }
            let m = matcher.get_or_insert_with(|| Matcher::new(&alone, lang));
            if m.find(x).is_empty() {
                problem(format!(
                    "concept `{id}`: {lang} exclusion {x:?} holds no {lang} term of the concept, so it excludes nothing"
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn lint_text(text: &str) -> Vec<String> {
        let mut g = Glossary::default();
        let mut p = Vec::new();
        g.parse_file(Path::new("g.toml"), text, &mut p);
        assert!(p.is_empty(), "{p:?}");
        lint(&g).iter().map(ToString::to_string).collect()
    }

    #[test]
    fn a_clean_concept_has_no_problems() {
        let p = lint_text("[[concept]]\nid = \"head-of-state\"\nen = \"Head of State\"\nkk = \"Мемлекет басшысы\"\nru = \"Глава государства\"\n");
        assert!(p.is_empty(), "{p:?}");
    }

    #[test]
    fn reports_each_kind_of_problem_with_its_line() {
        let p = lint_text(
            r#"[[concept]]
id = "Senate"
en = "Senate "
kk = "Сенат"
ru = "Сенaт"

[[concept]]
id = "senate"
en = "Senate"
kk = "Сенат"
ru = "Сенат"
forbidden = { ru = ["сенат"] }

[[concept]]
id = "senate"
en = "Сенат"
kk = "Сенат2"
ru = "Мәжіліс"
valid = { from = "2020-01-01", until = "2019-01-01" }
"#,
        );
        let expect = [
            "g.toml:1: id `Senate` is not kebab-case",
            "g.toml:1: concept `Senate`: stray whitespace in en term \"Senate \"",
            "g.toml:1: concept `Senate`: Latin letters in ru term \"Сенaт\"",
            "g.toml:7: concept `senate`: ru term \"сенат\" is both allowed and forbidden",
            "g.toml:7: en term \"Senate\" of `senate` also names `Senate` (g.toml:1)",
            "g.toml:14: duplicate id `senate` (first at g.toml:7)",
            "g.toml:14: concept `senate`: `valid` ends (2019-01-01) before it starts (2020-01-01)",
            "g.toml:14: concept `senate`: Cyrillic letters in en term \"Сенат\"",
            "g.toml:14: concept `senate`: Kazakh-only letters in ru term \"Мәжіліс\"",
        ];
        for e in expect {
            assert!(p.iter().any(|l| l.starts_with(e)), "missing {e:?} in {p:#?}");
        }
    }

    #[test]
    fn relations_and_exclusions_that_hold_are_quiet() {
        let p = lint_text(
            r#"[[concept]]
id = "head-of-state"
en = "Head of State"
kk = "Мемлекет басшысы"
ru = "Глава государства"
alternatives = ["president"]
exclude = { en = ["heads of state"], ru = ["главы государств"], kk = ["мемлекет басшылары"] }

[[concept]]
id = "president"
en = "President"
kk = "Президент"
ru = "Президент"
alternatives = ["head-of-state"]
verbatim = true

[[concept]]
id = "tokayev"
en = "Tokayev"
kk = "Тоқаев"
ru = "Токаев"
holds = [{ id = "head-of-state", from = "2019-03-20" }, { id = "president", until = "2019-03-20" }]

[[concept]]
id = "region"
en = "region"
kk = "облыс"
ru = "область"
ambiguous = true
exclude = { ru = ["в области"] }

[[concept]]
id = "osce"
en = "OSCE"
kk = "ЕҚЫҰ"
ru = "ОБСЕ"
exclude = { en = ["osce-style"] }
"#,
        );
        assert!(p.is_empty(), "{p:#?}");
    }

    #[test]
    fn reports_relation_and_exclusion_problems() {
        let p = lint_text(
            r#"[[concept]]
id = "tokayev"
en = "Tokayev"
kk = "Тоқаев"
ru = "Токаев"
alternatives = ["tokayev", "nobody", "region", "region"]
holds = [{ id = "region", from = "2020-01-01", until = "2019-01-01" }, { id = "region" }, { id = "head" }]

[[concept]]
id = "region"
en = "region"
kk = "облыс"
ru = "область"
verbatim = true
ambiguous = true
exclude = { ru = ["в области", " в области", "", "по данным"], en = ["regional"], kk = ["облыстық", "облыстары"] }

[[concept]]
id = "astana-hub"
en = "Astana Hub"
kk = "Astana Hub"
ru = "Astana Hub"
dnt = true
exclude = { en = ["Astana Hub office"] }
"#,
        );
        let expect = [
            "g.toml:1: concept `tokayev`: `alternatives` names the concept itself",
            "g.toml:1: concept `tokayev`: `alternatives` names `nobody`, which is no concept",
            "g.toml:1: concept `tokayev`: `region` is listed twice in `alternatives`",
            "g.toml:1: concept `tokayev`: `holds` names `head`, which is no concept",
            "g.toml:1: concept `tokayev`: `region` is listed twice in `holds`",
            "g.toml:1: concept `tokayev`: holding `region` ends (2019-01-01) before it starts (2020-01-01)",
            "g.toml:9: concept `region` is both `verbatim` (missing is an error) and `ambiguous`",
            "g.toml:9: concept `region`: empty ru exclusion",
            "g.toml:9: concept `region`: stray whitespace in ru exclusion \" в области\"",
            "g.toml:9: concept `region`: ru exclusion \" в области\" is listed twice",
            "g.toml:9: concept `region`: ru exclusion \"по данным\" holds no ru term of the concept",
            "g.toml:9: concept `region`: en exclusion \"regional\" holds no en term of the concept",
            "g.toml:9: concept `region`: kk exclusion \"облыстық\" holds no kk term of the concept",
            "g.toml:18: concept `astana-hub` is `dnt` (matched by its exact words) but has `exclude`",
        ];
        for e in expect {
            assert!(p.iter().any(|l| l.starts_with(e)), "missing {e:?} in {p:#?}");
        }
        assert_eq!(p.len(), expect.len(), "{p:#?}");
    }

    #[test]
    fn kk_latn_forms_are_checked() {
        let clean = lint_text(
            "[[concept]]\nid = \"t\"\nen = [\"Kassym-Jomart Tokayev\", \"Tokayev\"]\n\
             kk = [\"Қасым-Жомарт Тоқаев\", \"Тоқаев\"]\nru = [\"Касым-Жомарт Токаев\", \"Токаев\"]\n\
             kk-Latn = [\"Qasym-Jomart Toqaev\", \"Toqaev\"]\n",
        );
        assert!(clean.is_empty(), "{clean:?}");
        let p = lint_text(
            "[[concept]]\nid = \"a\"\nen = \"A\"\nkk = [\"Ә\", \"Әә\"]\nru = \"А\"\nkk-Latn = \"Ä\"\n\n\
             [[concept]]\nid = \"b\"\nen = \"B\"\nkk = \"Бә\"\nru = \"Б\"\nkk-Latn = \"Bә\"\n\n\
             [[concept]]\nid = \"c\"\nen = \"C\"\nkk = \"Сә\"\nru = \"С\"\nkk-Latn = \" Sä\"\n",
        );
        assert_eq!(
            p,
            [
                "g.toml:1: concept `a`: `kk-Latn` has 1 form(s) for 2 kk term(s): give one Latin form per kk term, in the same order",
                "g.toml:8: concept `b`: Cyrillic letters in kk-Latn form \"Bә\"",
                "g.toml:15: concept `c`: stray whitespace in kk-Latn form \" Sä\"",
            ]
        );
    }
}
