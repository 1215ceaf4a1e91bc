//! Finding concepts in text, and judging a target against its source.
//!
//! Exact forms for now (after folding case, ё/е, quotes and dashes); a term followed by a hyphenated
//! suffix ("ЕҚЫҰ-ға", "ШЫҰ-ның") still matches because `-` is a word boundary.

use crate::{fold, normalize::FoldedText, Concept, Glossary};
use aho_corasick::{AhoCorasick, MatchKind};
use audarma_core::Lang;
use chrono::NaiveDate;
use serde::Serialize;

#[derive(Debug, Clone)]
struct Pattern {
    concept: usize,
    term: String,
    case_sensitive: bool,
    forbidden: bool,
}

/// A compiled matcher for one language's terms (allowed and forbidden) of a glossary.
pub struct Matcher {
    lang: Lang,
    ac: Option<AhoCorasick>,
    patterns: Vec<Pattern>,
}

/// A concept found in a text. Offsets are byte offsets into the text searched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TermMatch {
    /// Index of the concept in [`Glossary::concepts`].
    #[serde(skip)]
    pub concept: usize,
    pub id: String,
    pub text: String,
    pub start: usize,
    pub end: usize,
    /// The text matched a forbidden term of the concept.
    pub forbidden: bool,
}

fn is_word_char(c: Option<char>) -> bool {
    c.is_some_and(|c| c.is_alphanumeric())
}

/// Folds for comparison with case kept (only ё/е and punctuation are folded).
fn fold_keep_case(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            'ё' => 'е',
            'Ё' => 'Е',
            c => c,
        })
        .collect()
}

impl Matcher {
    pub fn new(glossary: &Glossary, lang: Lang) -> Matcher {
        let mut patterns = Vec::new();
        for (i, c) in glossary.concepts.iter().enumerate() {
            for (list, forbidden) in [(c.terms(lang), false), (c.forbidden(lang), true)] {
                for t in list {
                    let t = t.trim();
                    if t.is_empty() {
                        continue;
                    }
                    patterns.push(Pattern {
                        concept: i,
                        term: t.to_string(),
                        case_sensitive: c.is_case_sensitive(t),
                        forbidden,
                    });
                }
            }
        }
        let folded: Vec<String> = patterns.iter().map(|p| fold(&p.term)).collect();
        let ac = AhoCorasick::builder().match_kind(MatchKind::Standard).build(&folded).ok();
        Matcher { lang, ac, patterns }
    }

    pub fn lang(&self) -> Lang {
        self.lang
    }

    /// Every concept occurrence in `text`, left to right, without overlaps: where candidates
    /// overlap, the longest wins, and between equals the leftmost, then the first in the glossary.
    pub fn find(&self, text: &str) -> Vec<TermMatch> {
        let Some(ac) = &self.ac else { return Vec::new() };
        let ft = FoldedText::new(text);
        let mut cands: Vec<(usize, usize, usize)> = Vec::new(); // (start, end, pattern) in original bytes
        for m in ac.find_overlapping_iter(&ft.folded) {
            let (fs, fe) = (m.start(), m.end());
            if is_word_char(ft.folded[..fs].chars().next_back()) || is_word_char(ft.folded[fe..].chars().next()) {
                continue;
            }
            let p = &self.patterns[m.pattern().as_usize()];
            let (s, e) = ft.original_range(fs, fe);
            if p.case_sensitive && fold_keep_case(&text[s..e]) != fold_keep_case(&p.term) {
                continue;
            }
            cands.push((s, e, m.pattern().as_usize()));
        }
        cands.sort_by(|a, b| (b.1 - b.0).cmp(&(a.1 - a.0)).then(a.0.cmp(&b.0)).then(a.2.cmp(&b.2)));
        let mut taken: Vec<(usize, usize, usize)> = Vec::new();
        for c in cands {
            if taken.iter().all(|t| c.1 <= t.0 || c.0 >= t.1) {
                taken.push(c);
            }
        }
        taken.sort();
        taken
            .into_iter()
            .map(|(start, end, pi)| {
                let p = &self.patterns[pi];
                TermMatch {
                    concept: p.concept,
                    id: String::new(),
                    text: text[start..end].to_string(),
                    start,
                    end,
                    forbidden: p.forbidden,
                }
            })
            .collect()
    }

    /// [`Matcher::find`] with concept ids filled in.
    pub fn find_in(&self, glossary: &Glossary, text: &str) -> Vec<TermMatch> {
        let mut v = self.find(text);
        for m in &mut v {
            m.id = glossary.concepts[m.concept].id.clone();
        }
        v
    }
}

/// What a term found in a source segment must become in the target: shown to the translator and
/// handed to the backend.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct TermHint {
    pub id: String,
    /// The form found in the source.
    pub source: String,
    /// The preferred target term (for `dnt` concepts, the source form itself).
    pub target: String,
    /// Other accepted target terms.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub accepted: Vec<String>,
    #[serde(default)]
    pub dnt: bool,
}

impl TermHint {
    pub fn from_match(c: &Concept, m: &TermMatch, target: Lang) -> TermHint {
        let (target_term, accepted) = if c.dnt {
            (m.text.clone(), Vec::new())
        } else {
            let t = c.terms(target);
            (t.first().cloned().unwrap_or_default(), t.iter().skip(1).cloned().collect())
        };
        TermHint { id: c.id.clone(), source: m.text.clone(), target: target_term, accepted, dnt: c.dnt }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TermStatus {
    /// The target holds one of the concept's target terms.
    Ok,
    /// It does not.
    Missing,
    /// It holds a forbidden term of the concept.
    Forbidden,
    /// The concept's name is not valid on the release date (Nur-Sultan in 2023).
    Outdated,
}

/// The judgement on one concept of a source segment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TermCheck {
    pub id: String,
    pub status: TermStatus,
    /// The source form found.
    pub source: String,
    /// The target form found (`None` when missing).
    pub target: Option<String>,
    /// Byte span of the target form in the target text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub span: Option<(usize, usize)>,
}

/// Judges `target` against the concepts found in its source (`source_matches`, from a matcher of the
/// source language); `target_matcher` is the matcher of the target language.
pub fn verify(
    glossary: &Glossary,
    source_matches: &[TermMatch],
    target_matcher: &Matcher,
    target: &str,
    date: Option<NaiveDate>,
) -> Vec<TermCheck> {
    let found = target_matcher.find(target);
    let folded_target = fold(target);
    let mut out: Vec<TermCheck> = Vec::new();
    for m in source_matches.iter().filter(|m| !m.forbidden) {
        if out.iter().any(|c| c.id == glossary.concepts[m.concept].id) {
            continue;
        }
        let c = &glossary.concepts[m.concept];
        let mine = found.iter().filter(|f| f.concept == m.concept);
        let bad = mine.clone().find(|f| f.forbidden);
        let good = mine.clone().find(|f| !f.forbidden);
        let (status, hit) = if let Some(b) = bad {
            (TermStatus::Forbidden, Some(b))
        } else if c.dnt {
            let pos = folded_target.find(&fold(&m.text));
            let status = if pos.is_some() { TermStatus::Ok } else { TermStatus::Missing };
            out.push(TermCheck {
                id: c.id.clone(),
                status,
                source: m.text.clone(),
                target: pos.map(|_| m.text.clone()),
                span: None,
            });
            continue;
        } else if let Some(g) = good {
            (TermStatus::Ok, Some(g))
        } else {
            (TermStatus::Missing, None)
        };
        let status = if status == TermStatus::Ok && !c.valid_on(date) { TermStatus::Outdated } else { status };
        out.push(TermCheck {
            id: c.id.clone(),
            status,
            source: m.text.clone(),
            target: hit.map(|h| h.text.clone()),
            span: hit.map(|h| (h.start, h.end)),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use std::path::Path;

    const G: &str = r#"
[[concept]]
id = "osce"
en = ["OSCE", "Organization for Security and Co-operation in Europe"]
kk = "ЕҚЫҰ"
ru = "ОБСЕ"

[[concept]]
id = "head-of-state"
en = "Head of State"
kk = "Мемлекет басшысы"
ru = "Глава государства"
forbidden = { ru = ["Глава страны"] }

[[concept]]
id = "state"
en = "State"
kk = "мемлекет"
ru = "государство"

[[concept]]
id = "astana-hub"
en = "Astana Hub"
kk = "Astana Hub"
ru = "Astana Hub"
dnt = true

[[concept]]
id = "nur-sultan"
en = "Nur-Sultan"
kk = "Нұр-Сұлтан"
ru = "Нур-Султан"
valid = { from = "2019-03-23", until = "2022-09-17" }
"#;

    fn glossary() -> Glossary {
        let mut g = Glossary::default();
        let mut p = Vec::new();
        g.parse_file(Path::new("g.toml"), G, &mut p);
        assert!(p.is_empty(), "{p:?}");
        g
    }

    #[test]
    fn longest_match_wins_and_offsets_point_into_the_original() {
        let g = glossary();
        let m = Matcher::new(&g, Lang::En);
        let text = "The head of state met the OSCE chair; “OSCE” again, but not osce or CHOSCE.";
        let found = m.find_in(&g, text);
        let ids: Vec<_> = found.iter().map(|f| f.id.as_str()).collect();
        assert_eq!(ids, ["head-of-state", "osce", "osce"]);
        assert_eq!(&text[found[0].start..found[0].end], "head of state");
    }

    #[test]
    fn hyphenated_kazakh_suffixes_and_yo_fold() {
        let g = glossary();
        let kk = Matcher::new(&g, Lang::Kk);
        assert_eq!(kk.find_in(&g, "ЕҚЫҰ-ға төрағалық")[0].text, "ЕҚЫҰ");
        let ru = Matcher::new(&g, Lang::Ru);
        assert_eq!(ru.find_in(&g, "Глава Государства заявил").len(), 1);
    }

    #[test]
    fn verify_reports_ok_missing_forbidden_and_outdated() {
        let g = glossary();
        let en = Matcher::new(&g, Lang::En);
        let ru = Matcher::new(&g, Lang::Ru);
        let src = en.find("The Head of State visited the OSCE and Astana Hub.");
        let checks = verify(&g, &src, &ru, "Глава страны посетил Astana Hub.", None);
        let got: Vec<_> = checks.iter().map(|c| (c.id.as_str(), c.status, c.target.as_deref())).collect();
        assert_eq!(
            got,
            [
                ("head-of-state", TermStatus::Forbidden, Some("Глава страны")),
                ("osce", TermStatus::Missing, None),
                ("astana-hub", TermStatus::Ok, Some("Astana Hub")),
            ]
        );
        let src = en.find("Talks in Nur-Sultan.");
        let d = NaiveDate::from_ymd_opt(2023, 5, 1);
        assert_eq!(verify(&g, &src, &ru, "Переговоры в Нур-Султане.", d).len(), 1);
        assert_eq!(verify(&g, &src, &ru, "Переговоры в Нур-Султан.", d)[0].status, TermStatus::Outdated);
        let d = NaiveDate::from_ymd_opt(2020, 5, 1);
        assert_eq!(verify(&g, &src, &ru, "Переговоры в Нур-Султан.", d)[0].status, TermStatus::Ok);
    }
}
